from rest_framework.test import APIClient

from tests.factories import PASSWORD


def test_token_for_valid_credentials(pupil):
    response = APIClient().post("/api/v1/auth/token/", {"username": "pupil", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["role"] == "pupil" and body["token"].startswith("rl_")
    # The token authenticates later requests.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get("/api/v1/no-such/").status_code == 404


def test_token_errors_share_one_json_shape(pupil):
    client = APIClient()
    missing = client.post("/api/v1/auth/token/", {"username": "pupil"})
    assert missing.status_code == 400
    assert missing.json()["code"] == "invalid" and "password" in missing.json()["fields"]
    wrong = client.post("/api/v1/auth/token/", {"username": "pupil", "password": "nope"})
    assert wrong.status_code == 400
    assert wrong.json() == {
        "status": 400,
        "code": "invalid_credentials",
        "detail": "Username or password is wrong.",
    }


def test_token_endpoint_locks_out_after_repeated_failures(pupil, settings):
    client = APIClient()
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        client.post("/api/v1/auth/token/", {"username": "pupil", "password": "nope"})
    response = client.post("/api/v1/auth/token/", {"username": "pupil", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["code"] in {"locked", "throttled"}


def test_openapi_schema_and_docs_are_served_without_a_cdn(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    data = schema.json()
    assert data["openapi"].startswith("3.")
    assert "/api/v1/auth/token/" in data["paths"]
    assert not [p for p in data["paths"] if p.startswith("/api/v2/")]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html and "cdn.jsdelivr" not in html


def test_unauthenticated_api_call_is_json_401_or_403(db):
    response = APIClient().get("/api/v1/classes/")
    assert response.status_code in (401, 403)  # not 404: the route exists
    assert response["Content-Type"].startswith("application/json")

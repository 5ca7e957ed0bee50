from tests.factories import PASSWORD


def sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/sign-in/", {"login": username, "password": password})


def test_pupil_signs_in_with_username_and_password(client, pupil, home):
    response = sign_in(client, "pupil")
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == pupil


def test_wrong_password_is_a_clear_400(client, pupil, home):
    response = sign_in(client, "pupil", "wrong")
    assert response.status_code == 400
    assert b"do not match" in response.content


def test_repeated_failures_lock_the_account_with_a_clear_message(client, pupil, home, settings):
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        sign_in(client, "pupil", "wrong")
    response = sign_in(client, "pupil")  # even the right password is refused while locked
    assert response.status_code == 429
    assert b"Too many wrong passwords" in response.content
    assert b"ask your teacher to unlock" in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_success_resets_the_failure_count(client, pupil, home, settings):
    for _ in range(settings.SIGN_IN_MAX_FAILURES - 1):
        sign_in(client, "pupil", "wrong")
    assert sign_in(client, "pupil").status_code == 302
    client.post("/accounts/sign-out/")
    for _ in range(settings.SIGN_IN_MAX_FAILURES - 1):
        sign_in(client, "pupil", "wrong")
    assert sign_in(client, "pupil").status_code == 302


def test_sign_out_needs_a_post_and_ends_the_session(client, pupil, home):
    client.force_login(pupil)
    asked = client.get("/accounts/sign-out/")  # a confirmation page: a link cannot sign out
    assert asked.status_code == 200 and b'method="post"' in asked.content
    assert client.get("/").wsgi_request.user.is_authenticated
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_sign_in_form_needs_csrf(pupil, home):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/sign-in/", {"login": "pupil", "password": PASSWORD})
    assert response.status_code == 403

def test_unknown_page_is_a_friendly_404(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"We can't find that page" in response.content


def test_a_debug_404_keeps_its_inline_styles_and_a_real_one_keeps_the_strict_policy(
    client, home, settings
):
    """Django's technical 404 (debug only) styles itself inline: the strict policy left it a
    wall of unstyled text. Outside debug, the site's own 404 has the strict policy."""
    settings.DEBUG = True
    debug = client.get("/no-such-page/")
    assert debug.status_code == 404 and b"<style" in debug.content
    assert "style-src 'self' 'unsafe-inline'" in debug["Content-Security-Policy"]
    assert "unsafe-inline" not in client.get("/")["Content-Security-Policy"]
    settings.DEBUG = False
    real = client.get("/no-such-page/")
    assert b"We can't find that page" in real.content
    assert "unsafe-inline" not in real["Content-Security-Policy"]


def test_unknown_api_path_is_json_404(client, db):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_a_request_with_too_many_fields_is_a_clear_400(client, home, settings):
    """Django refuses it before any view: JSON under /api/, a page elsewhere."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = {f"names{n}": "x" for n in range(20)}
    api = client.post("/api/v1/join/", fields)
    assert api.status_code == 400 and api.json()["code"] == "bad_request"
    page = client.post("/accounts/sign-in/", fields)
    assert page.status_code == 400 and b"We could not read that request" in page.content


def test_base_template_has_skip_link_landmarks_and_local_assets(client, home):
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and 'role="banner"' in html and 'role="contentinfo"' in html
    assert "cdn" not in html.lower() and "https://fonts" not in html


def test_security_headers_on_pages(client, home):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_navigation_follows_the_role(client, teacher, pupil, editor, home):
    client.force_login(teacher)
    assert b'href="/classes/"' in client.get("/").content
    client.force_login(pupil)
    html = client.get("/").content
    assert b'href="/my-work/"' in html and b'href="/classes/"' not in html.split(b"<main")[0]
    client.force_login(editor)
    assert b'href="/admin/"' in client.get("/").content

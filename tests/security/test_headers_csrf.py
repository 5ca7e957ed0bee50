"""Security headers on everything a crawl reaches, and CSRF on every state-changing request.

`check --deploy` with production variables is covered by tests/core/test_settings_env.py; here
the headers actually served are checked, response by response (HTML, JSON, XML, CSV, PDF, zip,
redirects and errors), as the visitor, the pupil and the teacher reach them. Public and pupil
pages get a strict Content-Security-Policy (no 'unsafe-inline'), and their HTML relies on no
inline script or style that such a policy would block; the Wagtail admin and the API docs get
the relaxed policy by design. Every POST form found by crawling, and every unsafe API method,
is refused without its CSRF token (403) and accepted past the CSRF check with it.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.test import Client

from reelearn.core.middleware import SecurityHeadersMiddleware

from .crawler import Fetched, crawl, schema_calls

pytestmark = pytest.mark.django_db

RELAXED = SecurityHeadersMiddleware.RELAXED_PREFIXES
REFERRER_POLICIES = {
    "same-origin",
    "no-referrer",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
# Reached by URL only (the crawler does not wander into the admin): the relaxed-policy side.
EXTRA = [
    "/admin/",
    "/admin/login/",
    "/django-admin/",
    "/django-admin/login/",
    "/api/docs/",
    "/static/css/site.css",
    "/no-such-page/",
    "/api/v1/no-such-endpoint/",
]


def _csp(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in filter(None, (p.strip() for p in value.split(";"))):
        name, *sources = part.split()
        directives[name.lower()] = sources
    return directives


def header_problems(fetched: Fetched) -> list[str]:
    headers, path = fetched.headers, fetched.url.split("?")[0]
    problems = []
    if headers.get("x-content-type-options") != "nosniff":
        problems.append("X-Content-Type-Options is not nosniff")
    if headers.get("referrer-policy") not in REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {headers.get('referrer-policy')!r}")
    csp = _csp(headers.get("content-security-policy", ""))
    if not csp:
        return [*problems, "no Content-Security-Policy"]
    frame = csp.get("frame-ancestors")
    xfo = headers.get("x-frame-options", "").upper()
    if path.startswith(RELAXED):
        if frame not in (["'none'"], ["'self'"]) and xfo not in ("DENY", "SAMEORIGIN"):
            problems.append("admin/docs page can be framed by other sites")
        return problems
    for directive in ("script-src", "style-src"):
        sources = csp.get(directive, csp.get("default-src"))
        if sources is None:
            problems.append(f"CSP has neither {directive} nor default-src")
        elif {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(sources):
            problems.append(f"CSP {directive} allows {sources}")
    if frame != ["'none'"] and xfo != "DENY":
        problems.append(f"can be framed: frame-ancestors {frame}, X-Frame-Options {xfo!r}")
    if csp.get("object-src") != ["'none'"]:
        problems.append("CSP object-src is not 'none'")
    return problems


def inline_code(fetched: Fetched) -> list[str]:
    """Inline scripts, handlers and styles: a strict CSP blocks them, so a page that has them
    is broken for its readers (or tempts someone to loosen the policy)."""
    if not fetched.is_html or fetched.url.startswith(RELAXED):
        return []
    soup = BeautifulSoup(fetched.raw, "html.parser")
    found = []
    for script in soup.find_all("script"):
        data_block = (script.get("type") or "").endswith("json")
        if not script.get("src") and not data_block and script.text.strip():
            found.append("inline <script>")
    found += ["<style> element" for _ in soup.find_all("style")]
    for element in soup.find_all(True):
        for attr in element.attrs:
            if attr == "style" or (attr.startswith("on") and len(attr) > 2):
                found.append(f"{attr}= on <{element.name}>")
    return sorted(set(found))


def test_security_headers_on_everything_the_crawl_reaches(world, crawl_as):
    crawls = {}
    for label, user in (("visitor", None), ("pupil", world.pupil), ("teacher", world.teacher)):
        result, client = crawl_as(world, user)
        crawl(client, EXTRA, crawl_result=result, follow=False)
        crawls[label] = result
    problems, inline = [], []
    kinds: set[str] = set()
    for label, result in crawls.items():
        for fetched in result.fetched.values():
            kinds.add(fetched.content_type.split(";")[0])
            problems += [
                f"{label} {fetched.url} ({fetched.status}): {p}" for p in header_problems(fetched)
            ]
            inline += [f"{label} {fetched.url}: {p}" for p in inline_code(fetched)]
    total = sum(len(r) for r in crawls.values())
    print(f"\nheaders checked on {total} responses of types {sorted(kinds)}")
    # The crawl covered every kind of body the site serves, including files.
    assert {
        "text/html",
        "application/json",
        "application/pdf",
        "application/zip",
        "application/xml",
        "text/csv",
    } <= kinds
    assert any(f.url.startswith("/admin/") for f in crawls["visitor"].fetched.values())
    assert not problems, "\n".join(problems[:60])
    assert not inline, "\n".join(inline[:60])


# --- CSRF -----------------------------------------------------------------------------------


def _multi(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def _is_csrf_refusal(response) -> bool:
    body = response.content.decode(errors="replace")
    return response.status_code == 403 and "CSRF" in body


def _post_keeping_nothing(client: Client, url: str, data: dict):
    """POST, then undo it: the database rolls back and the client's cookies are restored, so
    the next form is tried on the same world and session."""
    cookies = SimpleCookie()
    cookies.load(client.cookies.output(header="", sep=";"))
    with transaction.atomic():
        response = client.post(url, data)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def test_every_post_form_is_refused_without_its_csrf_token(bare_world, crawl_as):
    world = bare_world
    tried, failures, crashes = [], [], []
    for label, user in (("teacher", world.teacher), ("pupil", world.pupil), ("visitor", None)):
        result, client = crawl_as(world, user, everything=False)
        client.raise_request_exception = False
        for form in result.forms.values():
            data = _multi(form.fields)
            if form.token is None:
                failures.append(f"{label} {form.page} → {form.action}: form has no CSRF token")
                continue
            refused = _post_keeping_nothing(client, form.action, data)
            accepted = _post_keeping_nothing(
                client, form.action, {**data, "csrfmiddlewaretoken": form.token}
            )
            tried.append(f"{label} {form.action}")
            if not _is_csrf_refusal(refused):
                failures.append(
                    f"{label} {form.page} → POST {form.action} without a token: "
                    f"{refused.status_code}"
                )
            if _is_csrf_refusal(accepted):
                failures.append(f"{label} POST {form.action} with the page's token: refused")
            if accepted.status_code >= 500:
                crashes.append(
                    f"{label} POST {form.action} as the page sends it: {accepted.status_code}"
                )
    print(f"\nCSRF checked on {len(tried)} POST forms:", *sorted(set(tried)), sep="\n  ")
    actions = " ".join(tried)
    # The forms that matter were found: sign-out, joining, quiz answers, marking, erasing…
    for expected in (
        "/accounts/sign-out/",
        "/accounts/password/",
        "/join/",
        "/my-work/quizzes/attempts/",
        "/turn-in/",
        "/done/",
        "/erase/",
        "/pupils/add/",
        "/assignments/new/",
        "/marking/",
        "/regrade/",
        "/paper/",
        "/join-code/",
        "/packs/page/",
        "/accounts/sign-up/",
    ):
        assert expected in actions, f"no form posting to {expected} was found"
    assert not failures, "\n".join(failures)
    assert not crashes, "\n".join(crashes)


def test_every_unsafe_api_call_with_a_session_needs_the_csrf_token(bare_world):
    """Cookie-authenticated API writes are as forgeable as forms: all need X-CSRFToken."""
    world = bare_world
    no_session_needed = {"/api/v1/auth/token/"}  # exchanges a password; sets no cookie
    refused, accepted = [], []
    for user in (world.teacher, world.pupil):
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        client.force_login(user)
        for method, url in schema_calls(
            client, world.ids(), ("post", "put", "patch", "delete"), every_combination=False
        ):
            if url in no_session_needed:
                continue
            response = getattr(client, method)(url, data="{}", content_type="application/json")
            (refused if _is_csrf_refusal(response) else accepted).append(
                f"{user.role} {method.upper()} {url}: {response.status_code} "
                f"{response.content[:120]!r}"
            )
    print(f"\nCSRF checked on {len(refused) + len(accepted)} unsafe API calls")
    assert len(refused) >= 50
    assert not accepted, "\n".join(accepted)

"""A bounded, same-origin, breadth-first crawler over the Django test client.

It follows what a browser (or a curious pupil) can reach: links, GET forms with their default
values and each option of their selects, redirects, URLs inside JSON bodies and `data-*-url`
attributes. Every response is kept with its headers and its readable text (HTML, JSON, CSV,
XML, and the text of PDFs and of the files inside zips, read with pypdf), so that tests can
look for secrets and check headers on exactly what was served. POST forms are collected, never
submitted.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
import zipfile
from collections import deque
from dataclasses import dataclass, field
from itertools import product
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from bs4 import BeautifulSoup
from django.core.cache import cache
from pypdf import PdfReader

SAME_HOSTS = {"", "testserver", "localhost", "127.0.0.1"}
# Static assets carry no data; the admin is the editors' (visitors only reach its sign-in page).
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/django-admin/")
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")


@dataclass
class Fetched:
    url: str
    status: int
    content_type: str
    headers: dict
    text: str
    via: str
    raw: str = ""  # the decoded body of text responses, for following links

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")


@dataclass
class PostForm:
    page: str
    action: str
    fields: list[tuple[str, str]]
    token: str | None

    @property
    def key(self) -> tuple:
        return (self.action, tuple(sorted({name for name, _v in self.fields})))


@dataclass
class Crawl:
    fetched: dict[str, Fetched] = field(default_factory=dict)
    forms: dict[tuple, PostForm] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.fetched)


def normalise(url: str, base: str = "/") -> str | None:
    """A same-origin path with its query, or None for anything the crawler leaves alone."""
    url = (url or "").strip()
    if not url or url.startswith("#") or url.lower().startswith(SKIP_SCHEMES):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, url))
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in SAME_HOSTS:
        return None
    path = parts.path or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return path + (f"?{query}" if query else "")


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    info = " ".join(str(v) for v in (reader.metadata or {}).values())
    return info + "\n" + "\n".join(page.extract_text() or "" for page in reader.pages)


def body_text(content_type: str, data: bytes) -> str:
    """What a reader could see of a body: text and markup, decoded entities, PDF text."""
    if content_type.startswith("application/pdf") or data[:5] == b"%PDF-":
        return _pdf_text(data)
    if content_type.startswith("application/zip") or data[:4] == b"PK\x03\x04":
        parts = []
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                parts.append(name)
                parts.append(body_text("", archive.read(name)))
        return "\n".join(parts)
    text = data.decode("utf-8", errors="replace")
    if "json" in content_type:
        with contextlib.suppress(ValueError):
            text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
    return text + "\n" + html.unescape(text)


def squash(text: str) -> str:
    """Without white space and case: a marker split over lines in a PDF still matches."""
    return "".join(text.split()).casefold()


def find_secrets(fetched: Fetched, secrets: dict[str, str]) -> list[str]:
    haystack = squash(fetched.text + " " + " ".join(fetched.headers.values()))
    return [
        f"{fetched.url} ({fetched.status}, via {fetched.via}): {label} {marker!r}"
        for marker, label in secrets.items()
        if squash(marker) in haystack
    ]


def _read(response) -> bytes:
    if getattr(response, "streaming", False):
        # The test client closes the response once its content is read (as a WSGI server
        # would); closing it again here would fire request_finished a second time.
        return b"".join(response.streaming_content)
    return response.content


def fetch(client, url: str, via: str = "seed", **extra) -> tuple[Fetched, object]:
    response = client.get(url, **extra)
    if response.status_code == 429 and url.startswith("/api/"):
        # DRF's per-minute rate limits live in the cache: the crawl is one visitor over hours.
        cache.clear()
        response = client.get(url, **extra)
    content_type = response.get("Content-Type", "")
    data = _read(response)
    headers = {k.lower(): v for k, v in response.items()}
    is_text = content_type.startswith(("text/", "application/json", "application/xml"))
    raw = data.decode("utf-8", errors="replace") if is_text else ""
    return Fetched(
        url, response.status_code, content_type, headers, body_text(content_type, data), via, raw
    ), response


# --- Extracting what to follow ------------------------------------------------------------------


def _form_fields(form) -> list[tuple[str, str]]:
    fields = []
    for element in form.find_all(["input", "textarea", "select", "button"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "select":
            options = element.find_all("option")
            chosen = next(
                (o for o in options if o.has_attr("selected")), options[0] if options else None
            )
            fields.append((name, chosen.get("value", chosen.text) if chosen else ""))
        elif element.name == "textarea":
            fields.append((name, element.text))
        elif element.name == "button" or element.get("type") in ("submit", "image"):
            continue  # a named submit button is added by whichever button is pressed
        elif element.get("type") in ("checkbox", "radio") and not element.has_attr("checked"):
            continue
        else:
            fields.append((name, element.get("value", "")))
    return fields


def _get_form_targets(form, base: str) -> list[str]:
    """The form submitted as it stands, then once per option of each of its selects."""
    action = normalise(form.get("action") or base, base)
    if action is None:
        return []
    path = action.split("?")[0]
    defaults = [(k, v) for k, v in _form_fields(form) if v != ""]
    targets = [path + ("?" + urlencode(defaults) if defaults else "")]
    for select in form.find_all("select"):
        name = select.get("name")
        for option in select.find_all("option"):
            value = option.get("value", option.text)
            if name and value:
                query = [(k, v) for k, v in defaults if k != name] + [(name, value)]
                targets.append(path + "?" + urlencode(query))
    return targets


def links_in_html(text: str, base: str) -> tuple[list[str], list[PostForm]]:
    soup = BeautifulSoup(text, "html.parser")
    found = []
    for tag, attr in (
        ("a", "href"),
        ("area", "href"),
        ("link", "href"),
        ("iframe", "src"),
        ("embed", "src"),
        ("object", "data"),
    ):
        for element in soup.find_all(tag):
            if tag == "link" and "stylesheet" in (element.get("rel") or []):
                continue
            found.append(element.get(attr))
    for element in soup.find_all(True):
        for attr, value in element.attrs.items():
            if attr.startswith("data-") and attr.endswith("url") and isinstance(value, str):
                found.append(value)
    forms = []
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() == "get":
            found.extend(_get_form_targets(form, base))
            continue
        action = normalise(form.get("action") or base, base)
        if action is None:
            continue
        fields = _form_fields(form)
        token = next((v for k, v in fields if k == "csrfmiddlewaretoken"), None)
        forms.append(
            PostForm(base, action, [(k, v) for k, v in fields if k != "csrfmiddlewaretoken"], token)
        )
    return [u for u in (normalise(x, base) for x in found if x) if u], forms


def links_in_json(text: str) -> list[str]:
    """Same-origin URLs anywhere in a JSON body (Wagtail's detail_url, html_url, our links)."""
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return []
    found = []

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and (value.startswith("/") or value.startswith("http")):
            found.append(value)

    walk(data)
    return [u for u in (normalise(x) for x in found) if u]


def _shape(url: str) -> str:
    """URLs that differ only in numbers or query values share a shape (bounded per shape)."""
    path, _, query = url.partition("?")
    keys = sorted({k for k, _v in parse_qsl(query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", path) + "?" + "&".join(keys)


def crawl(
    client,
    seeds: list[str],
    *,
    limit: int = 1500,
    per_shape: int = 12,
    crawl_result: Crawl | None = None,
    follow: bool = True,
) -> Crawl:
    """Breadth first from `seeds` (each fetched), then what they lead to, at most `per_shape`
    found URLs of one shape; reaching `limit` URLs fails rather than silently stopping short."""
    result = crawl_result or Crawl()
    queue = deque((s, "seed") for s in seeds)
    shapes: dict[str, int] = {}
    queued = set(result.fetched)
    while queue:
        url, via = queue.popleft()
        if url in result.fetched:
            continue
        if len(result.fetched) >= limit:
            raise AssertionError(f"crawl limit of {limit} URLs reached; raise it")
        try:
            fetched, _response = fetch(client, url, via)
        except Exception as error:
            recent = list(result.fetched)[-3:]
            raise AssertionError(
                f"GET {url} (via {via}) raised {error!r}; the URLs before it: {recent}"
            ) from error
        result.fetched[url] = fetched
        if not follow:
            continue
        found: list[str] = []
        if 300 <= fetched.status < 400 and fetched.headers.get("location"):
            target = normalise(fetched.headers["location"], url.split("?")[0])
            found = [target] if target else []
        elif fetched.is_html:
            found, forms = links_in_html(fetched.raw, url.split("?")[0])
            for form in forms:
                result.forms.setdefault(form.key, form)
        elif "json" in fetched.content_type:
            found = links_in_json(fetched.raw)
        elif "xml" in fetched.content_type:  # the sitemap
            found = [
                u
                for u in (
                    normalise(html.unescape(loc))
                    for loc in re.findall(r"<loc>\s*(.*?)\s*</loc>", fetched.raw)
                )
                if u
            ]
        for target in found:
            if target in queued or target.startswith(SKIP_PREFIXES):
                continue
            shape = _shape(target)
            if shapes.get(shape, 0) >= per_shape:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            queued.add(target)
            queue.append((target, url))
    return result


# --- URLs nobody links to: the API schema and every route with ids from the world ---------------


def schema_calls(
    client, ids: dict[str, list[int]], methods=("get",), *, every_combination: bool = True
) -> list[tuple[str, str]]:
    """(method, URL) for each operation of the OpenAPI schema, ids filled in from `ids`: every
    combination of candidates, or just the first of each."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    calls = []
    for path, operations in schema["paths"].items():
        names = re.findall(r"{(\w+)}", path)
        choices = [ids[_id_name(path, name)] for name in names]
        combos = product(*choices) if every_combination else [tuple(c[0] for c in choices)]
        for combo in combos:
            url = path
            for name, value in zip(names, combo, strict=True):
                url = url.replace("{" + name + "}", str(value))
            calls += [(method, url) for method in methods if method in operations]
    return calls


def schema_get_urls(client, ids: dict[str, list[int]]) -> list[str]:
    """Every GET endpoint of the OpenAPI schema with each combination of candidate ids."""
    return [url for _method, url in schema_calls(client, ids)]


def _id_name(path: str, name: str) -> str:
    if name != "id":
        return name
    resource = path.split("/")[3]  # /api/v1/<resource>/{id}/
    return {"attempts": "attempt_id", "packs": "pack_id", "quizzes": "quiz_id"}[resource]


STR_VALUES = {"variant": ["student-a4", "teacher-a4", "zip-a4"], "paper": ["a4"]}


def route_urls(
    ids: dict[str, list[int]], *, exclude=("admin/", "django-admin/", "api/", "documents/")
) -> list[str]:
    """Every route of the project URLconf that takes ids, filled in with the world's ids:
    what someone typing URLs (or guessing ids) reaches without any link."""
    from django.urls import URLPattern, URLResolver, get_resolver

    templates = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(exclude) or route.startswith("^"):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" in route:
                templates.append(route)

    walk(get_resolver().url_patterns, "")
    urls = []
    for template in templates:
        names = re.findall(r"<(?:(\w+):)?(\w+)>", template)
        # Secrets in URLs (invitation tokens, email keys) are guessed, as a visitor would.
        choices = [
            STR_VALUES.get(n, [f"guessed{n}"]) if conv in ("str", "") else ids.get(n, [])
            for conv, n in names
        ]
        for combo in product(*choices):
            url = template
            for (conv, name), value in zip(names, combo, strict=True):
                url = re.sub(rf"<(?:{conv}:)?{name}>", str(value), url, count=1)
            urls.append("/" + url)
    return urls

"""HTML → PDF with WeasyPrint, reading every resource from local storage (no HTTP to self).

Imported at module level by the tasks so forked Celery workers inherit WeasyPrint, its fonts and
the parsed stylesheet instead of loading them on every build.
"""

from __future__ import annotations

import io
import mimetypes
import zipfile
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from pypdf import PdfReader
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .content import ClassContent, PageContent, ZipContent
from .linebreak import insert_burmese_breaks
from .models import Pack

# A made-up origin: every relative URL in a pack resolves under it, and the fetcher below maps
# it to local storage. Nothing is ever fetched over the network.
BASE_URL = "https://pack.reelearn.invalid/"
PAPER_SIZES = {Pack.Paper.A4: "A4", Pack.Paper.LETTER: "letter"}
FONT_FACES = (
    ("REElearn Sans", "normal", "normal", "NotoSans-Regular.ttf"),
    ("REElearn Sans", "bold", "normal", "NotoSans-Bold.ttf"),
    ("REElearn Sans", "normal", "italic", "NotoSans-Italic.ttf"),
    ("REElearn Sans", "bold", "italic", "NotoSans-BoldItalic.ttf"),
    # Under its own name, so pdffonts lists it as such (and a missing file falls back to the
    # system's font of that name).
    ("Noto Sans Myanmar", "normal", "normal", "NotoSansMyanmar-Regular.ttf"),
    ("Noto Sans Myanmar", "bold", "normal", "NotoSansMyanmar-Bold.ttf"),
    # Arrows, maths and ticks that Noto Sans lacks (e.g. "→" in ordering answer keys).
    ("REElearn Math", "normal", "normal", "NotoSansMath-Regular.ttf"),
    ("REElearn Symbols", "normal", "normal", "NotoSansSymbols-Regular.ttf"),
    ("REElearn Symbols", "bold", "normal", "NotoSansSymbols-Bold.ttf"),
    ("REElearn Symbols2", "normal", "normal", "NotoSansSymbols2-Regular.ttf"),
)


class PackBuildError(Exception):
    """A build that cannot succeed as things stand; the message is shown to teachers."""


class LocalFetcher(URLFetcher):
    """Media from the default storage (local or S3), static files from the finders, fonts from
    the font folder; everything else refused."""

    def __init__(self):
        super().__init__(allowed_protocols={"https", "file", "data"})

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            return self._font(Path(unquote(parts.path)), url)
        if not url.startswith(BASE_URL):
            raise ValueError(f"packs fetch local files only, not {url}")
        path = unquote(parts.path)
        if path.rsplit("/", 1)[-1] == "not-found":
            return self._media("not-found", url)
        if path.startswith(settings.MEDIA_URL):
            return self._media(path.removeprefix(settings.MEDIA_URL), url)
        if path.startswith(settings.STATIC_URL):
            return self._static(path.removeprefix(settings.STATIC_URL), url)
        raise ValueError(f"packs fetch media and static files only, not {url}")

    @staticmethod
    def _response(url: str, body, name: str) -> URLFetcherResponse:
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, headers={"Content-Type": mime})

    def _media(self, name: str, url: str) -> URLFetcherResponse:
        if name.rsplit("/", 1)[-1] == "not-found":  # Wagtail could not open the original
            raise FatalURLFetchingError("A picture's original file is missing from storage.")
        try:
            body = default_storage.open(name, "rb")
        except FileNotFoundError:
            # A missing picture must fail the build loudly, not print a pack without it.
            raise FatalURLFetchingError(f"Image file missing from storage: {name}") from None
        return self._response(url, body, name)

    def _static(self, name: str, url: str) -> URLFetcherResponse:
        found = finders.find(name)
        if not found:
            raise FatalURLFetchingError(f"Static file missing: {name}")
        return self._response(url, open(found, "rb"), name)  # noqa: SIM115 - closed by WeasyPrint

    def _font(self, path: Path, url: str) -> URLFetcherResponse:
        root = Path(settings.PACKS_FONT_DIR).resolve()
        path = path.resolve()
        if not path.is_relative_to(root):
            raise ValueError(f"packs read fonts from {root} only, not {path}")
        return self._response(url, open(path, "rb"), path.name)  # noqa: SIM115


@cache
def _fetcher() -> LocalFetcher:
    return LocalFetcher()


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


def _font_css() -> str:
    root = Path(settings.PACKS_FONT_DIR)
    rules = []
    for family, weight, style, filename in FONT_FACES:
        path = root / filename
        if path.exists():
            rules.append(
                f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                f'font-style: {style}; src: url("{path.as_uri()}"); }}'
            )
    return "\n".join(rules)


@cache
def stylesheets(paper: str) -> tuple:
    """Fonts, print CSS and the paper size: parsed once per process and paper size.

    The same FontConfiguration goes to every CSS and to write_pdf, or @font-face is ignored.
    """
    fonts, fetcher = _font_config(), _fetcher()
    css_path = finders.find("css/pack.css")
    if not css_path:
        raise PackBuildError("The print stylesheet css/pack.css is missing.")
    return (
        weasyprint.CSS(string=_font_css(), font_config=fonts, url_fetcher=fetcher),
        weasyprint.CSS(filename=css_path, font_config=fonts, url_fetcher=fetcher),
        weasyprint.CSS(string=f"@page {{ size: {PAPER_SIZES[paper]}; }}", font_config=fonts),
    )


def html_to_pdf(html: str, *, paper: str, break_burmese: bool = True) -> tuple[bytes, int]:
    """The PDF bytes and their page count.

    Burmese text gets its line-break opportunities first (linebreak.py); `break_burmese=False`
    prints it as WeasyPrint alone would, running off the page.
    """
    try:
        source = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher())
        if break_burmese:
            insert_burmese_breaks(source.etree_element)
        document = source.render(stylesheets=list(stylesheets(paper)), font_config=_font_config())
    except FatalURLFetchingError as exc:  # a BaseException: would escape `except Exception`
        raise PackBuildError(str(exc)) from exc
    return document.write_pdf(), len(document.pages)


# --- HTML ---------------------------------------------------------------------------------------


def pack_title(content) -> str:
    if isinstance(content, ClassContent):
        return f"{content.classroom.name}: {content.assignment.title}"
    if content.kind == Pack.Kind.LESSON:
        return content.target_page.title
    return content.module.title


def html_lang(language: str) -> str:
    """A Django language code as the BCP 47 tag HTML wants: zh-hans → zh-Hans, whose CJK
    glyph forms (Simplified) Pango and HarfBuzz pick by it."""
    return translation.to_locale(language).replace("_", "-")


def _context(content) -> dict:
    from .content import content_hash

    context = {
        "content": content,
        "pack_lang": html_lang(content.language),
        "pack_dir": "rtl" if translation.get_language_bidi() else "ltr",
        "print": True,
        "worksheet": False,
        "built_on": timezone.localdate(),
        "site_url": settings.SITE_URL.rstrip("/"),
        "pack_title": pack_title(content),
        "version": content_hash(content)[:10],
    }
    if isinstance(content, PageContent):
        context["ref_numbers"] = content.ref_numbers
        context["pack_has_quiz"] = bool(content.quizzes)
    return context


def render_html(content) -> str:
    """The pack's HTML document (lessons, worksheets, glossary, quiz sheet, ...), in the
    language of its content: headings, dates and the `lang` and `dir` of the document."""
    with translation.override(content.language):
        if isinstance(content, ClassContent):
            return render_to_string("packs/print/class_pack.html", _context(content))
        return render_to_string("packs/print/pack.html", _context(content))


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def render_pack(content) -> tuple[bytes, int]:
    """The finished file for any kind of pack, and its page count (PDF pages; zip: all)."""
    if isinstance(content, ZipContent):
        return _render_zip(content)
    assert isinstance(content, PageContent | ClassContent)
    return html_to_pdf(render_html(content), paper=content.paper)


def _render_zip(content: ZipContent) -> tuple[bytes, int]:
    """Every lesson's student pack in one zip; stored lesson packs are reused when current."""
    from .content import content_hash

    buffer, total = io.BytesIO(), 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, part in enumerate(content.parts(), start=1):
            stored = Pack.objects.filter(
                kind=Pack.Kind.LESSON,
                target=part.target,
                edition=part.edition,
                paper=part.paper,
                content_hash=content_hash(part),
                status=Pack.Status.READY,
            ).first()
            if stored is not None and stored.file:
                with stored.file.open("rb") as handle:
                    pdf = handle.read()
                pages = stored.page_count or page_count(pdf)
            else:
                pdf, pages = render_pack(part)
            total += pages
            name = f"{number:02d}-{part.target_page.slug}-{content.paper}.pdf"
            archive.writestr(name, pdf)  # PDFs are compressed already
    return buffer.getvalue(), total

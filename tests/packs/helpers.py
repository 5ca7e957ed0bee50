"""Reading built packs for real: pdftotext and pdffonts (poppler-utils), pypdf."""

from __future__ import annotations

import io
import subprocess
import tempfile

from pypdf import PdfReader

from reelearn.packs import services
from reelearn.packs.models import Pack


def build(captured, **kwargs) -> Pack:
    """Request a page pack and run its build as the on-commit enqueue would (eager Celery)."""
    with captured(execute=True):
        pack = services.page_pack_request(**kwargs)
    pack.refresh_from_db()
    return pack


def pdf_bytes(pack: Pack) -> bytes:
    with pack.file.open("rb") as handle:
        return handle.read()


def pdf_text(pack: Pack, data: bytes | None = None) -> str:
    """The PDF's text as pdftotext reads it, white space removed (line breaks can fall
    anywhere in a phrase; the words themselves stay in order)."""
    result = subprocess.run(
        ["pdftotext", "-", "-"], input=data or pdf_bytes(pack), capture_output=True, check=True
    )
    return "".join(result.stdout.decode().split())


def has(text: str, phrase: str) -> bool:
    """Whether the phrase is in the text, ignoring white space and case (headings may be
    set in capitals by the stylesheet)."""
    return "".join(phrase.split()).casefold() in text.casefold()


def pdf_fonts(pack: Pack) -> list[dict]:
    """pdffonts' table: one row per font with its name and whether it is embedded."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf_bytes(pack))
        handle.flush()
        result = subprocess.run(["pdffonts", handle.name], capture_output=True, check=True)
    rows = []
    for line in result.stdout.decode().splitlines()[2:]:
        parts = line.split()
        if parts:  # name, type…, encoding, emb, sub, uni, object id, generation
            rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4]})
    return rows


def pdf_reader(pack: Pack) -> PdfReader:
    return PdfReader(io.BytesIO(pdf_bytes(pack)))


def pdf_lines(data: bytes) -> list[dict]:
    """Every line of text as pdftotext -bbox-layout places it: its page's width, its left and
    right edges (points) and its words."""
    import xml.etree.ElementTree as ET

    result = subprocess.run(
        ["pdftotext", "-bbox-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(result.stdout.decode())  # noqa: S314 - pdftotext's output, not a user's
    lines = []
    for page in root.iterfind(".//x:page", ns):
        for line in page.iterfind(".//x:line", ns):
            words = [w.text or "" for w in line.iterfind("x:word", ns)]
            lines.append(
                {
                    "page_width": float(page.get("width")),
                    "left": float(line.get("xMin")),
                    "right": float(line.get("xMax")),
                    "text": " ".join(words),
                }
            )
    return lines

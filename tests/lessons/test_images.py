"""The curriculum's pictures: legible on a phone and in print, and described for readers who cannot
see them.

Every label must be at least 12 px tall when the SVG is drawn at a 358 px content width (a 390 px
phone; print at about 170 mm is wider), so font-size x 358 / viewBox width >= 12. Font sizes are
worked out as a browser would: inherited from parent elements, then the presentation attribute,
then rules in the SVG's own <style> (element, then class selectors), then an inline style.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
import yaml
from defusedxml.ElementTree import parse

from reelearn.curriculum.loader import CURRICULUM_DIR

IMAGES_DIR = CURRICULUM_DIR / "images"
SVGS = sorted(IMAGES_DIR.glob("*.svg"))
ENTRIES = yaml.safe_load((CURRICULUM_DIR / "images.yaml").read_text(encoding="utf-8")) or []
CONTENT_WIDTH = 358  # px: a 390 px phone less the page's side padding
MIN_PX = 12
SVG_NS = "{http://www.w3.org/2000/svg}"
DEFAULT_FONT_SIZE = 16.0  # px, the browser default when nothing sets one


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def css_rules(root: Element) -> list[tuple[tuple[int, int], str | None, str | None, str]]:
    """(specificity, element, class, font-size) for each simple selector in <style> blocks."""
    rules = []
    for style in root.iter(f"{SVG_NS}style"):
        css = re.sub(r"/\*.*?\*/", "", style.text or "", flags=re.S)
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
            size = re.search(r"font-size\s*:\s*([^;]+)", body)
            if not size:
                continue
            for selector in selectors.split(","):
                selector = selector.strip()
                match = re.fullmatch(r"([a-zA-Z*]+)?((?:\.[\w-]+)*)", selector)
                assert match, f"unsupported CSS selector {selector!r}: keep picture CSS simple"
                element = match[1] if match[1] and match[1] != "*" else None
                classes = match[2].split(".")[1:]
                specificity = (len(classes), 1 if element else 0)
                rules.append((specificity, element, ".".join(classes) or None, size[1].strip()))
    return sorted(rules, key=lambda rule: rule[0])


def to_px(value: str, parent: float) -> float:
    value = value.strip().removesuffix("!important").strip()
    number = re.match(r"[\d.]+", value)
    assert number, f"unreadable font-size {value!r}"
    size = float(number[0])
    unit = value[number.end() :].strip()
    return {
        "": size,
        "px": size,
        "pt": size * 4 / 3,
        "em": size * parent,
        "rem": size * DEFAULT_FONT_SIZE,
        "%": size * parent / 100,
    }[unit]


def font_sizes(path: Path) -> tuple[float, list[tuple[str, float]]]:
    """The viewBox width and (text, font-size in user units) for every text and tspan."""
    root = parse(path).getroot()
    box = (root.get("viewBox") or "").replace(",", " ").split()
    assert len(box) == 4, f"{path.name}: the <svg> needs a viewBox"
    rules = css_rules(root)
    found: list[tuple[str, float]] = []

    def walk(element: Element, inherited: float) -> None:
        tag = local(element.tag)
        size = inherited
        if element.get("font-size"):
            size = to_px(element.get("font-size"), inherited)
        classes = set((element.get("class") or "").split())
        for _specificity, rule_element, rule_classes, value in rules:
            if rule_element and rule_element != tag:
                continue
            if rule_classes and not set(rule_classes.split(".")) <= classes:
                continue
            size = to_px(value, inherited)
        inline = re.search(r"font-size\s*:\s*([^;]+)", element.get("style") or "")
        if inline:
            size = to_px(inline[1], inherited)
        if tag in {"text", "tspan", "textPath"} and (element.text or "").strip():
            found.append((element.text.strip(), size))
        for child in element:
            walk(child, size)

    walk(root, DEFAULT_FONT_SIZE)
    return float(box[2]), found


def test_the_font_size_parser_inherits_and_applies_css(tmp_path):
    svg = tmp_path / "x.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 716 100">'
        "<style>text{font-size:30px} .small{font-size:20px}</style>"
        '<g font-size="10"><text>css wins</text><text class="small">class'
        '<tspan font-size="2em">em</tspan></text>'
        '<text style="font-size:12px">inline</text></g></svg>',
        encoding="utf-8",
    )
    width, sizes = font_sizes(svg)
    assert width == 716
    assert sizes == [("css wins", 30), ("class", 20), ("em", 40), ("inline", 12)]


@pytest.mark.parametrize("path", SVGS, ids=[p.name for p in SVGS])
def test_every_label_is_at_least_12px_on_a_phone(path):
    width, sizes = font_sizes(path)
    assert sizes, f"{path.name} has no text"
    too_small = [
        (text, round(size * CONTENT_WIDTH / width, 1))
        for text, size in sizes
        if size * CONTENT_WIDTH / width < MIN_PX
    ]
    assert not too_small, (
        f"{path.name}: viewBox {width:g} wide, so these labels render under {MIN_PX} px "
        f"at {CONTENT_WIDTH} px: {too_small[:8]}"
    )


@pytest.mark.parametrize("path", SVGS, ids=[p.name for p in SVGS])
def test_every_svg_is_an_accessible_image(path):
    root = parse(path).getroot()
    assert root.get("role") == "img", f"{path.name}: <svg> needs role=img"
    title = root.find(f"{SVG_NS}title")
    assert title is not None and (title.text or "").strip(), f"{path.name}: needs a <title>"
    assert path.stat().st_size <= 60_000, f"{path.name} is over 60 KB"


def test_every_svg_has_an_images_yaml_entry_and_every_entry_a_file():
    files = {entry["file"] for entry in ENTRIES}
    assert files >= {p.name for p in SVGS}, "SVGs without an images.yaml entry"
    assert {f for f in files if not (IMAGES_DIR / f).exists()} == set()
    keys = [entry["key"] for entry in ENTRIES]
    assert len(keys) == len(set(keys)), "duplicate image keys"


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["key"] for e in ENTRIES])
def test_every_image_says_what_it_means_and_has_a_text_version(entry):
    for field in ("key", "file", "title", "alt", "text", "credit", "licence"):
        assert str(entry.get(field) or "").strip(), f"{entry['key']}: missing {field}"
    alt = " ".join(str(entry["alt"]).split())
    assert len(alt) >= 40, f"{entry['key']}: alt text too short to say what the picture means"
    assert not re.match(r"(an? )?(image|picture|photo|diagram) of\b", alt, re.I), (
        f"{entry['key']}: alt text should say what the picture means, not 'An image of'"
    )
    text = " ".join(str(entry["text"]).split())
    assert len(text) >= len(alt) * 0.5 and re.search(r"[.!?]$", text), (
        f"{entry['key']}: the text version should say in full sentences what the picture shows"
    )

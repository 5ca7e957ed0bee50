"""Charts drawn for a phone first (issue 21 §1): 360 units wide with 14-unit text, so labels
render at 14 px in a 358 px column; long category names wrap, never cut off; every value is in
the picture and in its description for screen readers."""

from __future__ import annotations

import re
from decimal import Decimal

from lessons.charts import FONT, WIDTH, chart_svg

ROWS = [
    ("Rare earth mixtures with carbonates", Decimal(71)),
    ("Main rare earth oxides", Decimal(90)),
    ("Rare earth compounds", Decimal(94)),
]


def words_in(svg: str) -> str:
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_bar_chart_labels_wrap_and_read_at_14_px_on_a_phone():
    svg = chart_svg("Myanmar's share", "bar", "% of China's imports", ROWS)
    assert f'viewBox="0 0 {WIDTH} ' in svg and f'font-size="{FONT}"' in svg
    assert FONT * 358 / WIDTH >= 12
    text = words_in(svg)
    for label, value in ROWS:
        assert all(word in text for word in label.split()), label  # wrapped, not cut
        assert str(value) in text
    # Every text starts inside the drawing (nothing pushed off its left edge).
    assert all(float(x) >= 0 for x in re.findall(r'<text x="([-\d.]+)"', svg))
    assert "Rare earth mixtures with carbonates: 71 % of China" in svg  # <desc>


def test_line_chart_keeps_its_values_and_labels():
    rows = [("2023", Decimal(100)), ("2030", Decimal(190)), ("2050", Decimal(300))]
    svg = chart_svg("Magnet demand", "line", "index", rows)
    text = words_in(svg)
    assert all(year in text for year, _ in rows) and "300" in text
    assert f'viewBox="0 0 {WIDTH} ' in svg

"""Server-side SVG charts: no JavaScript, readable in print and by screen readers (the data table
is always rendered next to the chart)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Drawn for a phone first: 360 units wide, text 14 units, so labels render at 14 px in a
# 358 px column and no smaller in print (tests/lessons/test_charts.py). Bars run sideways with
# their label above them, so long category names wrap instead of being cut off.
WIDTH = 360
FONT = 14
BAR_ROW, BAR_H = 30, 18  # a bar's row under its label lines, and the bar's thickness
LINE_H = 17  # one line of label text
LEFT, RIGHT = 8, 8
LINE_HEIGHT_PLOT, LINE_LEFT, LINE_BOTTOM = 200, 46, 40


def _wrap(text: str, width: int = 38) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines or [""]


def _fmt(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}".rstrip("0")


def _ticks(maximum: Decimal) -> list[Decimal]:
    if maximum <= 0:
        return [Decimal(0)]
    raw = maximum / 4
    magnitude = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal("0.01")
    step = next(
        Decimal(m) * magnitude
        for m in ("1", "2", "2.5", "5", "10")
        if Decimal(m) * magnitude >= raw
    )
    return [step * i for i in range(int(maximum / step) + 2)]


def chart_svg(title: str, kind: str, unit: str, rows: list[tuple[str, Decimal]]) -> str:
    if not rows:
        return ""
    if kind == "line":
        return _line_svg(title, unit, rows)
    return _bar_svg(title, unit, rows)


def _open(uid: str, title: str, unit: str, rows, height: float) -> str:
    desc = "; ".join(f"{label}: {_fmt(v)} {unit}" for label, v in rows)
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="c{uid}t c{uid}d" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{FONT}">'
        f'<title id="c{uid}t">{escape(title)}</title><desc id="c{uid}d">{escape(desc)}</desc>'
    )


def _bar_svg(title: str, unit: str, rows) -> str:
    """One row per category: its label (wrapped), then a bar with its value at the end."""
    uid = uuid.uuid4().hex[:8]
    top_value = max([v for _, v in rows] + [Decimal(0)]) or Decimal(1)
    value_room = FONT * 0.6 * max(len(_fmt(v)) for _, v in rows) + 8
    plot_w = WIDTH - LEFT - RIGHT - value_room
    parts, y = [], 22.0
    parts.append(
        f'<text x="{LEFT}" y="{FONT}" class="chart-unit" font-style="italic">{escape(unit)}</text>'
    )
    for label, value in rows:
        for line in _wrap(str(label)):
            y += LINE_H
            parts.append(f'<text x="{LEFT}" y="{y:.1f}" class="chart-label">{escape(line)}</text>')
        width = max(float(value / top_value) * plot_w, 1.5)
        y += 6
        parts.append(
            f'<rect x="{LEFT}" y="{y:.1f}" width="{width:.1f}" height="{BAR_H}" '
            f'class="chart-bar" fill="#0b6e4f" stroke="#1b1f24"/>'
            f'<text x="{LEFT + width + 6:.1f}" y="{y + BAR_H - 4:.1f}" class="chart-value" '
            f'font-weight="700">{_fmt(value)}</text>'
        )
        y += BAR_ROW - 6
    parts.append(
        f'<line x1="{LEFT}" x2="{LEFT}" y1="24" y2="{y:.1f}" class="chart-axis" '
        f'stroke="#1b1f24"/></svg>'
    )
    return mark_safe(_open(uid, title, unit, rows, y + 8) + "".join(parts))  # noqa: S308


def _line_svg(title: str, unit: str, rows) -> str:
    """A line over time: points labelled with their values, the x labels under the axis."""
    uid = uuid.uuid4().hex[:8]
    ticks = _ticks(max(v for _, v in rows))
    top_value = ticks[-1] or Decimal(1)
    top = 30
    plot_w = WIDTH - LINE_LEFT - RIGHT - 10
    base = top + LINE_HEIGHT_PLOT
    slot = plot_w / len(rows)
    every = 1 if len(rows) <= 6 else 2

    def y(value: Decimal) -> float:
        return base - float(value / top_value) * LINE_HEIGHT_PLOT

    parts = [
        f'<text x="{LEFT}" y="{FONT}" class="chart-unit" font-style="italic">{escape(unit)}</text>'
    ]
    for tick in ticks:
        ty = y(tick)
        parts.append(
            f'<line x1="{LINE_LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'class="chart-grid" stroke="#dde3df"/>'
            f'<text x="{LINE_LEFT - 6}" y="{ty + 5:.1f}" class="chart-tick" '
            f'text-anchor="end">{_fmt(tick)}</text>'
        )
    points = []
    for i, (label, value) in enumerate(rows):
        cx, vy = LINE_LEFT + slot * i + slot / 2, y(value)
        points.append(f"{cx:.1f},{vy:.1f}")
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{vy:.1f}" r="4" class="chart-dot"/>'
            f'<text x="{cx:.1f}" y="{vy - 8:.1f}" class="chart-value" '
            f'text-anchor="middle">{_fmt(value)}</text>'
        )
        if i % every == 0:
            parts.append(
                f'<text x="{cx:.1f}" y="{base + 20}" class="chart-label" '
                f'text-anchor="middle">{escape(str(label))}</text>'
            )
    parts.append(
        f'<polyline points="{" ".join(points)}" class="chart-line" fill="none" '
        f'stroke="#0b6e4f" stroke-width="3"/>'
        f'<line x1="{LINE_LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" '
        f'class="chart-axis" stroke="#1b1f24"/></svg>'
    )
    height = base + LINE_BOTTOM
    return mark_safe(_open(uid, title, unit, rows, height) + "".join(parts))  # noqa: S308

"""Server-side SVG charts: no JavaScript, readable in print and by screen readers (the data table
is always rendered next to the chart)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 80


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
    uid = uuid.uuid4().hex[:8]
    ticks = _ticks(max(v for _, v in rows))
    top_value = ticks[-1] or Decimal(1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    slot = plot_w / len(rows)

    def y(value: Decimal) -> float:
        return base - float(value / top_value) * plot_h

    desc = "; ".join(f"{label}: {_fmt(v)} {unit}" for label, v in rows)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="c{uid}t c{uid}d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="c{uid}t">{escape(title)}</title><desc id="c{uid}d">{escape(desc)}</desc>'
    ]
    for tick in ticks:
        ty = y(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'class="chart-grid" stroke="#dde3df"/>'
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" class="chart-tick" '
            f'text-anchor="end">{_fmt(tick)}</text>'
        )
    points = []
    for i, (label, value) in enumerate(rows):
        cx, vy = LEFT + slot * i + slot / 2, y(value)
        if kind == "line":
            points.append(f"{cx:.1f},{vy:.1f}")
            parts.append(f'<circle cx="{cx:.1f}" cy="{vy:.1f}" r="4" class="chart-dot"/>')
        else:
            bar_w = slot * 0.6
            parts.append(
                f'<rect x="{cx - bar_w / 2:.1f}" y="{vy:.1f}" width="{bar_w:.1f}" '
                f'height="{base - vy:.1f}" class="chart-bar" fill="#0b6e4f" stroke="#1b1f24"/>'
            )
        parts.append(
            f'<text x="{cx:.1f}" y="{vy - 6:.1f}" class="chart-value" '
            f'text-anchor="middle">{_fmt(value)}</text>'
            f'<text x="{cx:.1f}" y="{base + 16}" class="chart-label" text-anchor="end" '
            f'transform="rotate(-30 {cx:.1f} {base + 16})">{escape(label)}</text>'
        )
    if points:
        parts.append(
            f'<polyline points="{" ".join(points)}" class="chart-line" fill="none" '
            f'stroke="#0b6e4f" stroke-width="3"/>'
        )
    mid = TOP + plot_h / 2
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" class="chart-axis" '
        f'stroke="#1b1f24"/><text x="14" y="{mid}" class="chart-unit" '
        f'transform="rotate(-90 14 {mid})" text-anchor="middle">{escape(unit)}</text></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text value is escaped above

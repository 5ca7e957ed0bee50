"""Draw the Kachin–Yunnan locator map from Natural Earth boundaries.

Data: Natural Earth 1:50m admin-0 countries (public domain), as TopoJSON from the npm package
`world-atlas` 2.0.2 (ISC licence), installed next to this script:

    cd tools/maps && npm install        # reads package.json; node_modules/ is not committed
    python tools/maps/draw_locator_map.py

What the script does: decodes the TopoJSON arcs; takes the country borders from the arcs that two
countries share (so borders are drawn once, exactly where the data puts them); projects longitude
and latitude with a simple equirectangular projection centred on the map (x scaled by cos of the
centre latitude, fine for a region a few degrees across); clips to the map frame; simplifies with
Douglas-Peucker; and writes a small, hand-styled SVG with labels at least 13 units tall in a
360-unit-wide viewBox (12 px or more on a 390 px phone).

Natural Earth's admin-1 (states and provinces) is not in `world-atlas`, so Kachin State and Yunnan
are drawn from a few hand-picked approximate points, clipped to their country, and marked
"approximate". Rivers, the mining areas and town positions are approximate too; no boundary is
copied from any other map.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATA = HERE / "node_modules" / "world-atlas" / "countries-50m.json"
OUT = ROOT / "lessons" / "curriculum" / "images" / "kachin-locator-map.svg"

WIDTH = 360
COUNTRIES = {
    "104": "Myanmar",
    "156": "China",
    "356": "India",
    "050": "Bangladesh",
    "064": "Bhutan",
    "418": "Laos",
    "764": "Thailand",
    "704": "Vietnam",
    "524": "Nepal",
}

# Approximate outlines, (longitude, latitude). Each runs along the state or province's inner
# boundary and then loops well outside its country, so clipping to the country leaves the
# international border to the Natural Earth data and only the inner line to these points.
KACHIN_APPROX = [
    (96.55, 27.35), (96.15, 26.85), (95.95, 26.2), (95.9, 25.55), (96.1, 25.0), (96.4, 24.55),
    (96.75, 24.0), (97.05, 23.7), (97.35, 23.95), (97.6, 24.15),
    (100.5, 24.15), (100.5, 30.0), (95.0, 30.0), (95.0, 27.8),
]  # fmt: skip
YUNNAN_APPROX = [
    (98.2, 28.3), (98.65, 28.85), (99.05, 29.25), (99.35, 28.65), (99.95, 28.2), (100.45, 27.85),
    (100.95, 27.75), (101.25, 27.0), (101.55, 26.35), (102.25, 26.25), (102.9, 26.45),
    (103.1, 27.2), (103.5, 28.15), (104.2, 28.6), (104.45, 27.95), (104.3, 27.2), (104.45, 26.2),
    (104.55, 24.8), (105.25, 24.55), (106.2, 24.1), (105.95, 23.0),
    (106.5, 18.0), (94.0, 18.0), (94.0, 28.3),
]  # fmt: skip
# Rivers, hand-placed approximate courses (N'Mai and Mali join to make the Irrawaddy).
RIVERS = {
    "nmai": [(98.35, 28.6), (98.2, 27.6), (98.05, 26.8), (98.1, 26.3), (98.05, 25.95),
             (97.85, 25.8), (97.52, 25.72)],
    "mali": [(97.55, 28.6), (97.45, 27.6), (97.35, 26.9), (97.45, 26.2), (97.52, 25.72)],
    "irrawaddy": [(97.52, 25.72), (97.4, 25.4), (97.28, 24.95), (97.25, 24.5), (97.2, 24.27),
                  (96.85, 24.2), (96.6, 23.9), (96.4, 23.5)],
}  # fmt: skip
# Rare earth mining areas, approximate: around Pangwa and Chipwi (Kachin Special Region 1),
# and the newer spread in Momauk township. Ellipses: centre lon, lat, radius lon, lat, tilt.
MINING_APPROX = [(98.27, 25.93, 0.25, 0.13, -20), (97.6, 24.42, 0.16, 0.11, 0)]
# Town positions, approximate (only places the lessons name). kind: capital | town | border-town.
PLACES = [
    # name, lon, lat, kind, label dx, dy, anchor
    ("Myitkyina", 97.395, 25.383, "capital", -8, 4, "end"),
    ("Chipwi", 98.13, 25.87, "town", -8, 4, "end"),
    ("Pangwa", 98.4, 25.98, "border-town", 0, -12, "middle"),
    ("Kanpaiti", 98.17, 25.34, "border-town", -8, 4, "end"),
    ("Momauk", 97.355, 24.26, "town", -8, 4, "end"),
    ("Tengchong", 98.49, 25.02, "town", 8, 5, "start"),
    ("Ruili", 97.85, 24.01, "border-town", 8, 15, "start"),
]


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def arc_points(arcs, index: int):
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring_points(arcs, ring: list[int]):
    points = []
    for index in ring:
        part = arc_points(arcs, index)
        points.extend(part[1:] if points else part)
    return points


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


class Frame:
    """A map frame: lon/lat box drawn at `width` units, top-left at (x0, y0)."""

    def __init__(self, lon_min, lon_max, lat_min, lat_max, x0, y0, width):
        self.lon_min, self.lon_max, self.lat_min, self.lat_max = lon_min, lon_max, lat_min, lat_max
        self.k = math.cos(math.radians((lat_min + lat_max) / 2))
        self.scale = width / ((lon_max - lon_min) * self.k)
        self.x0, self.y0, self.width = x0, y0, width
        self.height = (lat_max - lat_min) * self.scale

    def xy(self, lon, lat):
        return (
            self.x0 + (lon - self.lon_min) * self.k * self.scale,
            self.y0 + (self.lat_max - lat) * self.scale,
        )

    def box(self, margin=6.0):
        return (
            self.x0 - margin,
            self.y0 - margin,
            self.x0 + self.width + margin,
            self.y0 + self.height + margin,
        )

    def km(self, kilometres):
        return kilometres / 111.32 * self.scale


def clip_polygon(points, box):
    """Sutherland-Hodgman: clip a closed ring to an axis-aligned box."""
    x_min, y_min, x_max, y_max = box
    edges = [
        (lambda p: p[0] >= x_min, lambda a, b: _cross_x(a, b, x_min)),
        (lambda p: p[0] <= x_max, lambda a, b: _cross_x(a, b, x_max)),
        (lambda p: p[1] >= y_min, lambda a, b: _cross_y(a, b, y_min)),
        (lambda p: p[1] <= y_max, lambda a, b: _cross_y(a, b, y_max)),
    ]
    for inside, cross in edges:
        if not points:
            break
        result = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(cross(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cross(previous, point))
            previous = point
        points = result
    return points


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def clip_line(points, box):
    """Split a polyline into the runs that lie inside the box (points outside are dropped)."""
    x_min, y_min, x_max, y_max = box
    runs, run = [], []
    for x, y in points:
        if x_min <= x <= x_max and y_min <= y <= y_max:
            run.append((x, y))
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return [r for r in runs if len(r) > 1]


def simplify(points, tolerance):
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay) or 1e-9
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def path_d(points, close=False):
    if len(points) < 2:
        return ""
    parts = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    parts += [f"L{x:.1f},{y:.1f}" for x, y in points[1:]]
    return "".join(parts) + ("Z" if close else "")


class Map:
    def __init__(self, topo):
        self.arcs = decode_arcs(topo)
        self.shapes = {}
        users: dict[int, set[str]] = {}
        for geometry in topo["objects"]["countries"]["geometries"]:
            gid = str(geometry.get("id"))
            if gid not in COUNTRIES:
                continue
            self.shapes[COUNTRIES[gid]] = polygons(geometry)
            for polygon in polygons(geometry):
                for ring in polygon:
                    for index in ring:
                        users.setdefault(index if index >= 0 else ~index, set()).add(gid)
        self.border_arcs = [i for i, who in users.items() if len(who) > 1]

    def country_d(self, name, frame, tolerance):
        box = frame.box()
        pieces = []
        for polygon in self.shapes[name]:
            for ring in polygon:
                projected = [frame.xy(lon, lat) for lon, lat in ring_points(self.arcs, ring)]
                clipped = simplify(clip_polygon(projected, box), tolerance)
                if len(clipped) > 2:
                    pieces.append(path_d(clipped, close=True))
        return "".join(pieces)

    def borders_d(self, frame, tolerance):
        box = frame.box()
        pieces = []
        for index in self.border_arcs:
            projected = [frame.xy(lon, lat) for lon, lat in self.arcs[index]]
            for run in clip_line(projected, box):
                pieces.append(path_d(simplify(run, tolerance)))
        return "".join(pieces)


def hand_d(points, frame, close=True):
    return path_d([frame.xy(lon, lat) for lon, lat in points], close=close)


def ellipse_d(frame, lon, lat, rx, ry, tilt):
    points = []
    for step in range(24):
        a = 2 * math.pi * step / 24
        dx, dy = rx * math.cos(a), ry * math.sin(a)
        t = math.radians(tilt)
        points.append(
            (lon + dx * math.cos(t) - dy * math.sin(t), lat + dx * math.sin(t) + dy * math.cos(t))
        )
    return hand_d(points, frame)


def label(x, y, text, cls="lbl", anchor="start"):
    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text class="{cls}" x="{x:.0f}" y="{y:.0f}"{anchor_attr}>{text}</text>'


def build(topo) -> str:
    world = Map(topo)
    top = 64
    main = Frame(95.9, 99.9, 23.5, 28.6, 0, top, WIDTH)
    inset_top = top + main.height + 14
    inset = Frame(88.0, 109.0, 8.0, 31.0, 0, inset_top + 20, 168)
    height = inset.y0 + inset.height + 58

    out = []
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img" aria-labelledby="lm-title lm-desc">'
    )
    out.append(
        '<title id="lm-title">Locator map: Kachin State in Myanmar, Yunnan in China, '
        "and the border towns in the lessons</title>"
    )
    out.append(
        '<desc id="lm-desc">A map of northern Myanmar and south-west China. Kachin State, the '
        "northernmost state of Myanmar, lies along the border with Yunnan Province of China. "
        "Myitkyina, the state capital, is on the Irrawaddy River. The main rare earth mining area "
        "is around Chipwi and Pangwa, near the border, north-east of Myitkyina; a smaller area is "
        "in Momauk township further south. Border crossings near Pangwa, Kanpaiti and Ruili lead "
        "into Yunnan, towards Tengchong. A small inset shows where the map lies in Asia. State and "
        "province lines, rivers, mining areas and town positions are approximate.</desc>"
    )
    out.append(
        "<style>"
        "text{font-family:'Segoe UI',Arial,Helvetica,sans-serif;fill:#1a1a1a;font-size:14px}"
        ".h{font-size:18px;font-weight:700}.sub{font-size:13px;fill:#333}"
        # No white halo (paint-order: stroke): WeasyPrint paints the stroke over the letters,
        # so printed labels vanished; the fills are pale enough to read dark text on.
        ".lbl{font-size:14px}"
        ".town{font-weight:700}"
        ".cty{font-size:15px;font-weight:700;letter-spacing:1.5px;fill:#333}"
        ".area{font-size:13px;font-style:italic}"
        ".riv{font-size:13px;font-style:italic;fill:#1c4f8a}"
        ".key{font-size:13px}.note{font-size:13px;fill:#333}"
        ".sm{font-size:13px}"
        "</style>"
    )
    out.append(
        "<defs>"
        '<pattern id="lm-kachin" width="9" height="9" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="9" height="9" fill="#f4ecd8"/>'
        '<path d="M0,0V9" stroke="#c9a96a" stroke-width="2"/></pattern>'
        '<pattern id="lm-yunnan" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="#e4ecf2"/><circle cx="4" cy="4" r="1.3" fill="#7f9bb3"/>'
        "</pattern>"
        '<pattern id="lm-mine" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#fff"/>'
        '<path d="M0,6L6,0M-1,1L1,-1M5,7L7,5M0,0L6,6" stroke="#7a3b12" stroke-width="1.4"/>'
        "</pattern>"
    )
    for name, frame in (("main", main), ("inset", inset)):
        out.append(
            f'<clipPath id="lm-{name}-frame"><rect x="{frame.x0}" y="{frame.y0:.1f}" '
            f'width="{frame.width}" height="{frame.height:.1f}"/></clipPath>'
        )
        for country in ("Myanmar", "China"):
            out.append(
                f'<clipPath id="lm-{name}-{country.lower()}">'
                f'<path d="{world.country_d(country, frame, 0.6)}"/></clipPath>'
            )
    out.append("</defs>")

    # Heading
    out.append(label(0, 20, "Kachin State and Yunnan", "h"))
    out.append(label(0, 39, "Where the lessons’ places are. Approximate", "sub"))
    out.append(label(0, 55, "positions; not for finding your way.", "sub"))

    def draw_frame(frame, name, tolerance, detail):
        g = [f'<g clip-path="url(#lm-{name}-frame)">']
        g.append(
            f'<rect x="{frame.x0}" y="{frame.y0:.1f}" width="{frame.width}" '
            f'height="{frame.height:.1f}" fill="#d6e6f2"/>'
        )
        for country in COUNTRIES.values():
            d = world.country_d(country, frame, tolerance)
            if d:
                fill = {"Myanmar": "#fbf6ea", "China": "#f1f4f7"}.get(country, "#f3f3f0")
                g.append(f'<path d="{d}" fill="{fill}" stroke="#8a8a8a" stroke-width="0.6"/>')
        g.append(
            f'<path d="{hand_d(KACHIN_APPROX, frame)}" fill="url(#lm-kachin)" '
            f'stroke="#7a5a1e" stroke-width="1.6" stroke-dasharray="5 3" '
            f'clip-path="url(#lm-{name}-myanmar)"/>'
        )
        g.append(
            f'<path d="{hand_d(YUNNAN_APPROX, frame)}" fill="url(#lm-yunnan)" '
            f'stroke="#2f5575" stroke-width="1.6" stroke-dasharray="5 3" '
            f'clip-path="url(#lm-{name}-china)"/>'
        )
        if detail:
            for course in RIVERS.values():
                g.append(
                    f'<path d="{hand_d(course, frame, close=False)}" fill="none" '
                    'stroke="#2b6cb0" stroke-width="2.2" stroke-linejoin="round" '
                    f'clip-path="url(#lm-{name}-myanmar)"/>'
                )
            for lon, lat, rx, ry, tilt in MINING_APPROX:
                g.append(
                    f'<path d="{ellipse_d(frame, lon, lat, rx, ry, tilt)}" fill="url(#lm-mine)" '
                    f'stroke="#7a3b12" stroke-width="1.5" clip-path="url(#lm-{name}-myanmar)"/>'
                )
        g.append(
            f'<path d="{world.borders_d(frame, tolerance)}" fill="none" stroke="#1a1a1a" '
            f'stroke-width="{2.2 if detail else 1.4}" stroke-dasharray="8 3 2 3"/>'
        )
        g.append("</g>")
        g.append(
            f'<rect x="{frame.x0 + 0.75}" y="{frame.y0 + 0.75:.1f}" width="{frame.width - 1.5}" '
            f'height="{frame.height - 1.5:.1f}" fill="none" stroke="#555" stroke-width="1.5"/>'
        )
        return g

    out += draw_frame(main, "main", 0.5, True)

    # Main map labels
    def at(frame, lon, lat, dx=0, dy=0):
        x, y = frame.xy(lon, lat)
        return x + dx, y + dy

    out.append(label(*at(main, 96.05, 27.35), "INDIA", "lbl cty"))
    out.append(label(*at(main, 96.0, 23.8), "MYANMAR", "lbl cty"))
    out.append(label(*at(main, 99.75, 27.2), "CHINA", "lbl cty", "end"))
    out.append(label(*at(main, 96.1, 27.0), "KACHIN STATE", "lbl town"))
    out.append(label(*at(main, 96.1, 27.0, 0, 16), "(Myanmar)", "lbl area"))
    out.append(label(*at(main, 99.75, 26.55), "YUNNAN", "lbl town", "end"))
    out.append(label(*at(main, 99.75, 26.55, 0, 16), "province (China)", "lbl area", "end"))
    out.append(label(*at(main, 97.47, 26.45, 5), "Mali", "lbl riv"))
    out.append(label(*at(main, 98.12, 27.0, 6), "N’Mai", "lbl riv"))
    out.append(label(*at(main, 97.2, 24.9, -5), "Irrawaddy", "lbl riv", "end"))
    out.append(label(*at(main, 98.72, 24.35), "border", "lbl area"))
    out.append(label(*at(main, 98.72, 24.35, 0, 15), "Myanmar | China", "lbl area"))

    for name, lon, lat, kind, dx, dy, anchor in PLACES:
        x, y = main.xy(lon, lat)
        if kind == "capital":
            out.append(
                f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="#1a1a1a" '
                'stroke="#fff" stroke-width="1.5"/>'
            )
        elif kind == "border-town":
            out.append(
                f'<path d="M{x:.1f},{y - 6.5:.1f}l6.5,6.5l-6.5,6.5l-6.5,-6.5Z" fill="#fff" '
                'stroke="#1a1a1a" stroke-width="2.2"/>'
            )
        else:
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="#1a1a1a" stroke="#fff" '
                'stroke-width="1.5"/>'
            )
        out.append(label(x + dx, y + dy, name, "lbl town", anchor))

    # Scale bar and north arrow, inside the main map, bottom right
    bar = main.km(50)
    bx, by = main.x0 + main.width - 14 - bar, main.y0 + main.height - 14
    out.append(
        f'<path d="M{bx:.1f},{by - 5:.1f}V{by:.1f}H{bx + bar:.1f}V{by - 5:.1f}" fill="none" '
        'stroke="#1a1a1a" stroke-width="2"/>'
    )
    out.append(label(bx + bar, by - 9, "50 km", "lbl sm", "end"))
    nx, ny = main.x0 + main.width - 22, main.y0 + 16
    out.append(f'<path d="M{nx},{ny}l7,20l-7,-5l-7,5Z" fill="#1a1a1a"/>')
    out.append(label(nx, ny + 36, "N", "lbl town", "middle"))

    # Inset
    out.append(label(0, inset_top + 14, "Where the map is", "town"))
    out += draw_frame(inset, "inset", 0.4, False)
    x1, y1 = inset.xy(main.lon_min, main.lat_max)
    x2, y2 = inset.xy(main.lon_max, main.lat_min)
    out.append(
        f'<rect x="{x1:.1f}" y="{y1:.1f}" width="{x2 - x1:.1f}" height="{y2 - y1:.1f}" '
        'fill="none" stroke="#b3120f" stroke-width="2.5"/>'
    )
    out.append(label(*at(inset, 94.0, 18.5, -2), "MYANMAR", "lbl sm town", "middle"))
    out.append(label(*at(inset, 103.5, 29.3), "CHINA", "lbl sm town", "middle"))
    out.append(label(*at(inset, 89.2, 23.5), "INDIA", "lbl sm town"))
    out.append(label(*at(inset, 101.4, 23.0, 2), "Yunnan", "lbl sm area"))
    kx, ky = inset.xy(102.71, 25.04)
    out.append(f'<circle cx="{kx:.1f}" cy="{ky:.1f}" r="3.5" fill="#1a1a1a"/>')
    out.append(label(kx, ky - 7, "Kunming", "lbl sm", "middle"))

    # Key, right of the inset
    kx0, ky0 = 180, inset_top + 14
    out.append(label(kx0, ky0, "Key", "town"))
    rows = [
        ('<rect x="{x}" y="{y}" width="10" height="10" fill="#1a1a1a"/>', "state capital"),
        ('<circle cx="{cx}" cy="{cy}" r="4.5" fill="#1a1a1a"/>', "town"),
        (
            '<path d="M{cx},{y0}l6,6l-6,6l-6,-6Z" fill="#fff" stroke="#1a1a1a" stroke-width="2"/>',
            "border town",
        ),
        (
            '<path d="M{x0},{cy}h22" stroke="#1a1a1a" stroke-width="2.2" '
            'stroke-dasharray="8 3 2 3"/>',
            "country border",
        ),
        (
            '<rect x="{x0}" y="{y0}" width="22" height="13" fill="url(#lm-kachin)" '
            'stroke="#7a5a1e" stroke-dasharray="5 3"/>',
            "Kachin State*",
        ),
        (
            '<rect x="{x0}" y="{y0}" width="22" height="13" fill="url(#lm-yunnan)" '
            'stroke="#2f5575" stroke-dasharray="5 3"/>',
            "Yunnan*",
        ),
        (
            '<rect x="{x0}" y="{y0}" width="22" height="13" fill="url(#lm-mine)" '
            'stroke="#7a3b12" stroke-width="1.5"/>',
            "rare earth mining*",
        ),
        ('<path d="M{x0},{cy}h22" stroke="#2b6cb0" stroke-width="2.2"/>', "river*"),
    ]
    for i, (symbol, text) in enumerate(rows):
        y = ky0 + 12 + i * 21
        cx, cy = kx0 + 11, y + 6.5
        out.append(symbol.format(x=cx - 5, y=cy - 5, cx=cx, cy=cy, x0=kx0, y0=y))
        out.append(label(kx0 + 30, y + 11, text, "key"))
    out.append(label(kx0, ky0 + 12 + len(rows) * 21 + 8, "* approximate", "key"))

    # Source line
    sy = inset.y0 + inset.height + 20
    out.append(label(0, sy, "Country borders: Natural Earth 1:50m (public", "note"))
    out.append(label(0, sy + 16, "domain), from the world-atlas package. Lines", "note"))
    out.append(label(0, sy + 32, "marked * drawn by hand, approximate.", "note"))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main() -> None:
    topo = json.loads(DATA.read_text(encoding="utf-8"))
    svg = build(topo)
    OUT.write_text(svg, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(svg.encode()) / 1024:.1f} KB)")


if __name__ == "__main__":
    main()

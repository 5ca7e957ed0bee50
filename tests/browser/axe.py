"""Run axe-core (installed from npm by `npm ci`; see package.json) inside a Playwright page."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


def axe_violations(page, *, impacts=frozenset(SERIOUS)) -> list[dict]:
    """Serious and critical WCAG 2.x A/AA violations on the current page."""
    if not AXE.exists():
        raise RuntimeError("axe-core is missing: run `npm ci` (bin/test does it)")
    # evaluate() runs through the DevTools protocol, so the page's strict CSP does not block it.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"] if v["impact"] in impacts
    ]

"""Run axe-core (installed from npm by `npm ci`; see package.json) inside a Playwright page."""

from __future__ import annotations

import os
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
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def check_accessibility(page, problems: dict, name: str) -> None:
    """Record the page's serious and critical violations under `name`. Without axe-core the
    check is skipped locally and fails in CI (where `bin/test` installs it)."""
    if not AXE.exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            raise RuntimeError("axe-core is missing in CI: `npm ci` did not run")
        return
    found = axe_violations(page)
    if found:
        problems[name] = found

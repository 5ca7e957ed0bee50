"""What apps above schools add to its pages, without schools naming them: the classroom app
registers its school-admin dashboard here, and the status page links to it."""

from __future__ import annotations

_admin_url_names: list[str] = []


def register_admin_page(url_name: str) -> None:
    """Idempotent: ready() may run twice in tests."""
    if url_name not in _admin_url_names:
        _admin_url_names.append(url_name)


def admin_page_url_name() -> str | None:
    return _admin_url_names[0] if _admin_url_names else None

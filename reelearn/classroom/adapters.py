"""The shape pupils' pages give an assignment's work items (see contributions.WorkItem)."""

from __future__ import annotations


def quiz_item_view(item) -> dict:
    """Title, URL, status and percent of a work item."""
    return {"title": item.title, "url": item.url, "status": str(item.status),
            "percent": item.percent}

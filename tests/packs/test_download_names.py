"""Pack file names read like their page: a dash in the title stays a dash."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from reelearn.packs.models import Pack


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Ages 7–11", "reelearn-ages-7-11-teacher-a4.pdf"),  # en dash
        ("Ages 14—18", "reelearn-ages-14-18-teacher-a4.pdf"),  # em dash
        ("Magnets: old − new", "reelearn-magnets-old-new-teacher-a4.pdf"),  # minus sign
        ("Meet the family", "reelearn-meet-the-family-teacher-a4.pdf"),
    ],
)
def test_download_names_keep_the_dashes_of_titles(title, expected):
    pack = Pack(kind=Pack.Kind.MODULE_TIER, edition="teacher", paper="a4", page_id=1)
    pack._state.fields_cache["page"] = SimpleNamespace(title=title)
    assert pack.download_name() == expected

"""How a stored pack reaches the reader: streamed locally, handed to nginx, or a presigned
redirect to object storage."""

from __future__ import annotations

import pytest
from django.core.files.storage import FileSystemStorage

from reelearn.packs.downloads import pack_file_response

from .helpers import build

# How a file is delivered, not what it says: PDFs shared (tests/packs/shared_renders.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_pdfs")]


class RemoteStorage(FileSystemStorage):
    """Stands in for S3Storage: no local paths, and URLs that take S3's parameters."""

    def path(self, name):
        raise NotImplementedError

    def url(self, name, parameters=None, expire=None, http_method=None):
        disposition = (parameters or {}).get("ResponseContentDisposition", "")
        return f"https://bucket.example/{name}?X-Amz-Signature=abc&disposition={disposition}"


@pytest.fixture
def pack(tier_page, django_capture_on_commit_callbacks):
    return build(django_capture_on_commit_callbacks, page=tier_page, edition="teacher", paper="a4")


def test_local_files_are_streamed(pack):
    response = pack_file_response(pack)
    assert response.streaming
    assert 'filename="reelearn-' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('-teacher-a4.pdf"')


def test_behind_nginx_the_file_is_handed_over(pack, settings):
    settings.PACKS_X_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    response = pack_file_response(pack)
    assert response["X-Accel-Redirect"] == f"/protected-media/{pack.file.name}"
    assert response.content == b""
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_object_storage_gets_a_presigned_redirect(pack):
    pack.file.storage = RemoteStorage(location=pack.file.storage.location)
    response = pack_file_response(pack)
    assert response.status_code == 302
    assert response["Location"].startswith(f"https://bucket.example/{pack.file.name}?")
    assert "X-Amz-Signature" in response["Location"]
    assert "attachment" in response["Location"]
    assert "no-store" in response["Cache-Control"]

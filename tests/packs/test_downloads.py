"""How a stored pack reaches the reader: streamed locally, handed to nginx, or a presigned
redirect to object storage."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import crossplane
import pytest
import yaml
from django.conf import settings
from django.core.files.storage import FileSystemStorage

from reelearn.packs.downloads import pack_file_response

from .helpers import build, pdf_bytes

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


# --- Production (docker/): nginx sends the files -----------------------------------------------

DOCKER = Path(settings.BASE_DIR) / "docker"
# The web image's MEDIA_ROOT: WORKDIR /app (docker/Dockerfile), REELEARN_DATA_DIR unset, so
# reelearn/settings/base.py's default, /app/data/media.
WEB_MEDIA_ROOT = PurePosixPath("/app/data/media")


def compose_service(name: str) -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())["services"][name]


def volume_mount(service: dict, volume: str) -> PurePosixPath:
    for entry in service["volumes"]:
        source, target = entry.split(":")[:2]
        if source == volume:
            return PurePosixPath(target)
    raise AssertionError(f"{volume} is not mounted")


def nginx_locations() -> dict[str, dict[str, list]]:
    """docker/nginx.conf's locations, as nginx's own parser (crossplane) reads them:
    {prefix: {directive: args}}."""
    parsed = crossplane.parse(str(DOCKER / "nginx.conf"), single=True)
    assert parsed["status"] == "ok", parsed["errors"]

    def walk(block):
        for directive in block:
            if directive["directive"] == "location":
                yield directive["args"][-1], {d["directive"]: d["args"] for d in directive["block"]}
            yield from walk(directive.get("block", []))

    return dict(walk(parsed["config"][0]["parsed"]))


@pytest.fixture
def student_pack(tier_page, django_capture_on_commit_callbacks):
    return build(django_capture_on_commit_callbacks, page=tier_page, edition="student", paper="a4")


def test_in_production_nginx_sends_every_pack_from_the_media_volume(student_pack, settings, client):
    web = compose_service("web")
    prefix = web["environment"]["REELEARN_PACKS_X_ACCEL_REDIRECT_PREFIX"]
    assert f"REELEARN_PACKS_X_ACCEL_REDIRECT_PREFIX={prefix}\n" in (
        (DOCKER / ".env.example").read_text()
    )
    assert "ports" not in web  # no way round nginx, which alone can send the file
    settings.PACKS_X_ACCEL_REDIRECT_PREFIX = prefix

    response = client.get(f"/packs/{student_pack.pk}/download/")  # a visitor's download
    assert response.status_code == 200
    assert not response.streaming and response.content == b""  # no file body from Django
    uri = response["X-Accel-Redirect"]
    assert response["Content-Disposition"].startswith("attachment;")

    # nginx: the location taking that URI is internal and aliases the media volume that the
    # web service's storage (and the workers') wrote the file to.
    locations = nginx_locations()
    location = max((p for p in locations if uri.startswith(p)), key=len)
    assert "internal" in locations[location]
    served = PurePosixPath(locations[location]["alias"][0]) / uri.removeprefix(location)
    nginx_mount = volume_mount(compose_service("nginx"), "media")
    in_web = volume_mount(web, "media") / served.relative_to(nginx_mount)
    name = in_web.relative_to(WEB_MEDIA_ROOT)
    assert (Path(settings.MEDIA_ROOT) / name).read_bytes() == pdf_bytes(student_pack)
    assert compose_service("worker")["volumes"] == web["volumes"]  # where builds are stored


def test_nginx_serves_no_pack_file_to_a_reader_directly():
    locations = nginx_locations()
    packs = [p for p, d in locations.items() if "packs" in d.get("alias", [""])[0]]
    assert packs and all("internal" in locations[p] for p in packs)
    for prefix, directives in locations.items():
        if "alias" in directives and "internal" not in directives:
            assert directives["alias"][0].rstrip("/").endswith("/media/images"), prefix

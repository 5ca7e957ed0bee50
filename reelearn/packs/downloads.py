"""Handing a stored pack file to the reader: local file, nginx X-Accel-Redirect or S3 redirect."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control

from .models import Pack


def _is_local(storage) -> bool:
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


def pack_file_response(pack: Pack) -> HttpResponse:
    """The file of a READY pack. Only call after the reader's access was checked.

    Student editions may be cached by browsers and proxies for an hour (their URL names one
    immutable build); teacher editions and class packs never leave a private cache.
    """
    storage, name = pack.file.storage, pack.file.name
    filename = pack.download_name()
    disposition = f'attachment; filename="{filename}"'
    if not _is_local(storage):
        url = storage.url(
            name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": pack.content_type,
            },
        )
        response = HttpResponseRedirect(url)
    elif settings.PACKS_X_ACCEL_REDIRECT_PREFIX:
        response = HttpResponse(content_type=pack.content_type)
        response["X-Accel-Redirect"] = (
            settings.PACKS_X_ACCEL_REDIRECT_PREFIX.rstrip("/") + "/" + name
        )
        response["Content-Disposition"] = disposition
    else:
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=True,
            filename=filename,
            content_type=pack.content_type,
        )
    if pack.edition == Pack.Edition.STUDENT and pack.kind != Pack.Kind.CLASS:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response

"""One error body for every API error: {"status", "code", "detail", "fields"?}."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, RecursionError):
        # Python's JSON parser gives up on deeply nested arrays or objects (`[[[[…]]]]`) with a
        # RecursionError, which DRF's parsers let through: the body is at fault, not the server.
        exc = exceptions.ParseError("The JSON body is nested too deeply.")
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        body["detail"] = "Some fields are not valid."
        data = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body["fields"] = data
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body["code"] = codes if isinstance(codes, str) else "error"
        body["detail"] = str(getattr(exc, "detail", exc))
    response.data = body
    return response


def error_response(
    code: str, detail: str, http_status: int = status.HTTP_400_BAD_REQUEST, **extra
) -> Response:
    """For views that answer an error themselves, in the same shape."""
    return Response(
        {"status": http_status, "code": code, "detail": detail, **extra}, status=http_status
    )

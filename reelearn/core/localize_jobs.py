"""wagtail-localize's background jobs, run on our Celery.

wagtail-localize ships an immediate backend and a django-rq one (its `tasks.py`, a stand-in for
Wagtail's RFC 72 background workers). Ours queues the same calls on Celery after the editor's
transaction commits, so translating a subtree or syncing a locale never holds an editor's request.

Celery carries JSON, so the arguments are encoded: model instances (locales, users, pages) travel
as (label, pk) and come back fresh from the database; lists nest. wagtail-localize's component
manager travels only when it holds no components (REElearn registers none); anything else that
JSON cannot carry runs at once, in the request, as wagtail-localize's own default does.
"""

from __future__ import annotations

import logging
from functools import partial
from importlib import import_module

from celery import shared_task
from django.apps import apps
from django.db import models, transaction
from kombu.exceptions import OperationalError as BrokerError
from wagtail_localize.components import BaseComponentManager
from wagtail_localize.tasks import BaseJobBackend

logger = logging.getLogger(__name__)


class CannotQueue(TypeError):
    """An argument JSON cannot carry."""


def encode(value):
    if isinstance(value, models.Model):
        return {"__model__": value._meta.label, "pk": value.pk}
    if isinstance(value, BaseComponentManager):
        if value.components:
            raise CannotQueue("translation components")
        return {"__components__": type(value).__module__ + ":" + type(value).__qualname__}
    if isinstance(value, list | tuple | models.QuerySet):  # a form's chosen locales: a QuerySet
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"__dict__": {key: encode(item) for key, item in value.items()}}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise CannotQueue(type(value).__name__)


def decode(value):
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        if "__model__" in value:
            return apps.get_model(value["__model__"])._default_manager.get(pk=value["pk"])
        if "__components__" in value:
            module, name = value["__components__"].split(":")
            return getattr(import_module(module), name)([])
        return {key: decode(item) for key, item in value["__dict__"].items()}
    return value


def dotted_name(func) -> str:
    return f"{func.__module__}:{func.__qualname__}"


@shared_task(acks_late=True)
def run_localize_job(func_name: str, args: list, kwargs: dict) -> None:
    module, name = func_name.split(":")
    if not module.startswith("wagtail_localize."):
        raise ValueError(f"not a wagtail-localize job: {func_name}")
    func = getattr(import_module(module), name)
    func(*decode(args), **decode(kwargs))


class CeleryJobBackend(BaseJobBackend):
    def enqueue(self, func, args, kwargs):
        try:
            payload = (encode(list(args)), encode(dict(kwargs)))
        except CannotQueue as error:
            logger.info("running %s at once: %s cannot be queued", dotted_name(func), error)
            func(*args, **kwargs)
            return
        transaction.on_commit(partial(self._send, func, args, kwargs, payload))

    @staticmethod
    def _send(func, args, kwargs, payload) -> None:
        try:
            run_localize_job.apply_async(args=(dotted_name(func), *payload))
        except BrokerError:
            # Nothing else records this work: do it now rather than lose it.
            logger.warning("broker unavailable; running %s at once", dotted_name(func))
            func(*args, **kwargs)

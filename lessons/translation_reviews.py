"""Reviewing translations: what an approval names, who gives it, and whether readers are told
a translation is a draft.

A translation (a page, teacher guide or quiz in a language other than English) reads as a draft
until a reviewer of that language approves it as it stands. The approval names the version it
saw: the live revision of a page or a quiz, a digest of the content of a snippet without
revisions. Publishing again, or syncing from the English, makes a new version: the translation
is a draft again until someone approves that one.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from wagtail.log_actions import log
from wagtail.models import DraftStateMixin, GroupPagePermission, Locale, Page

from .cache import TTL, content_version
from .models import TranslationReview, bump_content_version, review_codename

REVIEWER_GROUP_PREFIX = "Translation reviewers: "
APPROVED_ACTION = "lessons.approve_translation"


def reviewer_group_name(language_code: str) -> str:
    """ "Translation reviewers: Burmese": Django's English name for the language."""
    return REVIEWER_GROUP_PREFIX + translation.get_language_info(language_code)["name"]


def review_permission(language_code: str) -> str:
    return f"lessons.{review_codename(language_code)}"


def translation_version(obj) -> str:
    """What an approval of `obj` names: its live revision when it has revisions and a live
    state (pages, quizzes), else a digest of its fields."""
    if isinstance(obj, DraftStateMixin):
        return f"revision:{obj.live_revision_id}"
    fields = {f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields}
    data = json.dumps(fields, cls=DjangoJSONEncoder, sort_keys=True)
    return "sha256:" + hashlib.sha256(data.encode()).hexdigest()[:64]


def is_translation(obj) -> bool:
    """Whether `obj` is a translation readers may be shown: not English, and not a page that
    only aliases the English one. Reads the locale (a query unless it is loaded)."""
    if isinstance(obj, Page) and obj.alias_of_id:
        return False
    return obj.locale.language_code != settings.LANGUAGE_CODE


def content_type_of(obj) -> ContentType:
    """The content type reviews are kept under: the model with the translation key (Page for
    every page type)."""
    return ContentType.objects.get_for_model(obj.get_translation_model())


def is_draft_translation(obj) -> bool:
    """Whether readers of `obj` are told it is a draft translation. English readers never are,
    at no cost; for others the answer is kept in the shared cache for the content version
    (publishing and approving both start a new one), so it costs one query per version."""
    if obj is None or not getattr(obj, "pk", None):
        return False
    if translation.get_language() == settings.LANGUAGE_CODE:
        return False
    if isinstance(obj, Page) and obj.alias_of_id:
        return False
    content_type = content_type_of(obj)
    version = translation_version(obj)
    key = f"lessons:draft-translation:{content_type.pk}:{obj.pk}:{version}:{content_version()}"
    draft = cache.get(key)
    if draft is None:
        draft = _is_unapproved(obj, content_type, version)
        cache.set(key, draft, TTL)
    return draft


def _is_unapproved(obj, content_type: ContentType, version: str) -> bool:
    approved = TranslationReview.objects.filter(
        content_type=content_type, translation_key=obj.translation_key, locale_id=OuterRef("pk")
    ).values("version")[:1]
    row = (
        Locale.objects.filter(pk=obj.locale_id)
        .values_list("language_code", Subquery(approved))
        .first()
    )
    return row is not None and row[0] != settings.LANGUAGE_CODE and row[1] != version


def translation_approve(*, obj, user) -> TranslationReview:
    """Record that `user` approved the translation `obj` as it now stands. Approving a version
    already approved changes nothing (a double click is one approval). Readers' cached pages
    are refreshed, without the draft notice."""
    version = translation_version(obj)
    key = {
        "content_type": content_type_of(obj),
        "translation_key": obj.translation_key,
        "locale_id": obj.locale_id,
    }
    with transaction.atomic():
        review = TranslationReview.objects.select_for_update().filter(**key).first()
        if review is not None and review.version == version:
            return review
        review, _created = TranslationReview.objects.update_or_create(
            **key,
            defaults={"version": version, "approved_by": user, "approved_at": timezone.now()},
        )
        log(instance=obj, action=APPROVED_ACTION, user=user)
        transaction.on_commit(bump_content_version)
    return review


REVIEWER_PAGE_PERMISSIONS = ("change_page", "publish_page")


def grant_reviewers_their_tree(home: Page) -> None:
    """Let a language's reviewer group edit and publish the pages under that language's home
    page (a translated home page is made with the first page translated into a language)."""
    language = home.locale.language_code
    if language == settings.LANGUAGE_CODE or home.alias_of_id:
        return
    group = Group.objects.filter(name=reviewer_group_name(language)).first()
    if group is None:
        return
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=REVIEWER_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)

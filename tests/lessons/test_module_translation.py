"""A module's code is one per module in each language: its translations share it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

from lessons.models import ModulePage

pytestmark = pytest.mark.django_db


def test_a_module_translates_with_its_code_and_the_code_stays_unique_per_language(
    curriculum, django_capture_on_commit_callbacks
):
    module = curriculum["module"]
    burmese = Locale.objects.get(language_code="my")
    source, _created = TranslationSource.get_or_create_from_instance(module)
    with django_capture_on_commit_callbacks(execute=True):
        Translation.objects.create(source=source, target_locale=burmese).save_target(publish=True)
    translated = ModulePage.objects.get(translation_key=module.translation_key, locale=burmese)
    assert translated.code == module.code and translated.live
    assert translated.url == f"/my{module.url}"

    twin = ModulePage(title="Copy", slug="copy", code=module.code, strand="science", summary="x")
    with pytest.raises(ValidationError) as refused:
        curriculum["index"].add_child(instance=twin)
    assert refused.value.message_dict["code"] == ["Another module already has this code."]

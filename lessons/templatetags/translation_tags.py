"""{% is_draft_translation obj as draft %}: whether readers of `obj` are told it is a draft
translation (lessons.translation_reviews)."""

from django import template

from ..translation_reviews import is_draft_translation as _is_draft_translation

register = template.Library()


@register.simple_tag
def is_draft_translation(obj) -> bool:
    return _is_draft_translation(obj)

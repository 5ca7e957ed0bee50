"""Burmese typed in Zawgyi, refused where editors and translators save text.

Zawgyi is an older Burmese encoding that gives Unicode's Myanmar code points other letters: it
looks right only in a Zawgyi font, and is garbled for everything else (Noto Sans Myanmar in the
packs, ICU's line breaks, search, screen readers). Google's detector (myanmartools) gives the
probability that a text is Zawgyi; above 0.95 the text is refused with a message saying what to
do. A word or two is ambiguous (about 0.5) and passes. Pupils' answers are kept as typed: this
is for published content only.

`reject_zawgyi(text)` is the validator; `ZawgyiPageForm` and `ZawgyiModelForm` apply it to every
text of a Wagtail edit form, its StreamField blocks (on the child block concerned) and its
inline panels, nested ones included.
"""

from __future__ import annotations

import re
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from myanmartools import ZawgyiDetector
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.rich_text import RichText

THRESHOLD = 0.95
MYANMAR = re.compile("[\u1000-\u109f]")
MESSAGE = _(
    "This text looks like Zawgyi, an older Burmese encoding. Please convert it to Unicode "
    "(for example with Rabbit converter) and paste it again."
)


@cache
def _detector() -> ZawgyiDetector:
    return ZawgyiDetector()  # loads its model once per process


def is_zawgyi(text: str) -> bool:
    """Whether a text is Burmese in the Zawgyi encoding (probability above 0.95)."""
    if not text or not MYANMAR.search(text):
        return False
    return _detector().get_zawgyi_probability(text) > THRESHOLD


def reject_zawgyi(text: str) -> None:
    """A validator: ValidationError (code "zawgyi") for Zawgyi-encoded Burmese."""
    if isinstance(text, str) and is_zawgyi(text):
        raise ValidationError(MESSAGE, code="zawgyi")


def zawgyi_block_error(block: blocks.Block, value) -> ValidationError | None:
    """The error for the Zawgyi texts in a block's value, shaped like the block's own errors
    so that the admin shows it on the child concerned; None when there is none."""
    if isinstance(block, blocks.StreamBlock):
        errors = _errors((i, child.block, child.value) for i, child in enumerate(value))
        return StreamBlockValidationError(block_errors=errors) if errors else None
    if isinstance(block, blocks.ListBlock):
        errors = _errors((i, block.child_block, item) for i, item in enumerate(value))
        return ListBlockValidationError(block_errors=errors) if errors else None
    if isinstance(block, blocks.StructBlock):
        children = ((name, child, value.get(name)) for name, child in block.child_blocks.items())
        errors = _errors(children)
        return StructBlockValidationError(block_errors=errors) if errors else None
    text = value.source if isinstance(value, RichText) else value
    if isinstance(text, str) and is_zawgyi(text):
        return ValidationError(MESSAGE, code="zawgyi")
    return None


def _errors(children) -> dict:
    found = {}
    for key, block, value in children:
        error = zawgyi_block_error(block, value)
        if error is not None:
            found[key] = error
    return found


def _value_error(value) -> ValidationError | None:
    stream_block = getattr(value, "stream_block", None)  # a StreamField's StreamValue
    if stream_block is not None:
        return zawgyi_block_error(stream_block, value)
    text = value.source if isinstance(value, RichText) else value
    if isinstance(text, str) and is_zawgyi(text):
        return ValidationError(MESSAGE, code="zawgyi")
    return None


def refuse_zawgyi_in_form(form) -> bool:
    """Add the Zawgyi error to every field of a cleaned form, and of its inline forms (not
    those being deleted), that holds Zawgyi. True if any did."""
    found = False
    for name, value in list(getattr(form, "cleaned_data", {}).items()):
        error = _value_error(value)
        if error is not None:
            form.add_error(name, error)
            found = True
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            if not getattr(child, "cleaned_data", {}).get("DELETE"):
                found = refuse_zawgyi_in_form(child) or found
    return found


class RefuseZawgyiMixin:
    """For a Wagtail (cluster) form: after the usual validation, refuse Zawgyi anywhere in it.
    After, not in clean(): the inline forms are cleaned after the form's own clean()."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return not refuse_zawgyi_in_form(self) and valid


class ZawgyiPageForm(RefuseZawgyiMixin, WagtailAdminPageForm):
    """The base form of REElearn's pages (`base_form_class`)."""


class ZawgyiModelForm(RefuseZawgyiMixin, WagtailAdminModelForm):
    """The base form of REElearn's snippets (`base_form_class`)."""

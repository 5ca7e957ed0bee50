from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Pack


class PackRequestForm(forms.Form):
    """Which pack to prepare: an edition on a paper size, or (module-tiers) the lesson zip."""

    edition = forms.ChoiceField(label=_("Edition"), choices=Pack.Edition.choices)
    paper = forms.ChoiceField(label=_("Paper size"), choices=Pack.Paper.choices)
    zipped = forms.BooleanField(label=_("All lessons as a zip"), required=False)

    def __init__(self, *args, page_kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page_kind = page_kind

    def clean(self):
        data = super().clean()
        if data.get("zipped"):
            if self.page_kind != Pack.Kind.MODULE_TIER:
                self.add_error("zipped", _("Only a whole module comes as a zip."))
            elif data.get("edition") != Pack.Edition.STUDENT:
                self.add_error("edition", _("The zip holds student editions only."))
        return data


class ClassPackRequestForm(forms.Form):
    paper = forms.ChoiceField(label=_("Paper size"), choices=Pack.Paper.choices)


def parse_variant(variant: str) -> tuple[str, str] | None:
    """Split "student-a4" into ("student", "a4"); None for anything else."""
    edition, _sep, paper = variant.rpartition("-")
    if edition in Pack.Edition.values and paper in Pack.Paper.values:
        return edition, paper
    return None

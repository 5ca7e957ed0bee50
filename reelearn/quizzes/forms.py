"""Forms for teachers' screens. Pupils' answers are read by `responses.client_response_from_form`
because each question type has its own fields."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_TEXT_ANSWER


class MarkForm(forms.Form):
    score = forms.DecimalField(
        label=_("Points"), min_value=Decimal(0), decimal_places=2, max_digits=6
    )
    comment = forms.CharField(
        label=_("Comment for the pupil"),
        required=False,
        max_length=MAX_TEXT_ANSWER,
        widget=forms.Textarea,
    )

    def __init__(self, *args, max_points: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_points = max_points

    def clean_score(self):
        score = self.cleaned_data["score"]
        if score > self.max_points:
            raise forms.ValidationError(
                _("Enter points from 0 to %(max)s.") % {"max": self.max_points}
            )
        return score


def paper_marks_from_post(post, report) -> dict[int, dict[int, str]]:
    """The marks grid: one field per pupil and question, named mark-<link id>-<question id>."""
    return {
        link.pk: {q.pk: post.get(f"mark-{link.pk}-{q.pk}", "") for q in report.questions}
        for link in report.links
    }

"""HTML forms: they parse and check the shape of input; the services enforce the rules."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .models import Assignment, Classroom

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIER_CHOICES = Classroom._meta.get_field("default_tier").choices


def _language_label(code: str, name: str) -> str:
    """The language in the teacher's words and in its own: "Burmese · မြန်မာဘာသာ"."""
    translated = str(get_language_info(code)["name_translated"])
    return translated if translated == name else f"{translated} · {name}"


def language_choices() -> list[tuple[str, str]]:
    return [(code, _language_label(code, name)) for code, name in settings.LANGUAGES]


def language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language pupils read it in"),
        choices=language_choices,  # called for each form, in the teacher's language
        initial=settings.LANGUAGE_CODE,
        required=False,  # English
        help_text=_(
            "Pupils get the lessons' translations in this language, and English where a lesson "
            "has none yet. The list of modules says which languages each one is published in."
        ),
    )


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field, or above the form."""
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, errors in messages.items():
        form.add_error(field if field in form.fields else None, errors)


class ClassroomForm(forms.Form):
    name = forms.CharField(
        label=_("Class name"), max_length=100, help_text=_("For example “7R Science”.")
    )
    year_group = forms.CharField(label=_("Year group"), max_length=40, required=False)
    default_tier = forms.ChoiceField(
        label=_("Usual age tier for this class"), choices=TIER_CHOICES, initial="t2"
    )
    join_needs_approval = forms.BooleanField(
        label=_("I approve pupils who join with the class code"), required=False, initial=True
    )


class ClassroomEditForm(ClassroomForm):
    join_enabled = forms.BooleanField(
        label=_("Pupils can join with the class code"), required=False
    )


class BulkPupilsForm(forms.Form):
    names = forms.CharField(
        label=_("Pupils' names, one per line"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "A first name and an initial is enough, for example “Amara K.”. No email "
            "addresses or dates of birth are needed."
        ),
    )


class CoTeacherForm(forms.Form):
    teacher = forms.CharField(label=_("Colleague's username or email"), max_length=254)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=80)
    pupils = forms.TypedMultipleChoiceField(
        label=_("Pupils in this group"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, pupils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].choices = [(p.pk, p.display_name or p.username) for p in pupils]


class AssignmentForm(forms.Form):
    page = forms.TypedChoiceField(label=_("What to assign"), coerce=int)
    title = forms.CharField(
        label=_("Title pupils see"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the module or lesson title."),
    )
    instructions = forms.CharField(
        label=_("Instructions for pupils"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    audience = forms.ChoiceField(
        label=_("Who is it for?"),
        choices=Assignment.Audience.choices,
        initial=Assignment.Audience.CLASS,
        widget=forms.RadioSelect,
    )
    groups = forms.TypedMultipleChoiceField(
        label=_("Groups"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    pupils = forms.TypedMultipleChoiceField(
        label=_("Pupils"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    open_at = forms.DateTimeField(
        label=_("Opens"),
        required=False,
        widget=DATETIME_WIDGET,
        help_text=_("Leave empty to open it as soon as you assign."),
    )
    due_at = forms.DateTimeField(label=_("Due"), required=False, widget=DATETIME_WIDGET)
    language = language_field()

    def __init__(self, *args, page_choices=(), groups=(), pupils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].choices = [("", _("Choose a module or lesson…")), *page_choices]
        self.fields["groups"].choices = [(g.pk, g.name) for g in groups]
        self.fields["pupils"].choices = [(p.pk, p.display_name or p.username) for p in pupils]


class AssignmentEditForm(forms.Form):
    title = forms.CharField(label=_("Title pupils see"), max_length=200)
    instructions = forms.CharField(
        label=_("Instructions for pupils"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    open_at = forms.DateTimeField(label=_("Opens"), widget=DATETIME_WIDGET)
    due_at = forms.DateTimeField(label=_("Due"), required=False, widget=DATETIME_WIDGET)
    language = language_field()


class AdjustForm(forms.Form):
    due_at_override = forms.DateTimeField(
        label=_("Extended due date"), required=False, widget=DATETIME_WIDGET
    )
    extra_time_minutes = forms.IntegerField(
        label=_("Extra quiz time (minutes)"), min_value=0, max_value=600, initial=0
    )
    extra_attempts = forms.IntegerField(
        label=_("Extra quiz attempts"), min_value=0, max_value=20, initial=0
    )


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Class code"),
        max_length=20,
        help_text=_("Your teacher gives you this code, e.g. ACDE-FGHJ."),
    )
    name = forms.CharField(
        label=_("Your first name and the first letter of your surname"),
        max_length=40,
        help_text=_("For example “Amara K.”"),
    )


class ConfirmEraseForm(forms.Form):
    confirm = forms.CharField(label=_("Type the name to confirm"), max_length=120)

    def __init__(self, *args, expected: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_confirm(self):
        value = " ".join(self.cleaned_data["confirm"].split())
        if value.casefold() != " ".join(self.expected.split()).casefold():
            raise ValidationError(_("That is not the name shown above, so nothing was erased."))
        return value

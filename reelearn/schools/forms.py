from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SchoolRegisterForm(forms.Form):
    name = forms.CharField(
        label=_("School name"),
        max_length=150,
        help_text=_("The full name, as parents and other schools know it."),
    )
    town = forms.CharField(label=_("Town or city (optional)"), max_length=100, required=False)
    country = forms.CharField(label=_("Country (optional)"), max_length=100, required=False)


class SchoolSearchForm(forms.Form):
    q = forms.CharField(label=_("School name"), max_length=100, required=False)


class SchoolChoiceForm(forms.Form):
    school = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class InvitationForm(forms.Form):
    single_use = forms.BooleanField(
        label=_("For one colleague only (the link stops working once used)"), required=False
    )


class DomainForm(forms.Form):
    address = forms.EmailField(
        label=_("An email address at your school's domain"),
        max_length=254,
        help_text=_(
            "We email a confirmation link to this address; opening it proves your school "
            "receives mail at the domain."
        ),
    )

"""Sign-in, sign-up, sign-out and passwords: django-allauth's views with REElearn's answers.

A form that fails answers 400 (429 when locked out, by reelearn.accounts.lockout), so scripts
and tests can tell a refusal from a page.
"""

from __future__ import annotations

from allauth.account import views as allauth_views
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeDoneView as DjangoPasswordChangeDoneView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import lockout, services


class _FailingFormAnswers400:
    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return lockout.slowed_headers(self.request, response)


class SignInView(_FailingFormAnswers400, allauth_views.LoginView):
    pass


class SignUpView(_FailingFormAnswers400, allauth_views.SignupView):
    pass


class PasswordChangeView(_FailingFormAnswers400, allauth_views.PasswordChangeView):
    pass


class PasswordChangeDoneView(DjangoPasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
@require_http_methods(["GET", "POST"])
def sign_out_everywhere(request):
    """Ends every session and API token of this account, this browser's included."""
    if request.method == "POST":
        services.sign_out_everywhere(user=request.user)
        logout(request)
        messages.success(request, _("You are signed out on every device."))
        return redirect("account_login")
    return render(request, "accounts/sign_out_everywhere.html")

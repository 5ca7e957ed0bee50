from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from reelearn.core import throttle

from . import services
from .forms import SignInForm, TeacherSignUpForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", "locked"):
            response.status_code = 429
        else:
            response.status_code = 400
        return response

    def get_default_redirect_url(self):
        """Pupils land on their work, teachers on their classes (unless ?next= says otherwise)."""
        user = self.request.user
        if getattr(user, "is_pupil", False):
            return reverse_lazy("classroom:my-work")
        if getattr(user, "is_teacher", False):
            return reverse_lazy("classroom:class-list")
        return super().get_default_redirect_url()


class SignOutView(auth_views.LogoutView):
    template_name = "accounts/signed_out.html"


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("/")
    form = TeacherSignUpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.teacher_sign_up(
                email=data["email"],
                password=data["password1"],
                display_name=data["display_name"],
                school_name=data["school_name"],
                address=throttle.client_address(request),
            )
        except services.SignUpLocked:
            form.add_error(
                None, _("Too many new accounts from this network. Please try again in an hour.")
            )
            status = 429
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to REElearn! Create your first class."))
            return redirect("classroom:class-create")
    if form.errors and status == 200:
        status = 400
    return render(request, "accounts/sign_up.html", {"form": form}, status=status)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Everyone may choose their own password; a pupil's login card then no longer shows one."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        messages.success(self.request, _("Your password is changed."))
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"

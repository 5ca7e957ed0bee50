"""REElearn's own account URLs. The rest (email confirmation, password reset, two-factor,
Google and Microsoft) are django-allauth's, under the same /accounts/ prefix."""

from allauth.account import views as allauth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", allauth_views.LogoutView.as_view(), name="sign-out"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("sign-up/", views.SignUpView.as_view(), name="sign-up"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password-change-done"),
]

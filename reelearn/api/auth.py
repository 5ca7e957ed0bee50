"""Tokens for the API: one per device, from a password (and a second factor where needed)."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from reelearn.accounts import lockout, mfa
from reelearn.accounts import services as account_services

from .exceptions import error_response
from .models import DeviceToken, digest
from .signals import revoke


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    code = serializers.CharField(
        max_length=12, required=False, allow_blank=True, help_text="Two-factor code, if set up"
    )
    device = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="A name for this device"
    )


class TokenView(APIView):
    """Exchange a username and password for a token for this device (the sign-in page's
    lock-out applies). Accounts with two-factor authentication also send its `code`; editors
    and school admins cannot get a token without one. DELETE revokes the token it is sent with.
    """

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    def get_authenticators(self):
        if self.request is not None and self.request.method == "DELETE":
            return super().get_authenticators()
        return []

    @extend_schema(
        request=TokenInputSerializer,
        responses={
            200: inline_serializer(
                "Token", {"token": serializers.CharField(), "role": serializers.CharField()}
            )
        },
    )
    def post(self, request):
        data = TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        username = fields["username"].strip()
        user = authenticate(request._request, username=username, password=fields["password"])
        if user is None:
            # Locked out: axes' middleware turns this into a 429 (reelearn.accounts.lockout).
            response = error_response(
                "invalid_credentials", "Username or password is wrong.", status.HTTP_400_BAD_REQUEST
            )
            return lockout.slowed_headers(request._request, response)
        if mfa.has_second_factor(user):
            if not mfa.code_is_right(user, fields.get("code", "")):
                return error_response(
                    "second_factor",
                    _("This account uses two-factor authentication: send a current code."),
                    status.HTTP_401_UNAUTHORIZED,
                )
        elif mfa.second_factor_required(user):
            return error_response(
                "second_factor_required",
                _("Set up two-factor authentication in your account before using the API."),
                status.HTTP_403_FORBIDDEN,
            )
        _token, key = DeviceToken.issue(user=user, name=fields.get("device", ""))
        return Response({"token": key, "role": user.role})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Sign this device out: the token sent with the request stops working."""
        if not isinstance(request.auth, str):
            return error_response(
                "not_a_token", "Send the token to revoke.", status.HTTP_400_BAD_REQUEST
            )
        revoke(user_id=request.user.pk, digests=[digest(request.auth)])
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_permissions(self):
        if self.request is not None and self.request.method == "DELETE":
            return [IsAuthenticated()]
        return super().get_permissions()


class SignOutEverywhereView(APIView):
    """Every token and every browser session of this account stops working."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        account_services.sign_out_everywhere(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from reelearn.core import throttle

from .exceptions import error_response


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenView(APIView):
    """Exchange a username and password for an API token (the same lock-out as the sign-in page)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

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
        username = data.validated_data["username"].strip()
        address = throttle.client_address(request)
        if throttle.sign_in_locked_until(username, address):
            return error_response(
                "locked",
                "Too many failed sign-ins; try again later.",
                status.HTTP_429_TOO_MANY_REQUESTS,
            )
        user = authenticate(request, username=username, password=data.validated_data["password"])
        if user is None:
            throttle.sign_in_failed(username, address)
            return error_response(
                "invalid_credentials", "Username or password is wrong.", status.HTTP_400_BAD_REQUEST
            )
        throttle.sign_in_succeeded(username)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "role": user.role})

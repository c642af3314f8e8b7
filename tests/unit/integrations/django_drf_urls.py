"""The URLconf (and views) of test_django_drf.py, imported by Django once it is configured
(``rest_framework.views`` reads DRF's settings at import)."""

from __future__ import annotations

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from py_identity_model.integrations.django import TokenUser
from py_identity_model.integrations.drf import (
    HasScopes,
    ResourceServerAuthentication,
    require_scopes,
)
from py_identity_model.resource_server import AccessTokenPrincipal


class MeView(APIView):
    authentication_classes = (ResourceServerAuthentication,)
    permission_classes = (HasScopes,)

    def get(self, request: Request) -> Response:
        assert isinstance(request.auth, AccessTokenPrincipal)
        assert isinstance(request.user, TokenUser)
        return Response({"sub": request.auth.subject})


class WriteView(MeView):
    required_scopes = ("orders:write",)


class FactoryView(MeView):
    permission_classes = (require_scopes("orders:delete"),)


class StringScopesView(MeView):
    required_scopes = "orders:write"  # type: ignore[assignment]


urlpatterns = [
    path("me", MeView.as_view()),
    path("write", WriteView.as_view()),
    path("factory", FactoryView.as_view()),
    path("string", StringScopesView.as_view()),
]

urlpatterns = [
    path("me", MeView.as_view()),
    path("write", WriteView.as_view()),
    path("factory", FactoryView.as_view()),
    path("string", StringScopesView.as_view()),
]

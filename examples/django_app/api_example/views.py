"""The example's views: one plain Django view and one Django REST framework view."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def me(request: HttpRequest) -> JsonResponse:
    # The middleware authenticated the request: request.auth is the AccessTokenPrincipal.
    return JsonResponse(dict(request.auth.claims))  # type: ignore[attr-defined]


class AdminView(APIView):
    # HasScopes (the default permission class in settings) reads this attribute.
    required_scopes = (settings.OIDC_REQUIRED_SCOPE,)

    def get(self, request: Request) -> Response:
        return Response({"subject": request.auth.subject, "scopes": sorted(request.auth.scopes)})

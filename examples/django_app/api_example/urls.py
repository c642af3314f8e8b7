"""Routes: /health (public), /me (plain Django view), /admin (DRF view), the metadata."""

from __future__ import annotations

from django.urls import path

from py_identity_model.integrations.django import protected_resource_urls

from . import views

urlpatterns = [
    path("health", views.health),
    path("me", views.me),
    path("admin", views.AdminView.as_view()),
    *protected_resource_urls(),
]

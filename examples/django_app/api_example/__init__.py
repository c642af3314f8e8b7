"""A Django (+ Django REST framework) API protected by py-identity-model."""

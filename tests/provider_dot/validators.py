"""The OAuth2 validator of the DOT test provider: standard claims from the Django user."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):  # type: ignore[misc]
    """Adds ``preferred_username``, ``name`` (scope ``profile``) and ``email`` (``email``).

    DOT filters them by scope through ``oidc_claim_scope`` (its default mapping).
    """

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "preferred_username": user.username,
            "name": user.get_full_name(),
            "email": user.email,
        }

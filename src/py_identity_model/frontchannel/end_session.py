"""RP-Initiated Logout: the end-session URL (OpenID Connect RP-Initiated Logout 1.0 §2).

``None`` omits a parameter; with none left the bare endpoint is returned. An existing query
on the endpoint is kept (a parameter it already carries may not be added again), and the
endpoint must pass the endpoint policy (HTTPS except on loopback: an ``id_token_hint`` and
``state`` must never travel in a cleartext URL; no fragment). ``ui_locales`` may be a list
(joined with spaces); further parameters follow the rules of
:mod:`~py_identity_model.frontchannel.authorize_url`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..constants.oidc_parameters import EndSessionRequest as _E
from ..exceptions import LogoutStateValidationException
from ..utils.parameters import Parameters
from ..utils.security import constant_time_equals
from ._params import ParameterInput, add_parameter, build_url, check_endpoint, check_extra_names

__all__ = ["build_end_session_url", "validate_post_logout_state"]


def build_end_session_url(  # noqa: PLR0917  (the positional 4.x signature)
    end_session_endpoint: str,
    id_token_hint: str | None = None,
    client_id: str | None = None,
    post_logout_redirect_uri: str | None = None,
    state: str | None = None,
    logout_hint: str | None = None,
    ui_locales: str | Sequence[str] | None = None,
    **extra_params: ParameterInput,
) -> str:
    """Build the URL that asks the OP to log the End-User out.

    ``id_token_hint`` is RECOMMENDED by the specification, and the OP honours
    ``post_logout_redirect_uri`` only when it can identify the client (through
    ``id_token_hint`` or ``client_id``). Send a fresh ``state`` and check it on return.
    """
    endpoint = check_endpoint(end_session_endpoint, "end_session_endpoint")
    check_extra_names(extra_params)
    params = Parameters()
    for name, value in (
        (_E.ID_TOKEN_HINT.value, id_token_hint),
        (_E.LOGOUT_HINT.value, logout_hint),
        (_E.CLIENT_ID.value, client_id),
        (_E.POST_LOGOUT_REDIRECT_URI.value, post_logout_redirect_uri),
        (_E.STATE.value, state),
        (_E.UI_LOCALES.value, ui_locales),
        *extra_params.items(),
    ):
        add_parameter(params, name, value)
    return build_url(endpoint, params)


def validate_post_logout_state(expected_state: str | None, returned_state: str | None) -> None:
    """Check the ``state`` returned to the post-logout redirect URI (RP-Initiated Logout §3).

    It must equal the ``state`` sent to :func:`build_end_session_url`, compared in constant
    time. Raises :class:`~py_identity_model.exceptions.LogoutStateValidationException` when
    either is missing or empty, or they differ.
    """
    if not isinstance(expected_state, str) or not expected_state:
        raise LogoutStateValidationException(
            "No state was kept for this logout (the session may have expired)"
        )
    if not isinstance(returned_state, str) or not returned_state:
        raise LogoutStateValidationException("The post-logout redirect carries no state")
    if not constant_time_equals(returned_state, expected_state):
        raise LogoutStateValidationException(
            "The post-logout redirect's state does not match the state sent"
        )

"""The JARM leg of a login: the callback's ``response`` JWT verified before anything else.

With a JARM ``response_mode`` (``OidcClientOptions.response_mode``) the authorization
response must be the signed ``response`` parameter; its verified claims then go through
the same ``iss`` (RFC 9207) and ``state`` checks as a plain callback. Written once, as a
flow, for ``OidcClient.process_response`` and ``aprocess_response``.
"""

from __future__ import annotations

from ..errors import ErrorCodes, ErrorType
from ..exceptions import JarmValidationException, NetworkException
from ..frontchannel.callback import AuthorizeCallbackResponse
from ..http.flow import Flow
from ..http.results import Failure
from ..jarm.flow import jarm_response_flow
from ..jarm.response import is_jarm_response
from ..validation.key_source import RemoteKeySource
from .models import LoginResult, OidcClientOptions

__all__ = ["jarm_callback_flow"]


def _failed(code: str, message: str, description: str, error_type: ErrorType) -> LoginResult:
    return LoginResult.from_failure(
        Failure(code, message, error_description=description, error_type=error_type)
    )


def jarm_callback_flow(
    options: OidcClientOptions, source: RemoteKeySource, callback: str | bytes
) -> Flow[AuthorizeCallbackResponse | LoginResult]:
    """The verified callback, or the failed login: ``jarm_response_required`` (plain,
    unsigned parameters), ``invalid_jarm_response`` (rejected), or the key fetch's code."""
    if not isinstance(callback, (str, bytes)) or not is_jarm_response(callback):
        return _failed(
            ErrorCodes.JARM_RESPONSE_REQUIRED,
            "The callback is not a JARM response",
            f"response_mode={options.response_mode} was requested: the authorization response "
            "must be the signed response parameter; unsigned parameters are refused",
            ErrorType.POLICY,
        )
    try:
        return (
            yield from jarm_response_flow(
                callback, options.jarm_validation, client_id=options.client_id, source=source
            )
        )
    except NetworkException as exc:  # discovery or JWKS unavailable: not the response's fault
        return _failed(
            exc.error_code or ErrorCodes.NETWORK_ERROR,
            "The keys to verify the JARM response are unavailable",
            str(exc),
            ErrorType.NETWORK,
        )
    except JarmValidationException as exc:
        reason = exc.details.get("reason", exc.code)
        return _failed(
            ErrorCodes.INVALID_JARM_RESPONSE,
            f"The JARM response was rejected ({reason})",
            str(exc),
            ErrorType.POLICY,
        )

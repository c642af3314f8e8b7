"""Sync JARM: drives :func:`~py_identity_model.jarm.flow.jarm_response_flow`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..drivers.sync import run_sync
from ..jarm.flow import jarm_response_flow, jarm_validation
from ..jarm.response import CallbackInput

if TYPE_CHECKING:
    from ..drivers.sync import SyncHttpClient
    from ..frontchannel.callback import AuthorizeCallbackResponse
    from ..jarm.flow import KeyInput
    from ..jose import JsonWebKey

__all__ = ["process_jarm_response"]


def process_jarm_response(
    response: CallbackInput,
    *,
    client_id: str,
    disco_doc_address: str | None = None,
    issuer: str | None = None,
    jwks: KeyInput | None = None,
    algorithms: Sequence[str] | None = None,
    require_https: bool = True,
    leeway: float = 0,
    http_client: SyncHttpClient | None = None,
    is_jwt: bool = False,
    decryption_keys: Sequence[Mapping[str, Any] | JsonWebKey] | None = None,
) -> AuthorizeCallbackResponse:
    """Verify a JARM authorization response and return its parameters (JARM §2.4).

    ``response`` is the callback URL (``query.jwt``, ``fragment.jwt``, ``jwt``), the POSTed
    form body or fields (``form_post.jwt``), or, with ``is_jwt=True``, the JWT itself. The
    JWT is verified with the server's keys (discovery at ``disco_doc_address``, default
    ``issuer``; or the static ``jwks`` with ``issuer``); ``iss`` must be the issuer,
    ``aud`` must contain ``client_id``, ``exp`` is required (``leeway`` seconds of skew);
    ``algorithms`` (the client's ``authorization_signed_response_alg``) narrows the
    asymmetric default. An encrypted response (JWE) is decrypted first with
    ``decryption_keys`` (the ``[jwe]`` extra). HTTPS is required except on loopback hosts.

    Returns the :class:`~py_identity_model.frontchannel.AuthorizeCallbackResponse` a plain
    callback gives (``code``, ``state``, ``issuer``, or ``error``...): check it with
    ``validate_authorize_callback`` as usual.

    Raises:
        JarmValidationException: no or several ``response`` parameters, a bad signature,
            algorithm, ``iss``, ``aud`` or ``exp``, an undecryptable or encrypted response
            without keys, malformed claims.
        DiscoveryUnavailableError / JwksUnavailableError: the keys could not be obtained.
        ConfigurationException: misuse (no key source, a plain-HTTP issuer, ...).
    """
    validation = jarm_validation(
        disco_doc_address=disco_doc_address,
        issuer=issuer,
        jwks=jwks,
        algorithms=algorithms,
        require_https=require_https,
        leeway=leeway,
        decryption_keys=decryption_keys,
    )
    flow = jarm_response_flow(response, validation, client_id=client_id, is_jwt=is_jwt)
    return run_sync(flow, http_client)

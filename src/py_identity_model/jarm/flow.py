"""Verifying a JARM response, written once as a flow (JARM §2.4, the processing rules).

``response=<JWT>`` → decrypt when it is a JWE (the client's keys, ``[jwe]``) → verify the
signature with the authorization server's keys → ``iss`` the server's issuer (exact),
``aud`` containing the client, ``exp`` required (with leeway) → the callback of its claims.

The verifier is the one of every JWT response
(:class:`~py_identity_model.validation.jwt_response.JwtResponseValidation` compiled into
the token validation flow): keys from discovery → ``jwks_uri`` through the same cached
``Fetch`` as token validation, one refetch for an unknown ``kid``; algorithms allow-listed
and bound to key types by the JOSE registry, never ``none``, never an HMAC with a public key.

A rejected response raises :class:`~py_identity_model.exceptions.JarmValidationException`
(``details["reason"]`` names the check). Keys that cannot be obtained are an outage, not a
forgery: the validators' ``DiscoveryUnavailableError`` / ``JwksUnavailableError``
propagate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from ..constants.jose import JwtTypes
from ..discovery.models import DiscoveryPolicy
from ..exceptions import (
    ConfigurationException,
    DiscoveryHTTPSRequiredError,
    InvalidTokenTypeException,
    JarmValidationException,
    NetworkException,
    TokenValidationException,
)
from ..frontchannel.callback import AuthorizeCallbackResponse
from ..http.flow import Flow
from ..utils.memo import BoundedMemo
from ..utils.numbers import require_number
from ..utils.urls import is_loopback_host, parse_http_url
from ..validation.flow import validation_flow
from ..validation.jwt_response import JwtResponseValidation
from ..validation.operations import remote_source
from .response import CallbackInput, callback_from_claims, callback_text, extract_jarm_response_jwt

if TYPE_CHECKING:
    from ..jose import CompactJws, JsonWebKey, JsonWebKeySet
    from ..validation.claims import ClaimRules
    from ..validation.key_source import RemoteKeySource

__all__ = ["jarm_response_flow", "jarm_validation"]

# iss, aud and exp are REQUIRED in a JARM response (§2.1), unlike other JWT responses.
_REQUIRED_CLAIMS = ("iss", "aud", "exp")
# JWTs of other kinds the same server signs for the same client: never a JARM response
# (explicit typing, RFC 8725 §3.11).
_OTHER_TYPES = frozenset(
    {"logout+jwt", "at+jwt", "dpop+jwt", "token-introspection+jwt", "secevent+jwt"}
)


def _not_another_jwt(
    jws: CompactJws, claims: dict[str, Any], rules: ClaimRules, now: float, key: JsonWebKey
) -> None:
    if JwtTypes.normalise(jws.typ or "") in _OTHER_TYPES:
        raise InvalidTokenTypeException(
            f"typ {str(jws.typ)[:32]!r} is another kind of JWT, not a JARM response", "header"
        )


_memo: BoundedMemo[tuple[object, ...], JwtResponseValidation] = BoundedMemo(64)

KeyInput: TypeAlias = "Mapping[str, Any] | JsonWebKey | JsonWebKeySet"
"""Static keys: a JWK Set dict, a JWK dict, a :class:`JsonWebKey` or a :class:`JsonWebKeySet`."""


def _static_key(jwks: object) -> dict[str, Any] | JsonWebKey:
    from ..jose import JsonWebKey, JsonWebKeySet

    if isinstance(jwks, JsonWebKeySet):
        return jwks.to_dict()
    if isinstance(jwks, JsonWebKey):
        return jwks
    if isinstance(jwks, Mapping):
        return dict(jwks)
    raise ConfigurationException("jwks must be a JWK Set dict, a JWK dict or a JsonWebKey")


def _check_issuer(issuer: object, require_https: bool) -> str:
    if not isinstance(issuer, str) or not issuer:
        raise ConfigurationException("issuer must be a non-empty string")
    parts = parse_http_url(issuer)
    if parts is None:
        raise ConfigurationException("issuer must be an absolute http(s) URL")
    if require_https and parts.scheme != "https" and not is_loopback_host(parts.hostname):
        raise DiscoveryHTTPSRequiredError(f"issuer: HTTPS is required: {issuer[:200]}")
    return issuer


def _decryption_keys(
    keys: Sequence[Mapping[str, Any] | JsonWebKey] | None,
) -> list[dict[str, Any] | JsonWebKey] | None:
    from ..jose import JsonWebKey

    if not keys:
        return None
    if not all(isinstance(key, (Mapping, JsonWebKey)) for key in keys):
        raise ConfigurationException("decryption_keys must be JWK dicts or JsonWebKeys")
    return [key if isinstance(key, JsonWebKey) else dict(key) for key in keys]


def _algorithms(algorithms: object) -> tuple[str, ...] | None:
    if algorithms is None:
        return None
    if isinstance(algorithms, str) or not isinstance(algorithms, (list, tuple)):
        raise ConfigurationException("algorithms must be a list of algorithm names")
    return tuple(algorithms)


def jarm_validation(
    *,
    disco_doc_address: str | None = None,
    issuer: str | None = None,
    jwks: KeyInput | None = None,
    algorithms: Sequence[str] | None = None,
    require_https: bool = True,
    leeway: float = 0,
    decryption_keys: Sequence[Mapping[str, Any] | JsonWebKey] | None = None,
) -> JwtResponseValidation:
    """Where the keys of JARM responses come from (misuse raises ConfigurationException).

    ``jwks`` (static keys) needs ``issuer``; otherwise the keys and issuer come from
    discovery at ``disco_doc_address`` (default: ``issuer``). Given both, the discovered
    keys verify and ``iss`` must be ``issuer``. Discovery-mode validations are memoised
    (bounded), so repeated calls keep their compiled form and warm key caches.
    """
    if not isinstance(require_https, bool):
        raise ConfigurationException("require_https must be True or False")
    leeway = require_number(leeway, "leeway")  # before the memo: True is not 1 here
    allowed = _algorithms(algorithms)
    if issuer is not None:
        issuer = _check_issuer(issuer, require_https)
    if jwks is not None:
        if disco_doc_address is not None:
            raise ConfigurationException("use disco_doc_address or jwks, not both")
        if issuer is None:
            raise ConfigurationException("jwks needs the issuer its responses come from")
    elif disco_doc_address is None:
        if issuer is None:
            raise ConfigurationException(
                "process_jarm_response needs disco_doc_address, issuer or jwks"
            )
        disco_doc_address = issuer
    if decryption_keys is not None and (
        isinstance(decryption_keys, (str, bytes, Mapping))
        or not isinstance(decryption_keys, Sequence)
    ):
        raise ConfigurationException("decryption_keys must be a list of keys")
    memo_key: tuple[object, ...] | None = None
    if jwks is None and not decryption_keys:
        memo_key = (disco_doc_address, issuer, allowed, require_https, leeway)
        found = _memo.get(memo_key)
        if found is not None:
            return found
    validation = JwtResponseValidation(
        disco_doc_address=disco_doc_address if jwks is None else None,
        issuer=issuer,
        key=None if jwks is None else _static_key(jwks),
        algorithms=None if allowed is None else list(allowed),
        decryption_keys=_decryption_keys(decryption_keys),
        leeway=leeway,
        discovery_policy=DiscoveryPolicy(require_https=require_https),
    )
    validation.compiled_for("-", None, _REQUIRED_CLAIMS)  # misuse surfaces here, before I/O
    return validation if memo_key is None else _memo.put(memo_key, validation)


def _token(response: CallbackInput, is_jwt: bool) -> str:
    if not isinstance(is_jwt, bool):
        raise ConfigurationException("is_jwt must be True or False")
    if not is_jwt:
        return extract_jarm_response_jwt(response)
    if isinstance(response, (bytes, bytearray)):
        response = bytes(response).decode("ascii", "replace")
    if not isinstance(response, str) or not response.strip():
        raise JarmValidationException(
            "With is_jwt=True the response must be the JWT (a non-empty string)",
            details={"reason": "invalid_callback"},
        )
    return response.strip()


def jarm_response_flow(
    response: CallbackInput,
    validation: JwtResponseValidation,
    *,
    client_id: str,
    is_jwt: bool = False,
    source: RemoteKeySource | None = None,
) -> Flow[AuthorizeCallbackResponse]:
    """Verify a JARM response and return its callback; raises JarmValidationException.

    ``source`` (an ``OidcClient``'s own caches) replaces the shared key source of
    ``validation.disco_doc_address``.
    """
    if not isinstance(client_id, str) or not client_id:
        raise ConfigurationException("client_id (the JARM response's audience) is required")
    if not isinstance(validation, JwtResponseValidation):
        raise ConfigurationException("validation must be a JwtResponseValidation")
    token = _token(response, is_jwt)
    if token.count(".") == 4 and not validation.decryption_keys:
        raise JarmValidationException(
            "The JARM response is encrypted (a JWE): pass the client's private keys as "
            "decryption_keys (needs the [jwe] extra)",
            details={"reason": "decryption_keys_required"},
        )
    config, cfg = validation.compiled_for(client_id, None, _REQUIRED_CLAIMS)
    if source is None:
        source = remote_source(cfg, config, validation.disco_doc_address)
    try:
        claims = yield from validation_flow(token, cfg, source, _not_another_jwt)
    except NetworkException:
        raise  # the keys are unavailable: an outage, not a forged response
    except TokenValidationException as exc:
        raise JarmValidationException(
            f"The JARM response was rejected: {exc}",
            details={"reason": exc.code, **exc.details},
        ) from exc
    return callback_from_claims(claims, token if is_jwt else callback_text(response))

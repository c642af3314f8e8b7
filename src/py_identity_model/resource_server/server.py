"""``ResourceServer``: turn an incoming request into a principal or a typed rejection.

The one object an API keeps for its lifetime (and every framework integration shares): it
owns the key sources of its issuers, the validated-token cache, the introspection cache and
the DPoP proof validator (with its replay store), and serves threads (:meth:`authenticate`)
and event loops (:meth:`aauthenticate`) at once. What it checks, in order:

1. the presentation: one ``Authorization`` header, ``Bearer`` or ``DPoP`` (never the query);
2. the token: a JWT with the issuer's keys (RFC 9068 ``at+jwt`` by default), answered from the
   validated-token cache when it was seen before; an opaque token by introspection (cached,
   single flight);
3. its binding: ``cnf.jkt`` needs the ``DPoP`` scheme and a proof made with that key
   (RFC 9449; proofs are never cached), ``cnf["x5t#S256"]`` the client certificate
   (RFC 8705);
4. the requirements: scopes (403 ``insufficient_scope``), claims (403 ``access_denied``),
   step-up (401 ``insufficient_user_authentication``, RFC 9470).

Every refusal is a :class:`~.rejection.ResourceRejection` with the exact headers and body to
answer. An unreachable provider (keys, introspection) is a 503 ``temporarily_unavailable``
without a challenge: the token is not blamed. Tokens and proofs are never logged.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..constants.jose import JwtTypes
from ..dpop.binding import check_dpop_binding
from ..dpop.resource import DPoPProofValidator, RecordProof
from ..drivers import split_http_client
from ..drivers.aio import run_async
from ..drivers.sync import run_sync
from ..errors import ErrorCodes
from ..exceptions import (
    CertificateBindingError,
    ConfigurationException,
    DPoPProofException,
    InvalidAlgorithmException,
    InvalidAudienceException,
    InvalidCertificateError,
    InvalidIssuerException,
    InvalidTokenTypeException,
    KeyNotFoundException,
    MalformedTokenException,
    NetworkException,
    PyIdentityModelException,
    SignatureVerificationException,
    TokenExpiredException,
    TokenNotYetValidException,
    TokenValidationException,
)
from ..http.flow import Flow
from ..jose import CompactJws, JsonWebKey, parse_compact
from ..mtls.binding import validate_certificate_binding
from ..validation.claims import ClaimRules
from ..validation.config import TokenValidationConfig, compiled
from ..validation.flow import validation_flow
from ..validation.key_source import RemoteKeySource
from .introspection import IntrospectionCache, IntrospectionSettings
from .issuers import IssuerRoute, IssuerRoutes
from .metadata import metadata_document, metadata_path, metadata_url
from .presentation import Presentation, PresentationError, check_token_syntax, read_presentation
from .principal import AccessTokenPrincipal, scopes_of
from .rejection import Challenges, ResourceRejection
from .request import IncomingRequest
from .requirements import (
    check_claims,
    check_step_up,
    claim_requirements,
    scope_names,
    step_up,
)
from .token_cache import DEFAULT_TOKEN_CACHE_SIZE, ValidatedTokenCache, as_time

if TYPE_CHECKING:
    from ..caching.replay import ReplayStore
    from ..discovery.models import DiscoveryPolicy
    from ..dpop.server_nonces import DPoPNonceSource
    from ..drivers.aio import AsyncHttpClient
    from ..drivers.sync import SyncHttpClient

__all__ = ["DEFAULT_RESOURCE_DPOP_ALGORITHMS", "ResourceServer"]

DEFAULT_RESOURCE_DPOP_ALGORITHMS: tuple[str, ...] = ("ES256", "EdDSA", "PS256", "RS256")
"""The DPoP proof algorithms a resource server accepts (and advertises) by default."""

_DPOP_MODES = ("allowed", "required", "disabled")

Wants = tuple[Iterable[str], Mapping[str, Any] | None, Iterable[str] | None, float | None]
"""What a call requires of the token: scopes, claims, ``acr_values``, ``max_age`` (one tuple:
the private judging methods run per request and take it positionally)."""

Plan = Generator[Flow[Any] | RecordProof, Any, AccessTokenPrincipal]
"""What :meth:`ResourceServer.authenticate` takes steps for: each a token validation flow or
a DPoP proof's replay record, answered by the driver (sync or async); returns the principal."""
_BINDING_MODES = ("accept", "require")

_DESCRIPTIONS: tuple[tuple[type[Exception], str], ...] = (
    (TokenExpiredException, "The access token expired"),
    (TokenNotYetValidException, "The access token is not valid yet"),
    (InvalidAudienceException, "The access token is not meant for this resource"),
    (InvalidIssuerException, "The access token's issuer is not accepted"),
    (KeyNotFoundException, "The access token's signature is not valid"),
    (SignatureVerificationException, "The access token's signature is not valid"),
    (InvalidAlgorithmException, "The access token's algorithm is not accepted"),
    (InvalidTokenTypeException, "The token is not an access token of an accepted type"),
    (MalformedTokenException, "The access token is malformed"),
)
_DPOP_DESCRIPTIONS = {
    "use_dpop_nonce": "A DPoP proof with the server's nonce is required",
    "invalid_token": "The access token's DPoP binding does not fit how it was presented",
}


class _Refused(PyIdentityModelException):
    """A refusal decided inside a flow (before the request's challenges are known)."""

    def __init__(self, status: int, error: str, description: str, error_code: str) -> None:
        super().__init__(description)
        self.status, self.error, self.error_code = status, error, error_code


def _as_tuple(value: str | Sequence[str] | None, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = (value,) if isinstance(value, str) else tuple(value)
    if not all(isinstance(item, str) and item for item in items):
        raise ConfigurationException(f"{name} must be a string or a list of strings")
    return items


class ResourceServer:
    """Protects an API: validates the access token of each request (see the module).

    Args:
        issuer: the authorization server whose tokens are accepted (its discovery document
            and keys are fetched from it); or ``issuers``: several, and tenant templates
            such as ``"https://login.microsoftonline.com/{tenantid}/v2.0"``.
        audience: the ``aud`` a token must carry (one or several).
        resource: this API's identifier (RFC 9728 ``resource``; also the challenges'
            ``realm``); the first audience by default.
        accept_jwt: validate JWT access tokens locally (True).
        jwt_token_types: the accepted ``typ`` headers (RFC 9068 ``at+jwt``); None accepts
            plain JWTs of any type.
        algorithms: the accepted token signature algorithms (the validator's default).
        introspection: an :class:`~.introspection.IntrospectionSettings` to accept opaque
            tokens (and every token when ``accept_jwt=False``).
        dpop: ``"allowed"`` (Bearer and DPoP-bound tokens), ``"required"`` (DPoP only) or
            ``"disabled"``; ``dpop_algorithms``, ``dpop_max_age``, ``dpop_leeway``,
            ``dpop_replay_store`` and ``dpop_nonces`` configure the proof validator.
        certificate_binding: ``"accept"`` (a certificate-bound token must match the client
            certificate) or ``"require"`` (every token must be certificate-bound).
        required_scopes: scopes every request needs.
        validated_token_cache: the size of the validated-token cache (on by default,
            10 000 tokens), or None to validate every JWT in full.
        authorization_servers: the metadata document's ``authorization_servers`` (the
            configured issuers by default); ``scopes_supported``,
            ``resource_documentation``, ``resource_name``, ``resource_policy_uri`` and
            ``resource_tos_uri`` are its members of those names.
        resource_metadata_url: where the metadata is served, for the challenges (derived
            from ``resource``, or from the request's origin for a non-URL resource).
        realm: the challenges' ``realm`` (``resource`` by default).
        leeway: clock skew for ``exp``/``nbf``/``auth_time`` (the validator's default).
        max_token_size: the longest token accepted, in characters.
        discovery_policy: the rules for the issuers' discovery documents.
        http_client: the client for discovery, JWKS and introspection (a sync client serves
            :meth:`authenticate`, an async one :meth:`aauthenticate`).
    """

    def __init__(
        self,
        *,
        issuer: str | None = None,
        issuers: Sequence[str] | None = None,
        audience: str | Sequence[str],
        resource: str | None = None,
        accept_jwt: bool = True,
        jwt_token_types: Sequence[str] | None = ("at+jwt",),
        algorithms: Sequence[str] | None = None,
        introspection: IntrospectionSettings | None = None,
        dpop: str = "allowed",
        dpop_algorithms: Sequence[str] = DEFAULT_RESOURCE_DPOP_ALGORITHMS,
        dpop_max_age: float = 300.0,
        dpop_leeway: float = 5.0,
        dpop_replay_store: ReplayStore | None = None,
        dpop_nonces: DPoPNonceSource | None = None,
        certificate_binding: str = "accept",
        required_scopes: Sequence[str] = (),
        validated_token_cache: int | None = DEFAULT_TOKEN_CACHE_SIZE,
        authorization_servers: Sequence[str] | None = None,
        scopes_supported: Sequence[str] | None = None,
        resource_documentation: str | None = None,
        resource_name: str | None = None,
        resource_policy_uri: str | None = None,
        resource_tos_uri: str | None = None,
        resource_metadata_url: str | None = None,
        realm: str | None = None,
        leeway: float | None = None,
        max_token_size: int = 8192,
        discovery_policy: DiscoveryPolicy | None = None,
        http_client: SyncHttpClient | AsyncHttpClient | None = None,
    ) -> None:
        if (issuer is None) == (issuers is None):
            raise ConfigurationException("give issuer (one) or issuers (several), not both")
        issuer_list = _as_tuple(issuer if issuer is not None else issuers, "issuers")
        if not issuer_list:
            raise ConfigurationException("issuers must name at least one issuer")
        self.audiences = _as_tuple(audience, "audience")
        if not self.audiences:
            raise ConfigurationException("audience is required: the aud this API accepts")
        if not isinstance(accept_jwt, bool):
            raise ConfigurationException("accept_jwt must be True or False")
        if introspection is not None and not isinstance(introspection, IntrospectionSettings):
            raise ConfigurationException("introspection must be an IntrospectionSettings")
        if not accept_jwt and introspection is None:
            raise ConfigurationException("accept_jwt=False needs introspection")
        if dpop not in _DPOP_MODES:
            raise ConfigurationException(f"dpop must be one of {list(_DPOP_MODES)}")
        if certificate_binding not in _BINDING_MODES:
            raise ConfigurationException(
                f"certificate_binding must be one of {list(_BINDING_MODES)}"
            )
        if isinstance(max_token_size, bool) or not isinstance(max_token_size, int):
            raise ConfigurationException("max_token_size must be an integer")
        if max_token_size < 64:
            raise ConfigurationException("max_token_size must be at least 64")
        self.resource = resource if resource is not None else self.audiences[0]
        if not isinstance(self.resource, str) or not self.resource:
            raise ConfigurationException("resource must be a non-empty string")
        self.dpop = dpop
        self.certificate_binding = certificate_binding
        self._require_cert = certificate_binding == "require"
        self.required_scopes = scope_names(required_scopes, "required_scopes")
        self.accept_jwt = accept_jwt
        self.max_token_size = max_token_size
        self._token_types = self._types(jwt_token_types)
        self._sync_client, self._async_client = split_http_client(http_client)
        self._config = TokenValidationConfig(
            perform_disco=True,
            audience=list(self.audiences),
            algorithms=None if algorithms is None else list(algorithms),
            leeway=leeway,
            token_type=self._token_types[0] if len(self._token_types) == 1 else None,
            max_token_size=max_token_size,
            discovery_policy=discovery_policy,
        )
        self._cfg = compiled(self._config)
        self.leeway = self._cfg.rules.leeway
        self._routes = IssuerRoutes(issuer_list, self._route)
        self._token_cache = (
            None
            if validated_token_cache is None
            else ValidatedTokenCache(validated_token_cache, leeway=self.leeway)
        )
        self._introspection = None if introspection is None else IntrospectionCache(introspection)
        self._proofs: DPoPProofValidator | None = None
        if dpop != "disabled":
            self._proofs = DPoPProofValidator(
                algorithms=dpop_algorithms,
                max_age=dpop_max_age,
                leeway=dpop_leeway,
                replay_store=dpop_replay_store,
                nonces=dpop_nonces,
            )
        self._challenges = Challenges(
            realm=realm if realm is not None else self.resource,
            offer_bearer=dpop != "required",
            offer_dpop=self._proofs is not None,
            dpop_algs=self._proofs.algorithms if self._proofs is not None else (),
        )
        self._metadata_url = resource_metadata_url
        self._document_extra: dict[str, Any] = {
            "resource_documentation": resource_documentation,
            "resource_name": resource_name,
            "resource_policy_uri": resource_policy_uri,
            "resource_tos_uri": resource_tos_uri,
        }
        self.authorization_servers = (
            _as_tuple(authorization_servers, "authorization_servers")
            if authorization_servers is not None
            else self._routes.concrete
        )
        self.scopes_supported = (
            None if scopes_supported is None else scope_names(scopes_supported, "scopes_supported")
        )

    # ------------------------------------------------------------------ configuration

    @staticmethod
    def _types(types: Sequence[str] | None) -> tuple[str, ...]:
        if types is None:
            return ()
        found = _as_tuple(types, "jwt_token_types")
        if not found:
            raise ConfigurationException("jwt_token_types must name a type, or be None")
        return found

    def _route(self, issuer: str, tenant: str | None) -> IssuerRoute:
        return IssuerRoute(
            issuer, self._cfg, RemoteKeySource(issuer, self._cfg.discovery_policy), tenant
        )

    @property
    def issuers(self) -> tuple[str, ...]:
        """The accepted issuers and issuer templates."""
        return self._routes.issuers

    @property
    def validated_token_cache(self) -> ValidatedTokenCache | None:
        """The validated-token cache (None when turned off)."""
        return self._token_cache

    @property
    def introspection_cache(self) -> IntrospectionCache | None:
        """The introspection cache (None without introspection)."""
        return self._introspection

    # ---------------------------------------------------------------------- metadata

    @property
    def metadata_path(self) -> str:
        """Where to serve :meth:`metadata_document` (RFC 9728 §3.1)."""
        return metadata_path(self.resource)

    def resource_metadata_url(self, request: IncomingRequest | None = None) -> str | None:
        """The absolute metadata URL put in challenges (``resource_metadata``, §5.1)."""
        if self._metadata_url is not None:
            return self._metadata_url
        return metadata_url(self.resource, None if request is None else request.url)

    def metadata_document(self) -> dict[str, Any]:
        """This API's Protected Resource Metadata (RFC 9728 §2), to serve as JSON."""
        return metadata_document(
            resource=self.resource,
            authorization_servers=self.authorization_servers,
            scopes_supported=self.scopes_supported,
            dpop_algs=None if self._proofs is None else self._proofs.algorithms,
            dpop_required=self.dpop == "required",
            certificate_bound=self.certificate_binding == "require",
            extra=self._document_extra,
        )

    # -------------------------------------------------------------------- challenges

    def challenges(self, request: IncomingRequest | None = None) -> list[str]:
        """The ``WWW-Authenticate`` values for a request without a token (no ``error``)."""
        return self._challenges.values(resource_metadata=self.resource_metadata_url(request))

    def reject(
        self,
        status: int,
        error: str | None,
        description: str,
        *,
        error_code: str,
        request: IncomingRequest | None = None,
        params: Sequence[tuple[str, str]] = (),
        nonce: str | None = None,
    ) -> ResourceRejection:
        """A rejection with this server's challenges (for 401, 400 and 403 answers)."""
        headers: list[tuple[str, str]] = []
        if status in (400, 401, 403):
            values = self._challenges.values(
                error=error,
                description=description if error is not None else None,
                params=params,
                resource_metadata=self.resource_metadata_url(request),
            )
            headers.extend(("WWW-Authenticate", value) for value in values)
            if nonce is None and status == 401 and self._proofs is not None:
                source = self._proofs.nonces
                nonce = source.current() if source is not None else None
            if nonce is not None:
                headers.append(("DPoP-Nonce", nonce))
        return ResourceRejection(status, error, description, error_code=error_code, headers=headers)

    def check_scopes(
        self,
        principal: AccessTokenPrincipal,
        scopes: Iterable[str],
        request: IncomingRequest | None = None,
    ) -> ResourceRejection | None:
        """The 403 ``insufficient_scope`` rejection if ``principal`` lacks one of ``scopes``."""
        wanted = scope_names(scopes)
        if not principal.missing_scopes(wanted):
            return None
        return self._insufficient_scope(wanted, request)

    def check_requirements(
        self,
        principal: AccessTokenPrincipal,
        request: IncomingRequest | None = None,
        *,
        scopes: Iterable[str] = (),
        claims: Mapping[str, Any] | None = None,
        acr_values: Iterable[str] | None = None,
        max_age: float | None = None,
    ) -> ResourceRejection | None:
        """The rejection ``principal`` earns for these requirements, or None when it meets them.

        The same judgement :meth:`authenticate` makes after validating the token, in the
        same order: ``required_scopes`` and ``scopes`` (403 ``insufficient_scope``),
        ``claims`` (403 ``access_denied``), ``acr_values``/``max_age`` (401
        ``insufficient_user_authentication``). For a route that judges an already
        authenticated request again with more requirements (a second dependency), without
        validating its token or spending its DPoP proof twice.
        """
        return self._unmet(
            principal.claims, request, (scopes, claims, acr_values, max_age), principal
        )

    def _unmet(
        self,
        claims: Mapping[str, Any],
        request: IncomingRequest | None,
        wants: Wants,
        principal: AccessTokenPrincipal | None = None,
    ) -> ResourceRejection | None:
        scopes, required_claims, acr_values, max_age = wants
        wanted = (*self.required_scopes, *scope_names(scopes)) if scopes else self.required_scopes
        if wanted:
            granted = principal.scopes if principal is not None else scopes_of(claims)
            if not granted.issuperset(wanted):
                return self._insufficient_scope(tuple(dict.fromkeys(wanted)), request)
        if required_claims is not None and (
            check_claims(claims, claim_requirements(required_claims)) is not None
        ):
            return self.reject(
                403,
                "access_denied",
                "The access token lacks a claim this resource requires",
                error_code=ErrorCodes.CLAIM_REQUIREMENT_FAILED,
                request=request,
            )
        if acr_values is not None or max_age is not None:
            return self._step_up(claims, acr_values, max_age, request)
        return None

    def _insufficient_scope(
        self, wanted: tuple[str, ...], request: IncomingRequest | None
    ) -> ResourceRejection:
        return self.reject(
            403,
            "insufficient_scope",
            "The access token lacks a required scope",
            error_code=ErrorCodes.INSUFFICIENT_SCOPE,
            request=request,
            params=[("scope", " ".join(wanted))],
        )

    def _rejection(self, exc: Exception, request: IncomingRequest) -> ResourceRejection:
        if isinstance(exc, ResourceRejection):
            return exc
        if isinstance(exc, _Refused):
            return self.reject(
                exc.status, exc.error, exc.message, error_code=exc.error_code, request=request
            )
        if isinstance(exc, NetworkException):  # keys or introspection: not the token's fault
            return self.reject(
                503,
                "temporarily_unavailable",
                "The authorization server could not be reached to check the access token",
                error_code=ErrorCodes.AUTHORIZATION_SERVER_UNAVAILABLE,
                request=request,
            )
        if isinstance(exc, DPoPProofException):
            description = _DPOP_DESCRIPTIONS.get(exc.error, "The DPoP proof is not valid")
            return self.reject(
                401,
                exc.error,
                description,
                error_code=exc.error_code,
                request=request,
                nonce=exc.nonce,
            )
        if isinstance(exc, CertificateBindingError):
            return self.reject(
                401,
                "invalid_token",
                "The access token's certificate binding does not fit the client certificate",
                error_code=exc.error_code,
                request=request,
            )
        if isinstance(exc, InvalidCertificateError):
            return self.reject(
                401,
                "invalid_token",
                "The client certificate is not readable",
                error_code=ErrorCodes.INVALID_CERTIFICATE,
                request=request,
            )
        if isinstance(exc, TokenValidationException):
            description = next(
                (text for kind, text in _DESCRIPTIONS if isinstance(exc, kind)),
                "The access token is not valid",
            )
            rejection = self.reject(
                401,
                "invalid_token",
                description,
                error_code=ErrorCodes.ACCESS_TOKEN_INVALID,
                request=request,
            )
            rejection.reason = exc.code
            return rejection
        raise exc

    # --------------------------------------------------------------------- the checks

    def _present(self, request: IncomingRequest) -> tuple[Presentation, dict[str, Any] | None]:
        """The presentation, and the claims when the validated-token cache knows the token."""
        if not isinstance(request, IncomingRequest):
            raise ConfigurationException("request must be an IncomingRequest")
        try:
            presented = read_presentation(request, max_size=self.max_token_size, check_syntax=False)
            found = None
            if presented is not None:
                # Only validated JWTs are ever put in the cache, and they passed the b64token
                # check then: only a new token pays for it (a third of a cached request).
                cache = self._token_cache
                if cache is not None:
                    found = cache.get(presented.token)
                if found is None:
                    check_token_syntax(presented.token)
        except PresentationError as exc:
            raise self.reject(
                400,
                "invalid_request",
                exc.why,
                error_code=ErrorCodes.MALFORMED_AUTHORIZATION,
                request=request,
            ) from None
        if presented is None:
            raise self.reject(
                401,
                None,
                "An access token is required",
                error_code=ErrorCodes.MISSING_ACCESS_TOKEN,
                request=request,
            )
        if presented.scheme == "dpop" and self._proofs is None:
            raise self.reject(
                400,
                "invalid_request",
                "This resource does not accept DPoP-bound tokens",
                error_code=ErrorCodes.MALFORMED_AUTHORIZATION,
                request=request,
            )
        if presented.scheme == "bearer" and self.dpop == "required":
            raise self.reject(
                401,
                "invalid_token",
                "This resource requires DPoP-bound tokens",
                error_code=ErrorCodes.MALFORMED_AUTHORIZATION,
                request=request,
            )
        return presented, found

    def _is_jwt(self, token: str) -> bool:
        return self.accept_jwt and token.count(".") == 2

    def _token_flow(self, token: str) -> Flow[tuple[dict[str, Any], bool]]:
        if self._is_jwt(token):
            claims = yield from self._jwt_flow(token)
            return claims, False
        if self._introspection is None:
            raise _Refused(
                401,
                "invalid_token",
                "The access token is not a JWT and this resource does not introspect tokens",
                ErrorCodes.ACCESS_TOKEN_INVALID,
            )
        answer = yield from self._introspection.flow(token)
        if not answer.is_successful:
            raise NetworkException(
                "introspection failed", status_code=answer.http_status, error_code=answer.error_code
            )
        return self._introspected(dict(answer.claims or {})), True

    def _jwt_flow(self, token: str) -> Flow[dict[str, Any]]:
        route = self._routes.single
        if route is None:
            jws = parse_compact(token, max_length=self.max_token_size)
            route = self._routes.route((jws.claims or {}).get("iss"))
        used: list[JsonWebKey] = []
        types = self._token_types

        def extra(
            jws: CompactJws, claims: dict[str, Any], rules: ClaimRules, now: float, key: JsonWebKey
        ) -> None:
            if len(types) > 1 and not _typ_in(jws.typ, types):
                raise InvalidTokenTypeException("typ is not an accepted type", "header")
            used.append(key)

        claims = yield from validation_flow(token, route.cfg, route.source, extra)
        if route.tenant is not None and claims.get("tid", route.tenant) != route.tenant:
            raise InvalidIssuerException("tid does not name the issuer's tenant", "payload")
        if self._token_cache is not None:
            self._token_cache.put(token, claims, used[0], route.keys())
        return claims

    def _introspected(self, claims: dict[str, Any]) -> dict[str, Any]:
        inactive = _Refused(
            401, "invalid_token", "The access token is not active", ErrorCodes.ACCESS_TOKEN_INACTIVE
        )
        if claims.get("active") is not True:
            raise inactive
        now = time.time()
        exp, nbf = as_time(claims.get("exp")), as_time(claims.get("nbf"))
        if exp is not None and now >= exp + self.leeway:
            raise inactive
        if nbf is not None and now + self.leeway < nbf:
            raise inactive
        aud = claims.get("aud")
        if aud is not None:
            audiences = [aud] if isinstance(aud, str) else aud
            if not any(a in self.audiences for a in audiences):
                raise _Refused(
                    401,
                    "invalid_token",
                    "The access token is not meant for this resource",
                    ErrorCodes.ACCESS_TOKEN_INACTIVE,
                )
        return claims

    def _bindings(
        self, presented: Presentation, claims: Mapping[str, Any], request: IncomingRequest
    ) -> tuple[str | None, str | None]:
        if "cnf" not in claims and presented.scheme == "bearer" and not self._require_cert:
            return None, None  # unbound, presented as Bearer: nothing to check
        jkt = check_dpop_binding(claims, scheme=presented.scheme)
        thumbprint = validate_certificate_binding(
            claims,
            request.client_certificate,
            required=self._require_cert,
        )
        return jkt, thumbprint

    def _step_up(
        self,
        claims: Mapping[str, Any],
        acr_values: Iterable[str] | None,
        max_age: float | None,
        request: IncomingRequest | None,
    ) -> ResourceRejection | None:
        acrs, oldest = step_up(acr_values, max_age)
        if check_step_up(claims, acrs, oldest, now=time.time(), leeway=self.leeway):
            return None
        params: list[tuple[str, str]] = []
        if acrs:
            params.append(("acr_values", " ".join(acrs)))
        if oldest is not None:
            params.append(("max_age", str(int(oldest))))
        return self.reject(
            401,
            "insufficient_user_authentication",
            "A stronger or more recent user authentication is required",
            error_code=ErrorCodes.STEP_UP_REQUIRED,
            request=request,
            params=params,
        )

    def _start(self, request: IncomingRequest, wants: Wants) -> AccessTokenPrincipal | Plan:
        """:meth:`authenticate` written once, for both drivers: the principal at once when
        there is no step to take (the cache knows the token and no DPoP proof is due: most
        requests, for which building and finishing a generator would cost a tenth of the
        request), otherwise :meth:`_plan`, which yields the steps."""
        presented, claims = self._present(request)
        if claims is not None:
            jkt, thumbprint = self._bindings(presented, claims, request)
            if jkt is None:
                return self._finish(presented, claims, False, None, thumbprint, request, wants)
        return self._plan(presented, claims, request, wants)

    def _plan(
        self,
        presented: Presentation,
        claims: dict[str, Any] | None,
        request: IncomingRequest,
        wants: Wants,
    ) -> Plan:
        """The steps: the token's validation flow (unless the cache knew it) and the DPoP
        proof's replay record, each answered by the caller's driver."""
        opaque = False
        if claims is None:
            claims, opaque = yield self._token_flow(presented.token)
        jkt, thumbprint = self._bindings(presented, claims, request)
        if jkt is not None:
            assert self._proofs is not None  # the DPoP scheme is refused without it
            yield from self._proofs.plan(
                list(presented.proofs),
                method=request.method,
                url=request.url,
                access_token=presented.token,
                expected_jkt=jkt,
            )
        return self._finish(presented, claims, opaque, jkt, thumbprint, request, wants)

    def _finish(  # noqa: PLR0917  (per request: keyword arguments would cost a tenth of it)
        self,
        presented: Presentation,
        claims: dict[str, Any],
        opaque: bool,
        jkt: str | None,
        thumbprint: str | None,
        request: IncomingRequest,
        wants: Wants,
    ) -> AccessTokenPrincipal:
        """The requirements judged, then the principal."""
        refused = self._unmet(claims, request, wants)
        if refused is not None:
            raise refused
        return AccessTokenPrincipal(
            claims,
            presented.token,
            "DPoP" if presented.scheme == "dpop" else "Bearer",
            opaque,
            jkt,
            thumbprint,
            self._insufficient_scope,
            request,
        )

    # ----------------------------------------------------------------------- the API

    def authenticate(
        self,
        request: IncomingRequest,
        *,
        scopes: Iterable[str] = (),
        claims: Mapping[str, Any] | None = None,
        acr_values: Iterable[str] | None = None,
        max_age: float | None = None,
    ) -> AccessTokenPrincipal:
        """The principal of ``request``, or raise :class:`~.rejection.ResourceRejection`.

        ``scopes``: scopes this call needs (on top of ``required_scopes``); ``claims``:
        claim requirements (``{"name": None | value | [values]}``); ``acr_values`` and
        ``max_age``: step-up requirements (RFC 9470).
        """
        try:
            plan = self._start(request, (scopes, claims, acr_values, max_age))
            if isinstance(plan, AccessTokenPrincipal):
                return plan
            step = next(plan)
            while True:
                if isinstance(step, RecordProof):
                    step = plan.send(step.run())
                else:
                    step = plan.send(run_sync(step, self._sync_client))
        except StopIteration as done:
            principal: AccessTokenPrincipal = done.value
            return principal
        except PyIdentityModelException as exc:
            if isinstance(exc, (ConfigurationException, ResourceRejection)):
                raise  # misuse, or already the answer
            raise self._rejection(exc, request) from None

    async def aauthenticate(
        self,
        request: IncomingRequest,
        *,
        scopes: Iterable[str] = (),
        claims: Mapping[str, Any] | None = None,
        acr_values: Iterable[str] | None = None,
        max_age: float | None = None,
    ) -> AccessTokenPrincipal:
        """Async twin of :meth:`authenticate` (never blocks the event loop)."""
        try:
            plan = self._start(request, (scopes, claims, acr_values, max_age))
            if isinstance(plan, AccessTokenPrincipal):
                return plan
            step = next(plan)
            while True:
                if isinstance(step, RecordProof):
                    step = plan.send(await step.arun())
                else:
                    step = plan.send(await run_async(step, self._async_client))
        except StopIteration as done:
            principal: AccessTokenPrincipal = done.value
            return principal
        except PyIdentityModelException as exc:
            if isinstance(exc, (ConfigurationException, ResourceRejection)):
                raise  # misuse, or already the answer
            raise self._rejection(exc, request) from None

    def invalidate(self) -> None:
        """Forget cached discovery, keys and validated tokens (the next requests fetch)."""
        self._routes.invalidate()
        if self._token_cache is not None:
            self._token_cache.clear()

    def __repr__(self) -> str:
        return (
            f"ResourceServer(issuers={list(self.issuers)!r}, audience={list(self.audiences)!r}, "
            f"dpop={self.dpop!r})"
        )


def _typ_in(typ: str | None, types: Sequence[str]) -> bool:
    if typ is None:
        return False
    return JwtTypes.normalise(typ) in {JwtTypes.normalise(t) for t in types}

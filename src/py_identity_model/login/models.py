"""Types of the login helper: options, the state kept between the two legs, the result."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..discovery.models import DiscoveryPolicy
from ..endpoints.client import Client
from ..endpoints.client_auth import MtlsClientAuth, PrivateKeyJwt
from ..endpoints.policy import EndpointPolicy
from ..exceptions import ConfigurationException
from ..fapi.profile import FapiPolicy
from ..frontchannel._params import check_redirect_uri
from ..http.messages import ClientCertificate
from ..http.results import ProtocolResponse
from ..identity import ClaimsPrincipal
from ..tokens.models import TokenResponse
from ..userinfo.models import ResourceDPoPProver, UserInfoResponse

if TYPE_CHECKING:
    from ..jose import JsonWebKey
    from ..validation.jwt_response import JwtResponseValidation

__all__ = ["AuthorizeState", "LoginResult", "OidcClientOptions"]


@dataclass(repr=False)
class OidcClientOptions:
    """How an OpenID Connect client (relying party) logs users in.

    Attributes:
        authority: the OpenID Provider's issuer URL (discovery is read from it).
        client_id / client_secret / client_auth_method / private_key_jwt / mtls: the
            client's credentials at the token endpoint (a public client sets none).
        client_certificate: a TLS client certificate presented with any other
            authentication, for certificate-bound tokens (RFC 8705 §3). With ``mtls`` or a
            certificate the token and UserInfo requests go to the provider's
            ``mtls_endpoint_aliases`` (RFC 8705 §5) and present the certificate.
        redirect_uri: where the provider sends the browser back.
        scope: space-separated scopes; must include ``openid``.
        resource: RFC 8707 resource indicator(s) for the access token.
        response_mode: ``query`` (default for code), ``form_post``, ...; a JARM mode
            (``jwt``, ``query.jwt``, ``fragment.jwt``, ``form_post.jwt``) asks for a signed
            authorization response, which ``process_response`` then verifies
            (``process_jarm_response``) before anything else: a callback without the
            ``response`` JWT fails with ``jarm_response_required``, a rejected one with
            ``invalid_jarm_response``.
        max_age: maximum authentication age; ``auth_time`` is then checked.
        prompt / ui_locales / acr_values / login_hint: defaults for every login.
        id_token_algorithms: accepted ID token algorithms (default: the asymmetric ones
            the provider advertises). A confidential client registered for ID tokens MACed
            with its secret (OIDC Core §10.1) names its one ``HS256``/``HS384``/``HS512``
            here; the key is then its ``client_secret``.
        clock_skew: leeway in seconds for ID token time checks (the library default,
            ``configure(clock_skew=...)``, when None).
        discovery_policy: the policy the provider's metadata must satisfy.
        extra_parameters: further authorize-request parameters.
        load_user_info: fetch the UserInfo endpoint (OIDC Core §5.3) with the new access
            token after the ID token is validated, require its ``sub`` to be the ID token's,
            and merge its claims into the result's ``claims`` (see :class:`LoginResult`).
            ``None`` (default): when the provider's metadata has a ``userinfo_endpoint``;
            ``True``: always (a provider without the endpoint fails the login with
            ``missing_fields``); ``False``: never.
        use_par: push every authorization request (RFC 9126) and send the browser with
            ``client_id`` and ``request_uri`` only. Logins push anyway when the provider's
            metadata says ``require_pushed_authorization_requests``; a failed push raises
            :class:`~py_identity_model.PushedAuthorizationException` from ``prepare_login``.
        authorization_signed_response_alg: the client's registered JARM signing algorithm:
            the only one accepted (default: any asymmetric algorithm, with the provider's
            keys).
        jarm_decryption_keys: the client's private keys for encrypted JARM responses
            (``authorization_encrypted_response_alg``; the ``[jwe]`` extra).
        dpop_key: a DPoP key (:class:`~py_identity_model.DPoPKey`, RFC 9449): the
            authorization code is bound to it (``dpop_jkt``), the tokens are DPoP-bound
            (``token_type`` must then be ``DPoP``) and UserInfo is called with DPoP proofs.
        request_object_key / request_object_algorithm: sign the authorization request as
            a request object (JAR, RFC 9101) with this private key (PEM, JWK ``dict`` or
            :class:`~py_identity_model.JsonWebKey`); pushed through PAR when the login
            pushes, by value otherwise. The algorithm defaults to PS256.
        fapi: a :class:`~py_identity_model.FapiPolicy` (FAPI 2.0 Security Profile, or
            Message Signing). Every login then pushes its request, uses PKCE S256, accepts
            only PS256/ES256/EdDSA signatures and callbacks with ``iss``, and needs
            ``private_key_jwt`` (``audience`` = the issuer) or mTLS plus a DPoP key or a
            client certificate; Message Signing also needs ``request_object_key`` and a
            JARM ``response_mode``. A violation raises
            :class:`~py_identity_model.FapiViolationError` naming the clause: when the
            options are built, or at ``prepare_login`` for what the provider's metadata
            decides.
    """

    authority: str
    client_id: str
    redirect_uri: str
    scope: str = "openid profile"
    client_secret: str | None = None
    _: KW_ONLY
    client_auth_method: str | None = None
    private_key_jwt: PrivateKeyJwt | None = None
    mtls: MtlsClientAuth | None = None
    client_certificate: ClientCertificate | None = None
    resource: str | Sequence[str] | None = None
    response_mode: str | None = None
    max_age: int | None = None
    prompt: str | None = None
    ui_locales: str | None = None
    acr_values: str | None = None
    login_hint: str | None = None
    id_token_algorithms: list[str] | None = None
    clock_skew: float | None = None
    discovery_policy: DiscoveryPolicy | None = None
    extra_parameters: Mapping[str, Any] = field(default_factory=dict)
    load_user_info: bool | None = None
    use_par: bool = False
    authorization_signed_response_alg: str | None = None
    jarm_decryption_keys: list[dict[str, Any] | JsonWebKey] | None = None
    dpop_key: ResourceDPoPProver | None = None
    request_object_key: str | bytes | dict[str, Any] | JsonWebKey | None = None
    request_object_algorithm: str = "PS256"
    fapi: FapiPolicy | None = None

    def __post_init__(self) -> None:
        for name in ("authority", "client_id", "redirect_uri"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise ConfigurationException("authority, client_id and redirect_uri are required")
        if not isinstance(self.scope, str) or "openid" not in self.scope.split():
            raise ConfigurationException("OidcClientOptions.scope must include 'openid'")
        if self.private_key_jwt is not None and self.client_secret is not None:
            raise ConfigurationException("Use client_secret or private_key_jwt, not both")
        check_redirect_uri(self.redirect_uri)
        if self.load_user_info is not None and not isinstance(self.load_user_info, bool):
            raise ConfigurationException("load_user_info must be True, False or None")
        if not isinstance(self.use_par, bool):
            raise ConfigurationException("use_par must be True or False")
        if self.dpop_key is not None and not isinstance(self.dpop_key, ResourceDPoPProver):
            raise ConfigurationException(
                "dpop_key must be a DPoPKey (create_proof(method, url, nonce=, access_token=))"
            )
        if self.fapi is not None and not isinstance(self.fapi, FapiPolicy):
            raise ConfigurationException("fapi must be a FapiPolicy")
        self.resolved_client()  # the credentials (and the FAPI client rules) are checked here
        if self.id_token_algorithms is not None:
            self._check_id_token_algorithms()
        self._check_jarm()
        self._check_request_object()
        if self.fapi is not None:
            self._check_fapi(self.fapi)

    @property
    def endpoint_policy(self) -> EndpointPolicy:
        """The URL rules of the provider's endpoints (from ``discovery_policy``)."""
        return (self.discovery_policy or DiscoveryPolicy()).endpoint_policy

    def resolved_client(self) -> Client:
        """The client these options describe at the token endpoint."""
        client = Client.from_credentials(
            self.client_id,
            self.client_secret,
            method=self.client_auth_method,
            private_key_jwt=self.private_key_jwt,
            mtls=self.mtls,
        )
        if self.client_certificate is None and self.dpop_key is None and self.fapi is None:
            return client
        return Client(
            client.client_id,
            client.auth,
            dpop=self.dpop_key,
            certificate=self.client_certificate,
            profile=self.fapi,
        )

    @cached_property
    def request_object_signing_key(self) -> JsonWebKey | None:
        """``request_object_key`` loaded once (None when logins send no request object)."""
        key = self.request_object_key
        if key is None:
            return None
        try:  # the same key rules as private_key_jwt assertions
            signer = PrivateKeyJwt(key, self.request_object_algorithm)
            loaded = signer.signing_key()
            signer.create_assertion(self.client_id, self.authority)  # alg fits the key?
        except ConfigurationException as exc:
            message = str(exc).removeprefix("PrivateKeyJwt: ")
            raise ConfigurationException(f"request_object_key: {message}") from None
        return loaded

    @cached_property
    def user_info_validation(self) -> JwtResponseValidation:
        """How a signed UserInfo answer (``application/jwt``) is verified: with the keys
        and issuer of the provider's discovery document (built once, shared by logins)."""
        from ..validation.jwt_response import JwtResponseValidation

        return JwtResponseValidation(
            disco_doc_address=self.authority,
            algorithms=None if self.fapi is None else self.fapi.allowed(None),
            discovery_policy=self.discovery_policy,
            leeway=self.clock_skew,
        )

    @property
    def uses_jarm(self) -> bool:
        """Whether ``response_mode`` asks for JARM (a signed authorization response)."""
        from ..jarm.response import is_jarm_mode

        return is_jarm_mode(self.response_mode)

    @cached_property
    def jarm_validation(self) -> JwtResponseValidation:
        """How JARM responses are verified: the provider's discovered keys and issuer, the
        registered ``authorization_signed_response_alg`` (built once, shared by logins)."""
        from ..validation.jwt_response import JwtResponseValidation

        alg = self.authorization_signed_response_alg
        algorithms = None if alg is None else [alg]
        if self.fapi is not None:  # FAPI 2.0 SP §5.4.1
            algorithms = self.fapi.allowed(algorithms) or self.fapi.allowed(None)
        return JwtResponseValidation(
            disco_doc_address=self.authority,
            algorithms=algorithms,
            decryption_keys=self.jarm_decryption_keys,
            discovery_policy=self.discovery_policy,
            leeway=self.clock_skew,
        )

    def _check_jarm(self) -> None:
        if self.response_mode is not None and not isinstance(self.response_mode, str):
            raise ConfigurationException("response_mode must be a string")
        alg = self.authorization_signed_response_alg
        if alg is not None and (not isinstance(alg, str) or not alg):
            raise ConfigurationException("authorization_signed_response_alg must be a string")
        keys = self.jarm_decryption_keys
        if keys is not None and not isinstance(keys, (list, tuple)):
            raise ConfigurationException("jarm_decryption_keys must be a list of keys")
        if (alg is not None or keys) and not self.uses_jarm:
            raise ConfigurationException(
                "authorization_signed_response_alg and jarm_decryption_keys need a JARM "
                "response_mode (jwt, query.jwt, fragment.jwt or form_post.jwt)"
            )
        if self.uses_jarm:  # an algorithm or key that can never verify fails here
            self.jarm_validation.compiled_for(self.client_id, None, ("iss", "aud", "exp"))

    def _check_request_object(self) -> None:
        if self.request_object_key is None:
            return
        if not isinstance(self.request_object_algorithm, str):
            raise ConfigurationException("request_object_algorithm must be a string")
        self.request_object_signing_key  # noqa: B018  (loads it: a bad key fails here)

    def _check_fapi(self, fapi: FapiPolicy) -> None:
        from ..fapi.profile import FapiViolation, raise_for

        found: list[FapiViolation] = []
        for name, algorithms in (
            ("id_token_algorithms", self.id_token_algorithms),
            (
                "authorization_signed_response_alg",
                None
                if self.authorization_signed_response_alg is None
                else [self.authorization_signed_response_alg],
            ),
            (
                "request_object_algorithm",
                None if self.request_object_key is None else [self.request_object_algorithm],
            ),
        ):
            if algorithms:
                found += fapi.algorithm_violations(algorithms, name)
        if fapi.message_signing:
            found += fapi.authorization_request_violations(
                {
                    "response_type": "code",
                    "code_challenge": "S256",
                    "code_challenge_method": "S256",
                    "redirect_uri": self.redirect_uri,
                    **({"request": ""} if self.request_object_key is not None else {}),
                },
                pushed=True,
            )
            if not self.uses_jarm:
                found += fapi.authorization_response_violations({}, jarm=False)[:1]
        else:
            found += fapi.authorization_request_violations(
                {
                    "response_type": "code",
                    "code_challenge": "S256",
                    "code_challenge_method": "S256",
                    "redirect_uri": self.redirect_uri,
                },
                pushed=True,
            )
        raise_for(found)

    def _check_id_token_algorithms(self) -> None:
        # An algorithm that can never verify must fail here, not at every login.
        from ..validation.config import TokenValidationConfig, compile_config

        algorithms = self.id_token_algorithms
        if isinstance(algorithms, str) or not isinstance(algorithms, (list, tuple)):
            raise ConfigurationException("id_token_algorithms must be a list of algorithm names")
        symmetric = [alg for alg in algorithms if isinstance(alg, str) and alg.startswith("HS")]
        compile_config(
            TokenValidationConfig(
                perform_disco=True,
                audience=self.client_id,
                algorithms=list(algorithms),
                client_secret=self.client_secret if symmetric else None,
            )
        )

    def __repr__(self) -> str:
        return (
            f"OidcClientOptions(authority={self.authority!r}, client_id={self.client_id!r}, "
            f"redirect_uri={self.redirect_uri!r}, scope={self.scope!r})"
        )


@dataclass(frozen=True, repr=False)
class AuthorizeState:
    """What to keep (server-side, e.g. in the session) between ``prepare_login`` and the callback.

    ``url`` is where to send the browser. ``state``, ``nonce`` and ``code_verifier`` are
    secrets bound to this login attempt: keep them out of logs and cookies readable by
    scripts. :meth:`to_dict` / :meth:`from_dict` serialise it for a session store.
    """

    url: str
    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    max_age: int | None = None
    created_at: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "state": self.state,
            "nonce": self.nonce,
            "code_verifier": self.code_verifier,
            "redirect_uri": self.redirect_uri,
            "max_age": self.max_age,
            "created_at": self.created_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuthorizeState:
        # Values come back from a session store: a lost or mangled one must fail loudly,
        # never become the string "None" that a forged callback could match.
        values: dict[str, str] = {}
        for name in ("url", "state", "nonce", "code_verifier", "redirect_uri"):
            value = data.get(name) if isinstance(data, Mapping) else None
            if not isinstance(value, str) or not value:
                raise ConfigurationException(f"Invalid AuthorizeState data: {name!r} is missing")
            values[name] = value
        max_age = data.get("max_age")
        if max_age is not None and (isinstance(max_age, bool) or not isinstance(max_age, int)):
            raise ConfigurationException("Invalid AuthorizeState data: 'max_age' must be an int")
        created_at = data.get("created_at", time.time())
        if isinstance(created_at, bool) or not isinstance(created_at, (int, float)):
            raise ConfigurationException(
                "Invalid AuthorizeState data: 'created_at' must be a number"
            )
        return cls(**values, max_age=max_age, created_at=float(created_at))

    def __repr__(self) -> str:
        return f"AuthorizeState(redirect_uri={self.redirect_uri!r}, state=[redacted])"


@dataclass(repr=False)
class LoginResult(ProtocolResponse):
    """The outcome of a login: tokens, the user's claims and a principal.

    ``claims`` are the validated ID token claims, merged with the UserInfo claims when
    userinfo was loaded (``OidcClientOptions.load_user_info``), as Duende's OidcClient
    does: the ID token's claims first; a UserInfo claim is added only when the ID token has
    no claim of that name, and protocol claims (``iss``, ``aud``, ``sub``, ``exp``, ``iat``,
    ``nbf``, ``nonce``, ``at_hash``, ``c_hash``, ``s_hash``, ``auth_time``, ``acr``,
    ``amr``, ``azp``, ``sid``, ``jti``) are never taken from UserInfo. ``id_token_claims``
    are the ID token's alone; ``user_info`` is the UserInfo response (``None`` when not
    loaded). ``principal`` is built from ``claims``.

    On failure, ``error_code`` is the provider's error (``access_denied``, ``invalid_grant``,
    ...) or one of the library's (``invalid_state``, ``issuer_mismatch``,
    ``missing_issuer``, ``invalid_callback``, ``invalid_token_type``, ``invalid_id_token``,
    ``missing_fields``, with JARM ``jarm_response_required`` and ``invalid_jarm_response``,
    or the code of a failed discovery); ``error`` says it in words. A
    failed UserInfo request fails the login with the UserInfo response's own code (the
    provider rejected the access token, the answer is for another ``sub``, a signed answer
    failed verification, a timeout, ...), that response in ``user_info``.
    """

    _: KW_ONLY
    claims: dict[str, Any] | None = None
    principal: ClaimsPrincipal | None = None
    token_response: TokenResponse | None = None
    id_token_claims: dict[str, Any] | None = field(default=None, repr=False)
    user_info: UserInfoResponse | None = None

    @property
    def access_token(self) -> str | None:
        return self.token_response.access_token if self.token_response else None

    @property
    def refresh_token(self) -> str | None:
        return self.token_response.refresh_token if self.token_response else None

    @property
    def id_token(self) -> str | None:
        return self.token_response.id_token if self.token_response else None

    @property
    def expires_at(self) -> float | None:
        return self.token_response.expires_at if self.token_response else None

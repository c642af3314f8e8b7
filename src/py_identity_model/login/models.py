"""Types of the login helper: options, the state kept between the two legs, the result."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..discovery.models import DiscoveryPolicy
from ..endpoints.client import Client
from ..endpoints.client_auth import PrivateKeyJwt
from ..endpoints.policy import EndpointPolicy
from ..exceptions import ConfigurationException
from ..frontchannel._params import check_redirect_uri
from ..http.results import ProtocolResponse
from ..identity import ClaimsPrincipal
from ..tokens.models import TokenResponse
from ..userinfo.models import UserInfoResponse

if TYPE_CHECKING:
    from ..validation.jwt_response import JwtResponseValidation

__all__ = ["AuthorizeState", "LoginResult", "OidcClientOptions"]


@dataclass(repr=False)
class OidcClientOptions:
    """How an OpenID Connect client (relying party) logs users in.

    Attributes:
        authority: the OpenID Provider's issuer URL (discovery is read from it).
        client_id / client_secret / client_auth_method / private_key_jwt: the client's
            credentials at the token endpoint (a public client sets none).
        redirect_uri: where the provider sends the browser back.
        scope: space-separated scopes; must include ``openid``.
        resource: RFC 8707 resource indicator(s) for the access token.
        response_mode: ``query`` (default for code), ``form_post``, ...
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
    """

    authority: str
    client_id: str
    redirect_uri: str
    scope: str = "openid profile"
    client_secret: str | None = None
    _: KW_ONLY
    client_auth_method: str | None = None
    private_key_jwt: PrivateKeyJwt | None = None
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
        self.resolved_client()  # the credentials are checked once, here
        if self.id_token_algorithms is not None:
            self._check_id_token_algorithms()

    @property
    def endpoint_policy(self) -> EndpointPolicy:
        """The URL rules of the provider's endpoints (from ``discovery_policy``)."""
        return (self.discovery_policy or DiscoveryPolicy()).endpoint_policy

    def resolved_client(self) -> Client:
        """The client these options describe at the token endpoint."""
        return Client.from_credentials(
            self.client_id,
            self.client_secret,
            method=self.client_auth_method,
            private_key_jwt=self.private_key_jwt,
        )

    @cached_property
    def user_info_validation(self) -> JwtResponseValidation:
        """How a signed UserInfo answer (``application/jwt``) is verified: with the keys
        and issuer of the provider's discovery document (built once, shared by logins)."""
        from ..validation.jwt_response import JwtResponseValidation

        return JwtResponseValidation(
            disco_doc_address=self.authority,
            discovery_policy=self.discovery_policy,
            leeway=self.clock_skew,
        )

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
    ``missing_fields``, or the code of a failed discovery); ``error`` says it in words. A
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

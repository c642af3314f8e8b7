"""``TokenValidationConfig`` (drop-in with py-identity-model 4.x) and its compiled form.

A config is *compiled* once into :class:`CompiledConfig`: the allow-list, the static key
set, the claim rules. Compilation is where misuse is caught (an option that tries to turn
off signature, issuer or audience checks, an unknown option, a symmetric key without HS
algorithms, ...): it raises :class:`~py_identity_model.ConfigurationException`, loudly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from ..discovery.models import DiscoveryPolicy
from ..exceptions import ConfigurationException
from ..options import get_options
from ..utils.memo import BoundedMemo
from ..utils.numbers import require_number
from .claims import ClaimRules

if TYPE_CHECKING:
    # JOSE (and with it cryptography) is loaded when a config is first compiled, so that
    # importing TokenValidationConfig stays cheap.
    from ..jose import JsonWebKey, JsonWebKeySet
    from .key_source import RemoteKeySource

__all__ = ["CompiledConfig", "TokenValidationConfig", "compile_config"]

DEFAULT_MAX_TOKEN_SIZE = 256 * 1024

# PyJWT-style ``options`` keys. Checks that protect integrity cannot be switched off.
# Every check runs; ``verify_aud: False`` is accepted only when no audience is configured
# (it then allows tokens that carry an ``aud``).
_LOCKED_ON = (
    "verify_signature",
    "verify_exp",
    "verify_nbf",
    "verify_iat",
    "verify_iss",
    "verify_aud",
    "verify_sub",
    "verify_jti",
)
_KNOWN_OPTIONS = frozenset({*_LOCKED_ON, "require"})


@dataclass(eq=False)
class TokenValidationConfig:
    """How a token must look to be accepted.

    Positional fields keep py-identity-model 4.x's order. ``perform_disco=True`` takes the
    issuer from discovery and the keys from its JWKS (chosen by ``kid``); otherwise ``key``
    (a JWK dict, a :class:`JsonWebKey`, or a JWK Set dict ``{"keys": [...]}``) is used and
    ``issuer`` should be set.

    Treat a config as immutable once it has been used: it is compiled on first use.

    Keyword-only additions:
        issuer_templates: issuers with a ``{tenantid}`` placeholder matched against ``tid``
            (Microsoft Entra multi-tenant apps).
        required_claims: claims that must be present.
        required_scopes: scopes that must all be granted (``scope`` or ``scp``).
        token_type: the expected ``typ`` header, e.g. ``"at+jwt"`` for RFC 9068 access
            tokens (``application/`` prefix and letter case are ignored).
        max_token_size: tokens longer than this are rejected before any decoding.
        max_token_age: reject tokens whose ``iat`` is older than this many seconds.
        authorized_party: the expected ``azp`` when the token has one.
        decryption_keys: private keys (JWK dicts or :class:`JsonWebKey`) for encrypted
            tokens (JWE, needs the ``[jwe]`` extra).
        jwks_refresh_cooldown: an unknown ``kid`` refetches the JWKS at most once per this
            many seconds (library default when None).
        client_secret: for ID tokens MACed with the client secret (OpenID Connect Core
            §10.1): the secret whose UTF-8 octets are the HMAC key. Used only for the one
            ``HS256``/``HS384``/``HS512`` algorithm named in ``algorithms`` (the client's
            registered ``id_token_signed_response_alg``), never chosen by the token header;
            asymmetric algorithms keep using the provider's keys.
    """

    perform_disco: bool
    key: dict[str, Any] | JsonWebKey | None = None
    audience: str | list[str] | None = None
    algorithms: list[str] | None = None
    issuer: str | list[str] | None = None
    subject: str | None = None
    options: dict[str, Any] | None = None
    claims_validator: Callable[[dict[str, Any]], Any] | None = None
    require_https: bool = True
    leeway: float | None = None
    allowed_issuers: list[str] | None = None
    discovery_policy: DiscoveryPolicy | None = None
    _: KW_ONLY
    issuer_templates: list[str] | None = None
    required_claims: list[str] | None = None
    required_scopes: list[str] | None = None
    token_type: str | None = None
    max_token_size: int = DEFAULT_MAX_TOKEN_SIZE
    max_token_age: float | None = None
    authorized_party: str | None = None
    decryption_keys: list[dict[str, Any] | JsonWebKey] | None = None
    jwks_refresh_cooldown: float | None = None
    client_secret: str | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        # Rebinding a field drops the compiled form, so the next use recompiles.
        self.__dict__.pop("_compiled", None)
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        # ``key`` may be a private or symmetric key: show only its kind.
        shown = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or f.name == "_":
                continue
            if f.name in ("key", "decryption_keys", "client_secret"):
                value = "[redacted]"
            shown.append(f"{f.name}={value!r}" if value != "[redacted]" else f"{f.name}=[redacted]")
        return f"TokenValidationConfig({', '.join(shown)})"


@dataclass(frozen=True)
class CompiledConfig:
    """The validated, ready-to-use form of a config.

    It also memoises what depends on the authority at run time (the claim rules with the
    discovered issuer, the shared key source per discovery address), so the warm path
    does dictionary look-ups only.
    """

    algorithms: frozenset[str]
    static_keys: JsonWebKeySet | None
    allow_symmetric: bool
    issuers: tuple[str, ...]
    rules: ClaimRules
    token_type: str | None
    max_token_size: int
    decryption_keys: tuple[JsonWebKey, ...]
    jwks_refresh_cooldown: float
    discovery_policy: DiscoveryPolicy
    reject_unexpected_audience: bool
    secret_key: JsonWebKey | None = None
    issuer_rules: BoundedMemo[str, ClaimRules] = field(default_factory=BoundedMemo, compare=False)
    sources: BoundedMemo[str, RemoteKeySource] = field(default_factory=BoundedMemo, compare=False)

    def rules_for_issuer(self, issuer: str) -> ClaimRules:
        """The claim rules with ``issuer`` (from discovery) as the expected issuer."""
        rules = self.issuer_rules.get(issuer)
        if rules is None:
            rules = self.issuer_rules.put(issuer, replace(self.rules, issuers=(issuer,)))
        return rules


def _as_tuple(value: str | list[str] | tuple[str, ...] | None, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ConfigurationException(f"{name} must be a string or a list of strings")


def _static_keys(key: dict[str, Any] | JsonWebKey | None) -> JsonWebKeySet | None:
    from ..jose import JsonWebKey, JsonWebKeySet

    if key is None:
        return None
    if isinstance(key, JsonWebKey):
        return JsonWebKeySet([key])
    if isinstance(key, Mapping):
        if "keys" in key:
            keys = JsonWebKeySet.from_dict(key)
            if not len(keys):
                raise ConfigurationException("the configured key set has no usable key")
            return keys
        return JsonWebKeySet([JsonWebKey.from_dict(key)])
    raise ConfigurationException("key must be a JWK dict, a JWK Set dict or a JsonWebKey")


def _check_options(options: Mapping[str, Any] | None, audience_set: bool) -> tuple[str, ...]:
    if not options:
        return ()
    if not isinstance(options, Mapping):
        raise ConfigurationException("options must be a dict")
    unknown = set(options) - _KNOWN_OPTIONS
    if unknown:
        raise ConfigurationException(f"Unknown validation option(s): {', '.join(sorted(unknown))}")
    for name in _LOCKED_ON:
        if name in options and not isinstance(options[name], bool):
            raise ConfigurationException(f"options[{name!r}] must be True or False")
        if options.get(name, True) is False:
            if name == "verify_aud" and not audience_set:
                continue  # nothing to verify: no audience configured
            raise ConfigurationException(
                f"options[{name!r}] = False is refused: this check cannot be disabled"
            )
    require = options.get("require", ())
    return _as_tuple(list(require) if isinstance(require, (list, tuple)) else require, "require")


def _algorithms(config: TokenValidationConfig, static: JsonWebKeySet | None) -> frozenset[str]:
    from ..jose import ASYMMETRIC_ALGORITHMS, is_none_algorithm
    from ..jose.registry import ALGORITHMS

    if config.algorithms is None:
        if static is not None and any(k.kty == "oct" for k in static):
            raise ConfigurationException(
                "a symmetric key needs an explicit algorithms list (e.g. ['HS256'])"
            )
        if config.client_secret is not None:
            raise ConfigurationException(
                "client_secret needs the client's HS256/HS384/HS512 algorithm in algorithms"
            )
        return frozenset(ASYMMETRIC_ALGORITHMS)
    if isinstance(config.algorithms, str) or not isinstance(config.algorithms, (list, tuple)):
        raise ConfigurationException("algorithms must be a list of algorithm names")
    allowed = set()
    for name in config.algorithms:
        if not isinstance(name, str):
            raise ConfigurationException("algorithms must be a list of algorithm names")
        if is_none_algorithm(name):
            raise ConfigurationException("alg 'none' can never be allowed")
        if name not in ALGORITHMS:
            raise ConfigurationException(f"Unsupported algorithm: {name[:32]!r}")
        allowed.add(name)
    if not allowed:
        raise ConfigurationException("algorithms must not be empty")
    return frozenset(allowed)


def _secret_key(
    config: TokenValidationConfig, algorithms: frozenset[str], static: JsonWebKeySet | None
) -> JsonWebKey | None:
    """The HMAC key of a client secret (OIDC Core §10.1), or None.

    An HS algorithm that no configured key can ever verify is refused here, at
    construction, rather than failing every token at run time.
    """
    from ..jose import SYMMETRIC_ALGORITHMS, JsonWebKey

    symmetric = sorted(algorithms & SYMMETRIC_ALGORITHMS)
    secret = config.client_secret
    if secret is None:
        if symmetric and (static is None or not any(k.kty == "oct" for k in static)):
            raise ConfigurationException(
                f"{symmetric[0]} needs a shared key: set client_secret (ID tokens MACed with "
                "the client secret, OIDC Core §10.1) or a symmetric key; keys from a JWKS are "
                "never used for HMAC"
            )
        return None
    if not isinstance(secret, str) or not secret:
        raise ConfigurationException("client_secret must be a non-empty string")
    if len(symmetric) != 1:
        raise ConfigurationException(
            "client_secret needs exactly one of HS256/HS384/HS512 in algorithms: the client's "
            "registered id_token_signed_response_alg"
        )
    octets = secret.encode("utf-8")
    needed = int(symmetric[0][2:]) // 8
    if len(octets) < needed:
        raise ConfigurationException(
            f"client_secret is {len(octets)} bytes: {symmetric[0]} needs a key of at least "
            f"{needed} bytes (RFC 7518 §3.2), so no token could ever verify"
        )
    return JsonWebKey.from_key(octets)


def _optional_text(value: object, name: str) -> None:
    if value is not None and not isinstance(value, str):
        raise ConfigurationException(f"{name} must be a string")


def _check_scalars(config: TokenValidationConfig) -> None:
    for name in ("perform_disco", "require_https"):
        if not isinstance(getattr(config, name), bool):
            raise ConfigurationException(f"{name} must be True or False")
    for name in ("subject", "token_type", "authorized_party"):
        _optional_text(getattr(config, name), name)
    if config.claims_validator is not None and not callable(config.claims_validator):
        raise ConfigurationException("claims_validator must be callable")
    if config.discovery_policy is not None and not isinstance(
        config.discovery_policy, DiscoveryPolicy
    ):
        raise ConfigurationException("discovery_policy must be a DiscoveryPolicy")
    if config.decryption_keys is not None and not isinstance(config.decryption_keys, (list, tuple)):
        raise ConfigurationException("decryption_keys must be a list of keys")


def compile_config(config: TokenValidationConfig) -> CompiledConfig:
    """Check a config for misuse and precompute what validation needs.

    Every option is checked here, with ``ConfigurationException`` for a wrong type or
    value (NaN, infinities and negatives included): nothing leaks a ``TypeError`` later,
    and no option silently switches a check off.
    """
    from ..jose import JsonWebKey

    if not isinstance(config, TokenValidationConfig):
        raise ConfigurationException("token_validation_config must be a TokenValidationConfig")
    _check_scalars(config)
    options = get_options()
    static = None if config.perform_disco else _static_keys(config.key)
    if not config.perform_disco and static is None:
        raise ConfigurationException("perform_disco=False needs a key")
    algorithms = _algorithms(config, static)
    secret_key = _secret_key(config, algorithms, static)
    allow_symmetric = static is not None and any(k.kty == "oct" for k in static)
    audiences = _as_tuple(config.audience, "audience")
    required = _check_options(config.options, bool(audiences))
    issuers = _as_tuple(config.issuer, "issuer") + _as_tuple(
        config.allowed_issuers, "allowed_issuers"
    )
    templates = _as_tuple(config.issuer_templates, "issuer_templates")
    leeway = (
        options.clock_skew if config.leeway is None else require_number(config.leeway, "leeway")
    )
    max_token_size = int(
        require_number(config.max_token_size, "max_token_size", positive=True, integer=True)
    )
    max_token_age = (
        None
        if config.max_token_age is None
        else require_number(config.max_token_age, "max_token_age")
    )
    rules = ClaimRules(
        issuers=issuers,
        issuer_templates=templates,
        audiences=audiences,
        leeway=leeway,
        max_token_age=max_token_age,
        required_claims=_as_tuple(config.required_claims, "required_claims") + required,
        subject=config.subject,
        required_scopes=_as_tuple(config.required_scopes, "required_scopes"),
        authorized_party=config.authorized_party,
        claims_validator=config.claims_validator,
    )
    policy = config.discovery_policy or DiscoveryPolicy(require_https=config.require_https)
    decryption = tuple(
        key if isinstance(key, JsonWebKey) else JsonWebKey.from_dict(key)
        for key in (config.decryption_keys or ())
    )
    cooldown = (
        options.jwks_refresh_cooldown
        if config.jwks_refresh_cooldown is None
        else require_number(config.jwks_refresh_cooldown, "jwks_refresh_cooldown")
    )
    return CompiledConfig(
        algorithms=algorithms,
        static_keys=static,
        allow_symmetric=allow_symmetric,
        issuers=issuers,
        rules=rules,
        token_type=config.token_type,
        max_token_size=max_token_size,
        decryption_keys=decryption,
        jwks_refresh_cooldown=cooldown,
        discovery_policy=policy,
        # As PyJWT: a token that names an audience is refused by a validator that
        # expects none, unless options={"verify_aud": False} says so explicitly.
        reject_unexpected_audience=not audiences
        and (config.options or {}).get("verify_aud", True) is not False,
        secret_key=secret_key,
    )


def compiled(config: TokenValidationConfig) -> CompiledConfig:
    """The compiled form of ``config``, cached on the object.

    Assigning any field drops the cache; mutating a list field in place does not (treat a
    used config as immutable).
    """
    if not isinstance(config, TokenValidationConfig):
        raise ConfigurationException("token_validation_config must be a TokenValidationConfig")
    cached: CompiledConfig | None = config.__dict__.get("_compiled")
    if cached is None:
        cached = config.__dict__["_compiled"] = compile_config(config)
    return cached

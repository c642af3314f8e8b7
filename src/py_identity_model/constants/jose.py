"""JOSE constants: header parameters, ``typ`` values, algorithms, key types and curves.

Sources:

* RFC 7515 (JWS) section 4.1, RFC 7516 (JWE) section 4.1, RFC 7518 (JWA) sections
  3.1, 4.1, 4.6.1, 4.7.1, 4.8.1 and 5.1, RFC 7797 (``b64``), RFC 8225 (``ppt``) - the
  IANA "JSON Web Signature and Encryption Header Parameters" and "Algorithms" registries.
* RFC 7517 (JWK) sections 4 and 6, RFC 7518 section 6, RFC 8037 (OKP keys, EdDSA),
  RFC 8812 (``ES256K``/``secp256k1``), RFC 9864 (fully-specified ``Ed25519``/``Ed448``).
* ``typ`` media types: RFC 7519 section 5.1 (``JWT``), RFC 9068 (``at+jwt``), Back-Channel
  Logout 1.0 section 2.4 (``logout+jwt``), RFC 9449 section 4.2 (``dpop+jwt``),
  RFC 9701 (``token-introspection+jwt``), RFC 9101 section 10.8 (``oauth-authz-req+jwt``),
  RFC 8417 (``secevent+jwt``) and draft-ietf-oauth-rfc7523bis
  (``client-authentication+jwt``).

Member names are PascalCase, following the Duende.IdentityModel / py-identity-model
4.x style for JWT-level names (``JwtHeaderParameterNames.X5tS256``).
"""

from __future__ import annotations

from enum import unique

from ._base import ConstantEnum
from .jose_algorithms import JWS_ALGORITHMS

__all__ = [
    "Algorithms",
    "AsymmetricAlgorithms",
    "ContentEncryptionAlgorithms",
    "Curves",
    "JsonWebKeyParameterNames",
    "JwtHeaderParameterNames",
    "JwtTypes",
    "KeyManagementAlgorithms",
    "KeyOperations",
    "KeyTypes",
    "KeyUses",
    "SigningAlgorithms",
    "SymmetricAlgorithms",
]


@unique
class JwtHeaderParameterNames(ConstantEnum):
    """JOSE header parameter names (RFC 7515 4.1, RFC 7516 4.1, RFC 7518 4.6-4.8)."""

    Alg = "alg"
    Kid = "kid"
    Typ = "typ"
    Cty = "cty"
    Jku = "jku"
    Jwk = "jwk"
    X5u = "x5u"
    X5c = "x5c"
    X5t = "x5t"
    X5tS256 = "x5t#S256"
    Crit = "crit"
    Zip = "zip"
    Enc = "enc"
    Epk = "epk"
    Apu = "apu"
    Apv = "apv"
    Iv = "iv"
    Tag = "tag"
    P2s = "p2s"
    P2c = "p2c"
    B64 = "b64"
    Ppt = "ppt"


@unique
class JwtTypes(ConstantEnum):
    """``typ`` header values of explicitly typed JWTs (RFC 8725 section 3.11)."""

    Jwt = "JWT"
    AccessToken = "at+jwt"
    LogoutToken = "logout+jwt"
    DPoPProofToken = "dpop+jwt"
    IntrospectionJwtResponse = "token-introspection+jwt"
    AuthorizationRequest = "oauth-authz-req+jwt"
    ClientAuthentication = "client-authentication+jwt"
    SecurityEventToken = "secevent+jwt"

    @staticmethod
    def normalise(typ: object) -> str:
        """A ``typ`` value in the form in which two values are compared (RFC 7515 §4.1.9).

        Media type names are case-insensitive and the ``application/`` prefix may be
        omitted, so ``"AT+JWT"``, ``"application/at+jwt"`` and ``"at+jwt"`` all become
        ``"at+jwt"``. Nothing else is changed: a token's ``typ`` with stray whitespace or
        another top-level type does not become a valid one. A value that is not a string
        (a malformed header) is taken as its ``str()``, which matches no type.
        """
        return str(typ).lower().removeprefix("application/")

    @staticmethod
    def as_media_type(value: str) -> str:
        """Return the media type for a ``typ`` value (RFC 7515 section 4.1.9).

        ``"at+jwt"`` (or ``"application/at+jwt"``) becomes ``"application/at+jwt"``; the
        result is lower-cased and surrounding whitespace is ignored.
        Raises :class:`ValueError` for an empty or blank value.
        """
        if not value or not value.strip():
            raise ValueError("value cannot be None or whitespace")
        return "application/" + JwtTypes.normalise(value.strip())

    @property
    def media_type(self) -> str:
        """This type's full media type, e.g. ``application/at+jwt``."""
        return JwtTypes.as_media_type(self.value)

    def matches(self, typ: str | None) -> bool:
        """Whether a ``typ`` header denotes this type (:meth:`normalise`).

        ``"AT+JWT"`` and ``"application/at+jwt"`` both match :attr:`AccessToken`. Being a
        helper for values the caller holds, it also ignores surrounding whitespace.
        """
        if typ is None or not typ.strip():
            return False
        return JwtTypes.normalise(typ.strip()) == JwtTypes.normalise(self.value)


@unique
class SigningAlgorithms(ConstantEnum):
    """JWS ``alg`` values (RFC 7518 section 3.1, RFC 8037, RFC 8812, RFC 9864)."""

    HS256 = "HS256"
    HS384 = "HS384"
    HS512 = "HS512"
    RS256 = "RS256"
    RS384 = "RS384"
    RS512 = "RS512"
    PS256 = "PS256"
    PS384 = "PS384"
    PS512 = "PS512"
    ES256 = "ES256"
    ES384 = "ES384"
    ES512 = "ES512"
    ES256K = "ES256K"
    EdDSA = "EdDSA"
    Ed25519 = "Ed25519"
    Ed448 = "Ed448"
    NONE = "none"

    # The facts come from the registry tables (constants/jose_algorithms.py).

    @property
    def is_symmetric(self) -> bool:
        """True for the HMAC algorithms (``HS*``), which use a shared ``oct`` key."""
        return JWS_ALGORITHMS[self.value].symmetric

    @property
    def is_asymmetric(self) -> bool:
        """True for public-key signature algorithms (RSA, EC and OKP keys)."""
        return JWS_ALGORITHMS[self.value].asymmetric

    @property
    def key_type(self) -> KeyTypes | None:
        """The JWK ``kty`` this algorithm needs, or ``None`` for ``none``."""
        kty = JWS_ALGORITHMS[self.value].kty
        return KeyTypes(kty) if kty is not None else None

    @property
    def curve(self) -> Curves | None:
        """The curve an EC/OKP key must use, if the algorithm fixes one.

        ``EdDSA`` allows both Ed25519 and Ed448, so it returns ``None``.
        """
        curves = JWS_ALGORITHMS[self.value].curves
        return Curves(next(iter(curves))) if len(curves) == 1 else None


@unique
class KeyTypes(ConstantEnum):
    """JWK ``kty`` values (RFC 7518 section 6.1, RFC 8037 section 2)."""

    RSA = "RSA"
    EC = "EC"
    OKP = "OKP"
    Oct = "oct"


@unique
class Curves(ConstantEnum):
    """JWK ``crv`` values (RFC 7518 section 6.2.1.1, RFC 8037 section 2, RFC 8812)."""

    P256 = "P-256"
    P384 = "P-384"
    P521 = "P-521"
    Secp256k1 = "secp256k1"
    Ed25519 = "Ed25519"
    Ed448 = "Ed448"
    X25519 = "X25519"
    X448 = "X448"


@unique
class KeyUses(ConstantEnum):
    """JWK ``use`` values (RFC 7517 section 4.2)."""

    Signature = "sig"
    Encryption = "enc"


@unique
class KeyOperations(ConstantEnum):
    """JWK ``key_ops`` values (RFC 7517 section 4.3)."""

    Sign = "sign"
    Verify = "verify"
    Encrypt = "encrypt"
    Decrypt = "decrypt"
    WrapKey = "wrapKey"
    UnwrapKey = "unwrapKey"
    DeriveKey = "deriveKey"
    DeriveBits = "deriveBits"


@unique
class JsonWebKeyParameterNames(ConstantEnum):
    """JWK member names (RFC 7517 section 4, RFC 7518 section 6, RFC 8037 section 2)."""

    Kty = "kty"
    Use = "use"
    KeyOps = "key_ops"
    Alg = "alg"
    Kid = "kid"
    X5u = "x5u"
    X5c = "x5c"
    X5t = "x5t"
    X5tS256 = "x5t#S256"
    Crv = "crv"
    X = "x"
    Y = "y"
    D = "d"
    N = "n"
    E = "e"
    P = "p"
    Q = "q"
    DP = "dp"
    DQ = "dq"
    QI = "qi"
    Oth = "oth"
    K = "k"


@unique
class KeyManagementAlgorithms(ConstantEnum):
    """JWE ``alg`` values (RFC 7518 section 4.1)."""

    RsaOaep = "RSA-OAEP"
    RsaOaep256 = "RSA-OAEP-256"
    Rsa15 = "RSA1_5"
    A128KW = "A128KW"
    A192KW = "A192KW"
    A256KW = "A256KW"
    Direct = "dir"
    EcdhEs = "ECDH-ES"
    EcdhEsA128KW = "ECDH-ES+A128KW"
    EcdhEsA192KW = "ECDH-ES+A192KW"
    EcdhEsA256KW = "ECDH-ES+A256KW"
    A128GCMKW = "A128GCMKW"
    A192GCMKW = "A192GCMKW"
    A256GCMKW = "A256GCMKW"
    Pbes2Hs256A128KW = "PBES2-HS256+A128KW"
    Pbes2Hs384A192KW = "PBES2-HS384+A192KW"
    Pbes2Hs512A256KW = "PBES2-HS512+A256KW"


@unique
class ContentEncryptionAlgorithms(ConstantEnum):
    """JWE ``enc`` values (RFC 7518 section 5.1)."""

    A128CbcHs256 = "A128CBC-HS256"
    A192CbcHs384 = "A192CBC-HS384"
    A256CbcHs512 = "A256CBC-HS512"
    A128GCM = "A128GCM"
    A192GCM = "A192GCM"
    A256GCM = "A256GCM"


# py-identity-model 4.x / Duende ``OidcConstants.Algorithms`` (upper-case members).


@unique
class SymmetricAlgorithms(ConstantEnum):
    """HMAC JWS algorithms (RFC 7518 section 3.2)."""

    HS256 = "HS256"
    HS384 = "HS384"
    HS512 = "HS512"


@unique
class AsymmetricAlgorithms(ConstantEnum):
    """RSA and ECDSA JWS algorithms (RFC 7518 sections 3.3-3.5)."""

    RS256 = "RS256"
    RS384 = "RS384"
    RS512 = "RS512"
    ES256 = "ES256"
    ES384 = "ES384"
    ES512 = "ES512"
    PS256 = "PS256"
    PS384 = "PS384"
    PS512 = "PS512"


@unique
class Algorithms(ConstantEnum):
    """The unsecured JWS algorithm (RFC 7518 section 3.6)."""

    NONE = "none"

"""Claim type names used in JWTs, ID tokens, UserInfo responses and logout tokens.

Member names are PascalCase (``JwtClaimTypes.Subject``), exactly as in
py-identity-model 4.x and Duende.IdentityModel's ``JwtClaimTypes``; the values
are the registered claim names.  Sources (IANA "JSON Web Token Claims" registry):

* RFC 7519 (JWT) section 4.1 - ``iss``, ``sub``, ``aud``, ``exp``, ``nbf``, ``iat``, ``jti``.
* OpenID Connect Core 1.0 sections 2, 3.1.3.6, 3.3.2.11, 5.1, 5.6.2 and 7.4 - ID token
  and standard claims, hashes, aggregated/distributed claims, ``sub_jwk``.
* OpenID Financial-grade API Part 2, section 5.1 (``s_hash``).
* OpenID Connect Front-/Back-Channel Logout 1.0 (``sid``, ``events``).
* RFC 8176 (``amr``); RFC 8693 sections 4.1-4.4 (``act``, ``scope``, ``client_id``,
  ``may_act``); RFC 7800 and RFC 8705 (``cnf``); RFC 9449 section 4.2 (``htm``,
  ``htu``, ``ath``); RFC 8417 (``events``, ``txn``); RFC 9068 section 2.2.3.1
  (``groups``, ``roles``, ``entitlements``); RFC 9396 section 9.1
  (``authorization_details``).
* ``idp``, ``role``, ``id`` and ``reference_token_id`` are Duende IdentityServer
  conventions kept for compatibility.

:class:`~py_identity_model.constants.jose.JwtTypes` is re-exported here because
py-identity-model 4.x defines it next to ``JwtClaimTypes``.
"""

from __future__ import annotations

from enum import unique

from ._base import ConstantEnum
from .jose import JwtTypes

__all__ = ["ConfirmationMethods", "JwtClaimTypes", "JwtTypes"]


@unique
class JwtClaimTypes(ConstantEnum):
    """Commonly used claim types (Duende.IdentityModel ``JwtClaimTypes``)."""

    # Standard claims (OIDC Core 5.1)
    Subject = "sub"
    Name = "name"
    GivenName = "given_name"
    FamilyName = "family_name"
    MiddleName = "middle_name"
    NickName = "nickname"
    PreferredUserName = "preferred_username"
    Profile = "profile"
    Picture = "picture"
    WebSite = "website"
    Email = "email"
    EmailVerified = "email_verified"
    Gender = "gender"
    BirthDate = "birthdate"
    ZoneInfo = "zoneinfo"
    Locale = "locale"
    PhoneNumber = "phone_number"
    PhoneNumberVerified = "phone_number_verified"
    Address = "address"
    UpdatedAt = "updated_at"

    # Registered JWT claims (RFC 7519 4.1)
    Audience = "aud"
    Issuer = "iss"
    NotBefore = "nbf"
    Expiration = "exp"
    IssuedAt = "iat"
    JwtId = "jti"

    # ID token claims (OIDC Core 2, 3.1.3.6, 3.3.2.11; FAPI)
    AuthenticationMethod = "amr"
    SessionId = "sid"
    AuthenticationContextClassReference = "acr"
    AuthenticationTime = "auth_time"
    AuthorizedParty = "azp"
    AccessTokenHash = "at_hash"
    AuthorizationCodeHash = "c_hash"
    StateHash = "s_hash"
    Nonce = "nonce"
    SubJwk = "sub_jwk"

    # Aggregated and distributed claims (OIDC Core 5.6.2)
    ClaimNames = "_claim_names"
    ClaimSources = "_claim_sources"

    # Security events, logout tokens (RFC 8417, Back-Channel Logout 1.0)
    Events = "events"
    TransactionId = "txn"

    # OAuth claims (RFC 8693, RFC 9068, RFC 9396)
    ClientId = "client_id"
    Scope = "scope"
    Actor = "act"
    MayAct = "may_act"
    Groups = "groups"
    Entitlements = "entitlements"
    AuthorizationDetails = "authorization_details"

    # Duende IdentityServer conventions
    Id = "id"
    IdentityProvider = "idp"
    Role = "role"
    Roles = "roles"
    ReferenceTokenId = "reference_token_id"

    # Proof of possession (RFC 7800, RFC 9449)
    Confirmation = "cnf"
    Algorithm = "alg"
    JsonWebKey = "jwk"
    TokenType = "typ"
    DPoPHttpMethod = "htm"
    DPoPHttpUrl = "htu"
    DPoPAccessTokenHash = "ath"


@unique
class ConfirmationMethods(ConstantEnum):
    """Members of the ``cnf`` claim (RFC 7800 section 3, RFC 8705 3.1, RFC 9449 6.1)."""

    JsonWebKey = "jwk"
    EncryptedJsonWebKey = "jwe"
    KeyId = "kid"
    JwkSetUrl = "jku"
    JwkThumbprint = "jkt"
    X509ThumbprintSha256 = "x5t#S256"

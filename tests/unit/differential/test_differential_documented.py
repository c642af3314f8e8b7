"""Every known disagreement between py-identity-model, PyJWT (2.15) and joserfc (1.8),
pinned with a concrete token.

* ``STRICTER_THAN_BOTH``: we reject, both others accept. Each has its reason.
* ``STRICTER_THAN_ONE``: we reject, one of the others accepts.
* ``NON_SECURITY_REFUSALS``: we accept (as PyJWT does); joserfc refuses for a reason that
  is not about security (RFC 7515 §4: unknown header members must be ignored; ``jwk`` /
  ``x5c`` are never read by us, the key comes from the caller).
* ``test_null_registered_claims``: a JSON null registered claim is malformed, not absent:
  rejected by all three (a regression test: we once accepted it).

Only *our* verdict is asserted (plus the never-more-lenient invariant); what the others do
is recorded in the comments, for the library versions above.
"""

from __future__ import annotations

import json
import time
from typing import Any

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from differential_support import (
    AUDIENCE,
    ISSUER,
    assert_never_more_lenient,
    b64,
    compact_json,
    key_for,
    sign_raw,
    verdicts,
)
from joserfc import jwt as jose_jwt

from py_identity_model import (
    ConfigurationException,
    KeyNotFoundException,
    MalformedTokenException,
    PyIdentityModelException,
    TokenValidationConfig,
    TokenValidationException,
    validate_token,
)
from py_identity_model.exceptions import ClaimsValidationError

pytestmark = pytest.mark.filterwarnings("ignore::joserfc.errors.SecurityWarning")

ALG = "ES256"
NOW = int(time.time())
HEADER = {"alg": ALG, "typ": "JWT", "kid": key_for(ALG).kid}
CLAIMS = {"iss": ISSUER, "aud": AUDIENCE, "exp": NOW + 3600, "iat": NOW - 10}


def _token(header: str | bytes | None = None, payload: str | bytes | None = None) -> str:
    return sign_raw(
        ALG,
        compact_json(HEADER) if header is None else header,
        compact_json(CLAIMS) if payload is None else payload,
    )


def _claims_with(**extra: Any) -> str:
    return compact_json({**CLAIMS, **extra})


def _signature_padded() -> str:
    # ES256 signatures are 64 bytes: 86 characters, so "==" completes the last quantum.
    return _token() + "=="


STRICTER_THAN_BOTH = {
    # Duplicate members: PyJWT and joserfc keep the last value (json.loads); a first-wins
    # parser elsewhere would read another alg / audience (parser differential).
    "duplicate header member (same value)": (
        lambda: _token(header=compact_json(HEADER)[:-1] + ',"typ":"JWT"}'),
        MalformedTokenException,
    ),
    "duplicate alg (HS256 first)": (
        lambda: _token(header='{"alg":"HS256",' + compact_json(HEADER)[1:]),
        MalformedTokenException,
    ),
    "duplicate aud claim": (
        lambda: _token(payload='{"aud":"urn:other",' + compact_json(CLAIMS)[1:]),
        MalformedTokenException,
    ),
    # With a header kid, exactly one configured key must have that kid (docs/security.md);
    # both others ignore the kid when handed one key.
    "kid names no configured key": (
        lambda: _token(header=compact_json({**HEADER, "kid": "some-other-key"})),
        KeyNotFoundException,
    ),
    # RFC 8259 §8.1: no byte order mark; Python's json.loads(bytes) strips it silently.
    "UTF-8 BOM before the header": (
        lambda: _token(header=b"\xef\xbb\xbf" + compact_json(HEADER).encode()),
        MalformedTokenException,
    ),
    # NaN/Infinity are not JSON (RFC 8259 §6); json.loads accepts them.
    "NaN in the payload": (
        lambda: _token(payload=_claims_with()[:-1] + ',"x":NaN}'),
        MalformedTokenException,
    ),
    "Infinity in the payload": (
        lambda: _token(payload=_claims_with()[:-1] + ',"x":-Infinity}'),
        MalformedTokenException,
    ),
    # A lone UTF-16 surrogate cannot be valid UTF-8 text (RFC 8259 §8.2 / RFC 7159).
    "lone surrogate escape in the payload": (
        lambda: _token(payload=_claims_with()[:-1] + ',"x":"\\ud800"}'),
        MalformedTokenException,
    ),
}

STRICTER_THAN_ONE = {
    # PyJWT re-pads and decodes the same bytes; joserfc rejects.
    "'==' padding on the signature": (_signature_padded, MalformedTokenException),
    # RFC 7515 §4.1.11: crit must not be an empty list. joserfc accepts, PyJWT rejects.
    "empty crit": (
        lambda: _token(header=compact_json({**HEADER, "crit": []})),
        MalformedTokenException,
    ),
    # NumericDate is a JSON number (RFC 7519 §2). PyJWT int()-converts strings and accepts
    # booleans for nbf/iat; joserfc rejects.
    "exp as a numeric string": (
        lambda: _token(payload=_claims_with(exp=str(NOW + 3600))),
        ClaimsValidationError,
    ),
    "nbf as a boolean": (lambda: _token(payload=_claims_with(nbf=True)), ClaimsValidationError),
    "iat as a boolean": (lambda: _token(payload=_claims_with(iat=False)), ClaimsValidationError),
}

NON_SECURITY_REFUSALS = {
    # joserfc: UnsupportedHeaderError for any header member it does not know.
    "unknown header member": lambda: _token(header=compact_json({**HEADER, "x-trace": "1"})),
    # joserfc: InvalidHeaderValueError (type checks of members we never read).
    "x5c that is not a list": lambda: _token(header=compact_json({**HEADER, "x5c": "junk"})),
    "jwk that is not a JWK": lambda: _token(header=compact_json({**HEADER, "jwk": 5})),
}


@pytest.mark.parametrize("case", sorted(STRICTER_THAN_BOTH))
def test_stricter_than_both(case: str) -> None:
    make, expected = STRICTER_THAN_BOTH[case]
    token = make()
    v = verdicts(token, ALG)
    assert not v.ours.accepted
    assert isinstance(v.ours.error, expected), v


@pytest.mark.parametrize("case", sorted(STRICTER_THAN_ONE))
def test_stricter_than_one(case: str) -> None:
    make, expected = STRICTER_THAN_ONE[case]
    token = make()
    v = verdicts(token, ALG)
    assert not v.ours.accepted
    assert isinstance(v.ours.error, expected), v


@pytest.mark.parametrize("case", sorted(NON_SECURITY_REFUSALS))
def test_accepted_although_joserfc_refuses_for_a_non_security_reason(case: str) -> None:
    token = NON_SECURITY_REFUSALS[case]()
    v = verdicts(token, ALG)
    assert v.ours.accepted and v.pyjwt.accepted, v
    assert v.ours.claims == v.pyjwt.claims == CLAIMS


@pytest.mark.parametrize("claim", ["nbf", "iat", "sub", "jti"])
def test_null_registered_claims(claim: str) -> None:
    token = _token(payload=_claims_with(**{claim: None}))
    v = verdicts(token, ALG)
    # Only our verdict is asserted, with PyJWT's as the reference; joserfc rejects a null
    # ``sub`` only from 1.7.3 and a null ``jti`` from 1.7.6, so its verdict depends on the
    # installed version (the minimum-versions run has 1.7.1).
    assert not v.pyjwt.accepted, v
    assert not v.ours.accepted, f"we accept '{claim}': null, which PyJWT rejects"


@pytest.mark.parametrize("claim", ["iss", "aud", "exp"])
def test_null_required_claims_are_rejected_by_all(claim: str) -> None:
    v = verdicts(_token(payload=_claims_with(**{claim: None})), ALG)
    assert not v.ours.accepted and v.both_others_reject, v


# ----------------------------------------------------------------------- key confusion


def _rsa_public_forms() -> dict[str, bytes]:
    public = key_for("RS256").private.public_key()
    return {
        "PEM": public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        "DER": public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        "JWK JSON": json.dumps(key_for("RS256").ours_public).encode(),
    }


@pytest.mark.parametrize("form", ["PEM", "DER", "JWK JSON"])
def test_hs256_signed_with_the_rsa_public_key_is_rejected_by_all(form: str) -> None:
    """The classic RS256 -> HS256 confusion, each verifier allowing both algorithms."""
    import hmac

    secret = _rsa_public_forms()[form]
    signing_input = (
        f"{b64(compact_json({'alg': 'HS256', 'typ': 'JWT'}).encode())}."
        f"{b64(compact_json(CLAIMS).encode())}"
    )
    signature = hmac.digest(secret, signing_input.encode(), "sha256")
    token = f"{signing_input}.{b64(signature)}"
    config = TokenValidationConfig(
        perform_disco=False,
        key=key_for("RS256").ours_public,
        audience=AUDIENCE,
        issuer=ISSUER,
        algorithms=["RS256", "HS256"],
    )
    # Refused before any token is seen: no configured key can ever fit HS256 (an RSA key
    # never does, and HMAC needs a symmetric key configured explicitly), so the
    # configuration itself is misuse.
    with pytest.raises(ConfigurationException, match="HS256 needs a shared key"):
        validate_token(token, config)
    with pytest.raises(Exception):  # noqa: B017 - PyJWT: InvalidKeyError, whatever the form
        pyjwt.decode(
            token,
            _rsa_public_forms()["PEM"],
            algorithms=["RS256", "HS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
        )
    with pytest.raises(Exception):  # noqa: B017 - joserfc: the RSA key cannot do HS256
        jose_jwt.decode(token, key_for("RS256").joserfc_public, algorithms=["RS256", "HS256"])


def test_every_pinned_case_only_raises_token_validation_exceptions() -> None:
    """The never-more-lenient invariant over all pinned tokens, and our exception types."""
    cases = [
        *(make for make, _ in STRICTER_THAN_BOTH.values()),
        *(make for make, _ in STRICTER_THAN_ONE.values()),
    ]
    for make in cases:
        token = make()
        v = verdicts(token, ALG)
        assert_never_more_lenient(v, token)
        assert isinstance(v.ours.error, TokenValidationException)
        assert isinstance(v.ours.error, PyIdentityModelException)

"""Differential tests, registered claims: py-identity-model vs PyJWT vs joserfc.

Correctly signed tokens whose ``iss``, ``aud``, ``exp``, ``nbf``, ``iat``, ``sub`` and
``jti`` are drawn from good, bad and ill-typed values (times at least a minute away from
now, so clock ticks cannot flip a verdict). All three verifiers enforce the same policy
(issuer, audience, ``exp`` required, no leeway). Whenever PyJWT or joserfc rejects, we
must reject; when both accept, we must accept too unless the token carries one of the
values we knowingly refuse (listed in ``_we_refuse``).

JSON ``null`` for ``nbf``/``iat``/``sub``/``jti`` is left out here: we accept it and both
others reject it, pinned as a known bug in ``test_differential_documented.py``.
"""

from __future__ import annotations

import math
import time
from typing import Any

import pytest
from differential_support import (
    AUDIENCE,
    ISSUER,
    SETTINGS,
    assert_never_more_lenient,
    compact_json,
    sign_raw,
    verdicts,
)
from hypothesis import event, given, strategies as st

pytestmark = pytest.mark.filterwarnings("ignore::joserfc.errors.SecurityWarning")

ABSENT = object()
OTHER_AUDIENCE = "urn:other:api"


def _good(now: int) -> dict[str, st.SearchStrategy[Any]]:
    """Values every verifier accepts (ABSENT: the claim is left out)."""
    past = st.integers(60, 10**8).map(lambda d: now - d)
    return {
        "iss": st.just(ISSUER),
        "aud": st.sampled_from([AUDIENCE, [AUDIENCE], [OTHER_AUDIENCE, AUDIENCE]]),
        "exp": st.integers(60, 10**8).flatmap(lambda d: st.sampled_from([now + d, now + d + 0.25])),
        "nbf": st.one_of(st.just(ABSENT), past),
        "iat": st.one_of(st.just(ABSENT), past),
        "sub": st.one_of(st.just(ABSENT), st.text(max_size=8)),
        "jti": st.one_of(st.just(ABSENT), st.text(max_size=8)),
    }


def _bad(now: int) -> dict[str, st.SearchStrategy[Any]]:
    """Wrong, ill-typed or out-of-time values. JSON null only where we refuse it too."""
    future = st.integers(60, 10**8).map(lambda d: now + d)
    past = st.integers(60, 10**8).map(lambda d: now - d)
    ill_timed = st.sampled_from(
        [True, False, str(now + 3600), "tomorrow", [now + 3600], {"t": 1}, 1e300, -1e300]
    )
    wrong_strings = st.sampled_from(
        [ISSUER + "/", ISSUER.upper(), "", "https://evil.example", " " + ISSUER, [ISSUER], 5]
    )
    return {
        "iss": st.one_of(st.just(ABSENT), st.none(), wrong_strings, st.just({"v": ISSUER})),
        "aud": st.one_of(
            st.just(ABSENT),
            st.none(),
            st.sampled_from(
                [
                    [OTHER_AUDIENCE],
                    [],
                    OTHER_AUDIENCE,
                    AUDIENCE.upper(),
                    "",
                    5,
                    [AUDIENCE, 5],
                    [None, AUDIENCE],
                    {"aud": AUDIENCE},
                ]
            ),
        ),
        "exp": st.one_of(st.just(ABSENT), st.none(), past, ill_timed),
        "nbf": st.one_of(future, ill_timed),
        "iat": st.one_of(future, ill_timed),
        "sub": st.sampled_from([5, [], {}, True]),
        "jti": st.sampled_from([5, [], {}, True]),
    }


@st.composite
def claim_sets(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly-good claims with zero, one or two faults."""
    now = int(time.time())
    good, bad = _good(now), _bad(now)
    faults = draw(st.sets(st.sampled_from(sorted(good)), max_size=2))
    values = {name: draw(bad[name] if name in faults else good[name]) for name in good}
    return {name: value for name, value in values.items() if value is not ABSENT}


def _is_time(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _we_refuse(claims: dict[str, Any]) -> str | None:
    """Values we refuse although PyJWT and joserfc may both accept them (we are stricter)."""
    for name in ("exp", "nbf", "iat"):
        value = claims.get(name)
        if name in claims and not _is_time(value):
            # NumericDate must be a JSON number: PyJWT int()-converts "1234" and accepts
            # booleans for nbf/iat; joserfc refuses both. We refuse too.
            return f"{name} is not a JSON number"
    return None


def _word(verdict: Any) -> str:
    return "accepts" if verdict.accepted else "rejects"


@SETTINGS
@given(alg=st.sampled_from(["HS256", "ES256", "EdDSA"]), claims=claim_sets())
def test_claims_we_never_accept_what_another_library_rejects(
    alg: str, claims: dict[str, Any]
) -> None:
    token = sign_raw(alg, compact_json({"alg": alg, "typ": "JWT"}), compact_json(claims))
    v = verdicts(token, alg)
    event(f"ours {_word(v.ours)}, PyJWT {_word(v.pyjwt)}, joserfc {_word(v.joserfc)}")
    assert_never_more_lenient(v, token)
    if v.pyjwt.accepted and v.joserfc.accepted and not v.ours.accepted:
        assert _we_refuse(claims) is not None, (claims, v)
    if v.ours.accepted:
        assert v.ours.claims == v.pyjwt.claims == v.joserfc.claims == claims

"""Differential tests, signatures and encoding: py-identity-model vs PyJWT vs joserfc.

* Valid tokens (random claim sets, every algorithm, signed by each of the three libraries)
  are accepted by all three, with the same claims.
* Mutated tokens (bit flips, character swaps, alg swaps, ``none``, truncation, padding,
  swapped segments, duplicate members, ``crit``, ``b64: false``, ``kid`` changes,
  non-canonical base64url, extra segments): whenever PyJWT or joserfc rejects, we reject
  too, always with a ``TokenValidationException`` subclass; we never accept what both
  reject. Where we are stricter than PyJWT and/or joserfc, the mutation is listed in
  ``STRICTER`` with the reason, and we must reject.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

import pytest
from differential_support import (
    ALGS,
    AUDIENCE,
    B64_ALPHABET,
    ISSUER,
    REGISTERED_CLAIMS,
    SETTINGS,
    SIGNERS,
    assert_never_more_lenient,
    b64,
    b64decode_lenient,
    compact_json,
    is_unknown_header_refusal,
    key_for,
    sign_raw,
    verdicts,
    verify_ours_jose,
)
from hypothesis import given, settings, strategies as st

pytestmark = pytest.mark.filterwarnings("ignore::joserfc.errors.SecurityWarning")

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=16)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
NON_STRING_VALUES = (
    st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.lists(st.text(max_size=4), max_size=2)
    | st.dictionaries(st.text(max_size=4), st.integers(), max_size=2)
)
CLAIM_NAMES = st.text(max_size=12).filter(lambda name: name not in REGISTERED_CLAIMS)


@st.composite
def valid_claims(draw: st.DrawFn, max_extra: int = 5) -> dict[str, Any]:
    """A claim set every verifier must accept: right iss/aud, exp in the future, past nbf/iat."""
    now = int(time.time())
    claims: dict[str, Any] = draw(st.dictionaries(CLAIM_NAMES, JSON_VALUES, max_size=max_extra))
    claims["iss"] = ISSUER
    others = draw(st.lists(st.text(max_size=10).filter(lambda a: a != AUDIENCE), max_size=3))
    if draw(st.booleans()):
        claims["aud"] = AUDIENCE
    else:
        audiences = [*others, AUDIENCE]
        claims["aud"] = draw(st.permutations(audiences))
    exp = now + draw(st.integers(120, 10**8))
    claims["exp"] = exp + draw(st.sampled_from([0, 0.5])) if draw(st.booleans()) else exp
    if draw(st.booleans()):
        claims["iat"] = now - draw(st.integers(0, 10**7))
    if draw(st.booleans()):
        claims["nbf"] = now - draw(st.integers(60, 10**7))
    if draw(st.booleans()):
        claims["sub"] = draw(st.text(max_size=20))
    if draw(st.booleans()):
        claims["jti"] = draw(st.text(max_size=20))
    return claims


@SETTINGS
@given(
    alg=st.sampled_from(ALGS),
    signer=st.sampled_from(sorted(SIGNERS)),
    claims=valid_claims(),
    with_kid=st.booleans(),
    typ=st.sampled_from([None, "JWT", "at+jwt"]),
)
def test_valid_tokens_are_accepted_by_all_three_with_the_same_claims(
    alg: str, signer: str, claims: dict[str, Any], with_kid: bool, typ: str | None
) -> None:
    headers: dict[str, Any] = {}
    if with_kid:
        headers["kid"] = key_for(alg).kid
    if typ is not None:
        headers["typ"] = typ
    token = SIGNERS[signer](alg, claims, headers)
    v = verdicts(token, alg)
    assert v.ours.accepted and v.pyjwt.accepted and v.joserfc.accepted, (v, token)
    assert v.ours.claims == v.pyjwt.claims == v.joserfc.claims == claims
    jose = verify_ours_jose(token, alg)
    assert jose.accepted and jose.claims == claims


# --------------------------------------------------------------------------- mutations

OTHER_ALGS = (*ALGS, "RS384", "RS512", "PS512", "ES384", "ES512", "HS384", "HS512", "Ed25519")

# Mutations after which every verifier should still accept (a new unknown header member,
# no kid at all): here we must agree with the others.
BENIGN = frozenset({"kid_removed", "extra_header_member"})

# Mutations where we knowingly reject what PyJWT and/or joserfc (1.8, PyJWT 2.15) accept:
STRICTER = {
    # Duplicate JSON members are refused everywhere: two parsers may read two different
    # values (last-wins json.loads in PyJWT and joserfc vs first-wins elsewhere), the
    # classic parser differential. PyJWT and joserfc accept, keeping the last value.
    "dup_header_member": "duplicate header member",
    "dup_payload_member": "duplicate payload member",
    # With a header kid exactly one configured key must carry that kid (docs/security.md);
    # PyJWT and joserfc ignore kid when handed a single key.
    "kid_changed": "kid names no configured key",
    # Only canonical base64url: no '=' padding, no non-zero spare bits. The signing input
    # is the raw header/payload text, so there a change also breaks the signature for all;
    # in the signature segment PyJWT accepts '==' padding and decodes the same bytes.
    "pad": "padded segment",
    # Non-zero spare bits in the signature decode to the same bytes. PyJWT 2.15 (it
    # re-encodes and compares) and joserfc 1.8 reject them too, but older PyJWT releases
    # that requirements-dev.txt admits (>= 2.8) accepted them.
    "noncanonical_last_char": "non-zero spare bits in the last character",
    # An empty crit list is malformed (RFC 7515 §4.1.11); joserfc accepts it, PyJWT not.
    "crit": "any crit",
}
MUTATIONS = (
    "flip_bit",
    "replace_char",
    "alg_swap",
    "alg_none",
    "truncate",
    "pad",
    "swap_segments",
    "dup_header_member",
    "dup_payload_member",
    "crit",
    "b64_false",
    "kid_changed",
    "kid_removed",
    "kid_not_string",
    "noncanonical_last_char",
    "extra_header_member",
    "extra_segment",
)
# Mutations that break the signature, the structure or the alg, which every release of
# PyJWT and joserfc rejects too (asserted, to check the mutations themselves). For the
# others (``replace_char`` may hit the spare bits of the last character; PyJWT < 2.10 did
# not check the type of ``kid``) only our rejection is asserted.
OTHERS_ALWAYS_REJECT = frozenset(
    {"flip_bit", "alg_swap", "alg_none", "truncate", "swap_segments", "b64_false", "extra_segment"}
)
# parse_compact + verify_compact against a single key never look at the kid.
JOSE_LEVEL_ACCEPTS = BENIGN | {"kid_changed"}
_SPARE_BITS = {2: 0x0F, 3: 0x03}


def _header(alg: str) -> dict[str, Any]:
    return {"alg": alg, "typ": "JWT", "kid": key_for(alg).kid}


def _with_duplicate(obj: dict[str, Any], name: str, value: Any, first: bool) -> str:
    """JSON text of ``obj`` with a second ``name`` member (before or after the others)."""
    body = compact_json(obj)[1:-1]
    extra = f"{json.dumps(name)}:{compact_json(value)}"
    return "{" + (f"{extra},{body}" if first else f"{body},{extra}") + "}"


def _mutate(data: st.DataObject, kind: str, alg: str, claims: dict[str, Any]) -> str:
    header = _header(alg)
    payload_json = compact_json(claims)
    token = sign_raw(alg, compact_json(header), payload_json)
    segments = token.split(".")
    draw = data.draw

    if kind == "flip_bit":
        index = draw(st.integers(0, 2), label="segment")
        raw = bytearray(b64decode_lenient(segments[index]))
        bit = draw(st.integers(0, 8 * len(raw) - 1), label="bit")
        raw[bit // 8] ^= 1 << (bit % 8)
        segments[index] = b64(bytes(raw))
        return ".".join(segments)
    if kind == "replace_char":
        pos = draw(st.integers(0, len(token) - 1), label="position")
        char = draw(st.sampled_from(B64_ALPHABET + ".=+/ \n"), label="char")
        if char == token[pos]:
            char = "A" if char != "A" else "B"
        return token[:pos] + char + token[pos + 1 :]
    if kind == "alg_swap":
        other = draw(st.sampled_from([a for a in OTHER_ALGS if a != alg]), label="alg")
        return ".".join([b64(compact_json({**header, "alg": other}).encode()), *segments[1:]])
    if kind == "alg_none":
        name = draw(st.sampled_from(["none", "None", "NONE", "nOnE"]), label="none")
        signature = draw(st.sampled_from(["", segments[2]]), label="signature")
        return f"{b64(compact_json({'alg': name}).encode())}.{segments[1]}.{signature}"
    if kind == "truncate":
        return token[: draw(st.integers(0, len(token) - 1), label="length")]
    if kind == "pad":
        index = draw(st.integers(0, 2), label="segment")
        segments[index] += "=" * draw(st.integers(1, 3), label="padding")
        return ".".join(segments)
    if kind == "swap_segments":
        order = draw(st.sampled_from(list(itertools.permutations(range(3)))[1:]), label="order")
        return ".".join(segments[i] for i in order)
    if kind == "dup_header_member":
        name = draw(st.sampled_from(sorted(header)), label="member")
        value = draw(st.sampled_from([header[name], "RS256", "HS256", "none", "other"]))
        text = _with_duplicate(header, name, value, draw(st.booleans(), label="first"))
        return sign_raw(alg, text, payload_json)
    if kind == "dup_payload_member":
        name = draw(st.sampled_from(sorted(claims)), label="claim")
        value = draw(st.sampled_from([claims[name], "attacker", 0, None]), label="value")
        text = _with_duplicate(claims, name, value, draw(st.booleans(), label="first"))
        return sign_raw(alg, compact_json(header), text)
    if kind == "crit":
        names = draw(
            st.sampled_from([[], ["exp"], ["b64"], ["kid"], ["alg"], ["urn:x"], ["exp", "exp"]])
            | st.lists(st.text(max_size=8), max_size=3),
            label="crit",
        )
        extended = {**header, "crit": names}
        for name in names:
            extended.setdefault(name, 1)
        return sign_raw(alg, compact_json(extended), payload_json)
    if kind == "b64_false":
        extended = {**header, "b64": False}
        if draw(st.booleans(), label="with crit"):
            extended["crit"] = ["b64"]
        return sign_raw(alg, compact_json(extended), payload_json)
    if kind == "kid_changed":
        kid = draw(st.text(max_size=20).filter(lambda k: k != header["kid"]), label="kid")
        return sign_raw(alg, compact_json({**header, "kid": kid}), payload_json)
    if kind == "kid_removed":
        del header["kid"]
        return sign_raw(alg, compact_json(header), payload_json)
    if kind == "kid_not_string":
        kid = draw(NON_STRING_VALUES, label="kid")
        return sign_raw(alg, compact_json({**header, "kid": kid}), payload_json)
    if kind == "noncanonical_last_char":
        candidates = [i for i, s in enumerate(segments) if len(s) % 4 in _SPARE_BITS]
        index = draw(st.sampled_from(candidates), label="segment")
        segment = segments[index]
        mask = _SPARE_BITS[len(segment) % 4]
        value = B64_ALPHABET.index(segment[-1]) | draw(st.integers(1, mask), label="spare")
        segments[index] = segment[:-1] + B64_ALPHABET[value]
        return ".".join(segments)
    if kind == "extra_header_member":
        name = "x-" + draw(st.text(max_size=8), label="name")
        # Small values: joserfc refuses headers over 512 bytes (a resource limit).
        extended = {**header, name: draw(JSON_SCALARS, label="value")}
        return sign_raw(alg, compact_json(extended), payload_json)
    if kind == "extra_segment":
        extra = draw(st.lists(st.text(B64_ALPHABET, max_size=12), min_size=1, max_size=2))
        return ".".join([*segments, *extra])
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", MUTATIONS)
@settings(SETTINGS, max_examples=40)  # x 17 mutations
@given(alg=st.sampled_from(ALGS), claims=valid_claims(max_extra=2), data=st.data())
def test_mutated_tokens_we_never_accept_what_another_library_rejects(
    kind: str, alg: str, claims: dict[str, Any], data: st.DataObject
) -> None:
    token = _mutate(data, kind, alg, claims)
    v = verdicts(token, alg)
    assert_never_more_lenient(v, token)
    jose = verify_ours_jose(token, alg)
    if kind in BENIGN:
        # Nothing security-relevant changed: we accept, as PyJWT does. joserfc refuses an
        # unknown header member by default (RFC 7515 §4 says to ignore it), see support.
        assert v.ours.accepted and v.pyjwt.accepted, (kind, v, token)
        assert v.ours.claims == v.pyjwt.claims == claims, (kind, v)
        assert v.joserfc.accepted or (
            kind == "extra_header_member" and is_unknown_header_refusal(v.joserfc)
        ), (kind, v)
        assert jose.accepted
        return
    assert not v.ours.accepted, (kind, v, token)
    if kind not in JOSE_LEVEL_ACCEPTS:
        assert not jose.accepted, (kind, jose, token)
    if kind in OTHERS_ALWAYS_REJECT:
        assert v.both_others_reject, (kind, v, token)

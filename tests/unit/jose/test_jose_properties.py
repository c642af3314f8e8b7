"""Property tests: the parser only ever refuses with MalformedTokenException, the fast segment
decoder agrees exactly with utils.encoding.b64url_decode, strict JSON agrees with json.loads
except where it must refuse, and verification never leaks a third-party exception."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
from jose_support import ALL_ALGORITHMS, b64, b64json, verifying_jwk

from py_identity_model.exceptions import (
    MalformedTokenException,
    PyIdentityModelException,
    TokenValidationException,
)
from py_identity_model.jose import CompactJws, parse_compact, verify_compact
from py_identity_model.utils.encoding import (
    Base64UrlError,
    _b64url_decode_checked,
    b64url_decode,
)
from py_identity_model.utils.strict_json import StrictJsonError, loads_object

B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
NEAR_B64 = B64URL + "+/= .\n\u00e9"
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse_or_malformed(token: Any, **kw: Any) -> None:
    """Parse; MalformedTokenException is the one acceptable refusal (anything else fails)."""
    with contextlib.suppress(MalformedTokenException):
        parse_compact(token, **kw)


@SETTINGS
@given(st.binary(max_size=600))
def test_random_bytes_only_ever_raise_malformed(token: bytes) -> None:
    _parse_or_malformed(token)
    _parse_or_malformed(token, require_json_payload=False)


@SETTINGS
@given(st.text(max_size=600))
def test_random_text_only_ever_raises_malformed(token: str) -> None:
    _parse_or_malformed(token)


@SETTINGS
@given(st.lists(st.text(alphabet=NEAR_B64, max_size=80), min_size=0, max_size=6).map(".".join))
def test_random_dot_separated_segments_only_ever_raise_malformed(token: str) -> None:
    _parse_or_malformed(token)
    _parse_or_malformed(token, require_json_payload=False)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)  # fmt: skip


@SETTINGS
@given(
    st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=6),
    JSON_VALUES,
    st.binary(max_size=80),
)
def test_structured_tokens_parse_or_are_refused_cleanly(
    header: dict[str, Any], payload: Any, signature: bytes
) -> None:
    token = f"{b64json(header)}.{b64json(payload)}.{b64(signature)}"
    try:
        jws = parse_compact(token)
    except TokenValidationException:
        return
    assert jws.header == header and jws.claims == payload and jws.signature == signature
    assert jws.raw == token and jws.signing_input == token.rsplit(".", 1)[0].encode()


@SETTINGS
@given(st.text(alphabet=NEAR_B64, max_size=40) | st.text(max_size=12))
def test_fast_decoder_agrees_with_the_checked_reference(text: str) -> None:
    try:
        expected: bytes | None = _b64url_decode_checked(text)
    except Base64UrlError:
        expected = None
    try:
        got: bytes | None = b64url_decode(text)
    except Base64UrlError:
        got = None
    assert got == expected


@SETTINGS
@given(st.binary(max_size=64))
def test_segment_decoder_round_trips(data: bytes) -> None:
    assert b64url_decode(b64(data)) == data


@SETTINGS
@given(
    st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=6),
    st.sampled_from(["", " ", "\n\t"]),
)
def test_strict_json_agrees_with_json_on_clean_objects(value: dict[str, Any], space: str) -> None:
    text = space + json.dumps(value, ensure_ascii=bool(space)) + space
    assert loads_object(text.encode("utf-8")) == json.loads(text)


@SETTINGS
@given(st.dictionaries(st.text(max_size=8), JSON_VALUES, min_size=1, max_size=5), st.data())
def test_strict_json_refuses_any_duplicate_member(
    value: dict[str, Any], data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(value)))
    body = json.dumps(value)[1:-1]
    text = "{" + body + ", " + json.dumps(name) + ": 1}"
    nested = json.dumps({"outer": json.loads("{}")}).replace(
        "{}", "{" + json.dumps(name) + ":1," + json.dumps(name) + ":2}"
    )
    for candidate in (text, nested):
        try:
            loads_object(candidate)
        except StrictJsonError:
            continue
        raise AssertionError(f"duplicate accepted: {candidate!r}")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ALL_ALGORITHMS), st.binary(max_size=600), st.binary(max_size=40))
def test_verification_only_raises_our_exceptions(
    alg: str, signature: bytes, message: bytes
) -> None:
    jws = CompactJws({"alg": alg}, b"", message, signature, "")
    try:
        verify_compact(jws, verifying_jwk(alg), algorithms=ALL_ALGORITHMS, allow_symmetric=True)
    except PyIdentityModelException:
        return
    raise AssertionError("a random signature verified")

"""PKCE (RFC 7636): the Appendix B vector, verifier shape and entropy, argument checks."""

from __future__ import annotations

import re

import pytest

from py_identity_model.constants.oidc_values import CodeChallengeMethods
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.frontchannel import (
    FrontChannelConfigurationError,
    generate_code_challenge,
    generate_code_verifier,
    generate_pkce_pair,
)

# RFC 7636 Appendix B.
RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
UNRESERVED = re.compile(r"[A-Za-z0-9\-._~]+\Z")


def test_rfc7636_appendix_b_vector() -> None:
    assert generate_code_challenge(RFC_VERIFIER) == RFC_CHALLENGE
    assert generate_code_challenge(RFC_VERIFIER, "S256") == RFC_CHALLENGE
    assert generate_code_challenge(RFC_VERIFIER, CodeChallengeMethods.S256) == RFC_CHALLENGE


def test_plain_only_when_asked() -> None:
    assert generate_code_challenge(RFC_VERIFIER, "plain") == RFC_VERIFIER
    assert generate_code_challenge(RFC_VERIFIER, CodeChallengeMethods.PLAIN) == RFC_VERIFIER


@pytest.mark.parametrize("method", ["s256", "PLAIN", "S512", "", "sha256"])
def test_unknown_method_rejected(method: str) -> None:
    with pytest.raises(FrontChannelConfigurationError):
        generate_code_challenge(RFC_VERIFIER, method)
    with pytest.raises(FrontChannelConfigurationError):
        generate_pkce_pair(method)


@pytest.mark.parametrize("length", [43, 44, 64, 100, 127, 128])
def test_verifier_length_and_charset(length: int) -> None:
    verifier = generate_code_verifier(length)
    assert len(verifier) == length
    assert UNRESERVED.match(verifier)


def test_default_verifier_is_128() -> None:
    assert len(generate_code_verifier()) == 128


@pytest.mark.parametrize("length", [0, 42, 129, -1, 10_000, True, 43.0, "64", None])
def test_verifier_length_out_of_range(length: object) -> None:
    with pytest.raises(ConfigurationException) as info:
        generate_code_verifier(length)  # type: ignore[arg-type]
    # Drop-in with 4.x, which raised ValueError.
    assert isinstance(info.value, ValueError)


def test_verifiers_are_unique_and_use_whole_alphabet() -> None:
    draws = [generate_code_verifier(43) for _ in range(2000)]
    assert len(set(draws)) == len(draws)
    seen = set("".join(draws))
    # 86,000 characters over 66 symbols: every symbol shows up, including "." and "~".
    assert seen == set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def test_verifier_characters_roughly_uniform() -> None:
    text = "".join(generate_code_verifier(128) for _ in range(500))  # 64,000 chars
    expected = len(text) / 66
    counts = {c: text.count(c) for c in set(text)}
    assert min(counts.values()) > expected * 0.7
    assert max(counts.values()) < expected * 1.3


@pytest.mark.parametrize(
    "verifier",
    [
        "a" * 42,
        "a" * 129,
        "",
        "a" * 42 + " ",
        "a" * 42 + "+",
        "a" * 42 + "/",
        "a" * 42 + "=",
        "a" * 42 + "é",
        "a" * 43 + "\n",
        None,
        b"a" * 43,
    ],
)
def test_challenge_rejects_invalid_verifier(verifier: object) -> None:
    with pytest.raises(FrontChannelConfigurationError) as info:
        generate_code_challenge(verifier)  # type: ignore[arg-type]
    if isinstance(verifier, str) and verifier:
        assert verifier.strip() not in str(info.value)  # the secret is not echoed


def test_challenge_accepts_boundaries() -> None:
    assert len(generate_code_challenge("~" * 43)) == 43
    assert len(generate_code_challenge("." * 128)) == 43


def test_pair() -> None:
    verifier, challenge = generate_pkce_pair()
    assert len(verifier) == 128
    assert challenge == generate_code_challenge(verifier)
    verifier, challenge = generate_pkce_pair("plain", verifier_length=43)
    assert len(verifier) == 43
    assert challenge == verifier
    with pytest.raises(FrontChannelConfigurationError):
        generate_pkce_pair(verifier_length=42)


def test_pairs_differ() -> None:
    assert generate_pkce_pair() != generate_pkce_pair()

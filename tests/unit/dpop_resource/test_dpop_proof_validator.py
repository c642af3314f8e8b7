"""DPoPProofValidator: RFC 9449 §4.3 on the resource server, one test per rule.

Proofs are signed by tests/provider/jws.py with the provider's client keys; the validator's
clock is fixed (NOW), so the RFC's own examples (iat in 2019) verify too.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from dpop_rs_support import (
    NOW,
    TOKEN,
    URL,
    ath,
    bare_public,
    private_jwk,
    proof,
    thumbprint,
    with_segment,
)
from tests.provider.jws import b64url

from py_identity_model import (
    ConfigurationException,
    DPoPProof,
    DPoPProofException,
    DPoPProofValidator,
    DPoPServerNonces,
    MemoryReplayStore,
    ReplayStoreFullError,
    TokenValidationException,
)

# RFC 9449 §4.1 Figure 3 and §5 Figure 6: the same key and jti, iat 2019.
RFC_PROOF_1 = (
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0"
    "VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10"
    "NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoi"
    "UE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.2-"
    "GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg"
)
RFC_PROOF_2 = (
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0"
    "VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10"
    "NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoi"
    "UE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjY1Mjk2fQ.pA"
    "qut2IRDm_De6PR93SYmGBPXpwrAk90e8cP2hjiaG5QsGSuKDYW7_X620BxqhvYC8ynrrvZLTk41mSRroapUA"
)
RFC_JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"  # RFC 9449 §6.1


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def validator(**kw: Any) -> DPoPProofValidator:
    kw.setdefault("clock", Clock())
    return DPoPProofValidator(**kw)


def rejected(
    proof_value: Any, v: DPoPProofValidator | None = None, **kw: Any
) -> DPoPProofException:
    kw.setdefault("method", "GET")
    kw.setdefault("url", URL)
    with pytest.raises(DPoPProofException) as info:
        (v or validator()).validate(proof_value, **kw)
    assert isinstance(info.value, TokenValidationException)
    return info.value


# ------------------------------------------------------------------- accepted proofs


@pytest.mark.parametrize(
    ("kty", "alg"), [("EC", "ES256"), ("RSA", "PS256"), ("RSA", "RS256"), ("OKP", "EdDSA")]
)
def test_valid_proof_for_a_protected_resource(kty: str, alg: str) -> None:
    jwk = private_jwk(kty)
    value = proof(kty, alg=alg, claims={"ath": ath(TOKEN)})
    result = validator().validate(
        value, method="GET", url=URL, access_token=TOKEN, expected_jkt=thumbprint(jwk)
    )
    assert isinstance(result, DPoPProof)
    assert result.jkt == thumbprint(jwk)
    assert result.algorithm == alg
    assert (result.htm, result.htu, result.iat) == ("GET", URL, int(NOW))
    assert result.ath == ath(TOKEN)
    assert result.public_key.to_dict() == bare_public(jwk)
    assert not result.public_key.has_private_key
    assert "claims" not in repr(result)


@pytest.mark.parametrize("value", [RFC_PROOF_1, RFC_PROOF_2])
def test_rfc9449_example_proofs_verify_with_a_fixed_clock(value: str) -> None:
    iat = json.loads(__import__("base64").urlsafe_b64decode(value.split(".")[1] + "==").decode())[
        "iat"
    ]
    result = validator(clock=Clock(iat + 10)).validate(
        value, method="POST", url="https://server.example.com/token", expected_jkt=RFC_JKT
    )
    assert result.jkt == RFC_JKT
    assert result.jti == "-BwC3ESc6acc2lTc"


def test_rfc9449_example_proof_is_stale_with_the_real_clock() -> None:
    error = rejected(
        RFC_PROOF_1, DPoPProofValidator(), method="POST", url="https://server.example.com/token"
    )
    assert "older" in error.message


@pytest.mark.parametrize(
    "request_url",
    [
        "https://API.example.com:443/orders/42",
        "https://api.example.com/orders/%34%32",
        "https://api.example.com/orders/x/../42",
        "https://api.example.com/orders/42?page=2",
        "https://api.example.com/orders/42#frag",
    ],
)
def test_htu_compared_after_normalisation_ignoring_query_and_fragment(request_url: str) -> None:
    validator().validate(proof(), method="GET", url=request_url)


def test_htu_with_a_query_in_the_proof_is_compared_without_it() -> None:
    validator().validate(proof(claims={"htu": URL + "?a=1"}), method="GET", url=URL)


def test_a_list_with_one_header_value_and_bytes_are_accepted() -> None:
    v = validator()
    v.validate([proof()], method="GET", url=URL)
    v.validate(proof().encode("ascii"), method="GET", url=URL)
    v.validate("  " + proof() + " ", method="GET", url=URL)


def test_typ_compared_as_a_media_type() -> None:
    validator().validate(proof(header={"typ": "application/DPoP+JWT"}), method="GET", url=URL)


def test_iat_window_edges() -> None:
    v = validator(max_age=60, leeway=5)
    v.validate(proof(claims={"iat": NOW - 65}), method="GET", url=URL)
    v.validate(proof(claims={"iat": NOW + 5}), method="GET", url=URL)
    v.validate(proof(claims={"iat": NOW - 0.5}), method="GET", url=URL)


# ------------------------------------------------------------------------- rejections


def test_replayed_jti_is_rejected() -> None:
    v = validator()
    value = proof()
    v.validate(value, method="GET", url=URL)
    error = rejected(value, v)
    assert error.error == "invalid_dpop_proof"
    assert error.error_code == "dpop_proof_replayed"


def test_replay_is_scoped_by_key() -> None:
    v = validator()
    v.validate(proof("EC", claims={"jti": "same"}), method="GET", url=URL)
    v.validate(proof("OKP", claims={"jti": "same"}), method="GET", url=URL)  # another key
    assert rejected(proof("EC", claims={"jti": "same"}), v).error_code == "dpop_proof_replayed"


def test_replay_window_ends_with_the_iat_window() -> None:
    clock = Clock()
    store = MemoryReplayStore(clock=clock)
    v = DPoPProofValidator(clock=clock, replay_store=store, max_age=60, leeway=0)
    value = proof()
    v.validate(value, method="GET", url=URL)
    clock.now += 59
    assert rejected(value, v).error_code == "dpop_proof_replayed"
    clock.now += 2  # past the window: stale rather than replayed
    assert "older" in rejected(value, v).message


def test_the_rfc_examples_share_a_jti_but_not_a_window() -> None:
    clock = Clock(1562262616 + 1)
    v = DPoPProofValidator(clock=clock, replay_store=MemoryReplayStore(clock=clock))
    url = "https://server.example.com/token"
    v.validate(RFC_PROOF_1, method="POST", url=url)
    clock.now = 1562265296 + 1
    v.validate(RFC_PROOF_2, method="POST", url=url)


def test_a_rejected_proof_is_not_recorded() -> None:
    v = validator()
    value = proof(claims={"ath": ath("other")})
    rejected(value, v, access_token=TOKEN, expected_jkt=thumbprint(private_jwk("EC")))
    v.validate(value, method="GET", url=URL)  # valid without a token: recorded only now


@pytest.mark.parametrize(
    "htu",
    [
        "https://api.example.com/orders/43",
        "https://api.example.com/orders/42/",
        "http://api.example.com/orders/42",
        "https://api.example.com:8443/orders/42",
        "https://evil.example.com/orders/42",
        "/orders/42",
        "not a url",
    ],
)
def test_wrong_htu(htu: str) -> None:
    assert "htu" in rejected(proof(claims={"htu": htu})).message


@pytest.mark.parametrize("htm", ["POST", "get", "GET "])
def test_wrong_htm(htm: str) -> None:
    assert "htm" in rejected(proof(claims={"htm": htm})).message


@pytest.mark.parametrize(("iat", "words"), [(NOW - 306, "older"), (NOW + 6, "future")])
def test_stale_or_future_iat(iat: float, words: str) -> None:
    assert words in rejected(proof(claims={"iat": iat})).message


@pytest.mark.parametrize("iat", [None, "1800000000", True, [1]])
def test_iat_must_be_a_number(iat: Any) -> None:
    assert "iat" in rejected(proof(claims={"iat": iat})).message


def test_ath_of_another_token() -> None:
    jkt = thumbprint(private_jwk("EC"))
    error = rejected(
        proof(claims={"ath": ath("another-token")}), access_token=TOKEN, expected_jkt=jkt
    )
    assert "ath" in error.message


@pytest.mark.parametrize("bad", [None, 1, ""])
def test_missing_or_malformed_ath(bad: Any) -> None:
    jkt = thumbprint(private_jwk("EC"))
    assert (
        "ath" in rejected(proof(claims={"ath": bad}), access_token=TOKEN, expected_jkt=jkt).message
    )


def test_jkt_mismatch() -> None:
    other = thumbprint(private_jwk("OKP"))
    error = rejected(proof(claims={"ath": ath(TOKEN)}), access_token=TOKEN, expected_jkt=other)
    assert error.error_code == "dpop_binding_mismatch"
    assert error.error == "invalid_dpop_proof"


def test_expected_jkt_without_a_token_is_checked_too() -> None:
    error = rejected(proof(), expected_jkt=thumbprint(private_jwk("RSA")))
    assert error.error_code == "dpop_binding_mismatch"


def test_hs256_proof_is_rejected() -> None:
    value = proof(alg="HS256", signer="a-shared-secret-of-at-least-32-bytes!!")  # type: ignore[arg-type]
    assert "alg" in rejected(value).message


def test_alg_none_is_rejected() -> None:
    value = proof()
    header = {"typ": "dpop+jwt", "alg": "none", "jwk": bare_public(private_jwk("EC"))}
    unsigned = with_segment(value, 0, json.dumps(header).encode())
    assert "unsigned" in rejected(unsigned.rsplit(".", 1)[0] + ".").message
    assert "none" in rejected(unsigned).message


def test_alg_not_in_the_allow_list() -> None:
    v = validator(algorithms=["ES256"])
    assert "alg" in rejected(proof("RSA", alg="PS256"), v).message


def test_alg_must_fit_the_key_type() -> None:
    # An RSA signature with an EC jwk in the header: the key policy refuses the pairing.
    value = proof("RSA", alg="RS256", header={"jwk": bare_public(private_jwk("EC"))})
    assert rejected(value).token_part == "signature"


@pytest.mark.parametrize("member", ["d", "p", "k"])
def test_private_member_in_jwk_is_rejected(member: str) -> None:
    jwk = bare_public(private_jwk("RSA" if member == "p" else "EC"))
    jwk[member] = private_jwk("RSA" if member == "p" else "EC").get(member, "AAAA")
    kty = "RSA" if member == "p" else "EC"
    assert "private" in rejected(proof(kty, header={"jwk": jwk})).message


def test_full_private_jwk_in_header_is_rejected() -> None:
    assert "private" in rejected(proof(header={"jwk": private_jwk("EC")})).message


@pytest.mark.parametrize(
    "jwk",
    [None, "a-string", {"kty": "oct", "k": "c2VjcmV0"}, {"kty": "EC", "crv": "P-256", "x": "AA"}],
)
def test_missing_or_unusable_jwk(jwk: Any) -> None:
    assert "jwk" in rejected(proof(header={"jwk": jwk})).message


def test_signature_by_another_key_is_rejected() -> None:
    value = proof("EC", signer=None)
    other = proof("EC")
    forged = ".".join([*value.split(".")[:2], other.split(".")[2]])
    assert rejected(forged).token_part == "signature"


def test_tampered_claims_are_rejected() -> None:
    value = proof()
    claims = {"jti": "x", "htm": "GET", "htu": URL, "iat": int(NOW), "admin": True}
    assert rejected(with_segment(value, 1, json.dumps(claims).encode())).token_part == "signature"


@pytest.mark.parametrize("typ", [None, "JWT", "at+jwt", "dpop", 7])
def test_wrong_typ(typ: Any) -> None:
    assert "typ" in rejected(proof(header={"typ": typ})).message


@pytest.mark.parametrize("claim", ["jti", "htm", "htu"])
@pytest.mark.parametrize("bad", [None, "", 12, ["x"]])
def test_required_string_claims(claim: str, bad: Any) -> None:
    assert claim in rejected(proof(claims={claim: bad})).message


def test_overlong_jti() -> None:
    assert "jti" in rejected(proof(claims={"jti": "j" * 257})).message


def test_oversized_proof() -> None:
    big = proof(claims={"padding": "x" * 9000})
    assert "longer" in rejected(big).message
    small = validator(max_proof_size=1024)
    assert "longer" in rejected(proof(claims={"padding": "x" * 1000}), small).message


@pytest.mark.parametrize(
    "value",
    [
        "not-a-jwt",
        "a.b",
        "a.b.c.d.e",
        "!!!.e30.sig",
        "eyJhbGciOiJFUzI1NiJ9.!!!.c2ln",
        b64url(b"not json") + ".e30.c2ln",
        b64url(b'{"alg":"ES256","alg":"ES256"}') + ".e30.c2ln",
        b64url(b'{"alg":"ES256","typ":"dpop+jwt"}') + "." + b64url(b"[1]") + ".c2ln",
        "é.e30.c2ln",
    ],
)
def test_malformed_base64_or_json(value: str) -> None:
    rejected(value)


def test_payload_with_padding_is_not_canonical() -> None:
    value = proof()
    head, body, sig = value.split(".")
    rejected(f"{head}.{body}=.{sig}")


@pytest.mark.parametrize("value", [[], ["a", "b"], (), None, "", "   ", 12, b"\xff"])
def test_not_exactly_one_header_value(value: Any) -> None:
    rejected(value)


def test_two_header_values_joined_by_a_comma() -> None:
    assert "exactly one" in rejected(f"{proof()}, {proof()}").message


def test_a_list_of_two_valid_proofs_is_rejected() -> None:
    assert "exactly one" in rejected([proof(), proof()]).message


def test_crit_header_is_rejected() -> None:
    rejected(proof(header={"crit": ["exp"], "exp": 1}))


# ------------------------------------------------------------------------------ nonces


def test_nonce_required_then_accepted() -> None:
    clock = Clock()
    nonces = DPoPServerNonces(b"s" * 32, lifetime=60, clock=clock)
    v = validator(nonces=nonces, clock=clock)
    error = rejected(proof(), v)
    assert error.error == "use_dpop_nonce"
    assert error.error_code == "dpop_nonce_required"
    assert error.nonce == nonces.current()
    headers = v.challenge(error)
    assert headers["DPoP-Nonce"] == error.nonce
    assert 'error="use_dpop_nonce"' in headers["WWW-Authenticate"]
    result = v.validate(proof(claims={"nonce": error.nonce}), method="GET", url=URL)
    assert result.nonce == error.nonce


@pytest.mark.parametrize("nonce", ["made-up", 5, "x" * 600])
def test_invalid_nonce(nonce: Any) -> None:
    v = validator(nonces=DPoPServerNonces(b"s" * 32))
    error = rejected(proof(claims={"nonce": nonce}), v)
    assert error.error == "use_dpop_nonce" and error.nonce


def test_nonce_of_another_secret_or_too_old() -> None:
    clock = Clock()
    ours = DPoPServerNonces(b"a" * 32, lifetime=60, clock=clock)
    theirs = DPoPServerNonces(b"b" * 32, lifetime=60, clock=clock)
    v = validator(nonces=ours, clock=clock)
    assert rejected(proof(claims={"nonce": theirs.current()}), v).error == "use_dpop_nonce"
    old = ours.current()
    clock.now += 121  # two windows later
    assert rejected(proof(claims={"nonce": old, "iat": clock.now}), v).error == "use_dpop_nonce"


# ---------------------------------------------------------------- the store and async


def test_full_replay_store_fails_closed() -> None:
    v = validator(replay_store=MemoryReplayStore(1))
    v.validate(proof(), method="GET", url=URL)
    error = rejected(proof(), v)
    assert error.error_code == "replay_store_full"


class RecordingStore:
    """A stand-in for a networked store: async calls are awaited, sync ones not used."""

    def __init__(self) -> None:
        self.seen: dict[str, float] = {}
        self.async_calls = 0

    def add(self, key: str, ttl: float) -> bool:
        raise AssertionError("the async path must not call the blocking add")

    async def aadd(self, key: str, ttl: float) -> bool:
        self.async_calls += 1
        await asyncio.sleep(0)
        if key in self.seen:
            return False
        self.seen[key] = ttl
        return True


def test_avalidate_awaits_the_store() -> None:
    store = RecordingStore()
    v = validator(replay_store=store, max_age=60, leeway=5)
    value = proof(claims={"iat": NOW - 10})

    async def main() -> DPoPProofException:
        await v.avalidate(value, method="GET", url=URL)
        with pytest.raises(DPoPProofException) as info:
            await v.avalidate(value, method="GET", url=URL)
        return info.value

    assert asyncio.run(main()).error_code == "dpop_proof_replayed"
    assert store.async_calls == 2
    (ttl,) = store.seen.values()
    assert ttl == pytest.approx(55)  # the rest of the window


def test_avalidate_full_store() -> None:
    class Full(RecordingStore):
        async def aadd(self, key: str, ttl: float) -> bool:
            raise ReplayStoreFullError("full")

    v = validator(replay_store=Full())
    with pytest.raises(DPoPProofException) as info:
        asyncio.run(v.avalidate(proof(), method="GET", url=URL))
    assert info.value.error_code == "replay_store_full"


# --------------------------------------------------------------------------- misuse


@pytest.mark.parametrize(
    "kw",
    [
        {"algorithms": ["HS256"]},
        {"algorithms": ["none"]},
        {"algorithms": "ES256"},
        {"algorithms": []},
        {"max_age": 0},
        {"max_age": float("inf")},
        {"leeway": -1},
        {"leeway": True},
        {"max_proof_size": 10},
        {"max_proof_size": 1.5},
        {"clock": 5},
        {"replay_store": {}},
        {"nonces": "secret"},
    ],
)
def test_bad_configuration(kw: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationException):
        DPoPProofValidator(**kw)


@pytest.mark.parametrize(
    "kw",
    [
        {"method": ""},
        {"method": None},
        {"url": "/relative"},
        {"url": "ftp://x/y"},
        {"url": None},
        {"access_token": TOKEN},  # no expected_jkt: the binding would go unchecked
        {"access_token": "", "expected_jkt": "x"},
        {"expected_jkt": ""},
        {"expected_jkt": 5},
    ],
)
def test_bad_call_is_misuse(kw: dict[str, Any]) -> None:
    args: dict[str, Any] = {"method": "GET", "url": URL, **kw}
    with pytest.raises(ConfigurationException):
        validator().validate(proof(), **args)


def test_challenge_headers() -> None:
    v = validator(algorithms=["ES256", "EdDSA"])
    assert v.challenge() == {"WWW-Authenticate": 'DPoP algs="ES256 EdDSA"'}
    error = rejected(proof(claims={"htm": "POST"}), v)
    header = v.challenge(error, realm="orders")["WWW-Authenticate"]
    assert header.startswith('DPoP realm="orders", error="invalid_dpop_proof", error_description="')
    assert header.endswith('algs="ES256 EdDSA"')
    quoted = DPoPProofException('a "quoted"\\ value\n')
    assert (
        'error_description="a \\"quoted\\"\\\\ value?"' in v.challenge(quoted)["WWW-Authenticate"]
    )


def test_challenge_announces_a_nonce_when_nonces_are_required() -> None:
    nonces = DPoPServerNonces(b"n" * 32)
    assert validator(nonces=nonces).challenge()["DPoP-Nonce"] == nonces.current()


def test_messages_never_echo_the_proof_or_token() -> None:
    value = proof(claims={"htm": "POST", "ath": ath("x")})
    error = rejected(value, access_token=TOKEN, expected_jkt="jkt")
    assert value not in str(error) and TOKEN not in str(error)
    assert "DPoPProofValidator(algorithms=" in repr(validator())


def test_a_clients_key_is_parsed_once_and_the_memo_is_bounded() -> None:
    v = validator()
    for _ in range(3):
        v.validate(proof("EC"), method="GET", url=URL)
    v.validate(proof("OKP"), method="GET", url=URL)
    assert len(v._keys) == 2
    assert v._keys.max_entries == 1024
    # a key with a private member never reaches the memo, even when its public part is there
    jwk = {**bare_public(private_jwk("EC")), "d": private_jwk("EC")["d"]}
    assert "private" in rejected(proof(header={"jwk": jwk}), v).message
    # a key with a member that is not a string (key_ops) is not memoised
    odd = {**bare_public(private_jwk("EC")), "key_ops": ["verify"]}
    v.validate(proof(header={"jwk": odd}), method="GET", url=URL)
    assert len(v._keys) == 2


def test_one_proof_sent_to_many_threads_at_once_is_accepted_once() -> None:
    import threading

    v = validator()
    value = proof()
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        try:
            v.validate(value, method="GET", url=URL)
            outcome = "accepted"
        except DPoPProofException as exc:
            outcome = exc.error_code
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted"] + ["dpop_proof_replayed"] * 7

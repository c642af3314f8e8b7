"""Published examples: RFC 7515 Appendix A, RFC 7520 §4, RFC 8037 Appendix A, RFC 7638 §3.1."""

from __future__ import annotations

import pytest
from jose_support import wycheproof

from py_identity_model.exceptions import InvalidAlgorithmException
from py_identity_model.jose import (
    ALGORITHMS,
    JsonWebKey,
    parse_compact,
    sign_compact,
    verify_compact,
)
from py_identity_model.utils.encoding import b64url_decode

# RFC 7515 A.1-A.3 share this payload: {"iss":"joe",\r\n "exp":1300819380,\r\n "http://...":true}
A_PAYLOAD = (
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
)
A_CLAIMS = {"iss": "joe", "exp": 1300819380, "http://example.com/is_root": True}

A1_TOKEN = (
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9." + A_PAYLOAD
    + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)  # fmt: skip
A1_KEY = {
    "kty": "oct",
    "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
}

A2_KEY = {
    "kty": "RSA",
    "n": "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt"
    "0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5"
    "z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aG"
    "hyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
    "e": "AQAB",
    "d": "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol"
    "2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M"
    "_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_j"
    "Tj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ",
    "p": "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_"
    "Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc",
    "q": "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7Tje"
    "LQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc",
    "dp": "BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FO"
    "Knu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0",
    "dq": "h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9"
    "U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU",
    "qi": "IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy"
    "5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U",
}
A2_TOKEN = (
    "eyJhbGciOiJSUzI1NiJ9."
    + A_PAYLOAD
    + ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5R"
    "Zmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO7"
    "5vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7no"
    "OPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
)

A3_KEY = {
    "kty": "EC",
    "crv": "P-256",
    "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    "d": "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI",
}
A3_TOKEN = (
    "eyJhbGciOiJFUzI1NiJ9." + A_PAYLOAD
    + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
)  # fmt: skip

A4_KEY = {
    "kty": "EC",
    "crv": "P-521",
    "x": "AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",
    "y": "ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2",
    "d": "AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C",
}
A4_TOKEN = (
    "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZq"
    "wqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9E"
    "RBXukOXolLzeO_Jn"
)

RFC8037_PRIVATE = {
    "kty": "OKP",
    "crv": "Ed25519",
    "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
    "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
}
RFC8037_TOKEN = (
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
    ".hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
)


def test_rfc7515_a1_hs256() -> None:
    key = JsonWebKey.from_dict(A1_KEY)
    jws = parse_compact(A1_TOKEN)
    assert jws.header == {"typ": "JWT", "alg": "HS256"}
    assert jws.claims == A_CLAIMS
    verify_compact(jws, key, algorithms=["HS256"], allow_symmetric=True)
    # The RFC's header has line breaks, so the MAC is reproduced over its signing input.
    assert ALGORITHMS["HS256"].sign(key.signing_material(), jws.signing_input) == jws.signature
    with pytest.raises(InvalidAlgorithmException):  # a shared secret must be opted into
        verify_compact(jws, key, algorithms=["HS256"])


def test_rfc7515_a2_rs256_verifies_and_signs_identically() -> None:
    private = JsonWebKey.from_dict(A2_KEY)
    public = private.public_jwk()
    assert public.key_size == 2048
    jws = parse_compact(A2_TOKEN)
    assert jws.claims == A_CLAIMS
    verify_compact(jws, public, algorithms=["RS256"])
    # PKCS#1 v1.5 is deterministic: signing the same bytes gives the RFC's token exactly.
    assert sign_compact(jws.payload, private, "RS256") == A2_TOKEN


@pytest.mark.parametrize(
    ("key", "token", "alg"), [(A3_KEY, A3_TOKEN, "ES256"), (A4_KEY, A4_TOKEN, "ES512")]
)
def test_rfc7515_a3_a4_ecdsa(key: dict[str, str], token: str, alg: str) -> None:
    private = JsonWebKey.from_dict(key)
    jws = parse_compact(token, require_json_payload=False)
    verify_compact(jws, private.public_jwk(), algorithms=[alg])
    # ECDSA is randomised: our own signature over the same payload must verify too.
    ours = parse_compact(sign_compact(jws.payload, private, alg), require_json_payload=False)
    assert len(ours.signature) == len(jws.signature)
    verify_compact(ours, private.public_jwk(), algorithms=[alg])


def _rfc7520_groups() -> dict[str, dict[str, object]]:
    """RFC 7520 §4.1-4.4 (Figures 13, 20, 27, 35) as carried by Wycheproof's rfc7520 groups."""
    figures = {}
    for group in wycheproof("json_web_signature_test.json")["testGroups"]:
        if group["comment"] == "rfc7520":
            test = group["tests"][0]
            figures[test["comment"]] = {"key": group["private"], "token": test["jws"]}
    return figures


def test_rfc7520_figures_verify_with_the_rfcs_own_keys() -> None:
    """The RFC's keys (Figures 2, 3, 5) carry no ``alg`` for RSA and EC; Wycheproof added a
    wrong one to Figures 20 and 27, which is why those vectors are deviations there."""
    figures = _rfc7520_groups()
    assert sorted(figures) == ["Figure13", "Figure20", "Figure27", "Figure35"]
    for name, expected_alg in [
        ("Figure13", "RS256"),
        ("Figure20", "PS384"),
        ("Figure27", "ES512"),
        ("Figure35", "HS256"),
    ]:
        members = dict(figures[name]["key"])  # type: ignore[call-overload]
        if members["kty"] != "oct":
            members.pop("alg")
        key = JsonWebKey.from_dict(members)
        jws = parse_compact(figures[name]["token"], require_json_payload=False)  # type: ignore[arg-type]
        assert jws.alg == expected_alg
        assert jws.payload.startswith("It\u2019s a dangerous business, Frodo".encode())
        verifier = key if key.kty == "oct" else key.public_jwk()
        verify_compact(jws, verifier, algorithms=[expected_alg], allow_symmetric=True)
        if expected_alg in ("RS256", "HS256"):  # deterministic: reproduce the figure exactly
            headers = {"kid": jws.kid}
            assert sign_compact(jws.payload, key, expected_alg, headers=headers) == jws.raw


def test_rfc8037_appendix_a_ed25519() -> None:
    private = JsonWebKey.from_dict(RFC8037_PRIVATE)  # A.1
    public = private.public_jwk()  # A.2
    assert public.to_dict() == {"kty": "OKP", "crv": "Ed25519", "x": RFC8037_PRIVATE["x"]}
    assert public.thumbprint() == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"  # A.3
    assert private.thumbprint() == public.thumbprint()
    # A.4: Ed25519 is deterministic, so signing reproduces the token exactly.
    assert sign_compact(b"Example of Ed25519 signing", private, "EdDSA") == RFC8037_TOKEN
    jws = parse_compact(RFC8037_TOKEN, require_json_payload=False)  # A.5
    verify_compact(jws, public, algorithms=["EdDSA"])


def test_rfc7638_section_3_1_thumbprint() -> None:
    key = JsonWebKey.from_dict(
        {
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L"
            "6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65Y"
            "GjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-b"
            "FTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29",
        }
    )
    assert key.thumbprint() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    assert len(b64url_decode(key.thumbprint("sha512"))) == 64

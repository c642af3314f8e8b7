"""Client authentication at the token endpoint: where credentials go and how they look.

RFC 6749 §2.3.1 (Basic with form-urlencoding), client_secret_post, RFC 7523 client
assertions (client_secret_jwt, private_key_jwt, fixed, factory), public clients, and the
misconfigurations that must be refused before anything is sent. Every I/O test runs
through the sync and the async shell (``api``).
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from tokens_support import (
    ALG_FOR_KIND,
    JWT_BEARER_ASSERTION,
    TOKEN_URL,
    Recorder,
    assert_assertion_claims,
    decode_basic,
    key_in_form,
    parse_jwt,
    private_jwk_dict,
    public_jwk,
    public_pem,
    verify_jwt,
)

from py_identity_model import (
    ClientCredentialsTokenRequest,
    ConfigurationException,
    JsonWebKey,
    PrivateKeyJwt,
    RefreshTokenRequest,
)
from py_identity_model.endpoints.client_auth import basic_authorization_header

# (client_id, client_secret) pairs whose characters all matter to RFC 6749 §2.3.1.
BASIC_VECTORS = [
    pytest.param("client:1", "se:cr:et", id="colon"),
    pytest.param("a+b", "p+q+", id="plus"),
    pytest.param("with space", " s p ", id="space"),
    pytest.param("pct%20id", "100%25%", id="percent"),
    pytest.param("a&b=c", "x&y=z&", id="amp-equals"),
    pytest.param("café", "mot-de-passé", id="latin1-accent"),
    pytest.param("日本", "秘密:+ %", id="cjk"),
    pytest.param("s3cr:t", "s3cr:t +/%&=~", id="provider-weird-secret"),
    pytest.param("~._-", "!*'()[]@#$?/\\\"", id="punctuation"),
    pytest.param("emoji-🔑", "🔐 x", id="astral"),
]


# ------------------------------------------------------------------------- Basic


@pytest.mark.parametrize(("client_id", "secret"), BASIC_VECTORS)
def test_basic_round_trips_exactly(api: Any, client_id: str, secret: str) -> None:
    handler = Recorder()
    request = ClientCredentialsTokenRequest(TOKEN_URL, client_id, secret)
    response = api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert response.is_successful, response.error
    assert handler.calls == 1
    assert decode_basic(handler.last) == (client_id, secret)
    fields = handler.fields()
    assert "client_secret" not in fields
    assert "client_assertion" not in fields


@pytest.mark.parametrize(("client_id", "secret"), BASIC_VECTORS)
def test_basic_header_is_ascii_with_one_separator(client_id: str, secret: str) -> None:
    header = basic_authorization_header(client_id, secret)
    assert header.startswith("Basic ")
    pair = base64.b64decode(header[6:], validate=True).decode("ascii")
    assert pair.count(":") == 1
    assert " " not in pair  # a space is form-encoded as '+'


def test_basic_encoding_known_answer() -> None:
    # quote_plus semantics: space -> '+', '+' -> %2B, ':' -> %3A, non-ASCII as UTF-8.
    expected = "a+b%3Ac:p%2Bq+%C3%A9"
    header = basic_authorization_header("a b:c", "p+q é")
    assert base64.b64decode(header[6:]).decode("ascii") == expected


def test_basic_is_the_default_and_explicit_method(api: Any) -> None:
    for method in (None, "client_secret_basic"):
        handler = Recorder()
        request = ClientCredentialsTokenRequest(TOKEN_URL, "cid", "sec", client_auth_method=method)
        api.request_client_credentials_token(request, http_client=api.mock_client(handler))
        assert decode_basic(handler.last) == ("cid", "sec")
        assert handler.fields() == {"grant_type": ["client_credentials"]}


# -------------------------------------------------------------------------- post


@pytest.mark.parametrize(("client_id", "secret"), BASIC_VECTORS[:6])
def test_post_puts_credentials_in_body_only(api: Any, client_id: str, secret: str) -> None:
    handler = Recorder()
    request = ClientCredentialsTokenRequest(
        TOKEN_URL, client_id, secret, client_auth_method="client_secret_post"
    )
    response = api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert response.is_successful, response.error
    assert "authorization" not in handler.last.headers
    assert handler.one("client_id") == client_id
    assert handler.one("client_secret") == secret
    assert handler.one("grant_type") == "client_credentials"


def test_post_on_refresh_request(api: Any) -> None:
    handler = Recorder()
    request = RefreshTokenRequest(
        TOKEN_URL, "cid", "RT", client_secret="sec", client_auth_method="client_secret_post"
    )
    api.refresh_token(request, http_client=api.mock_client(handler))
    assert "authorization" not in handler.last.headers
    assert handler.fields() == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["RT"],
        "client_id": ["cid"],
        "client_secret": ["sec"],
    }


# ---------------------------------------------------------------- client_secret_jwt

JWT_SECRET = "client-jwt-secret-0123456789abcdef0123456789abcdef"


def test_client_secret_jwt_assertion(api: Any) -> None:
    handler = Recorder()
    request = ClientCredentialsTokenRequest(
        TOKEN_URL, "client-jwt", JWT_SECRET, scope="api", client_auth_method="client_secret_jwt"
    )
    client = api.mock_client(handler)
    for _ in range(2):
        response = api.request_client_credentials_token(request, http_client=client)
        assert response.is_successful, response.error
    assert handler.calls == 2
    jtis = []
    for index in range(2):
        assert "authorization" not in handler.requests[index].headers
        fields = handler.fields(index)
        assert "client_secret" not in fields
        assert fields["client_id"] == ["client-jwt"]
        assert fields["client_assertion_type"] == [JWT_BEARER_ASSERTION]
        key = JsonWebKey.from_key(JWT_SECRET.encode())
        jws = verify_jwt(fields["client_assertion"][0], key, "HS256", symmetric=True)
        assert jws.alg == "HS256"
        assert_assertion_claims(jws, "client-jwt", TOKEN_URL)
        jtis.append((jws.claims or {})["jti"])
    assert jtis[0] != jtis[1]


def test_client_secret_jwt_wrong_secret_does_not_verify(api: Any) -> None:
    handler = Recorder()
    request = ClientCredentialsTokenRequest(
        TOKEN_URL, "client-jwt", JWT_SECRET, client_auth_method="client_secret_jwt"
    )
    api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    other = JsonWebKey.from_key(b"x" * 50)
    with pytest.raises(Exception, match="signature"):
        verify_jwt(handler.one("client_assertion"), other, "HS256", symmetric=True)


# ---------------------------------------------------------------- private_key_jwt


@pytest.mark.parametrize("form", ["pem-str", "pem-bytes", "jwk-dict", "JsonWebKey"])
@pytest.mark.parametrize("kind", ["RSA", "EC", "OKP"])
def test_private_key_jwt_signs_with_the_key(api: Any, kind: str, form: str) -> None:
    alg = ALG_FOR_KIND[kind]
    handler = Recorder()
    pkjwt = PrivateKeyJwt(key_in_form(kind, form), alg)
    request = ClientCredentialsTokenRequest(TOKEN_URL, "client-pk", private_key_jwt=pkjwt)
    client = api.mock_client(handler)
    for _ in range(2):
        response = api.request_client_credentials_token(request, http_client=client)
        assert response.is_successful, response.error
    jtis = set()
    for index in range(2):
        assert "authorization" not in handler.requests[index].headers
        fields = handler.fields(index)
        assert "client_secret" not in fields
        assert fields["client_id"] == ["client-pk"]
        assert fields["client_assertion_type"] == [JWT_BEARER_ASSERTION]
        jws = verify_jwt(fields["client_assertion"][0], public_jwk(kind), alg)
        assert jws.alg == alg
        assert "kid" not in jws.header
        assert_assertion_claims(jws, "client-pk", TOKEN_URL)
        jtis.add((jws.claims or {})["jti"])
    assert len(jtis) == 2


def test_private_key_jwt_audience_kid_and_lifetime(api: Any) -> None:
    handler = Recorder()
    pkjwt = PrivateKeyJwt(
        key_in_form("EC", "pem-str"),
        "ES256",
        kid="my-kid",
        audience="https://idp.example",
        lifetime=60,
    )
    request = ClientCredentialsTokenRequest(TOKEN_URL, "client-pk", private_key_jwt=pkjwt)
    api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    jws = verify_jwt(handler.one("client_assertion"), public_jwk("EC"), "ES256")
    assert jws.kid == "my-kid"
    assert_assertion_claims(jws, "client-pk", "https://idp.example", max_lifetime=60)
    claims = jws.claims or {}
    assert claims["exp"] - claims["iat"] == 60


def test_private_key_jwt_kid_from_key_and_override(api: Any) -> None:
    handler = Recorder()
    client = api.mock_client(handler)
    with_kid = private_jwk_dict("RSA", kid="key-kid")
    for pkjwt, expected in (
        (PrivateKeyJwt(with_kid, "PS256"), "key-kid"),
        (PrivateKeyJwt(with_kid, "PS256", kid="explicit"), "explicit"),
        (PrivateKeyJwt(JsonWebKey.from_dict(with_kid), "RS256"), "key-kid"),
    ):
        request = ClientCredentialsTokenRequest(TOKEN_URL, "c", private_key_jwt=pkjwt)
        api.request_client_credentials_token(request, http_client=client)
        jws = verify_jwt(handler.one("client_assertion"), public_jwk("RSA"), pkjwt.algorithm)
        assert jws.kid == expected


def test_private_key_jwt_explicit_method_name(api: Any) -> None:
    handler = Recorder()
    pkjwt = PrivateKeyJwt(key_in_form("OKP", "pem-bytes"), "EdDSA")
    request = ClientCredentialsTokenRequest(
        TOKEN_URL, "c", private_key_jwt=pkjwt, client_auth_method="private_key_jwt"
    )
    response = api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert response.is_successful
    verify_jwt(handler.one("client_assertion"), public_jwk("OKP"), "EdDSA")


# ------------------------------------------------------------ none / fixed / factory


@pytest.mark.parametrize("method", [None, "none"])
def test_public_client_sends_client_id_only(api: Any, method: str | None) -> None:
    handler = Recorder()
    request = RefreshTokenRequest(TOKEN_URL, "public-app", "RT", client_auth_method=method)
    response = api.refresh_token(request, http_client=api.mock_client(handler))
    assert response.is_successful
    assert "authorization" not in handler.last.headers
    assert handler.fields() == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["RT"],
        "client_id": ["public-app"],
    }


def test_fixed_client_assertion(api: Any) -> None:
    handler = Recorder()
    request = ClientCredentialsTokenRequest(
        TOKEN_URL, "c", client_assertion="eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjIn0.c2ln"
    )
    client = api.mock_client(handler)
    api.request_client_credentials_token(request, http_client=client)
    api.request_client_credentials_token(request, http_client=client)
    for index in range(2):
        assert handler.fields(index) == {
            "grant_type": ["client_credentials"],
            "client_id": ["c"],
            "client_assertion_type": [JWT_BEARER_ASSERTION],
            "client_assertion": ["eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjIn0.c2ln"],
        }
        assert "authorization" not in handler.requests[index].headers


def test_client_assertion_factory_called_per_send_with_endpoint(api: Any) -> None:
    calls: list[str] = []

    def factory(endpoint: str) -> str:
        calls.append(endpoint)
        return f"assertion-{len(calls)}"

    handler = Recorder()
    client = api.mock_client(handler)
    request = ClientCredentialsTokenRequest(TOKEN_URL, "c", client_assertion_factory=factory)
    api.request_client_credentials_token(request, http_client=client)
    api.request_client_credentials_token(request, http_client=client)
    assert calls == [TOKEN_URL, TOKEN_URL]
    assert handler.one("client_assertion", 0) == "assertion-1"
    assert handler.one("client_assertion", 1) == "assertion-2"
    assert handler.one("client_assertion_type", 1) == JWT_BEARER_ASSERTION


# ----------------------------------------------------------------------- misuse


def _kid_less_pkjwt(kind: str = "RSA") -> PrivateKeyJwt:
    return PrivateKeyJwt(key_in_form(kind, "pem-str"), ALG_FOR_KIND[kind])


MISUSE: list[Any] = [
    pytest.param(
        lambda: ClientCredentialsTokenRequest(
            TOKEN_URL, "c", "secret", private_key_jwt=_kid_less_pkjwt()
        ),
        id="private_key_jwt+client_secret",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(TOKEN_URL, "c", "s", client_auth_method="basic"),
        id="unknown-method",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(
            TOKEN_URL, "c", "s", client_auth_method="CLIENT_SECRET_POST"
        ),
        id="method-wrong-case",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(
            TOKEN_URL, "c", client_auth_method="client_secret_jwt"
        ),
        id="client_secret_jwt-no-secret",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(
            TOKEN_URL, "c", "", client_auth_method="client_secret_jwt"
        ),
        id="client_secret_jwt-empty-secret",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(TOKEN_URL, "c", client_auth_method="private_key_jwt"),
        id="private_key_jwt-method-without-key",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(
            TOKEN_URL,
            "c",
            private_key_jwt=_kid_less_pkjwt(),
            client_auth_method="client_secret_jwt",
        ),
        id="private_key_jwt-contradicts-method",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(
            TOKEN_URL, "c", private_key_jwt=PrivateKeyJwt(public_pem("RSA"), "PS256")
        ),
        id="pkjwt-public-pem",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(
            TOKEN_URL, "c", private_key_jwt=PrivateKeyJwt(public_jwk("EC").to_dict(), "ES256")
        ),
        id="pkjwt-public-jwk",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(
            TOKEN_URL, "c", private_key_jwt=PrivateKeyJwt("not a pem", "PS256")
        ),
        id="pkjwt-garbage-key",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(
            TOKEN_URL, "c", private_key_jwt=PrivateKeyJwt(key_in_form("RSA", "pem-str"), "ES256")
        ),
        id="pkjwt-alg-does-not-fit-key",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(TOKEN_URL, "c", "s", mtls=object()),
        id="mtls-not-supported",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(TOKEN_URL, "", "s"),
        id="empty-client_id",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(TOKEN_URL, "c", "s", client_assertion="a.b.c"),
        id="assertion+secret",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(
            TOKEN_URL, "c", client_assertion="a.b.c", client_assertion_factory=lambda e: "x"
        ),
        id="two-assertion-sources",
    ),
    pytest.param(
        lambda: ClientCredentialsTokenRequest(
            TOKEN_URL, "c", client_assertion="a.b.c", client_auth_method="client_secret_post"
        ),
        id="assertion+post-method",
    ),
]


@pytest.mark.parametrize("build", MISUSE)
def test_misuse_raises_before_any_request(api: Any, build: Any) -> None:
    handler = Recorder()
    request = build()
    with pytest.raises(ConfigurationException):
        api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


@pytest.mark.parametrize("lifetime", [0, -1, 3601, 10**9])
def test_private_key_jwt_lifetime_out_of_range(lifetime: int) -> None:
    with pytest.raises(ConfigurationException):
        PrivateKeyJwt(key_in_form("EC", "pem-str"), "ES256", lifetime=lifetime)


@pytest.mark.parametrize("lifetime", [1, 3600])
def test_private_key_jwt_lifetime_bounds_accepted(lifetime: int) -> None:
    assert PrivateKeyJwt(key_in_form("EC", "pem-str"), "ES256", lifetime=lifetime).lifetime == (
        lifetime
    )


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_secret_method_without_secret_is_refused(api: Any, method: str) -> None:
    handler = Recorder()
    request = ClientCredentialsTokenRequest(TOKEN_URL, "c", client_auth_method=method)
    with pytest.raises(ConfigurationException):
        api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


def test_assertion_of_pkjwt_is_a_parseable_jwt_with_typ() -> None:
    assertion = _kid_less_pkjwt("EC").create_assertion("c", TOKEN_URL)
    jws = parse_jwt(assertion)
    assert jws.header.get("typ") in (None, "JWT")
    assert jws.alg == "ES256"


# ------------------------------------------------------------- client as one value


def test_client_value_is_used_as_given(api: Any) -> None:
    from py_identity_model import Client, ClientSecretJwt

    handler = Recorder()
    client = Client("client-jwt", ClientSecretJwt(JWT_SECRET, algorithm="HS384"))
    request = ClientCredentialsTokenRequest(TOKEN_URL, "client-jwt", client=client)
    response = api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert response.is_successful, response.error
    assert request.resolved_client() is client
    fields = handler.fields()
    assert "authorization" not in handler.last.headers
    key = JsonWebKey.from_key(JWT_SECRET.encode())
    jws = verify_jwt(fields["client_assertion"][0], key, "HS384", symmetric=True)
    assert_assertion_claims(jws, "client-jwt", TOKEN_URL)


def test_client_value_with_basic_on_refresh(api: Any) -> None:
    from py_identity_model import Client, ClientSecretBasic

    handler = Recorder()
    request = RefreshTokenRequest(
        TOKEN_URL, "cid", "RT", client=Client("cid", ClientSecretBasic("s:e"))
    )
    api.refresh_token(request, http_client=api.mock_client(handler))
    assert decode_basic(handler.last) == ("cid", "s:e")
    assert handler.fields() == {"grant_type": ["refresh_token"], "refresh_token": ["RT"]}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"client_secret": "sec"}, "drop \\['client_secret'\\]"),
        ({"client_auth_method": "client_secret_post"}, "client_auth_method"),
        ({"client_assertion": "eyJ.x.y"}, "client_assertion"),
    ],
)
def test_client_value_refuses_loose_credential_fields(
    api: Any, extra: dict[str, Any], message: str
) -> None:
    from py_identity_model import Client, ClientSecretPost

    handler = Recorder()
    client = Client("cid", ClientSecretPost("sec"))
    request = ClientCredentialsTokenRequest(TOKEN_URL, "cid", client=client, **extra)
    with pytest.raises(ConfigurationException, match=message):
        api.request_client_credentials_token(request, http_client=api.mock_client(handler))
    assert handler.calls == 0


def test_client_value_must_match_client_id_and_be_a_client(api: Any) -> None:
    from py_identity_model import Client, ClientSecretPost

    handler = Recorder()
    wrong_id = ClientCredentialsTokenRequest(
        TOKEN_URL, "cid", client=Client("other", ClientSecretPost("s"))
    )
    with pytest.raises(ConfigurationException, match="client_id"):
        api.request_client_credentials_token(wrong_id, http_client=api.mock_client(handler))
    not_client = ClientCredentialsTokenRequest(TOKEN_URL, "cid", client="cid:secret")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationException, match="must be a Client"):
        api.request_client_credentials_token(not_client, http_client=api.mock_client(handler))
    assert handler.calls == 0


def test_client_value_repr_redacts_the_secret() -> None:
    from py_identity_model import Client, ClientSecretPost

    request = ClientCredentialsTokenRequest(
        TOKEN_URL, "cid", client=Client("cid", ClientSecretPost("hunter2-secret"))
    )
    assert "hunter2" not in repr(request)
    assert "ClientSecretPost" in repr(request)


def test_client_secret_jwt_short_secret_is_refused_when_built() -> None:
    from py_identity_model import ClientSecretJwt

    with pytest.raises(ConfigurationException, match="at least 64 bytes"):
        ClientSecretJwt(JWT_SECRET, algorithm="HS512")
    with pytest.raises(ConfigurationException, match="at least 32 bytes"):
        ClientSecretJwt("short", algorithm="HS256")

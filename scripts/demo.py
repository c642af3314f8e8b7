"""A tour of py-identity-model against a real OpenID Provider on 127.0.0.1.

Run with ``make demo``. It starts the project's test provider (the OpenID-certified npm
package ``oidc-provider``), then walks through what the library does today, sync and
async, printing what happens. It grows as features land.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.provider import jws  # independent of the library: checks what it reports
from tests.provider.fixture import RunningProvider, complete_login, start_provider

import py_identity_model as pim
from py_identity_model import aio


def heading(text: str) -> None:
    print(f"\n== {text} " + "=" * max(0, 66 - len(text)))


def when(epoch: float | None) -> str:
    """A Unix time as UTC ISO-8601 and relative to now: ``2026-11-27T10:00:00Z (in 59 min)``."""
    if epoch is None:
        return "unknown"
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    seconds = int(epoch - time.time())
    span = f"{abs(seconds) // 60} min" if abs(seconds) >= 60 else f"{abs(seconds)} s"
    return f"{moment} ({'in ' + span if seconds >= 0 else span + ' ago'})"


def tour_discovery(issuer: str) -> pim.DiscoveryDocumentResponse:
    heading("Discovery (sync)")
    disco = pim.get_discovery_document(pim.DiscoveryDocumentRequest(issuer))
    if not disco.is_successful:
        raise SystemExit(f"discovery failed: {disco.error}")
    print(f"issuer                 {disco.issuer}")
    print(f"token endpoint         {disco.token_endpoint}")
    print(f"jwks_uri               {disco.jwks_uri}")
    print(f"grant types            {', '.join(disco.grant_types_supported or [])}")
    print(f"ID token algorithms    {', '.join(disco.id_token_signing_alg_values_supported or [])}")
    print(f"RFC 9207 iss param     {disco.authorization_response_iss_parameter_supported}")
    print(f"DPoP algorithms        {', '.join(disco.dpop_signing_alg_values_supported or [])}")
    return disco


def tour_jwks(jwks_uri: str) -> None:
    heading("JWKS (sync)")
    jwks = pim.get_jwks(pim.JwksRequest(jwks_uri))
    if not jwks.is_successful:
        raise SystemExit(f"JWKS failed: {jwks.error}")
    for key in jwks.keys or []:
        print(
            f"{key.kty:4} {key.crv or '':8} {key.alg or '':6} kid={key.kid}  {key.key_size} bits  "
            f"thumbprint={key.thumbprint()}"
        )


async def tour_async(issuer: str) -> None:
    heading("Async: the same calls through py_identity_model.aio")
    disco = await aio.get_discovery_document(aio.DiscoveryDocumentRequest(issuer))
    jwks = await aio.get_jwks(aio.JwksRequest(disco.jwks_uri or ""))
    print(f"async discovery ok={disco.is_successful}, keys={len(jwks.keys or [])}")

    heading("DiscoveryCache: 1,000 concurrent aget() calls on an empty cache")
    cache = pim.DiscoveryCache(issuer)
    started = time.perf_counter()
    results = await asyncio.gather(*(cache.aget() for _ in range(1000)))
    elapsed = (time.perf_counter() - started) * 1000
    ok = sum(result.is_successful for result in results)
    print(
        f"{ok} of {len(results)} callers served a document, fetches made: {cache.fetch_count}, "
        f"{elapsed:.0f} ms"
    )


def tour_failures(issuer: str) -> None:
    heading("Failures are results, not exceptions")
    cases = {
        "plain HTTP to a remote host": pim.DiscoveryDocumentRequest("http://login.example.com"),
        "user@host look-alike": pim.DiscoveryDocumentRequest("http://localhost@evil.example"),
        "issuer mismatch": pim.DiscoveryDocumentRequest(
            issuer, pim.DiscoveryPolicy(authority="https://expected.example")
        ),
        "no such document": pim.DiscoveryDocumentRequest(issuer + "/missing"),
        "nothing listening": pim.DiscoveryDocumentRequest("http://127.0.0.1:9"),
    }
    for label, request in cases.items():
        result = pim.get_discovery_document(request)
        print(
            f"{label:30} -> is_successful={result.is_successful} error_type={result.error_type.value if result.error_type else None}"
        )
        print(f"{'':30}    {result.error}")


def tour_tokens(provider: RunningProvider, disco: pim.DiscoveryDocumentResponse) -> str:
    """Request a token with each client; returns the last access token issued."""
    heading("Client credentials with every client authentication method")
    token_endpoint = disco.token_endpoint or ""
    cases = [
        ("client-basic", "client_secret_basic", None),
        ("client-post", "client_secret_post", None),
        ("client-jwt", "client_secret_jwt", None),
        ("client-weird-secret", "client_secret_basic (RFC 6749 §2.3.1 encoding)", None),
        (
            "client-pkjwt",
            "private_key_jwt (ES256)",
            pim.PrivateKeyJwt(provider.client("client-pkjwt").private_jwk("EC"), algorithm="ES256"),
        ),
    ]
    access_token, issued_to = "", ""
    for client_id, label, private_key_jwt in cases:
        client = provider.client(client_id)
        method = label.split(" ")[0] if private_key_jwt is None else None
        request = pim.ClientCredentialsTokenRequest(
            token_endpoint,
            client_id,
            None if private_key_jwt else client.client_secret,
            "api:read",
            private_key_jwt=private_key_jwt,
            client_auth_method=method,
            resource="urn:test:api:es256",
        )
        response = pim.request_client_credentials_token(request)
        if response.is_successful and response.access_token:
            print(f"{label:48} ok=True {response.token_type} expires_in={response.expires_in}")
            access_token, issued_to = response.access_token, client_id
        else:
            print(f"{label:48} ok=False error={response.error} ({response.error_description})")
    wrong = pim.request_client_credentials_token(
        pim.ClientCredentialsTokenRequest(token_endpoint, "client-basic", "wrong-secret")
    )
    print(
        f"{'wrong secret':48} ok={wrong.is_successful} error={wrong.error} http={wrong.http_status}"
    )
    if not access_token:
        raise SystemExit("no client obtained an access token")
    print(f"the token validated next was issued to {issued_to}")
    return access_token


def tour_validation(issuer: str, access_token: str) -> None:
    heading("Validating the access token (RFC 9068 at+jwt, keys from discovery)")
    config = pim.TokenValidationConfig(
        perform_disco=True,
        audience="urn:test:api:es256",
        token_type="at+jwt",
        required_scopes=["api:read"],
    )
    claims = pim.validate_token(access_token, config, disco_doc_address=issuer)
    header, _ = jws.decode_jwt(access_token)
    print(
        f"valid: iss={claims['iss']} aud={claims['aud']} client_id={claims['client_id']} scope={claims['scope']}"
    )
    print(
        f"checked: {header['alg']} signature (kid={header.get('kid')}) with a key from jwks_uri, "
        f"typ={header.get('typ')}, iss, aud, scope, expiry {when(claims['exp'])}"
    )
    principal = pim.to_principal(claims)
    print(
        f"principal: authenticated={principal.identity.is_authenticated()} scope={principal.find_first('scope').value}"
    )
    tampered = access_token[:-4] + ("AAAA" if not access_token.endswith("AAAA") else "BBBB")
    for label, token, cfg in (
        ("tampered signature", tampered, config),
        (
            "wrong audience",
            access_token,
            pim.TokenValidationConfig(perform_disco=True, audience="other-api"),
        ),
        ("alg none", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.x", config),
    ):
        try:
            pim.validate_token(token, cfg, disco_doc_address=issuer)
            print(f"{label:20} -> accepted?!")
        except pim.TokenValidationException as exc:
            print(f"{label:20} -> {type(exc).__name__} ({exc.code}): {exc}")

    heading("One token validated 1,000 times concurrently by a new validator")
    requests: list[str] = []

    class CountingTransport:
        """Any object with ``send_request`` can carry the library's HTTP (the transport seam)."""

        def __init__(self) -> None:
            self.inner = aio.AsyncHTTPClient()

        async def send_request(self, request: Any) -> Any:
            requests.append(request.url)
            return await self.inner.send_request(request)

    async def many() -> list[Any]:
        transport = CountingTransport()
        validator = pim.TokenValidator.for_authority(
            issuer, audience="urn:test:api:es256", http_client=transport
        )
        try:
            return await asyncio.gather(
                *(validator.avalidate(access_token) for _ in range(1000)), return_exceptions=True
            )
        finally:
            await transport.inner.aclose()

    started = time.perf_counter()
    results = asyncio.run(many())
    elapsed = (time.perf_counter() - started) * 1000
    accepted = sum(isinstance(result, dict) for result in results)
    print(
        f"{accepted} of {len(results)} validations of the same token accepted "
        f"({len(results) - accepted} failed) in {elapsed:.0f} ms; HTTP requests made: {len(requests)}"
    )
    for failure in {f"{type(r).__name__}: {r}" for r in results if isinstance(r, BaseException)}:
        print(f"  failed: {failure}")
    for url in requests:
        print(f"  GET {url}")


def tour_login(issuer: str, jwks_uri: str) -> None:
    heading("Logging a user in: authorization code + PKCE with OidcClient")
    client = pim.OidcClient(
        pim.OidcClientOptions(
            issuer, "public-native", "http://127.0.0.1/callback", "openid profile email"
        )
    )
    login = client.prepare_login()
    print(f"authorize URL: {login.url[:90]}...")
    callback = complete_login(login.url)  # in a real app, the user's browser does this
    result = client.process_response(callback, login)
    if not result.is_successful or not result.claims or not result.id_token:
        print(f"login ok=False error={result.error}: {result.error_description}")
        return
    claims = result.claims
    print(f"login ok=True sub={claims['sub']}; the ID token passed OidcClient's validation")
    # Checked again here, without the library, so that what is printed is what was found.
    header, _ = jws.decode_jwt(result.id_token)
    try:
        jws.verify_jwt(result.id_token, httpx.get(jwks_uri, timeout=10).json())
        signature = "valid"
    except Exception as exc:  # any failure (bad signature, unknown kid) means "not verified"
        signature = f"NOT verified ({type(exc).__name__})"
    audience = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    print(
        f"  signature   {header['alg']} kid={header.get('kid')}: {signature} (re-checked with jwks_uri)"
    )
    print(f"  iss         {claims['iss']} (the provider: {claims['iss'] == issuer})")
    print(f"  aud         {claims['aud']} (contains our client_id: {'public-native' in audience})")
    print(
        f"  nonce       equals the one sent in the authorize URL: {claims.get('nonce') == login.nonce}"
    )
    print(
        f"  ID token expires {when(claims['exp'])}; access token expires {when(result.expires_at)}"
    )
    replay = client.process_response(callback, login)
    print(f"replaying the callback -> ok={replay.is_successful} error={replay.error}")


def main() -> None:
    print(
        f"py-identity-model {pim.__version__}: starting the test OpenID Provider on 127.0.0.1 ..."
    )
    with start_provider() as provider:
        print(f"provider ready at {provider.issuer}")
        disco = tour_discovery(provider.issuer)
        tour_jwks(disco.jwks_uri or "")
        asyncio.run(tour_async(provider.issuer))
        tour_failures(provider.issuer)
        access_token = tour_tokens(provider, disco)
        tour_validation(provider.issuer, access_token)
        tour_login(provider.issuer, disco.jwks_uri or "")
    heading("Done")
    print("The provider was stopped. See docs/ for guides; `make test` runs the whole suite.")


if __name__ == "__main__":
    main()

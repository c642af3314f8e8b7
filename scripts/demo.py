"""A tour of py-identity-model against a real OpenID Provider on 127.0.0.1.

Run with ``make demo``. It starts the project's test provider (the OpenID-certified npm
package ``oidc-provider``), then walks through what the library does today, sync and
async, printing what happens. It grows as features land.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.provider.fixture import start_provider

import py_identity_model as pim
from py_identity_model import aio


def heading(text: str) -> None:
    print(f"\n== {text} " + "=" * max(0, 66 - len(text)))


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
        print(f"{key.kty:4} {key.crv or '':8} {key.alg or '':6} kid={key.kid}  {key.key_size} bits  "
              f"thumbprint={key.thumbprint()}")


async def tour_async(issuer: str) -> None:
    heading("Async: the same calls through py_identity_model.aio")
    disco = await aio.get_discovery_document(aio.DiscoveryDocumentRequest(issuer))
    jwks = await aio.get_jwks(aio.JwksRequest(disco.jwks_uri or ""))
    print(f"async discovery ok={disco.is_successful}, keys={len(jwks.keys or [])}")

    heading("DiscoveryCache: 1,000 concurrent tasks, one fetch")
    cache = pim.DiscoveryCache(issuer)
    started = time.perf_counter()
    results = await asyncio.gather(*(cache.aget() for _ in range(1000)))
    elapsed = (time.perf_counter() - started) * 1000
    ok = sum(result.is_successful for result in results)
    print(f"{ok} of {len(results)} callers served, fetches made: {cache.fetch_count}, {elapsed:.0f} ms")


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
        print(f"{label:30} -> is_successful={result.is_successful} error_type={result.error_type.value if result.error_type else None}")
        print(f"{'':30}    {result.error}")


def main() -> None:
    print(f"py-identity-model {pim.__version__}: starting the test OpenID Provider on 127.0.0.1 ...")
    with start_provider() as provider:
        print(f"provider ready at {provider.issuer}")
        disco = tour_discovery(provider.issuer)
        tour_jwks(disco.jwks_uri or "")
        asyncio.run(tour_async(provider.issuer))
        tour_failures(provider.issuer)
    heading("Done")
    print("The provider was stopped. See docs/ for guides; `make test` runs the whole suite.")


if __name__ == "__main__":
    main()

"""Mutual TLS (RFC 8705) with the asynchronous API: every endpoint at its alias, one rule.

Usage: python docs/examples/mtls_async.py [AUTHORITY] MTLS_BASE CA_FILE CERT_FILE KEY_FILE

The same arguments as mtls_sync.py: the provider's mTLS alias base address, its CA bundle,
and the certificate and key of client ``client-mtls`` (``tls_client_auth``).
"""

import asyncio
import sys
from urllib.parse import quote

from py_identity_model import (
    Client,
    ClientCredentialsTokenRequest,
    DiscoveryDocumentRequest,
    DiscoveryPolicy,
    MtlsClientAuth,
    TokenIntrospectionRequest,
    TokenRevocationRequest,
    endpoint_for_client,
    parse_certificate_header,
    validate_certificate_binding,
)
from py_identity_model.aio import (
    AsyncHTTPClient,
    get_discovery_document,
    introspect_token,
    request_client_credentials_token,
    revoke_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
if len(sys.argv) < 6:
    sys.exit("usage: mtls_async.py AUTHORITY MTLS_BASE CA_FILE CERT_FILE KEY_FILE")
mtls_base, ca_file, cert_file, key_file = sys.argv[2:6]


async def main() -> None:
    policy = DiscoveryPolicy(additional_endpoint_base_addresses=[mtls_base])
    auth = MtlsClientAuth(cert_file, key_file)
    client = Client("client-mtls", auth)
    async with AsyncHTTPClient(verify=ca_file) as http:
        disco = await get_discovery_document(DiscoveryDocumentRequest(authority, policy), http)
        if not disco.is_successful:
            sys.exit(f"discovery failed: {disco.error}")
        print("issuer:", disco.issuer)

        def at(name: str) -> str:
            url = endpoint_for_client(disco, name, client)
            if url is None or not url.startswith(mtls_base):
                sys.exit(f"{name}: no mTLS alias under {mtls_base}")
            return url

        tokens = await request_client_credentials_token(
            ClientCredentialsTokenRequest(at("token_endpoint"), "client-mtls", client=client), http
        )
        if not tokens.is_successful or not tokens.access_token:
            sys.exit(f"token request failed: {tokens.error_code}: {tokens.error}")
        print("token: is_successful=True at", at("token_endpoint").removeprefix(mtls_base))
        introspection = await introspect_token(
            TokenIntrospectionRequest(
                at("introspection_endpoint"), tokens.access_token, "client-mtls", client=client
            ),
            http,
        )
        print("introspection: active =", introspection.active)
        # A resource server behind a TLS-terminating proxy reads the certificate from the
        # header that proxy sets (here as nginx's $ssl_client_escaped_cert would).
        with open(cert_file) as pem:
            header_value = quote(pem.read())
        presented = parse_certificate_header(header_value)
        thumbprint = validate_certificate_binding(introspection.json or {}, presented)
        print(
            "bound to the presented certificate:",
            thumbprint == (introspection.cnf or {}).get("x5t#S256"),
        )
        revoked = await revoke_token(
            TokenRevocationRequest(
                at("revocation_endpoint"), tokens.access_token, "client-mtls", client=client
            ),
            http,
        )
        print("revocation: is_successful =", revoked.is_successful)
        again = await introspect_token(
            TokenIntrospectionRequest(
                at("introspection_endpoint"), tokens.access_token, "client-mtls", client=client
            ),
            http,
        )
        print("after revocation: active =", again.active)

    # A client that does not trust the provider's CA: a TLS error, nothing is sent.
    async with AsyncHTTPClient() as untrusting:
        failed = await get_discovery_document(
            DiscoveryDocumentRequest(authority, policy), untrusting
        )
        print(
            f"untrusted server certificate: error_code={failed.error_code} "
            f"error_type={failed.error_type}"
        )


asyncio.run(main())

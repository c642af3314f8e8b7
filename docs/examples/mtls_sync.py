"""Mutual TLS (RFC 8705) with the synchronous API: a client certificate, certificate-bound tokens.

Usage: python docs/examples/mtls_sync.py [AUTHORITY] MTLS_BASE CA_FILE CERT_FILE KEY_FILE

MTLS_BASE is where the provider serves its ``mtls_endpoint_aliases``
(``https://mtls.login.example.com``); CA_FILE the CA bundle that issued the provider's server
certificate; CERT_FILE and KEY_FILE the client's certificate and key (PEM), registered for
``tls_client_auth`` as client ``client-mtls``.
"""

import sys

from py_identity_model import (
    CertificateBindingError,
    Client,
    ClientCredentialsTokenRequest,
    DiscoveryDocumentRequest,
    DiscoveryPolicy,
    HTTPClient,
    MtlsClientAuth,
    TokenValidationConfig,
    certificate_thumbprint_from_file,
    endpoint_for_client,
    get_discovery_document,
    request_client_credentials_token,
    validate_certificate_binding,
    validate_token,
)

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
if len(sys.argv) < 6:
    sys.exit("usage: mtls_sync.py AUTHORITY MTLS_BASE CA_FILE CERT_FILE KEY_FILE")
mtls_base, ca_file, cert_file, key_file = sys.argv[2:6]

# The aliases live on another host than the issuer: allow it explicitly.
policy = DiscoveryPolicy(additional_endpoint_base_addresses=[mtls_base])
with HTTPClient(verify=ca_file) as http:  # trust the provider's CA (and only it)
    disco = get_discovery_document(DiscoveryDocumentRequest(authority, policy), http)
    if not disco.is_successful:
        sys.exit(f"discovery failed: {disco.error}")
    print("issuer:", disco.issuer)
    print("certificate-bound tokens:", disco.tls_client_certificate_bound_access_tokens)

    # tls_client_auth: the certificate in the TLS handshake, client_id in the body.
    client = Client("client-mtls", MtlsClientAuth(cert_file, key_file))
    token_endpoint = endpoint_for_client(disco, "token_endpoint", client)
    assert token_endpoint is not None
    print("token endpoint is the mTLS alias:", token_endpoint.startswith(mtls_base))
    print(
        "jwks_uri stays conventional:",
        endpoint_for_client(disco, "jwks_uri", client) == disco.jwks_uri,
    )
    tokens = request_client_credentials_token(
        ClientCredentialsTokenRequest(
            token_endpoint, "client-mtls", scope="api:read", client=client,
            parameters={"resource": "urn:test:api"},
        ),
        http,
    )  # fmt: skip
    if not tokens.is_successful or not tokens.access_token:
        sys.exit(f"token request failed: {tokens.error_code}: {tokens.error}")
    print("token_type:", tokens.token_type)

    # On the resource server: validate the JWT, then its binding to the TLS client certificate.
    config = TokenValidationConfig(
        perform_disco=True, audience="urn:test:api", discovery_policy=policy
    )
    claims = validate_token(tokens.access_token, config, authority, http)
    thumbprint = certificate_thumbprint_from_file(cert_file)
    print("cnf x5t#S256 is the certificate's thumbprint:", claims["cnf"]["x5t#S256"] == thumbprint)
    with open(cert_file) as presented:
        validate_certificate_binding(claims, presented.read())
    print("binding with the client's certificate: accepted")
    try:
        with open(ca_file) as other:  # any other certificate
            validate_certificate_binding(claims, other.read())
        print("binding with another certificate: unexpectedly accepted")
    except CertificateBindingError as exc:
        print(
            "binding with another certificate: rejected "
            f"error_code={exc.error_code} error={exc.error}"
        )
    try:
        validate_certificate_binding(claims, None)
    except CertificateBindingError as exc:
        print(f"binding without a certificate: rejected error_code={exc.error_code}")

    # Without its certificate the client cannot authenticate.
    refused = request_client_credentials_token(
        ClientCredentialsTokenRequest(token_endpoint, "client-mtls"), http
    )
    print(f"no certificate: error_code={refused.error_code} http_status={refused.http_status}")

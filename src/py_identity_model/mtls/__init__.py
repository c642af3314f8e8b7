"""Mutual TLS (RFC 8705): certificate thumbprints, certificate-bound tokens, endpoint aliases.

* :mod:`.certificates` — read a certificate (PEM, DER, a file, a trusted proxy's header
  value) within size limits, and its ``x5t#S256`` thumbprint (RFC 8705 §3.1);
* :mod:`.binding` — the resource server's check that a certificate-bound access token's
  ``cnf["x5t#S256"]`` is the presented certificate's (RFC 8705 §3), in constant time;
* :mod:`.aliases` — which URL a client calls for an endpoint: its ``mtls_endpoint_aliases``
  entry when the client presents a certificate (RFC 8705 §5), the conventional one
  otherwise.

Client authentication with a certificate (``tls_client_auth``,
``self_signed_tls_client_auth``) is
:class:`~py_identity_model.endpoints.client_auth.MtlsClientAuth`; the certificate
travels in the TLS handshake of each request that asks for it
(:class:`~py_identity_model.http.messages.TransportOptions`), never on the transport's
shared client.
"""

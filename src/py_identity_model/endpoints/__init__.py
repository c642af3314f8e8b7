"""What every back-channel endpoint shares, written once.

* :mod:`.client` — :class:`Client`: the client id, its authentication and its DPoP key;
* :mod:`.client_auth` — the client authentication values (Basic, post, client_secret_jwt,
  private_key_jwt, caller assertions, mTLS, none);
* :mod:`.policy` — :class:`EndpointPolicy`: HTTPS except loopback, the URL rules,
  RFC 3986-normalised "under the authority" checks;
* :mod:`.request` — the authenticated POST with its one DPoP-nonce resend.
"""

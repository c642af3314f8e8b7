"""Token revocation (RFC 7009): tell the authorization server a token is no longer needed."""

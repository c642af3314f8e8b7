"""Token introspection (RFC 7662), with JWT-secured responses (RFC 9701)."""

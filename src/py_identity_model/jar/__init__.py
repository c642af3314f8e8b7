"""JWT-Secured Authorization Requests (RFC 9101): request objects, signed and encrypted."""

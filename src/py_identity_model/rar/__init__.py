"""Rich Authorization Requests (RFC 9396): the shape of ``authorization_details``."""

"""Pushed Authorization Requests (RFC 9126): the request, the response and the flow."""

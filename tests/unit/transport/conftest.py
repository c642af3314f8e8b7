"""The transports' tests reuse the real-socket servers of the HTTP tests."""

from tests.unit.http.conftest import json_server, restore_options, serve

__all__ = ["json_server", "restore_options", "serve"]

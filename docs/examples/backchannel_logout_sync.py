"""Receive back-channel logout POSTs in a framework-free WSGI app (synchronous API).

Usage: python docs/examples/backchannel_logout_sync.py [AUTHORITY] LOGOUT_TOKEN

The provider POSTs ``logout_token=...`` to the client's ``backchannel_logout_uri`` when a
session ends. ``logout_endpoint`` is that URI: ``handle_backchannel_logout`` checks the form,
validates the token (keys by discovery) and says what to answer; the app ends the sessions
of ``sid``/``sub``. Here the POSTs are made in-process with the token given on the command
line (a real one, delivered by the provider).
"""

import io
import sys
from http import HTTPStatus
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

from py_identity_model import TokenValidationConfig, handle_backchannel_logout

authority = sys.argv[1] if len(sys.argv) > 1 else "https://demo.duendesoftware.com"
if len(sys.argv) < 3:
    sys.exit("usage: backchannel_logout_sync.py AUTHORITY LOGOUT_TOKEN")
logout_token = sys.argv[2]

config = TokenValidationConfig(perform_disco=True, audience="client-backchannel")
sessions = {"alice": ["session-a", "session-b"]}  # the app's own session table
MAX_BODY = 64 * 1024


def logout_endpoint(environ, start_response):  # type: ignore[no-untyped-def]
    """The WSGI app behind backchannel_logout_uri."""
    length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_BODY + 1)  # never read more
    body = environ["wsgi.input"].read(length)
    answer = handle_backchannel_logout(environ.get("CONTENT_TYPE"), body, config, authority)
    if answer.is_successful:
        ended = sessions.pop(answer.sub or "", [])
        print("  issuer:", (answer.claims or {}).get("iss"))
        print(f"  ended sessions of sub={answer.sub} (sid={bool(answer.sid)}): {len(ended)}")
    else:
        print(f"  refused: {answer.error_code}: {answer.error}")
    status = HTTPStatus(answer.http_status or 500)
    start_response(f"{status.value} {status.phrase}", list((answer.headers or {}).items()))
    return [answer.body]


def post(content_type: str, body: bytes) -> str:
    """POST to the app as the provider would; returns the status line and the body."""
    environ: dict = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    seen: list = []
    chunks = logout_endpoint(environ, lambda status, headers: seen.append((status, headers)))
    status, headers = seen[0]
    return f"{status} {dict(headers)} {b''.join(chunks).decode()}"


form = urlencode({"logout_token": logout_token}).encode("ascii")
print("logout POST:", post("application/x-www-form-urlencoded", form))
print("delivered again:", post("application/x-www-form-urlencoded", form))
print("as JSON:", post("application/json", b'{"logout_token": "..."}'))
print("tampered:", post("application/x-www-form-urlencoded", form[:-12] + b"AAAAAAAAAAAA"))

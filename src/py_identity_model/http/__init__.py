"""HTTP: the sans-I/O message types and flows, the httpx shells, URL policy and results.

* :mod:`.messages` — ``HttpRequest``, ``HttpResponse``, ``TransportFailure``
* :mod:`.flow` — flows (generators yielding requests) and the retry wrapper
* :mod:`.transport` — the seam for plugging another HTTP stack
* :mod:`.sync_client` / :mod:`.async_client` — ``HTTPClient`` / ``AsyncHTTPClient`` and drivers
* :mod:`.results` — ``ProtocolResponse`` and the strict JSON reader
* :mod:`.url_policy` — HTTPS-required, loopback detection
"""

from .flow import Flow, Step, single_request, with_retries
from .messages import (
    FailureKind,
    Headers,
    HttpRequest,
    HttpResponse,
    Outcome,
    Sleep,
    TransportFailure,
)
from .results import ErrorType, ProtocolResponse
from .transport import AsyncTransport, SyncTransport

__all__ = [
    "AsyncTransport",
    "ErrorType",
    "FailureKind",
    "Flow",
    "Headers",
    "HttpRequest",
    "HttpResponse",
    "Outcome",
    "ProtocolResponse",
    "Sleep",
    "Step",
    "SyncTransport",
    "TransportFailure",
    "single_request",
    "with_retries",
]

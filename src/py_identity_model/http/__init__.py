"""HTTP as data: the sans-I/O vocabulary every operation is written in.

* :mod:`.messages` — ``HttpRequest`` (form and JSON bodies, GET/POST/PUT/DELETE, per-request
  transport options), ``HttpResponse``, ``TransportFailure``, ``Sleep``, ``Fetch``
* :mod:`.flow` — flows (generators yielding steps) and the retry wrapper
* :mod:`.results` — ``ProtocolResponse`` and the ``Failure`` it is built from
* :mod:`.readers` — reading a response by content type: a JSON object or a JWT
* :mod:`.challenges` — ``WWW-Authenticate`` challenges
* :mod:`.transport` — the seam for plugging an HTTP stack

Nothing here performs I/O or imports an HTTP library: the transports live in
:mod:`py_identity_model.transport`, the drivers in :mod:`py_identity_model.drivers`.
"""

from ..errors import ErrorType
from .flow import Flow, Step, single_request, with_retries
from .messages import (
    ClientCertificate,
    Headers,
    HttpRequest,
    HttpResponse,
    Outcome,
    Sleep,
    TransportFailure,
    TransportOptions,
)
from .results import ProtocolResponse
from .transport import AsyncTransport, SyncTransport

__all__ = [
    "AsyncTransport",
    "ClientCertificate",
    "ErrorType",
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
    "TransportOptions",
    "single_request",
    "with_retries",
]

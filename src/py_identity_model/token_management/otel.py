"""Token events as OpenTelemetry metrics (the ``[otel]`` extra: ``opentelemetry-api``).

``add_token_listener(OpenTelemetryTokenMetrics())`` counts every
:class:`~py_identity_model.token_management.events.TokenEvent` on one counter,
``py_identity_model.token_management.events``, with the attributes ``event``, ``subject``
(the client name, ``session`` or ``redis``) and, for failures, ``error_code``. No token,
secret or session key is ever an attribute.
"""

from __future__ import annotations

from typing import Any

from ..exceptions import ConfigurationException
from .events import TokenEvent

__all__ = ["METRIC_NAME", "OpenTelemetryTokenMetrics"]

METRIC_NAME = "py_identity_model.token_management.events"


class OpenTelemetryTokenMetrics:
    """A token listener that adds 1 to an OpenTelemetry counter per event.

    Args:
        meter_provider: the provider to get the meter from (the global one by default).
    """

    def __init__(self, meter_provider: Any = None) -> None:
        try:
            from opentelemetry import metrics
        except ImportError:
            raise ConfigurationException(
                "OpenTelemetryTokenMetrics needs opentelemetry-api: "
                "pip install 'py-identity-model[otel]'"
            ) from None
        meter = metrics.get_meter("py_identity_model", meter_provider=meter_provider)
        self._counter = meter.create_counter(
            METRIC_NAME, unit="1", description="Token management events (py-identity-model)"
        )

    def __call__(self, event: TokenEvent) -> None:
        attributes = {"event": event.name, "subject": event.subject}
        if event.error_code is not None:
            attributes["error_code"] = event.error_code
        self._counter.add(1, attributes)

    def __repr__(self) -> str:
        return f"OpenTelemetryTokenMetrics({METRIC_NAME!r})"

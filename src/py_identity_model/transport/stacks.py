"""The HTTP stacks the built-in transports run on: httpx (the default) and httpx2.

httpx2 (the maintained continuation of httpx, Python >= 3.11, the ``[httpx2]`` extra) has
httpx's API under another module name, so one shell serves both: a :class:`HttpStack`
names, for one stack, the classes and functions the shell uses, typed as httpx's (the
shell is written, and type-checked, against httpx's API; httpx2's classes have the same
methods). A stack is imported only when a client of it is created or passed in.
"""

from __future__ import annotations

import importlib.util
import ssl
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from ..exceptions import ConfigurationException

if TYPE_CHECKING:
    import httpcore
    import httpx

__all__ = ["HttpStack", "StackName", "get_stack", "stack_of_client"]

StackName = Literal["httpx", "httpx2"]
_CORE = {"httpx": "httpcore", "httpx2": "httpcore2"}


@dataclass(frozen=True, slots=True)
class HttpStack:
    """What the shells need from one HTTP library (httpx or httpx2) and its core."""

    name: StackName
    client_class: type[httpx.Client]
    async_client_class: type[httpx.AsyncClient]
    timeout: type[httpx.Timeout]
    limits: type[httpx.Limits]
    create_ssl_context: Callable[..., ssl.SSLContext]
    network_backend: type[httpcore.NetworkBackend]
    network_stream: type[httpcore.NetworkStream]
    read_timeout: type[BaseException]
    timeout_exceptions: tuple[type[BaseException], ...]
    invalid_url_exceptions: tuple[type[BaseException], ...]
    transport_exceptions: tuple[type[BaseException], ...]


_stacks: dict[str, HttpStack] = {}
_lock = threading.Lock()


def _httpx() -> HttpStack:
    import httpcore
    import httpx

    return _describe("httpx", httpx, httpcore)


def _httpx2() -> HttpStack:
    if importlib.util.find_spec("httpx2") is None:
        raise ConfigurationException(
            "the httpx2 stack needs httpx2 (Python >= 3.11): "
            "pip install 'py-identity-model[httpx2]'"
        )
    import httpcore2
    import httpx2

    # httpx2 keeps httpx's API: the shell uses it through httpx's types.
    return _describe("httpx2", cast(Any, httpx2), cast(Any, httpcore2))


def _describe(name: StackName, module: Any, core: Any) -> HttpStack:
    return HttpStack(
        name=name,
        client_class=module.Client,
        async_client_class=module.AsyncClient,
        timeout=module.Timeout,
        limits=module.Limits,
        create_ssl_context=module.create_ssl_context,
        network_backend=core.NetworkBackend,
        network_stream=core.NetworkStream,
        read_timeout=core.ReadTimeout,
        timeout_exceptions=(module.TimeoutException, TimeoutError),
        invalid_url_exceptions=(module.InvalidURL, module.UnsupportedProtocol),
        # Broad on purpose: a bad certificate, a reset connection or an undecodable body
        # must become a result, never escape. httpx raises RuntimeError for a closed client.
        transport_exceptions=(
            module.HTTPError,
            module.InvalidURL,
            module.StreamError,
            OSError,
            ValueError,
            UnicodeError,
            RuntimeError,
        ),
    )


_BUILDERS: dict[str, Callable[[], HttpStack]] = {"httpx": _httpx, "httpx2": _httpx2}


def get_stack(name: StackName) -> HttpStack:
    """The stack called ``name``, imported on first use."""
    stack = _stacks.get(name)
    if stack is None:
        with _lock:
            stack = _stacks.get(name)
            if stack is None:
                stack = _stacks[name] = _BUILDERS[name]()
    return stack


def stack_of_client(client: object, *, asynchronous: bool) -> HttpStack | None:
    """The stack whose (async) client class ``client`` is an instance of, if any.

    A stack the process has not imported cannot have made ``client``: only imported stacks
    are asked, so checking never imports httpx2.
    """
    for name in _imported():
        stack = get_stack(name)
        wanted = stack.async_client_class if asynchronous else stack.client_class
        if isinstance(client, wanted):
            return stack
    return None


def client_of_other_kind(client: object, *, asynchronous: bool) -> bool:
    """Whether ``client`` is a client of the other kind (sync for async, or the reverse)."""
    for name in _imported():
        stack = get_stack(name)
        other = stack.client_class if asynchronous else stack.async_client_class
        if isinstance(client, other):
            return True
    return False


def _imported() -> list[StackName]:
    names: tuple[StackName, ...] = ("httpx", "httpx2")
    return [name for name in names if name in sys.modules]

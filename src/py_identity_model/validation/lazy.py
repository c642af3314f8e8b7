"""The validation operations, loaded on first use by the sync and async shells.

They pull in cryptography, JOSE and discovery; loading them lazily keeps
``from py_identity_model import validate_token`` cheap at start-up. The loader returns the
flow functions themselves, typed, not a module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ..http.flow import Flow
    from .config import TokenValidationConfig
    from .id_token import IdTokenExpectations

    TokenFlow = Callable[[str | bytes, TokenValidationConfig, str | None], Flow[dict[str, Any]]]
    IdTokenFlow = Callable[
        [str | bytes, TokenValidationConfig, str | None, IdTokenExpectations | None],
        Flow[dict[str, Any]],
    ]
    Expectations = Callable[..., IdTokenExpectations]
    LogoutTokenFlow = Callable[..., Flow[dict[str, Any]]]

__all__ = ["Operations", "operations"]


class Operations(NamedTuple):
    """What ``validate_token``, ``validate_id_token`` and ``validate_logout_token`` run."""

    token_flow: TokenFlow
    id_token_flow: IdTokenFlow
    logout_token_flow: LogoutTokenFlow
    expectations: Expectations


_loaded: list[Operations] = []


def operations() -> Operations:
    """The operations, imported once."""
    if not _loaded:
        from .id_token import IdTokenExpectations
        from .operations import id_token_flow, logout_token_flow, token_flow

        _loaded.append(
            Operations(token_flow, id_token_flow, logout_token_flow, IdTokenExpectations)
        )
    return _loaded[0]


def id_token_expectations(
    expected: IdTokenExpectations | None,
    *,
    nonce: str | None,
    access_token: str | None,
    code: str | None,
    max_age: float | None,
) -> IdTokenExpectations | None:
    """One expectations value from py-identity-model 4.x's keyword arguments (or ``expected``)."""
    given = {
        name: value
        for name, value in (
            ("nonce", nonce),
            ("access_token", access_token),
            ("code", code),
            ("max_age", max_age),
        )
        if value is not None
    }
    if not given:
        return expected
    if expected is not None:
        from ..exceptions import ConfigurationException

        raise ConfigurationException(
            f"pass {', '.join(sorted(given))} inside expected=IdTokenExpectations(...), "
            "not beside it"
        )
    return operations().expectations(**given)

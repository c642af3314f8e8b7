"""A multi-value parameter collection for form bodies and query strings.

Modelled on Duende.IdentityModel's ``Parameters``: OAuth allows repeated names
(``resource`` per RFC 8707, ``audience`` per RFC 8693), so a plain ``dict`` is not enough.
Every request in the library builds its body through this type, so the rules for blank
values and duplicates live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from urllib.parse import urlencode

from ..exceptions import ConfigurationException

__all__ = ["ParameterValue", "Parameters"]

ParameterValue = str | int | float | bool


def _to_text(value: ParameterValue) -> str:
    if isinstance(value, bool):  # bool before int: True is an int
        return "true" if value else "false"
    return str(value)


class Parameters:
    """An ordered list of ``(name, value)`` pairs with OAuth-aware add rules."""

    __slots__ = ("_items",)

    def __init__(
        self,
        values: Parameters
        | Mapping[str, ParameterValue | Iterable[str] | None]
        | Iterable[tuple[str, ParameterValue]]
        | None = None,
    ) -> None:
        self._items: list[tuple[str, str]] = []
        if values is not None:
            self.merge(values)

    # ------------------------------------------------------------------ adding
    def add(self, name: str, value: ParameterValue) -> Parameters:
        """Append a pair unconditionally (repeated names are kept)."""
        if not name:
            raise ConfigurationException("Parameter name must not be empty")
        if value is None:
            raise ConfigurationException(f"Parameter {name} has no value (use add_optional)")
        self._items.append((name, _to_text(value)))
        return self

    def add_optional(
        self, name: str, value: ParameterValue | None, *, allow_duplicates: bool = False
    ) -> Parameters:
        """Add ``value`` unless it is ``None`` or blank; refuse a second value for ``name``."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return self
        if not allow_duplicates and name in self:
            raise ConfigurationException(f"Duplicate parameter: {name}")
        return self.add(name, value)

    def add_required(
        self,
        name: str,
        value: ParameterValue | None,
        *,
        allow_duplicates: bool = False,
        allow_empty: bool = False,
    ) -> Parameters:
        """Add ``value``; a missing/blank value or an unexpected duplicate is a clear error."""
        if value is None or (isinstance(value, str) and not value.strip() and not allow_empty):
            raise ConfigurationException(f"Parameter is required: {name}")
        if not allow_duplicates and name in self:
            raise ConfigurationException(f"Duplicate parameter: {name}")
        return self.add(name, value)

    def merge(
        self,
        other: Parameters
        | Mapping[str, ParameterValue | Iterable[str] | None]
        | Iterable[tuple[str, ParameterValue]],
    ) -> Parameters:
        """Append every pair of ``other``; mapping values may be lists or None (skipped)."""
        if isinstance(other, Parameters):
            self._items.extend(other._items)
        elif isinstance(other, Mapping):
            for name, value in other.items():
                if value is None:
                    continue
                if isinstance(value, (str, int, float, bool)):
                    self.add(name, value)
                else:
                    for item in value:
                        self.add(name, item)
        else:
            for name, value in other:
                self.add(name, value)
        return self

    def remove(self, name: str) -> Parameters:
        """Drop every value of ``name``."""
        self._items = [(k, v) for k, v in self._items if k != name]
        return self

    # ----------------------------------------------------------------- reading
    def get(self, name: str, default: str | None = None) -> str | None:
        """The first value of ``name``."""
        for key, value in self._items:
            if key == name:
                return value
        return default

    def get_all(self, name: str) -> list[str]:
        """Every value of ``name``, in order."""
        return [value for key, value in self._items if key == name]

    def items(self) -> list[tuple[str, str]]:
        """A copy of all pairs, in order."""
        return list(self._items)

    def to_dict(self) -> dict[str, str | list[str]]:
        """A dict view: single values as ``str``, repeated names as ``list[str]``."""
        result: dict[str, str | list[str]] = {}
        for key, value in self._items:
            current = result.get(key)
            if current is None:
                result[key] = value
            elif isinstance(current, list):
                current.append(value)
            else:
                result[key] = [current, value]
        return result

    def to_form(self) -> bytes:
        """``application/x-www-form-urlencoded`` body bytes."""
        return urlencode(self._items).encode("ascii")

    def to_query(self) -> str:
        """A query string (without ``?``)."""
        return urlencode(self._items)

    def __contains__(self, name: object) -> bool:
        return any(key == name for key, _ in self._items)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Parameters) and self._items == other._items

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        # Values may be secrets (client_secret, code, refresh_token): show names only.
        return f"Parameters(names={[key for key, _ in self._items]!r})"

"""Shared base class for the protocol constant enumerations.

The constants are plain :class:`enum.Enum` classes (not ``str`` mix-ins), as in
py-identity-model 4.x: compare or serialise them through ``.value``.  For
convenience ``str(member)`` and f-string formatting yield the wire value.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["ConstantEnum"]


class ConstantEnum(Enum):
    """An :class:`~enum.Enum` whose ``str()`` is the member's wire value.

    >>> class Example(ConstantEnum):
    ...     CODE = "code"
    >>> str(Example.CODE), f"{Example.CODE}", Example.CODE.value
    ('code', 'code', 'code')
    >>> Example.CODE == "code"
    False
    """

    def __str__(self) -> str:
        return str(self.value)

"""Which presentation an access token's DPoP binding demands (RFC 9449 §7.1, §6.1).

:func:`check_dpop_binding` reads the validated token's ``cnf.jkt`` and the ``Authorization``
scheme it came with: a DPoP-bound token needs the ``DPoP`` scheme and a proof made with that
key; a ``Bearer`` presentation of a bound token, or a ``DPoP`` presentation of an unbound
one, is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ErrorCodes
from ..exceptions import ConfigurationException, DPoPProofException

__all__ = ["check_dpop_binding"]


def check_dpop_binding(claims: Mapping[str, Any], *, scheme: str) -> str | None:
    """The thumbprint a proof must be made with, from validated access-token ``claims``.

    ``scheme`` is the ``Authorization`` header's scheme (case-insensitive). A token with
    ``cnf.jkt`` is DPoP-bound and must come with the ``DPoP`` scheme (RFC 9449 §7.1): that
    returns the ``jkt`` to pass as ``expected_jkt``. A ``Bearer`` token without it returns
    None (no proof needed). A bound token presented as ``Bearer``, an unbound one as
    ``DPoP``, a malformed ``cnf`` or another scheme raise
    :class:`~py_identity_model.exceptions.DPoPProofException` (``error="invalid_token"``).
    """
    if not isinstance(claims, Mapping):
        raise ConfigurationException("claims must be the validated access token's claims")
    cnf = claims.get("cnf")
    jkt: str | None = None
    if cnf is not None:
        if not isinstance(cnf, Mapping):
            raise _binding("the 'cnf' claim must be a JSON object")
        value = cnf.get("jkt")
        if value is not None:
            if not isinstance(value, str) or not value:
                raise _binding("cnf.jkt must be a non-empty string")
            jkt = value
    kind = scheme.lower() if isinstance(scheme, str) else ""
    if kind == "dpop":
        if jkt is None:
            raise _binding("the access token is not DPoP-bound (no cnf.jkt): present it as Bearer")
        return jkt
    if kind == "bearer":
        if jkt is not None:
            raise _binding("a DPoP-bound access token must be presented with the DPoP scheme")
        return None
    raise _binding("the authorization scheme must be DPoP or Bearer")


def _binding(message: str) -> DPoPProofException:
    return DPoPProofException(
        message, "payload", error="invalid_token", error_code=ErrorCodes.DPOP_BINDING_MISMATCH
    )

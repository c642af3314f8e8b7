"""JARM: JWT Secured Authorization Response Mode (OpenID Foundation, JARM §2).

* :mod:`.response` - finding the ``response`` JWT in a callback and turning its verified
  claims into an :class:`~py_identity_model.frontchannel.AuthorizeCallbackResponse` (pure);
* :mod:`.flow` - verifying it with the authorization server's keys, written once for the
  sync and async ``process_jarm_response``.
"""

from __future__ import annotations

from .response import JARM_RESPONSE_MODES, extract_jarm_response_jwt, is_jarm_mode, is_jarm_response

__all__ = ["JARM_RESPONSE_MODES", "extract_jarm_response_jwt", "is_jarm_mode", "is_jarm_response"]

"""Sync UserInfo: drives :func:`~py_identity_model.userinfo.flow.userinfo_flow`; never raises
for HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.sync import run_sync
from ..userinfo.flow import userinfo_flow
from ..userinfo.models import UserInfoRequest, UserInfoResponse

if TYPE_CHECKING:
    from ..drivers.sync import SyncHttpClient

__all__ = ["get_userinfo"]


def get_userinfo(
    request: UserInfoRequest, http_client: SyncHttpClient | None = None
) -> UserInfoResponse:
    """The end-user's claims from the UserInfo endpoint (OpenID Connect Core §5.3).

    ``sub`` is always present on success; a JWT answer is verified with ``jwt_response``;
    a 401's ``WWW-Authenticate`` error (``invalid_token``, ...) is the ``error_code``.
    """
    return run_sync(userinfo_flow(request), http_client)

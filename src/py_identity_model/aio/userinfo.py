"""Async UserInfo: drives :func:`~py_identity_model.userinfo.flow.userinfo_flow`; never raises
for HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drivers.aio import run_async
from ..userinfo.flow import userinfo_flow
from ..userinfo.models import UserInfoRequest, UserInfoResponse

if TYPE_CHECKING:
    from ..drivers.aio import AsyncHttpClient

__all__ = ["get_userinfo"]


async def get_userinfo(
    request: UserInfoRequest, http_client: AsyncHttpClient | None = None
) -> UserInfoResponse:
    """The end-user's claims from the UserInfo endpoint (OpenID Connect Core §5.3).

    ``sub`` is always present on success; a JWT answer is verified with ``jwt_response``;
    a 401's ``WWW-Authenticate`` error (``invalid_token``, ...) is the ``error_code``.
    """
    return await run_async(userinfo_flow(request), http_client)

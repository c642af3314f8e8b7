"""RP-Initiated Logout URLs (OpenID Connect RP-Initiated Logout 1.0 §2)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from py_identity_model.exceptions import ConfigurationException
from py_identity_model.frontchannel import FrontChannelConfigurationError, build_end_session_url

END = "https://op.example.com/connect/endsession"


def pairs(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def test_no_parameters_gives_bare_endpoint() -> None:
    assert build_end_session_url(END) == END
    assert build_end_session_url(END, None, None, None, None, None, None) == END
    assert build_end_session_url(END + "?x=1") == END + "?x=1"


def test_all_parameters_in_4x_order() -> None:
    url = build_end_session_url(
        END,
        id_token_hint="eyJ.a.b",
        client_id="client",
        post_logout_redirect_uri="https://app.example.com/signed-out",
        state="st",
        logout_hint="user@example.com",
        ui_locales="fr en",
    )
    assert pairs(url) == [
        ("id_token_hint", "eyJ.a.b"),
        ("logout_hint", "user@example.com"),
        ("client_id", "client"),
        ("post_logout_redirect_uri", "https://app.example.com/signed-out"),
        ("state", "st"),
        ("ui_locales", "fr en"),
    ]
    assert url.startswith(END + "?id_token_hint=")


def test_positional_call() -> None:
    url = build_end_session_url(END, "tok", "cid", "https://app/cb", "st")
    assert dict(pairs(url)) == {
        "id_token_hint": "tok",
        "client_id": "cid",
        "post_logout_redirect_uri": "https://app/cb",
        "state": "st",
    }


def test_none_omitted() -> None:
    url = build_end_session_url(END, client_id="c", state=None)
    assert url == END + "?client_id=c"


def test_existing_query_kept() -> None:
    url = build_end_session_url(END + "?tenant=t1", client_id="c")
    assert url == END + "?tenant=t1&client_id=c"
    assert build_end_session_url(END + "?", client_id="c") == END + "?client_id=c"
    with pytest.raises(FrontChannelConfigurationError, match="client_id"):
        build_end_session_url(END + "?client_id=x", client_id="c")


def test_ui_locales_list_and_extras() -> None:
    url = build_end_session_url(END, ui_locales=["de", "en"], sid="abc", custom=["1", "2"])
    assert pairs(url) == [("ui_locales", "de en"), ("sid", "abc"), ("custom", "1"), ("custom", "2")]


def test_encoding() -> None:
    url = build_end_session_url(END, state="a b&c#d", post_logout_redirect_uri="https://app/?x=1")
    assert "#" not in url
    assert dict(pairs(url)) == {"state": "a b&c#d", "post_logout_redirect_uri": "https://app/?x=1"}


@pytest.mark.parametrize(
    "endpoint", ["", "/logout", "ftp://op/logout", END + "#f", None, "op.example.com/logout"]
)
def test_invalid_endpoint(endpoint: Any) -> None:
    with pytest.raises(ConfigurationException):
        build_end_session_url(endpoint, client_id="c")


def test_back_channel_credentials_refused() -> None:
    with pytest.raises(FrontChannelConfigurationError):
        build_end_session_url(END, client_secret="s")

"""Property tests: parsing never raises; built URLs round-trip through a standard parser."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from hypothesis import given, settings, strategies as st

from py_identity_model.frontchannel import (
    AuthorizeCallbackResponse,
    build_authorization_url,
    build_end_session_url,
    parse_authorize_callback_response,
    validate_authorize_callback_issuer,
    validate_authorize_callback_state,
)

URLISH = st.text(alphabet=st.sampled_from("abcode=&?#%+:/_-.~ 0123456789ABCDEFéx\x00\ud800"))


@settings(max_examples=500)
@given(st.one_of(st.text(), URLISH, st.binary()))
def test_parse_never_raises(text: str | bytes) -> None:
    response = parse_authorize_callback_response(text)
    assert isinstance(response, AuthorizeCallbackResponse)
    assert response.is_successful is (response.error is None)
    assert response.expires_in is None or response.expires_in >= 0
    repr(response)
    state = validate_authorize_callback_state(response, "expected")
    issuer = validate_authorize_callback_issuer(response, "https://as", require=True)
    assert state.is_valid in (True, False)
    assert issuer.is_valid in (True, False)


SAFE_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40)


@given(state=SAFE_TEXT, nonce=SAFE_TEXT, hint=SAFE_TEXT)
def test_authorization_url_round_trips(state: str, nonce: str, hint: str) -> None:
    url = build_authorization_url(
        "https://as.example/authorize?p=1",
        "c",
        "https://app/cb",
        state=state,
        nonce=nonce,
        login_hint=hint,
    )
    parts = urlsplit(url)
    assert parts.fragment == ""
    got = dict(parse_qsl(parts.query, keep_blank_values=True))
    assert (got["p"], got["state"], got["nonce"], got["login_hint"]) == ("1", state, nonce, hint)


@given(code=SAFE_TEXT, state=SAFE_TEXT, use_fragment=st.booleans())
def test_parse_inverts_encoding(code: str, state: str, use_fragment: bool) -> None:
    # The query a server would build, parsed back by the callback parser.
    query = urlsplit(build_end_session_url("https://x/cb", state=state, code=code)).query
    sep = "#" if use_fragment else "?"
    response = parse_authorize_callback_response(f"https://app/cb{sep}{query}")
    assert response.is_successful
    assert (response.state, response.code) == (state, code)

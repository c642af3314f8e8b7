"""The endpoint policy: loopback on the parsed host, the HTTPS rule, malformed URLs, dot
segments, and "under the authority" on RFC 3986 normal forms."""

from __future__ import annotations

from typing import Any

import pytest

from py_identity_model.endpoints.policy import EndpointPolicy
from py_identity_model.exceptions import ConfigurationException
from py_identity_model.utils.urls import (
    is_loopback_host,
    is_loopback_url,
    normalize_url,
    parse_http_url,
    remove_dot_segments,
)


def check_url(url: Any, **policy: Any) -> str | None:
    """The policy's refusal message for ``url``, or None."""
    refused = EndpointPolicy(**policy).check(url, "Endpoint")
    return None if refused is None else refused.error


def check_code(url: Any, **policy: Any) -> str | None:
    refused = EndpointPolicy(**policy).check(url, "Endpoint")
    return None if refused is None else refused.code


def origin_of(url: str) -> tuple[str, str, int] | None:
    normal = normalize_url(url)
    return None if normal is None else normal.origin


# ------------------------------------------------------------------ loopback hosts


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "LOCALHOST",
        "LocalHost",
        "127.0.0.1",
        "127.0.0.2",
        "127.255.255.254",
        "127.1.2.3",
        "::1",
        "[::1]",
    ],
)
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host) is True


@pytest.mark.parametrize(
    "host",
    [
        None,
        "",
        "evil.example",
        "localhost.evil.example",
        "127.0.0.1.evil.example",
        "localhost.",  # a trailing-dot FQDN is not special-cased: conservative (HTTPS required)
        "128.0.0.1",
        "126.255.255.255",
        "0.0.0.0",
        "::",
        "::2",
        "0x7f.1",  # inet_aton shorthand: ipaddress rejects it, so it is a name, not loopback
        "127.1",  # inet_aton shorthand, same
        "2130706433",  # 127.0.0.1 as an integer, same
    ],
)
def test_not_loopback_hosts(host: str | None) -> None:
    assert is_loopback_host(host) is False


def test_ipv4_mapped_loopback_is_not_treated_as_loopback() -> None:
    # Decision (documented): ``::ffff:127.0.0.1`` is *not* loopback. The docstring of
    # is_loopback_host names only localhost, 127.0.0.0/8 and ::1, and Python 3.10-3.12's
    # ipaddress says ``IPv6Address('::ffff:127.0.0.1').is_loopback is False``. Treating it as
    # remote is the safe direction (plain HTTP is refused, HTTPS still works).
    # NOTE: Python 3.13 changed ipaddress to look through IPv4-mapped addresses, so the
    # library's answer flips with the interpreter unless it normalises ``ipv4_mapped`` itself.
    assert is_loopback_host("::ffff:127.0.0.1") is False
    assert check_url("http://[::ffff:127.0.0.1]/") is not None
    assert check_url("https://[::ffff:127.0.0.1]/") is None


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/",
        "http://localhost",
        "http://localhost:8080/cb",
        "http://LOCALHOST:8080/cb",
        "http://127.0.0.1/",
        "http://127.0.0.1:5000/x?y=1",
        "http://127.255.255.254/",
        "http://[::1]/",
        "http://[::1]:8443/path",
        "https://localhost/",
    ],
)
def test_loopback_urls(url: str) -> None:
    assert is_loopback_url(url) is True
    assert check_url(url) is None


@pytest.mark.parametrize(
    ("url", "parsed_host"),
    [
        ("http://localhost@evil.example/", "evil.example"),
        ("http://localhost:80@evil.example/", "evil.example"),
        ("http://127.0.0.1@evil.example/", "evil.example"),
        ("http://127.0.0.1.evil.example/", "127.0.0.1.evil.example"),
        ("http://localhost.evil.example/", "localhost.evil.example"),
        ("http://evil.example/localhost", "evil.example"),
        ("http://evil.example/?host=127.0.0.1", "evil.example"),
        ("http://0x7f.1/", "0x7f.1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
    ],
)
def test_loopback_look_alikes_are_not_loopback(url: str, parsed_host: str) -> None:
    parts = parse_http_url(url)
    assert parts is not None
    assert parts.hostname == parsed_host
    assert is_loopback_url(url) is False
    # None of them may use plain HTTP (userinfo ones are refused for that reason first).
    assert check_url(url) is not None


def test_is_loopback_url_false_for_malformed() -> None:
    assert is_loopback_url("localhost") is False
    assert is_loopback_url("ftp://localhost/") is False
    assert is_loopback_url("http://local host/") is False


# ------------------------------------------------------------------------ userinfo


@pytest.mark.parametrize(
    "url",
    [
        "https://user@idp.example/",
        "https://user:pass@idp.example/",
        "https://:pass@idp.example/",
        "https://@idp.example/",
        "http://user@localhost/",
        "http://localhost@evil.example/",
    ],
)
def test_userinfo_rejected_even_over_https_and_without_https_requirement(url: str) -> None:
    message = check_url(url)
    assert message == "Endpoint: addresses with user information (user@host) are not allowed"
    assert check_url(url, require_https=False) == message
    assert check_code(url) == "invalid_url"


# ----------------------------------------------------------------------- malformed


@pytest.mark.parametrize(
    "url",
    [
        "",
        "idp.example/path",  # no scheme
        "//idp.example/path",  # scheme-relative
        "/relative",
        "ftp://idp.example/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://",
        "https:///path",
        "http://:8080/",
        "https://idp .example/",  # space
        "https://idp.example/a b",
        "https://idp.example/\r\nX-Injected: 1",
        "https://idp.example/\n",
        "https://idp.example\t/",
        "https://idp.example\\@evil.example/",
        "https://idp.example:99999/",  # port out of range
        "https://idp.example:-1/",
        "https://idp.example:abc/",
        "https://[::1/",  # unbalanced bracket
        "https://[::1",
        "https://[evil.example]/",  # not an IPv6 literal
        "https://[::1]x/",
        "https://idp.example/\x00",
        "https://idp.example/\x7f",
        "https://idp.éxample/",  # not ASCII: not a URI (RFC 3986)
    ],
)
def test_malformed_urls(url: str) -> None:
    assert parse_http_url(url) is None
    if url:
        assert check_url(url) == f"Endpoint: {url[:200]!r} is not an absolute http(s) URL"
    assert check_code(url) == "invalid_url"
    assert check_url(url, require_https=False) is not None
    assert origin_of(url) is None


@pytest.mark.parametrize("value", [None, b"https://idp.example/", 42])
def test_non_string_urls_are_malformed(value: object) -> None:
    assert parse_http_url(value) is None  # type: ignore[arg-type]
    assert check_url(value) is not None  # type: ignore[arg-type]


def test_scheme_is_case_insensitive() -> None:
    assert check_url("HTTPS://IdP.Example/x") is None
    assert check_url("HTTP://LOCALHOST/") is None


# -------------------------------------------------------------------- https policy


@pytest.mark.parametrize(
    "url",
    [
        "https://idp.example/",
        "https://idp.example:8443/a?b=c",
        "https://10.0.0.1/",
        "https://[2001:db8::1]/",
    ],
)
def test_https_is_always_fine(url: str) -> None:
    assert check_url(url) is None
    assert check_url(url, allow_http_on_loopback=False) is None


def test_plain_http_to_remote_host_requires_https() -> None:
    assert check_url("http://idp.example/x") == (
        "Endpoint: HTTPS is required: http://idp.example/x uses plain HTTP on a non-loopback host"
    )
    assert check_code("http://idp.example/x") == "https_required"


def test_require_https_false_allows_plain_http() -> None:
    assert check_url("http://idp.example/", require_https=False) is None
    assert check_url("http://10.1.2.3:8080/", require_https=False) is None


def test_loopback_exception_can_be_disabled() -> None:
    assert check_url("http://localhost/", allow_http_on_loopback=False) is not None
    assert check_url("http://127.0.0.1/", allow_http_on_loopback=False) is not None
    assert check_url("http://localhost/", require_https=False, allow_http_on_loopback=False) is None


# -------------------------------------------------------------------------- origin


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://IdP.Example/a", ("https", "idp.example", 443)),
        ("https://idp.example:443/", ("https", "idp.example", 443)),
        ("http://idp.example/", ("http", "idp.example", 80)),
        ("https://idp.example:8443/x", ("https", "idp.example", 8443)),
        ("http://[::1]:9000/", ("http", "::1", 9000)),
    ],
)
def test_origin_of(url: str, origin: tuple[str, str, int]) -> None:
    assert origin_of(url) == origin


def test_same_origin_with_and_without_default_port() -> None:
    assert origin_of("https://idp.example/") == origin_of("https://idp.example:443/other")
    assert origin_of("https://idp.example/") != origin_of("http://idp.example/")


# --------------------------------------------------------------------- fragments


def test_fragments_are_refused() -> None:
    # Anything after '#' never reaches the server.
    assert check_code("https://idp.example/token#frag") == "invalid_url"
    assert check_code("https://idp.example/token#") == "invalid_url"


# ------------------------------------------------------------------ dot segments


@pytest.mark.parametrize(
    "url",
    [
        "https://idp.example/tenant/../other/jwks",
        "https://idp.example/tenant/./../other/jwks",
        "https://idp.example/tenant/;/../other/jwks",
        "https://idp.example/tenant/%2e%2e/other/jwks",
        "https://idp.example/tenant/%2E%2E/other/jwks",
        "https://idp.example/tenant/.%2e/other",
        "https://idp.example/tenant/%2e/jwks",
        "https://idp.example/tenant/..",
        "https://idp.example/.",
    ],
)
def test_dot_segments_are_refused(url: str) -> None:
    # A check on the raw string would see these under /tenant while the HTTP stack fetches
    # a path outside it: refused outright, whatever the letter case or encoding.
    assert check_code(url) == "invalid_url"
    assert "dot segments" in (check_url(url) or "")


@pytest.mark.parametrize(
    "url",
    [
        "https://idp.example/a..b/jwks",
        "https://idp.example/.well-known/jwks",
        "https://idp.example/..x",
    ],
)
def test_dots_inside_segments_are_fine(url: str) -> None:
    assert check_url(url) is None


@pytest.mark.parametrize(
    ("path", "resolved"),
    [
        ("/a/b/c/./../../g", "/a/g"),  # RFC 3986 §5.4 style examples
        ("/mid/content=5/../6", "/mid/6"),
        ("/../a", "/a"),
        ("/a/..", "/"),
        ("/a/.", "/a/"),
        ("/", "/"),
    ],
)
def test_remove_dot_segments(path: str, resolved: str) -> None:
    assert remove_dot_segments(path) == resolved


# --------------------------------------------------------------- normal forms


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("https://IdP.Example/a", "https://idp.example/a"),
        ("HTTPS://idp.example:443/a", "https://idp.example/a"),
        ("https://idp.example", "https://idp.example/"),
        ("https://idp.example/%7Euser", "https://idp.example/~user"),
        ("https://idp.example/a%2fb", "https://idp.example/a%2Fb"),
        ("http://idp.example:80/", "http://idp.example/"),
        ("https://[::1]:443/x", "https://[::1]/x"),
    ],
)
def test_normal_forms_compare_equal(left: str, right: str) -> None:
    assert normalize_url(left) == normalize_url(right)
    assert str(normalize_url(left)) == str(normalize_url(right))


def test_encoded_slash_is_not_a_separator() -> None:
    # %2F stays encoded: "/a%2Fb" is one segment, not two.
    assert normalize_url("https://idp.example/a%2fb") != normalize_url("https://idp.example/a/b")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://idp.example/tenant/jwks", True),
        ("https://idp.example/tenant", True),
        ("https://idp.example/tenant/", True),
        ("https://IDP.example:443/tenant/jwks", True),
        ("https://idp.example/tenant-evil/jwks", False),
        ("https://idp.example/tenantx", False),
        ("https://idp.example/other", False),
        ("http://idp.example/tenant/jwks", False),  # another origin
        ("https://idp.example:8443/tenant/jwks", False),
        ("https://idp.example.evil/tenant/jwks", False),
        ("https://keys.example/op/jwks", True),  # an allowed base address
        ("https://keys.example/op-evil/jwks", False),
    ],
)
def test_is_allowed_under_compares_normal_forms_on_segment_boundaries(
    url: str, allowed: bool
) -> None:
    policy = EndpointPolicy(allowed_base_addresses=("https://keys.example/op",))
    assert policy.is_allowed_under(url, "https://idp.example/tenant") is allowed


def test_loopback_endpoints_allowed_anywhere_only_when_asked() -> None:
    assert not EndpointPolicy().is_allowed_under("http://127.0.0.1:9/x", "https://idp.example")
    assert EndpointPolicy(allow_loopback_endpoints=True).is_allowed_under(
        "http://127.0.0.1:9/x", "https://idp.example"
    )


@pytest.mark.parametrize(
    "options",
    [
        {"require_https": "yes"},
        {"allow_http_on_loopback": 1},
        {"allowed_base_addresses": "https://one.example"},
        {"allowed_base_addresses": ["not a url"]},
        {"allowed_base_addresses": [42]},
        {"allow_loopback_endpoints": None},
    ],
)
def test_policy_values_are_validated(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationException):
        EndpointPolicy(**options)

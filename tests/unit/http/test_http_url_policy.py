"""URL policy: loopback detection on the parsed host, HTTPS rule, malformed URLs."""

from __future__ import annotations

import pytest

from py_identity_model.http.url_policy import (
    check_url,
    is_loopback_host,
    is_loopback_url,
    origin_of,
    parse_http_url,
)

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
        "http://127.0.0.1:5000/x?y=1#z",
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
        ("http://evil.example#@localhost", "evil.example"),
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
    assert message == "Addresses with user information (user@host) are not allowed"
    assert check_url(url, require_https=False) == message


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
    ],
)
def test_malformed_urls(url: str) -> None:
    assert parse_http_url(url) is None
    assert check_url(url) == f"Malformed address: {url!r} is not an absolute http(s) URL"
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
        "HTTPS is required: http://idp.example/x uses plain HTTP on a non-loopback host"
    )


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

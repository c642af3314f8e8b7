"""DPoP nonces on the client: reading DPoP-Nonce safely, the bounded per-origin store."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from py_identity_model import ConfigurationException, DPoPKey, DPoPNonceStore, extract_dpop_nonce
from py_identity_model.dpop.nonces import is_valid_dpop_nonce, nonce_origin, nonce_store_of
from py_identity_model.http.messages import Headers, HttpResponse


def _httpx(*pairs: tuple[str, str]) -> httpx.Response:
    return httpx.Response(200, headers=list(pairs))


@pytest.mark.parametrize(
    "response",
    [
        _httpx(("DPoP-Nonce", "n-1")),
        _httpx(("dpop-nonce", "n-1")),
        HttpResponse(200, Headers([("DPoP-Nonce", "n-1")]), b"", "https://as.example/token"),
        {"DPOP-NONCE": "n-1"},
        httpx.Headers({"DPoP-Nonce": "n-1"}),
        _httpx(("DPoP-Nonce", " n-1\t")),
    ],
    ids=["httpx", "lower-case", "HttpResponse", "dict", "httpx-headers", "padded"],
)
def test_the_nonce_is_read_from_any_response_shape(response: Any) -> None:
    assert extract_dpop_nonce(response) == "n-1"


class _Headerless:
    headers = None


class _Odd:
    def __init__(self, headers: object) -> None:
        self.headers = headers


@pytest.mark.parametrize(
    "response",
    [
        _httpx(),
        _httpx(("Other", "x")),
        _httpx(("DPoP-Nonce", "a"), ("DPoP-Nonce", "b")),  # which one? neither
        HttpResponse(
            200, Headers([("DPoP-Nonce", "a"), ("DPoP-Nonce", "b")]), b"", "https://as.example/"
        ),
        {"DPoP-Nonce": "a, b"},
        _httpx(("DPoP-Nonce", 'a"b')),
        _httpx(("DPoP-Nonce", "a\\b")),
        _httpx(("DPoP-Nonce", "")),
        _httpx(("DPoP-Nonce", "x" * 1025)),
        {"DPoP-Nonce": "é"},
        {"DPoP-Nonce": 5},
        _Headerless(),
        _Odd(42),
        _Odd(["not", "pairs"]),
        None,
        "DPoP-Nonce: n",
    ],
    ids=[
        "none",
        "other",
        "two-lines",
        "two-lines-ours",
        "joined",
        "quote",
        "backslash",
        "empty",
        "too-long",
        "non-ascii",
        "not-text",
        "headers-none",
        "headers-int",
        "headers-list",
        "none-response",
        "a-string",
    ],
)
def test_missing_ambiguous_or_malformed_nonces_are_none(response: Any) -> None:
    assert extract_dpop_nonce(response) is None


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("abc", True),
        ("!#$%&'()*+,-./:;<=>?@[]^_`{|}~", True),
        ("a b", False),
        ('"', False),
        ("\\", False),
        ("\t", False),
        ("", False),
        (None, False),
        ("x" * 1024, True),
    ],
)
def test_nonce_syntax(value: object, valid: bool) -> None:
    assert is_valid_dpop_nonce(value) is valid


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://AS.example/token", "https://as.example:443"),
        ("HTTPS://as.example:443/par?x#y", "https://as.example:443"),
        ("http://127.0.0.1:8080/x", "http://127.0.0.1:8080"),
        ("https://[::1]/t", "https://[::1]:443"),
        ("ftp://as.example/", None),
        ("not a url", None),
        (None, None),
    ],
)
def test_origins_are_normalised(url: Any, origin: str | None) -> None:
    assert nonce_origin(url) == origin


def test_one_nonce_per_origin() -> None:
    store = DPoPNonceStore()
    assert store.get("https://as.example/token") is None
    assert store.put("https://as.example/token", "n-1") is True
    assert store.get("HTTPS://AS.EXAMPLE:443/par") == "n-1"  # same origin, any path
    assert store.get("http://as.example/token") is None  # another scheme
    assert store.get("https://as.example:8443/token") is None  # another port
    assert store.get("https://rs.example/token") is None  # another host
    store.put("https://as.example/x", "n-2")
    assert store.get("https://as.example/token") == "n-2" and len(store) == 1
    assert store.get("not a url") is None


def test_invalid_nonces_are_never_stored() -> None:
    store = DPoPNonceStore()
    for bad in ("", "a b", 'q"', "x" * 1025, None):
        assert store.put("https://as.example/", bad) is False  # type: ignore[arg-type]
    assert len(store) == 0


@pytest.mark.parametrize("url", ["/relative", "ftp://x/", "", None])
def test_put_needs_an_http_url(url: Any) -> None:
    with pytest.raises(ConfigurationException, match="URL"):
        DPoPNonceStore().put(url, "n")


def test_remember_reads_the_response_whatever_its_status() -> None:
    store = DPoPNonceStore()
    failure = httpx.Response(400, json={"error": "invalid_grant"}, headers={"DPoP-Nonce": "n-9"})
    assert store.remember("https://as.example/token", failure) == "n-9"
    assert store.get("https://as.example/") == "n-9"
    assert store.remember("https://as.example/token", _httpx()) is None
    assert store.get("https://as.example/") == "n-9"  # an answer without one keeps it
    assert store.remember("https://as.example/token", _httpx(("DPoP-Nonce", "a b"))) is None
    assert store.get("https://as.example/") == "n-9"
    assert store.remember("no url", _httpx(("DPoP-Nonce", "n"))) is None


def test_the_store_is_bounded_least_recently_used_first() -> None:
    store = DPoPNonceStore(max_origins=3)
    for host in ("a", "b", "c"):
        store.put(f"https://{host}.example/", f"n-{host}")
    assert store.get("https://a.example/") == "n-a"  # a is now the most recent
    store.put("https://d.example/", "n-d")  # evicts b, the least recently used
    assert len(store) == 3
    assert store.get("https://b.example/") is None
    assert [store.get(f"https://{h}.example/") for h in "acd"] == ["n-a", "n-c", "n-d"]
    store.forget("https://a.example/anything")
    assert store.get("https://a.example/") is None and len(store) == 2
    store.forget("not a url")
    store.clear()
    assert len(store) == 0


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10", None])
def test_max_origins_must_be_a_positive_integer(bad: object) -> None:
    with pytest.raises(ConfigurationException, match="max_origins"):
        DPoPNonceStore(bad)  # type: ignore[arg-type]


def test_repr_shows_counts_not_nonces() -> None:
    store = DPoPNonceStore(max_origins=5)
    store.put("https://as.example/", "secret-ish-nonce")
    assert repr(store) == "DPoPNonceStore(origins=1, max_origins=5)"


def test_the_store_is_thread_safe_and_stays_bounded() -> None:
    store = DPoPNonceStore(max_origins=50)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for i in range(500):
                url = f"https://h{(worker * 7 + i) % 200}.example/t"
                store.put(url, f"n{worker}-{i}")
                value = store.get(url)
                assert value is None or value.startswith("n")
                if i % 50 == 0:
                    store.forget(url)
                assert len(store) <= 50
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert 0 < len(store) <= 50


def test_nonce_store_of() -> None:
    key = DPoPKey()
    assert nonce_store_of(key) is key.nonce_store
    assert nonce_store_of(None) is None
    assert nonce_store_of(object()) is None

    class Impostor:
        def __init__(self) -> None:
            self.nonce_store = {"https://as.example": "n"}

    assert nonce_store_of(Impostor()) is None

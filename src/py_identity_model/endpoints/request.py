"""One authenticated back-channel request, written once for every endpoint.

``client_post_flow`` is what the token endpoint uses today, and what PAR, introspection,
revocation, CIBA and device authorization build on: check the endpoint against the policy
(no credentials ever go to a refused URL) → apply the client's authentication → add a DPoP
proof → POST the form → if the server answers with a DPoP nonce challenge (a 400
``use_dpop_nonce`` JSON error, or a 401 ``WWW-Authenticate: DPoP error="use_dpop_nonce"``,
RFC 9449 §8 and §9), send once more with a fresh proof carrying the nonce and fresh client
credentials (a new assertion ``jti``). Nothing else is ever resent: a POST may have
redeemed an authorization code.

A DPoP key with a ``nonce_store`` (every :class:`~py_identity_model.dpop.key.DPoPKey`)
puts the nonce remembered for the endpoint's origin in the *first* proof, and every
``DPoP-Nonce`` the server answers with (success or failure) is remembered, so a server that
requires nonces costs one extra round trip per origin, not per request
(:mod:`py_identity_model.dpop.nonces`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..dpop.nonces import extract_dpop_nonce, nonce_store_of
from ..http.challenges import find_challenge
from ..http.flow import Flow
from ..http.messages import HttpRequest, HttpResponse, Outcome
from ..http.readers import loads_json_object
from ..http.results import Failure
from ..utils.parameters import Parameters
from .client import Client
from .policy import EndpointPolicy

__all__ = ["client_post_flow", "dpop_nonce_challenge"]


def dpop_nonce_challenge(outcome: Outcome) -> str | None:
    """The server's new DPoP nonce when ``outcome`` asks for one (RFC 9449 §8, §9), else None."""
    if not isinstance(outcome, HttpResponse):
        return None
    nonce = extract_dpop_nonce(outcome)  # syntax-checked: garbage is never echoed
    if nonce is None:
        return None
    if outcome.status == 401:
        challenge = find_challenge(outcome.headers, "DPoP")
        return nonce if challenge is not None and challenge.error == "use_dpop_nonce" else None
    if outcome.status == 400:
        try:
            error = loads_json_object(outcome.body).get("error")
        except ValueError:
            return None
        return nonce if error == "use_dpop_nonce" else None
    return None


def _merged_headers(ours: dict[str, str], caller: Mapping[str, str] | None) -> dict[str, str]:
    # Caller headers first; the library's own (Authorization, DPoP) win whatever the letter
    # case, so no header is ever sent twice and credentials cannot be overridden by accident.
    if not caller:
        return ours
    taken = {name.lower() for name in ours}
    return {**{k: v for k, v in caller.items() if k.lower() not in taken}, **ours}


def client_post_flow(
    client: Client,
    endpoint: str,
    parameters: Callable[[], Parameters],
    *,
    policy: EndpointPolicy,
    what: str,
    accept: str = "application/json",
    headers: Mapping[str, str] | None = None,
) -> Flow[Outcome | Failure]:
    """POST ``parameters()`` to ``endpoint`` as ``client``; the outcome, or why nothing was sent.

    ``parameters`` is called for each send, so a resend starts from a fresh form.
    """
    refused = policy.check(endpoint, what)
    if refused is not None:
        return refused
    options = client.transport_options
    store = nonce_store_of(client.dpop)
    nonce = store.get(endpoint) if store is not None else None
    answered = False
    while True:
        params = parameters()
        ours: dict[str, str] = {}
        client.auth.apply(client.client_id, params, ours, endpoint=endpoint)
        if client.dpop is not None:
            # htu is the endpoint without query or fragment (RFC 9449 §4.2); the prover
            # strips them.
            ours["DPoP"] = client.dpop.create_proof("POST", endpoint, nonce=nonce)
        request = HttpRequest.post_form(
            endpoint,
            params.to_form(),
            accept=accept,
            headers=_merged_headers(ours, headers),
            options=options,
        )
        outcome: Outcome = yield request
        if client.dpop is not None:
            if store is not None and isinstance(outcome, HttpResponse):
                store.remember(endpoint, outcome)
            challenge = None if answered else dpop_nonce_challenge(outcome)
            if challenge is not None:
                nonce, answered = challenge, True  # answered once: a second one is reported
                continue
        return outcome

"""DPoP-bound (RFC 9449) and certificate-bound (RFC 8705) tokens through the ResourceServer."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fake_op import AUDIENCE, ISSUER, URL, FakeOp, mint
from tests.provider.tls import TlsMaterial, make_tls_material

from py_identity_model import (
    DPoPKey,
    DPoPServerNonces,
    IncomingRequest,
    ResourceRejection,
    ResourceServer,
)
from py_identity_model.errors import ErrorCodes
from py_identity_model.mtls.certificates import compute_certificate_thumbprint


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> TlsMaterial:
    return make_tls_material(tmp_path_factory.mktemp("rs-certs"))


@pytest.fixture
def op() -> FakeOp:
    return FakeOp()


def server(op: FakeOp, **options: Any) -> ResourceServer:
    return ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=op.client(), **options)


def dpop_request(token: str, *proofs: str, url: str = URL) -> IncomingRequest:
    lines = [("Authorization", f"DPoP {token}"), *(("DPoP", proof) for proof in proofs)]
    return IncomingRequest("GET", url, lines)


def rejected(rs: ResourceServer, req: IncomingRequest) -> ResourceRejection:
    with pytest.raises(ResourceRejection) as info:
        rs.authenticate(req)
    return info.value


def test_dpop_bound_token_with_its_proof(op: FakeOp) -> None:
    key = DPoPKey()
    token = mint(cnf={"jkt": key.jwk_thumbprint})
    rs = server(op)
    principal = rs.authenticate(
        dpop_request(token, key.create_proof("GET", URL, access_token=token))
    )
    assert (principal.token_type, principal.dpop_jkt) == ("DPoP", key.jwk_thumbprint)
    # the token is cached, the proof never is: a second request needs a fresh proof
    again = key.create_proof("GET", URL, access_token=token)
    assert rs.authenticate(dpop_request(token, again)).dpop_jkt == key.jwk_thumbprint
    replay = rejected(rs, dpop_request(token, again))
    assert (replay.error, replay.error_code) == ("invalid_dpop_proof", "dpop_proof_replayed")
    cache = rs.validated_token_cache
    assert cache is not None and cache.hits == 2


async def test_async_dpop(op: FakeOp) -> None:
    key = DPoPKey()
    token = mint(cnf={"jkt": key.jwk_thumbprint})
    rs = ResourceServer(issuer=ISSUER, audience=AUDIENCE, http_client=op.async_client())
    proof = key.create_proof("GET", URL, access_token=token)
    assert (await rs.aauthenticate(dpop_request(token, proof))).token_type == "DPoP"
    with pytest.raises(ResourceRejection) as info:
        await rs.aauthenticate(dpop_request(token, proof))
    assert info.value.error_code == "dpop_proof_replayed"


@pytest.mark.parametrize("case", ["none", "two", "other-key", "other-url", "no-ath"])
def test_dpop_proof_failures(op: FakeOp, case: str) -> None:
    key = DPoPKey()
    token = mint(cnf={"jkt": key.jwk_thumbprint})
    proofs = {
        "none": [],
        "two": [key.create_proof("GET", URL, access_token=token)] * 2,
        "other-key": [DPoPKey().create_proof("GET", URL, access_token=token)],
        "other-url": [key.create_proof("GET", URL + "/x", access_token=token)],
        "no-ath": [key.create_proof("GET", URL)],
    }[case]
    rejection = rejected(server(op), dpop_request(token, *proofs))
    assert (rejection.status, rejection.error) == (401, "invalid_dpop_proof")
    assert rejection.description == "The DPoP proof is not valid"
    values = [v for n, v in rejection.headers if n == "WWW-Authenticate"]
    assert values[1].startswith('DPoP algs="ES256 EdDSA PS256 RS256", error="invalid_dpop_proof"')
    assert all(p not in str(rejection.headers) for p in proofs)


def test_bound_token_as_bearer_and_unbound_as_dpop(op: FakeOp) -> None:
    key = DPoPKey()
    bound = mint(cnf={"jkt": key.jwk_thumbprint})
    header = IncomingRequest("GET", URL, {"Authorization": f"Bearer {bound}"})
    rejection = rejected(server(op), header)
    assert (rejection.error, rejection.error_code) == ("invalid_token", "dpop_binding_mismatch")
    unbound = mint()
    proof = key.create_proof("GET", URL, access_token=unbound)
    assert rejected(server(op), dpop_request(unbound, proof)).error == "invalid_token"


def test_dpop_nonce_required(op: FakeOp) -> None:
    nonces = DPoPServerNonces()
    rs = server(op, dpop_nonces=nonces)
    key = DPoPKey()
    token = mint(cnf={"jkt": key.jwk_thumbprint})
    rejection = rejected(rs, dpop_request(token, key.create_proof("GET", URL, access_token=token)))
    assert (rejection.status, rejection.error) == (401, "use_dpop_nonce")
    nonce = dict(rejection.headers)["DPoP-Nonce"]
    assert nonces.is_valid(nonce)
    proof = key.create_proof("GET", URL, access_token=token, nonce=nonce)
    assert rs.authenticate(dpop_request(token, proof)).token_type == "DPoP"
    bare = rejected(rs, IncomingRequest("GET", URL, {}))
    assert "DPoP-Nonce" in dict(bare.headers)


def test_certificate_bound_token(op: FakeOp, certs: TlsMaterial) -> None:
    pem = certs.client.pem
    token = mint(cnf={"x5t#S256": compute_certificate_thumbprint(pem)})
    rs = server(op)
    bearer = {"Authorization": f"Bearer {token}"}
    principal = rs.authenticate(IncomingRequest("GET", URL, bearer, client_certificate=pem))
    assert principal.certificate_thumbprint == compute_certificate_thumbprint(pem)
    # from a trusted proxy's header (RFC 9440 Client-Cert / URL-encoded PEM)
    header_cert = IncomingRequest.certificate_from_header(quote(pem))
    via_proxy = IncomingRequest("GET", URL, bearer, client_certificate=header_cert)
    assert rs.authenticate(via_proxy).certificate_thumbprint == principal.certificate_thumbprint
    other = IncomingRequest("GET", URL, bearer, client_certificate=certs.other.pem)
    assert rejected(rs, other).error_code == ErrorCodes.CERTIFICATE_BINDING_MISMATCH
    missing = rejected(rs, IncomingRequest("GET", URL, bearer))
    assert (missing.error, missing.error_code) == ("invalid_token", "missing_client_certificate")
    garbage = IncomingRequest("GET", URL, bearer, client_certificate=b"not a certificate")
    assert rejected(rs, garbage).error_code == ErrorCodes.INVALID_CERTIFICATE


def test_certificate_binding_required(op: FakeOp, certs: TlsMaterial) -> None:
    rs = server(op, certificate_binding="require")
    unbound = IncomingRequest(
        "GET", URL, {"Authorization": f"Bearer {mint()}"}, client_certificate=certs.client.pem
    )
    assert rejected(rs, unbound).error_code == "missing_certificate_binding"

"""DPoP, Demonstrating Proof of Possession (RFC 9449): the client's keys and proofs, the
per-origin nonce memory, and the resource server's proof verification.

The public names are exported lazily from ``py_identity_model`` (see ``_exports.py``); this
package re-exports nothing so that importing one side never loads the other.
"""

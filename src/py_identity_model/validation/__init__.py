"""Token validation: JWS/JWT access tokens, ID tokens, logout tokens, JWE; claim rules.

* :mod:`.config` — ``TokenValidationConfig`` and its compiled form
* :mod:`.flow` — the validation flow (parse → keys → signature → claims)
* :mod:`.key_source` — discovery + JWKS caches with the unknown-``kid`` refetch
* :mod:`.claims`, :mod:`.id_token`, :mod:`.logout_token`, :mod:`.hashes` — claim rules
* :mod:`.validator` — the operations and ``TokenValidator``
* :mod:`.jwt` — ``JsonWebToken`` (decoding for inspection only)
"""

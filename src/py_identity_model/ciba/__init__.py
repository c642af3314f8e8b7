"""OpenID Connect Client-Initiated Backchannel Authentication (CIBA Core 1.0), poll mode.

The client asks the authorization server to authenticate a user on the user's own device
(:mod:`.models` ``BackchannelAuthenticationRequest``), then polls the token endpoint with the
``auth_req_id`` it got back until the user has approved or denied, the request expired, or
the caller gave up (:mod:`.flow`; the waiting is the device flow's polling core).
"""

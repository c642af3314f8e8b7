"""The OAuth 2.0 Device Authorization Grant (RFC 8628), for devices without a browser or
a keyboard worth typing on: the device asks for a user code (:mod:`.models`,
:mod:`.flow`), the user approves it on another device, and the device polls the token
endpoint until the user has answered (:mod:`.polling`, shared with CIBA poll mode)."""

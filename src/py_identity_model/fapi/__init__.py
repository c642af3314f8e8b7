"""FAPI 2.0 (Security Profile and Message Signing, final): a policy that checks every request
the library is about to send and every answer it accepts. See :mod:`.profile`."""

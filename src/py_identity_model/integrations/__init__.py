"""Thin framework integrations over the resource-server core (optional extras).

Import them by module: ``py_identity_model.integrations.fastapi``, ``.flask``, ``.django``,
``.drf``. Each imports its framework and is never loaded by the package's lazy exports.
"""

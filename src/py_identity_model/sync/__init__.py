"""The synchronous API: thin functions that drive the protocol core with blocking I/O.

Each function is ``run_sync(<core flow>, http_client)``; no protocol logic lives here.
Everything is re-exported (lazily) at the package top level; this package imports nothing
eagerly so that using one area never loads the others.
"""

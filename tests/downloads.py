"""Closing a streamed download in a test as a WSGI server would, without closing the test's
database connection.

Closing a response sends `request_finished`, whose `close_old_connections` drops a connection
that is inside a transaction: on PostgreSQL that is the test's own transaction (SQLite's
in-memory database ignores the close). Django's test client disconnects it around the close it
makes itself; a test that closes a response (unread, or built without the client) does the same
here."""

from django.core.signals import request_finished
from django.db import close_old_connections


def close_download(response) -> None:
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

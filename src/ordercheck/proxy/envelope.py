"""The proxy's own answers, when it cannot give the upstream's: the API's error envelope, so
a client that handles the API's errors handles these too, and a header saying who spoke.

    502  the upstream could not be reached, or broke off before its response began
    504  the upstream did not answer within --timeout
    413  the request body is over --max-body-bytes; it was not forwarded
"""

from __future__ import annotations

import orjson

from ordercheck.proxy.headers import RawHeaders

# On every answer the proxy makes itself, so nobody mistakes it for the upstream's.
PROXY_HEADER = b"x-ordercheck-proxy"


def error_response(status: int, message: str) -> tuple[RawHeaders, bytes]:
    """The headers and body of the proxy's own error answer.

    >>> headers, body = error_response(502, "down")
    >>> orjson.loads(body)["error"]["errors"]
    [{'message': 'down'}]
    """
    body = orjson.dumps(
        {
            "is_success": False,
            "status_code": status,
            "error": {"errors": [{"message": message}], "message": message},
        }
    )
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (PROXY_HEADER, str(status).encode()),
    ]
    return headers, body

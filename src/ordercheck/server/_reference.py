"""The reference behaviour, one method per stage of a request.

A request goes through `authorise`, `parse`, `validate`, the store, then `success_response`
or `error_response`; `response_headers` decorates every response.  The conformant server is
`Reference` itself.  Each broken variant (`variants.py`) is a subclass that overrides exactly
one stage, so the defect is the whole of its diff and everything else stays conformant.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import orjson
from starlette.responses import JSONResponse, Response

from ordercheck.server._store import Order, OrderStore
from ordercheck.spec import Profile
from ordercheck.validators import ConstraintViolation, RequestValidator

PREFIX = "create_merchant_order : "
LOCK_MESSAGE = PREFIX + "Could not acquire lock"
CONFLICT_MESSAGE = "merchant_order_id already used with a different order"
PAYMENT_AGGREGATOR = "EKACARE"
JSON_MEDIA_TYPES = ("application/json",)

# Headers from the page's lists that a real deployment sends; only X-Request-ID is required.
STATIC_HEADERS: tuple[tuple[str, str], ...] = (
    ("Server", "ordercheck-reference"),
    ("Vary", "Accept-Encoding"),
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "POST"),
    ("Access-Control-Allow-Headers", "Content-Type, X-Access-Key"),
)


@dataclass(frozen=True)
class ServerConfig:
    """What one server instance is configured with; the key stays out of its repr."""

    merchant_id: str
    access_key: str = field(repr=False)
    profile: Profile
    processing_delay_s: float


class Rejection(Exception):
    """A refused request: its HTTP status and the messages of its error envelope.

    `messages` become ``error.errors``; `summary` is ``error.message`` and defaults to the
    first message with the ``create_merchant_order : `` prefix the page's example uses.
    """

    def __init__(
        self,
        status: int,
        messages: Sequence[str],
        *,
        summary: str | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        self.status = status
        self.messages = list(messages)
        self.summary = summary if summary is not None else PREFIX + self.messages[0]
        self.headers = dict(headers or {})
        super().__init__(f"HTTP {status}: {self.summary}")

    @classmethod
    def lock(cls) -> Rejection:
        """The documented error, word for word in both places."""
        return cls(400, [LOCK_MESSAGE], summary=LOCK_MESSAGE)


class OrjsonResponse(JSONResponse):
    """JSON rendered by orjson: non-ASCII stays readable and big ints stay exact."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def is_json_media_type(content_type: str | None) -> bool:
    """True for ``application/json``, with or without parameters such as a charset."""
    if not content_type:
        return False
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type in JSON_MEDIA_TYPES or media_type.endswith("+json")


class Reference:
    """The conformant server.  Subclasses override one stage to break one rule."""

    store_type: ClassVar[type[OrderStore]] = OrderStore
    success_status: ClassVar[int] = 200
    validation_status: ClassVar[int] = 400

    def __init__(self, config: ServerConfig, validator: RequestValidator):
        self.config = config
        self.validator = validator
        self._key = config.access_key.encode()

    # -- authorise --------------------------------------------------------------------
    def authorise(self, key: str | None, merchant_id: str) -> None:
        """401 for a missing or wrong key; 403 for the right key on another merchant's path."""
        # Starlette decodes header bytes as latin-1, so this recovers the bytes sent.
        if not key or not hmac.compare_digest(key.encode("latin-1"), self._key):
            raise Rejection(401, ["missing or invalid X-Access-Key"])
        if merchant_id != self.config.merchant_id:
            raise Rejection(403, ["this access key is not valid for that merchant_id"])

    # -- parse ------------------------------------------------------------------------
    def parse(self, content_type: str | None, raw: bytes) -> Any:
        """The JSON body; anything else is the client's mistake, so 400 and never 5xx."""
        if not is_json_media_type(content_type):
            raise Rejection(400, ["the body must be JSON sent with Content-Type: application/json"])
        return self.decode(raw)

    def decode(self, raw: bytes) -> Any:
        """Strict JSON (no NaN, UTF-8 only) by orjson; a decoding error is a 400."""
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise Rejection(400, [f"the body is not valid JSON ({exc})"]) from None

    # -- validate ---------------------------------------------------------------------
    def validate(self, payload: Any) -> None:
        """Schema findings first (one message each), then the merchant's business rules."""
        problems = [finding.hint for finding in self.findings(payload)]
        if problems:
            raise Rejection(self.validation_status, problems)
        refused = self.business_rules(payload)
        if refused:
            raise Rejection(400, refused)

    def findings(self, payload: Any) -> Sequence[ConstraintViolation]:
        """The error-severity findings of the spec's validator under the server's profile."""
        return self.validator.check(payload).errors

    def business_rules(self, payload: Mapping[str, Any]) -> list[str]:
        """Rejections of valid payloads (unknown SKU, expired coupon...): the reference has none."""
        return []

    # -- respond ----------------------------------------------------------------------
    def success_body(self, order: Order) -> dict[str, Any]:
        """The page's success envelope; the payment block only for ONLINE orders."""
        data: dict[str, Any] = {"order_id": order.order_id}
        if order.merchant_order_id is not None:
            data["merchant_order_id"] = order.merchant_order_id
        if order.payment_id is not None:
            data["action"] = "map_payment"
            data["payment_id"] = order.payment_id
            data["payment_aggregator"] = PAYMENT_AGGREGATOR
        return {
            "data": data,
            "partial_complete": False,
            "is_success": True,
            "status_code": self.success_status,
        }

    def success_response(self, order: Order) -> Response:
        return OrjsonResponse(self.success_body(order), status_code=self.success_status)

    def error_body(self, rejection: Rejection) -> dict[str, Any]:
        """The page's error envelope, `status_code` equal to the HTTP status."""
        return {
            "is_success": False,
            "status_code": rejection.status,
            "error": {
                "errors": [{"message": message} for message in rejection.messages],
                "message": rejection.summary,
            },
        }

    def error_response(self, rejection: Rejection) -> Response:
        return OrjsonResponse(
            self.error_body(rejection), status_code=rejection.status, headers=rejection.headers
        )

    def request_id(self) -> str | None:
        """A fresh id per response, so a merchant can quote it to support."""
        return uuid.uuid4().hex

    def response_headers(self) -> list[tuple[str, str]]:
        """Headers added to every response, errors and crashes included."""
        headers = list(STATIC_HEADERS)
        request_id = self.request_id()
        if request_id is not None:
            headers.append(("X-Request-ID", request_id))
        return headers

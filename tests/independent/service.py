"""The Create Order service, free of HTTP: a `Request` in, a `Reply` out.

One request goes through the stages of `CreateOrder.answer`: `route`, `authorise`, `parse`,
`validate` (the contract's rules), `sell` (the merchant's business rules: SKUs it sells,
coupons it knows), `place` (the order book: replay, reuse, the lock), then `accept` or
`refuse`; `decorate` adds the headers every response carries, crashes included.  The
broken variants (`independent.variants`) each override one small method.
"""

from __future__ import annotations

import hmac
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from independent.body import NotJson, decode, fingerprint
from independent.orders import Busy, Order, OrderBook, Reused
from independent.validation import OrderRules

HERE = Path(__file__).parent
SKUS_FILE = HERE / "skus.txt"
COUPONS_FILE = HERE / "coupons.txt"
MERCHANT_ID = "demo-merchant"
ACCESS_KEY = "1mg_client_access_key"
PREFIX = "create_merchant_order : "
LOCK_MESSAGE = PREFIX + "Could not acquire lock"
# The business rejections of this server, as a user declares them to ordercheck.
BUSINESS_REJECTIONS = r"SKU .* is not sold|coupon .* is not valid"
PROCESSING_S = 0.03
PAYMENT_AGGREGATOR = "EKACARE"


def read_list(path: Path) -> tuple[str, ...]:
    """The values of a catalogue file: one a line, ``#`` starts a comment."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return tuple(line for line in lines if line)


@dataclass(frozen=True)
class Request:
    """What came in: method, path (with any query), headers by lower-case name, body."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class Reply:
    """What goes out: status, body bytes, media type and any headers beyond the usual."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()

    def header(self, name: str) -> str | None:
        """The value of one of `headers`, any case."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


class Refusal(Exception):
    """A 4xx answer: its status and problems; `message` defaults to the first, prefixed."""

    def __init__(self, status: int, *problems: str, message: str | None = None):
        self.status = status
        self.problems = problems
        self.message = message if message is not None else PREFIX + problems[0]
        super().__init__(f"HTTP {status}: {self.message}")

    @classmethod
    def lock(cls) -> Refusal:
        """The page's one documented error, word for word."""
        return cls(400, LOCK_MESSAGE, message=LOCK_MESSAGE)


def as_json(document: Any) -> bytes:
    """Compact JSON, ASCII only: a lone surrogate in an echoed id cannot break the encoding."""
    return json.dumps(document, ensure_ascii=True, separators=(",", ":")).encode("ascii")


class CreateOrder:
    """The conformant service: one merchant, one key, a catalogue, two coupons."""

    rules_type: ClassVar[type[OrderRules]] = OrderRules
    book_type: ClassVar[type[OrderBook]] = OrderBook
    lock_refusal: ClassVar[Refusal] = Refusal.lock()
    path_pattern: ClassVar[re.Pattern[str]] = re.compile(r"/merchants/([^/]+)/orders/?")

    def __init__(
        self,
        *,
        merchant_id: str = MERCHANT_ID,
        access_key: str = ACCESS_KEY,
        skus: Iterable[str] | None = None,
        coupons: Iterable[str] | None = None,
        processing_s: float = PROCESSING_S,
    ):
        self.merchant_id = merchant_id
        self.access_key = access_key
        self.skus = frozenset(read_list(SKUS_FILE) if skus is None else skus)
        coupons = read_list(COUPONS_FILE) if coupons is None else coupons
        self.coupons = frozenset(code.upper() for code in coupons)
        self.rules = self.rules_type()
        self.book = self.book_type(processing_s)
        self.crashes: list[str] = []  # what went wrong on each 500, for the tests to read

    # -- one request ---------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        """The reply to `request`; an unexpected exception is a 500, never a dropped line."""
        try:
            reply = self.answer(request)
        except Exception as exc:  # what a framework's last-resort handler does
            self.crashes.append(f"{type(exc).__name__}: {exc}")
            reply = self.crash()
        return self.decorate(reply)

    def answer(self, request: Request) -> Reply:
        try:
            merchant_id = self.route(request)
            self.authorise(request.headers, merchant_id)
            payload = self.parse(request)
            self.validate(payload)
            self.sell(payload)
            order = self.place(payload)
        except Refusal as refusal:
            return self.refuse(refusal)
        return self.accept(order)

    # -- stages --------------------------------------------------------------------------
    def route(self, request: Request) -> str:
        """The merchant_id of a POST to ``/merchants/{merchant_id}/orders``."""
        found = self.path_pattern.fullmatch(urlsplit(request.path).path)
        if found is None:
            raise Refusal(404, f"no such resource: {request.path[:80]}")
        if request.method != "POST":
            raise Refusal(405, f"{request.method} is not allowed here; use POST")
        return unquote(found.group(1))

    def authorise(self, headers: Mapping[str, str], merchant_id: str) -> None:
        """401 without the right key; 403 for the right key on another merchant's path."""
        if not self.key_accepted(headers.get("x-access-key")):
            raise Refusal(401, "missing or invalid X-Access-Key")
        if merchant_id != self.merchant_id:
            raise Refusal(403, "this X-Access-Key is not valid for that merchant_id")

    def key_accepted(self, sent: str | None) -> bool:
        """The exact key, compared in constant time (http.server reads headers as latin-1,
        so encoding back gives the bytes that were sent)."""
        if sent is None:
            return False
        return hmac.compare_digest(sent.encode("latin-1"), self.access_key.encode("latin-1"))

    def parse(self, request: Request) -> Any:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json" and not media_type.endswith("+json"):
            raise Refusal(400, "send the order as JSON, with Content-Type: application/json")
        try:
            return decode(request.body)
        except NotJson as exc:
            raise Refusal(400, f"the body is not JSON: {exc}") from None

    def validate(self, payload: Any) -> None:
        problems = self.rules.problems(payload)
        if problems:
            raise Refusal(400, *problems)

    def sell(self, payload: dict[str, Any]) -> None:
        """The business rules of a staging system: only SKUs it sells, coupons it knows."""
        unknown = [sku for sku in payload["skus"] if sku not in self.skus]
        if unknown:
            raise Refusal(400, *(f"SKU {sku[:40]} is not sold" for sku in unknown))
        if "coupon_code" in payload:
            code = payload["coupon_code"]
            if code.upper() not in self.coupons:
                raise Refusal(400, f"coupon {code[:40]} is not valid")

    def place(self, payload: dict[str, Any]) -> Order:
        row = self.record(payload)
        try:
            return self.book.place(payload["merchant_order_id"], fingerprint(payload), row)
        except Busy:
            raise self.lock_refusal from None
        except Reused:
            raise Refusal(400, "merchant_order_id already used with a different order") from None

    def record(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The row a real server would write: names and address tidied for the courier."""
        user, address = payload["user"], payload["user"]["address"]
        return {
            "customer": f"{user['first_name'].strip()} {user.get('last_name', '')}".strip(),
            "mobile": user["mobile"].strip(),
            "deliver_to": address["name"].strip(),
            "lines": [address["street1"].strip(), address.get("street2", "")],
            "pincode": address["pincode"].strip(),
            "items": sorted(payload["skus"].items()),
            "online": payload["payment_method"] == "ONLINE",
        }

    # -- replies -------------------------------------------------------------------------
    def accept(self, order: Order) -> Reply:
        data: dict[str, Any] = {
            "order_id": order.order_id,
            "merchant_order_id": self.echo(order.merchant_order_id),
        }
        if order.payment_id is not None:
            data |= {
                "action": "map_payment",
                "payment_id": order.payment_id,
                "payment_aggregator": PAYMENT_AGGREGATOR,
            }
        body = {
            "data": data,
            "partial_complete": False,
            "is_success": True,
            "status_code": self.success_code(),
        }
        return Reply(200, as_json(body))

    def echo(self, merchant_order_id: str) -> str:
        """The merchant_order_id as the success repeats it: exactly as sent."""
        return merchant_order_id

    def success_code(self) -> int | float:
        return 200

    def refuse(self, refusal: Refusal) -> Reply:
        body = {
            "is_success": False,
            "status_code": refusal.status,
            "error": {
                "errors": [{"message": problem} for problem in refusal.problems],
                "message": refusal.message,
            },
        }
        return Reply(refusal.status, as_json(body))

    def crash(self) -> Reply:
        body = {
            "is_success": False,
            "status_code": 500,
            "error": {
                "errors": [{"message": "internal error"}],
                "message": PREFIX + "internal error",
            },
        }
        return Reply(500, as_json(body))

    def decorate(self, reply: Reply) -> Reply:
        """The headers of every response; a fresh X-Request-ID each time."""
        request_id = self.request_id(reply)
        extra = (("X-Request-ID", request_id),) if request_id else ()
        cors = (
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Methods", "POST"),
            ("Access-Control-Allow-Headers", "Content-Type, X-Access-Key"),
        )
        return Reply(reply.status, reply.body, reply.content_type, reply.headers + extra + cors)

    def request_id(self, reply: Reply) -> str | None:
        return uuid.uuid4().hex

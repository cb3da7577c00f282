"""A captured exchange as the contract rules see it: an `Observation`, built once.

Why was the request sent?  The proxy did not choose it, so it works that out the way the
fuzzer does for a payload nobody declared (`Judging.expectation_for`): a payload valid under
the profile must be accepted (C5), one that breaks an error-level constraint must get a
400 (C6), a body that is not JSON is malformed (C6).  One exception: the proxy cannot tell a
right key from a wrong one, so an answer of 401 or 403 is taken at its word, as an auth
refusal (C4 allows it there; C5 and C6 do not judge it).  And a request that does not say
``Content-Type: application/json`` is the merchant's mistake to fix (a payload finding):
the contract does not say whether a server must refuse it or may read it anyway, so no
rule judges what the server did with it.

A response over ``--max-response-bytes`` passed through whole, but only its first part was
kept: its body is not judged (cut JSON is no evidence of anything), its status and headers
are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ordercheck.proxy.capture import Captured
from ordercheck.proxy.headers import flat
from ordercheck.proxy.scrub import Scrubber, own_key
from ordercheck.results import Exchange
from ordercheck.rules import NOT_JSON, Expectation, Judging, Observation
from ordercheck.validate.decode import loads

AUTH_STATUSES = frozenset({401, 403})
# Record this much of a body that is not JSON (the fuzzer keeps as much).
TEXT_LIMIT = 2_000
# Headers that say how this request travelled to the proxy, not what it asked: a curl to
# the upstream sets its own.
TRAVEL_HEADERS = frozenset({"host", "content-length", "connection", "keep-alive", "expect"})


@dataclass(frozen=True)
class Seen:
    """One judged exchange: the raw `observation` the rules read, the same with everything
    scrubbed of the key (`recorded`, what is kept and reported, with its `record`), the
    parsed `payload` (`NOT_JSON` when the body is not JSON) and the request's `key`."""

    observation: Observation
    recorded: Observation
    record: Exchange
    payload: Any
    key: str | None


def parse(body: bytes) -> Any:
    """A body as JSON, as `ordercheck validate` reads it, or `NOT_JSON`."""
    try:
        return loads(body)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return NOT_JSON


def content_type(captured: Captured) -> str | None:
    """The request's media type (lower case, without parameters), if it sent one."""
    for name, value in captured.request_headers:
        if name.lower() == "content-type":
            return value.split(";", 1)[0].strip().lower()
    return None


def sends_json(captured: Captured) -> bool:
    """Whether the request says its body is JSON (``application/json`` or ``...+json``)."""
    media = content_type(captured)
    return media is not None and (media == "application/json" or media.endswith("+json"))


def expectation(
    captured: Captured, payload: Any, judging: Judging, *, repeated: bool
) -> Expectation:
    """What a conformant server does with this request (see the module's docstring).  A
    valid payload `repeated` (its merchant_order_id already made an order, or an identical
    request was in flight with it) is part of a sequence, judged by C10 or C11, not C5."""
    if captured.status in AUTH_STATUSES:
        return Expectation("unauthorized")
    if not sends_json(captured):
        return Expectation("unknown")
    if payload is NOT_JSON:
        return Expectation("malformed")
    expected = judging.expectation_for(payload)
    return Expectation("sequence") if repeated and expected.expect == "valid" else expected


def observe(
    captured: Captured,
    payload: Any,
    expected: Expectation,
    judging: Judging,
    *,
    upstream: str,
    scrubber: Scrubber,
) -> Seen:
    """The observation of a forwarded exchange of `payload` (parsed), raw and scrubbed."""
    body = NOT_JSON if captured.truncated else parse(captured.response_prefix)
    text = "" if body is not NOT_JSON else _text(captured.response_prefix, captured.truncated)
    observation = Observation(
        expected,
        judging,
        request=None if payload is NOT_JSON else payload,
        raw_request=captured.body if payload is NOT_JSON else None,
        status=None if captured.error else captured.status,
        headers=flat(captured.response_headers),
        body=body,
        text=text,
        error=captured.error,
    )
    key = own_key(captured.request_headers)
    record = scrubber.exchange(_record(captured, upstream, observation, payload), key)
    recorded = Observation(
        observation.expectation,
        judging,
        request=scrubber.value(observation.request, key),
        raw_request=observation.raw_request,
        status=observation.status,
        headers=scrubber.value(dict(observation.headers), key),
        body=body if body is NOT_JSON else scrubber.value(body, key),
        text=scrubber.text(text, key),
        error=observation.error,
        record=record,
    )
    return Seen(observation, recorded, record, payload, key)


def request_record(captured: Captured, upstream: str, payload: Any = NOT_JSON) -> Exchange:
    """The request alone, as a report shows it and a curl sends it again (to the upstream);
    headers not yet redacted (the scrubber does that)."""
    headers = {n: v for n, v in captured.request_headers if n.lower() not in TRAVEL_HEADERS}
    raw = None if payload is not NOT_JSON or captured.body is None else captured.body
    raw_body, raw_base64 = Exchange.raw_fields(raw)
    query = f"?{captured.query}" if captured.query else ""
    has_key = own_key(captured.request_headers) is not None
    return Exchange(
        method=captured.method,
        url=f"{upstream}{captured.path}{query}",
        headers=headers,
        body=None if payload is NOT_JSON else payload,
        raw_body=raw_body,
        raw_base64=raw_base64,
        key_form="configured" if has_key else "none",
    )


def _record(captured: Captured, upstream: str, observation: Observation, payload: Any) -> Exchange:
    body = observation.body
    return replace(
        request_record(captured, upstream, payload),
        status=observation.status,
        response_headers=dict(captured.response_headers),
        response_body=None if body is NOT_JSON else body,
        response_text=observation.text or None,
        elapsed_ms=round(captured.latency_ms, 3),
    )


def _text(prefix: bytes, truncated: bool) -> str:
    text = prefix[:TEXT_LIMIT].decode("utf-8", "replace")
    if truncated or len(prefix) > TEXT_LIMIT:
        text += f"… ({len(prefix):,} bytes kept of a longer body)" if truncated else "…"
    return text

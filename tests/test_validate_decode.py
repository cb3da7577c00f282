"""Reading JSON text as the API's server must: repeated keys and huge integers are named with
their JSON path, and the fast reading (orjson) gives the exact standard-library value.

Repeated keys are unusable input (exit 2), not a finding of the profile: which value a
server keeps is undefined, so no verdict on the payload could be right (see
`ordercheck.validate.decode`).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

import console
from ordercheck.validate import DecodeError, loads

SAMPLES = Path(str(resources.files("ordercheck") / "samples"))
VALID = (SAMPLES / "valid-orders.jsonl").read_text("utf-8").splitlines()[0]


def invoke(*args: str, stdin: str | bytes | None = None) -> Result:
    result = console.invoke("validate", *args, stdin=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def with_text(old: str, new: str) -> str:
    """The first valid sample order, as written, with `old` replaced by `new` once."""
    assert old in VALID
    return VALID.replace(old, new, 1)


# ------------------------------------------------------------------------- repeated keys

REPEATED = (
    "the key {key} appears twice, with {first} and {second}: servers differ on which one "
    "they keep (RFC 8259 section 4)"
)


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            '"payment_method": "COD"',
            '"payment_method": "CARD", "payment_method": "COD"',
            "$.payment_method",
            REPEATED.format(key='"payment_method"', first='"CARD"', second='"COD"'),
        ),
        (
            '"pincode": "560001"',
            '"pincode": "560001", "pincode": 110001',
            "$.user.address.pincode",
            REPEATED.format(key='"pincode"', first='"560001"', second="110001"),
        ),
        (
            '"117004": 2',
            '"117004": 2, "117004": {"qty": 2}',
            "$.skus['117004']",
            REPEATED.format(key='"117004"', first="2", second="an object with 1 field(s)"),
        ),
    ],
    ids=["top-level", "nested", "sku"],
)
def test_repeated_key_is_named_with_its_path_and_values(
    old: str, new: str, path: str, message: str
) -> None:
    """A key given twice in one object is one error naming the JSON path, the key and both
    values; exit 2, and the other lines are still checked."""
    stdin = f"{with_text(old, new)}\n{VALID}\n"
    result = invoke("-", stdin=stdin)
    assert result.exit_code == 2
    assert result.stderr == f"ordercheck: error: <stdin>:1: {path}: {message}\n"
    assert result.stdout.splitlines()[-1] == "1 payload: 1 valid, 0 invalid; 1 unreadable"


@pytest.mark.parametrize(
    "text",
    [
        b'{"payment_method":"CARD","payment_method":"COD"}',  # compact, as orjson writes
        b'{"payment_method": "CARD", "payment_method": "COD"}',  # spaced, as json.dumps
        b'{\n  "payment_method": "CARD",\n  "payment_method": "COD"\n}',  # indented
        b'{"payment_method":"CARD","payment_\\u006dethod":"COD"}',  # an escape in the key
        b'{"note":"a\\u003ab","payment_method":"CARD","payment_method":"COD"}',
    ],
    ids=["compact", "spaced", "indented", "escaped-key", "escaped-colon"],
)
def test_repeated_key_is_found_however_the_text_is_written(text: bytes) -> None:
    """The cheap tests that spare most lines the exact reading still catch a repeated key
    in any layout, and behind escapes."""
    with pytest.raises(DecodeError) as caught:
        loads(text)
    assert caught.value.path == "$.payment_method"
    assert '"CARD" and "COD"' in caught.value.reason


def test_repeated_key_in_a_json_document(tmp_path: Path) -> None:
    """A .json document with a repeated key is refused, naming the file and path."""
    path = tmp_path / "order.json"
    path.write_text(with_text('"type": "home"', '"type": "home", "type": "office"'), "utf-8")
    result = invoke(str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f'ordercheck: error: {path}: $.user.address.type: the key "type" appears twice'
    )


def test_three_occurrences_list_every_value() -> None:
    """A key given three times names all three values, in order."""
    with pytest.raises(DecodeError) as caught:
        loads(b'{"a": 1, "a": 2, "a": 3}')
    assert caught.value.reason.startswith('the key "a" appears 3 times, with 1, 2 and 3:')


# ------------------------------------------------------------------------- huge integers


def test_huge_integer_message_counts_its_digits() -> None:
    """A 10,000-digit integer is named by its path and its number of digits, not with
    Python's int-conversion limit text."""
    line = with_text('"117004": 2', '"117004": ' + "9" * 10_000)
    result = invoke("-", stdin=line + "\n")
    assert result.exit_code == 2
    assert result.stderr == (
        "ordercheck: error: <stdin>:1: $.skus['117004']: an integer of 10000 digits is too "
        "long to read (at most 4300)\n"
    )
    assert "set_int_max_str_digits" not in result.stderr


def test_long_integers_within_the_limit_stay_exact() -> None:
    """An integer of 4,300 digits is read exactly (and then judged by the profile)."""
    assert loads(b"[" + b"7" * 4300 + b"]") == [int("7" * 4300)]


# ------------------------------------------------------------------------- fast equals exact

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
LAYOUTS = {
    "orjson": orjson.dumps,
    "spaced": lambda v: json.dumps(v).encode(),
    "unicode": lambda v: json.dumps(v, ensure_ascii=False).encode(),
    "indented": lambda v: json.dumps(v, indent=2).encode(),
}


def _unicode(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(value=JSON_VALUES, layout=st.sampled_from(sorted(LAYOUTS)))
def test_reading_equals_the_standard_library(value: Any, layout: str) -> None:
    """For any JSON value in any layout, `loads` gives exactly what the standard library
    reads (integers beyond 64 bits included), or refuses a lone surrogate."""
    try:
        text = LAYOUTS[layout](value)
    except (TypeError, orjson.JSONEncodeError):  # orjson refuses integers beyond 64 bits
        text = json.dumps(value).encode()
    if not _unicode(value):
        with pytest.raises(DecodeError, match="lone surrogate"):
            loads(text)
        return
    expected = json.loads(text)
    got = loads(text)
    assert got == expected
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)


@settings(max_examples=200, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 9)), min_size=1, max_size=6),
    layout=st.sampled_from(["compact", "spaced"]),
)
def test_any_repeated_key_is_refused(pairs: list[tuple[str, int]], layout: str) -> None:
    """An object is refused exactly when a key repeats, in any layout."""
    separator, colon = (",", ":") if layout == "compact" else (", ", ": ")
    text = "{" + separator.join(f'"{k}"{colon}{v}' for k, v in pairs) + "}"
    keys = [k for k, _ in pairs]
    if len(set(keys)) == len(keys):
        assert loads(text.encode()) == dict(pairs)
    else:
        with pytest.raises(DecodeError, match="appears"):
            loads(text.encode())

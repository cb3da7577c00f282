"""jsonschema-rs's errors as `Break`s: the fast path's explanations.

jsonschema-rs gives each error its schema path, instance path and keyword, tens of times
faster than jsonschema.  Its instance path is lossy for object keys, though: a key that
reads as a whole number comes back as an int (``"01"`` and ``"1"`` both as ``1``) and an
empty key is left out.  So the place is rebuilt from the schema path instead: each step
that descends into the instance (``properties/NAME``, ``additionalProperties``, ``items``)
is matched with one step of the instance path, and a property named by the schema is taken
from the schema.  Only a key matched by a wildcard (a SKU id) is read from the instance
path, and it must name exactly one key of the object.  When anything does not add up, the
error cannot be explained here and `explain` returns None: the caller asks jsonschema (the
precise path) instead, which is always right and only slower.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from ordercheck.json_tools import PathStep
from ordercheck.spec import Rule
from ordercheck.spec._rules import SchemaPointer
from ordercheck.validators._explain import Break, Explainer

# How a schema step moves in the instance: by the key the schema names, by any key (a
# wildcard), or by an index.
_BY_NAME, _ANY_KEY, _ANY_INDEX = "name", "any key", "any index"
# Applicators that stay on the same instance; the next step is an index or a name.
_STAY_WITH_ARGUMENT = frozenset({"allOf", "anyOf", "oneOf", "dependentSchemas"})
_STAY = frozenset({"not", "if", "then", "else", "propertyNames", "unevaluatedProperties"})


class _Place(NamedTuple):
    """What an error's schema path says, worked out once per schema path."""

    pointer: SchemaPointer  # as the rule catalogue spells it
    moves: tuple[tuple[str, str | None], ...]  # how each instance step is taken
    # The rule and its field's schema, for the common case: an assertion about the value
    # at the error's place (not a missing field, a property name or unknown fields).
    plain: tuple[Rule, Mapping[str, Any]] | None = None


class Unexplained(Exception):
    """A native error whose place cannot be told for sure; the precise path decides."""


class NativeErrors:
    """Reads jsonschema-rs errors against one schema, caching what each schema path means."""

    def __init__(self, schema: Mapping[str, Any], explainer: Explainer):
        self.schema = schema
        self.explainer = explainer
        self._places: dict[tuple[str | int, ...], _Place | None] = {}

    def breaks(self, errors: Iterable[Any], instance: Any) -> list[Break]:
        """The breaks behind `errors` (jsonschema-rs `ValidationError`s for `instance`);
        `Unexplained` when one of them cannot be placed for sure."""
        found: list[Break] = []
        for error in errors:
            found.extend(self._breaks(error, instance))
        return found

    def _place(self, raw: tuple[str | int, ...]) -> _Place:
        if raw not in self._places:
            place = _place(self.schema, raw)
            if place is not None and _is_plain(place.pointer):
                place = place._replace(plain=self.explainer.rule_and_field(place.pointer))
            self._places[raw] = place
        known = self._places[raw]
        if known is None:
            raise Unexplained(f"schema path {raw}")
        return known

    def _breaks(self, error: Any, instance: Any) -> Iterable[Break]:
        place = self._place(tuple(error.schema_path))
        steps, node = _follow(place.moves, error.instance_path, instance)
        if place.plain is not None:
            rule, field = place.plain
            return (Break(rule, steps, node, field),)
        if place.pointer[-1] == "required":
            missing = error.kind.property
            if not isinstance(missing, str):
                raise Unexplained(f"required property {missing!r}")
            return self.explainer.breaks(place.pointer, steps, node, missing=missing)
        if "propertyNames" in place.pointer:
            key = error.kind.error.instance
            if not isinstance(key, str) or not isinstance(node, dict) or key not in node:
                raise Unexplained(f"property name {key!r}")
            return self.explainer.breaks(place.pointer, steps, node, key=key)
        return self.explainer.breaks(place.pointer, steps, node)


def _is_plain(pointer: SchemaPointer) -> bool:
    return (
        pointer[-1] not in ("required", "unevaluatedProperties") and "propertyNames" not in pointer
    )


def _place(schema: Mapping[str, Any], raw: tuple[str | int, ...]) -> _Place | None:
    """Walk `raw` through `schema`: the pointer as the catalogue spells it and how each
    step moves in the instance; None when the path leaves what this reader knows."""
    node: Any = schema
    pointer: list[str | int] = []
    moves: list[tuple[str, str | None]] = []
    index = 0
    while index < len(raw) - 1:  # the last step is the keyword that failed
        step = _spelled(node, raw[index])
        if not isinstance(node, Mapping) or step not in node:
            return None
        pointer.append(step)
        node = node[step]
        if step in ("properties", "patternProperties") or step in _STAY_WITH_ARGUMENT:
            index += 1
            argument = _spelled(node, raw[index])
            if not _has(node, argument):
                return None
            pointer.append(argument)
            node = node[argument]
            if step == "properties":
                moves.append((_BY_NAME, str(argument)))
            elif step == "patternProperties":
                moves.append((_ANY_KEY, None))
        elif step == "additionalProperties":
            moves.append((_ANY_KEY, None))
        elif step == "items":
            moves.append((_ANY_INDEX, None))
        elif step not in _STAY:
            return None
        index += 1
    keyword = raw[-1] if raw else None
    if index != len(raw) - 1 or not isinstance(keyword, str):
        return None
    return _Place((*pointer, keyword), tuple(moves))


def _has(node: Any, argument: str | int) -> bool:
    if isinstance(node, Mapping):
        return argument in node
    return isinstance(node, list) and isinstance(argument, int) and 0 <= argument < len(node)


def _spelled(node: Any, step: str | int) -> str | int:
    """A schema step as the schema spells it: jsonschema-rs writes a name that reads as a
    number as an int."""
    if isinstance(node, Mapping) and isinstance(step, int) and str(step) in node:
        return str(step)
    return step


def _follow(
    moves: tuple[tuple[str, str | None], ...], instance_path: Iterable[Any], instance: Any
) -> tuple[tuple[PathStep, ...], Any]:
    """The exact steps and the value the error is about; `Unexplained` when the instance
    path does not match the schema's moves one for one."""
    path = list(instance_path)
    if len(path) != len(moves):
        raise Unexplained(f"instance path {path}")  # an empty key, left out
    steps: list[PathStep] = []
    node = instance
    for (how, name), step in zip(moves, path, strict=True):
        key: PathStep
        if how == _ANY_INDEX and isinstance(node, list) and isinstance(step, int):
            key = step
            if not 0 <= key < len(node):
                raise Unexplained(f"index {key}")
        elif how != _ANY_INDEX and isinstance(node, dict):
            key = name if how == _BY_NAME and name is not None else _key(node, step)
            if key not in node:
                raise Unexplained(f"key {key!r}")
        else:
            raise Unexplained(f"step {step!r} into {type(node).__name__}")
        steps.append(key)
        node = node[key]
    return tuple(steps), node


def _key(node: dict[str, Any], step: Any) -> str:
    """The one key of `node` that jsonschema-rs wrote as `step`."""
    if isinstance(step, str):
        return step
    matches = [key for key in node if _as_index(key) == step]
    if len(matches) != 1:
        raise Unexplained(f"key {step!r}: {len(matches)} keys read as it")
    return matches[0]


def _as_index(key: str) -> int | None:
    """The number a key reads as to jsonschema-rs (Rust's ``usize`` parsing), if any."""
    digits = key[1:] if key.startswith("+") else key
    return int(digits) if digits.isascii() and digits.isdigit() else None

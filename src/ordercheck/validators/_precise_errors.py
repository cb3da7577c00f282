"""jsonschema's errors as `Break`s: the precise path, and the oracle the fast path is tested
against (tests/test_differential.py).

jsonschema (Draft 2020-12, with ECMA-262 patterns) is slow but exact: its instance paths
keep every key as it is.  Errors of `allOf` and friends carry their real causes in
`context`; those are surfaced.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ordercheck.validators._explain import Break, Explainer

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError


def _leaves(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def precise_breaks(explainer: Explainer, errors: Iterable[ValidationError]) -> list[Break]:
    """The breaks behind jsonschema's `errors`."""
    found: list[Break] = []
    for error in _leaves(errors):
        pointer = tuple(error.schema_path)
        steps = tuple(error.absolute_path)
        instance: Any = error.instance
        if error.validator == "required":
            missing = ast.literal_eval(error.message.split(" is a required property")[0])
            found.extend(explainer.breaks(pointer, steps, instance, missing=missing))
        elif "propertyNames" in pointer:
            # jsonschema reports a bad property name at its object, with the name as instance.
            found.extend(explainer.breaks(pointer, steps, None, key=instance))
        else:
            found.extend(explainer.breaks(pointer, steps, instance))
    return found

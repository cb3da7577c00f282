"""Reading a SKU catalogue: a user's real SKU ids, for orders a real server will accept.

A catalogue is a text file with one id a line (blank lines and ``#`` comments skipped) or a
JSON array of ids.  Each id is checked against the spec's rule for SKU ids, so a typo is
reported with its line before any order is drawn.  A bad file is the user's input error
(`InputError`), which the CLI reports in one line.
"""

from __future__ import annotations

from pathlib import Path

from ordercheck.catalogs import read_values
from ordercheck.spec import Spec
from ordercheck.strategies._internal.constraints import Shape
from ordercheck.strategies._internal.spec_model import model_for


def _id_rule(spec: Spec | None) -> Shape | None:
    skus = model_for(spec).request.shape("strict").properties.get("skus")
    return skus.keys if skus is not None else None


def read_sku_catalog(path: str | Path, *, spec: Spec | None = None) -> tuple[str, ...]:
    """The SKU ids in the file at `path`, in order, without repeats.

    Raises `InputError` naming the file, and the line or array index, of a problem.
    """
    rule = _id_rule(spec)
    return read_values(
        path, what="SKU id", check=None if rule is None else rule.check, like="117004"
    )

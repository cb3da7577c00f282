"""Reading a user's SKU catalogue and coupon list: their real SKU ids and coupon codes, for
orders a real server will accept.

Each file has one value a line (blank lines and ``#`` comments skipped) or is a JSON array.
Each value is checked against the spec's rule for it (strict: every level), so a typo is
reported with its line before any order is drawn.  A bad file is the user's input error
(`InputError`), which the CLI reports in one line.
"""

from __future__ import annotations

from pathlib import Path

from ordercheck.catalogs import read_values
from ordercheck.spec import Spec
from ordercheck.strategies._internal.constraints import Shape
from ordercheck.strategies._internal.spec_model import model_for


def _strict(spec: Spec | None) -> Shape:
    return model_for(spec).request.shape("strict")


def read_sku_catalog(path: str | Path, *, spec: Spec | None = None) -> tuple[str, ...]:
    """The SKU ids in the file at `path`, in order, without repeats.

    Raises `InputError` naming the file, and the line or array index, of a problem.
    """
    skus = _strict(spec).properties.get("skus")
    rule = skus.keys if skus is not None else None
    return read_values(
        path, what="SKU id", check=None if rule is None else rule.check, like="117004"
    )


def read_coupons(path: str | Path, *, spec: Spec | None = None) -> tuple[str, ...]:
    """The coupon codes in the file at `path`, in order, without repeats.

    Raises `InputError` naming the file, and the line or array index, of a problem.
    """
    rule = _strict(spec).properties.get("coupon_code")
    return read_values(
        path, what="coupon code", check=None if rule is None else rule.check, like="FIRST50"
    )

"""`__all__` of the public packages lists every public name they define, and nothing else
(in the manner of httpx's tests/test_exported_members.py)."""

from __future__ import annotations

import inspect
from types import ModuleType

import pytest

import ordercheck
import ordercheck.fuzz
import ordercheck.proxy
import ordercheck.rules
import ordercheck.spec
import ordercheck.validate
import ordercheck.validators

PUBLIC_PACKAGES = [ordercheck.spec, ordercheck.validate, ordercheck.validators]


def public_members(module: ModuleType) -> set[str]:
    """Names a user would see with `dir()`: not private, not submodules, not `annotations`."""
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }


@pytest.mark.parametrize("module", PUBLIC_PACKAGES, ids=lambda m: m.__name__)
def test_all_lists_every_public_member(module: ModuleType) -> None:
    """Every public name of the package is in `__all__`, and every entry exists."""
    exported = set(module.__all__)
    assert len(exported) == len(module.__all__), "duplicates in __all__"
    assert exported == public_members(module)
    assert all(hasattr(module, name) for name in module.__all__)


@pytest.mark.parametrize("module", PUBLIC_PACKAGES, ids=lambda m: m.__name__)
def test_exported_members_come_from_the_package(module: ModuleType) -> None:
    """Each exported class or function is defined inside the package it is exported from,
    so `__all__` never re-exports a dependency by accident."""
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__.startswith(module.__name__), (name, value.__module__)


@pytest.mark.parametrize(
    "module",
    [ordercheck, ordercheck.fuzz, ordercheck.proxy, ordercheck.rules],
    ids=lambda m: m.__name__,
)
def test_curated_api_resolves_every_name(module: ModuleType) -> None:
    """Every name in a curated (lazily imported) `__all__` resolves, and nothing public in
    the package's own namespace is left out of it."""
    assert len(set(module.__all__)) == len(module.__all__), "duplicates in __all__"
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    assert public_members(module) <= set(module.__all__)


def test_root_api_is_what_the_readme_shows() -> None:
    """The names the README imports from `ordercheck` are its curated API (the httpx way)."""
    from ordercheck import FuzzConfig, RequestValidator, ResponseValidator, run_fuzz

    assert callable(run_fuzz) and FuzzConfig().max_examples > 0
    assert RequestValidator("default").is_valid({}) is False
    assert ResponseValidator().check({}, status=200).valid is False

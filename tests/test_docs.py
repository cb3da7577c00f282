"""The documents the tests read live in the repository (`docs/`), so a plain clone passes its
own tests; where the shared originals sit beside the repository, the copies must equal them,
so a change to the shared contract cannot go unnoticed here."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
COPIES = {
    "docs/CONTRACT.md": SHARED / "CONTRACT.md",
    "docs/create-order-api.txt": SHARED / "seed" / "create-order-api.txt",
}


@pytest.mark.parametrize("copy", sorted(COPIES))
def test_the_repository_holds_its_documents(copy: str) -> None:
    """The contract and the documentation page are files of the repository, not empty."""
    assert (REPO / copy).is_file()
    assert (REPO / copy).read_text("utf-8").strip()


@pytest.mark.parametrize("copy", sorted(COPIES))
def test_copy_equals_the_shared_original(copy: str) -> None:
    """`docs/` holds the shared originals byte for byte (skipped where they are absent)."""
    original = COPIES[copy]
    if not original.is_file():
        pytest.skip(f"{original} is not beside this repository; nothing to compare with")
    assert (REPO / copy).read_bytes() == original.read_bytes(), (
        f"{copy} differs from {original}: copy the shared file over it"
    )


def test_no_test_reads_outside_the_repository() -> None:
    """No test file names the shared folder beside the repository, but this one."""
    here = Path(__file__).name
    readers = [
        path.name
        for path in sorted((REPO / "tests").glob("*.py"))
        if path.name != here and '"shared"' in path.read_text("utf-8")
    ]
    assert readers == []

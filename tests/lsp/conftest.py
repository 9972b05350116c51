"""Shared setup of the language-server tests: the binary under test and a fresh copy of the
test project for each test (the tests edit buffers, and `--fix`-like actions must never touch
the repository)."""

import os
import pathlib
import shutil

import pytest

HERE = pathlib.Path(__file__).parent
PROJECT = HERE / "project"


def meshlint_binary() -> str:
    """The binary `cargo test` built (tests/lsp.rs passes it); `meshlint` on PATH otherwise."""
    return os.environ.get("MESHLINT_BIN", "meshlint")


@pytest.fixture
def project(tmp_path: pathlib.Path) -> pathlib.Path:
    copy = tmp_path / "project"
    shutil.copytree(PROJECT, copy)
    return copy

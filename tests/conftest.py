"""Shared fixtures: the built-in store, a click runner, paths to test data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.stores import Store, open_store

DATA = Path(__file__).parent / "data"
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def store() -> Store:
    """The built-in graph, opened once (tests must not change it)."""
    return open_store()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def need(condition: bool, reason: str) -> None:
    """Skip when a tool is missing on a developer's machine; in CI (CI=true) fail instead, since CI installs it."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)

#!/usr/bin/env bash
# Set everything up, then run every check: lint, formatting, types, and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
.venv/bin/ruff check kg tests bench
.venv/bin/ruff format --check kg tests bench
.venv/bin/mypy
.venv/bin/python -m pytest "$@"

#!/usr/bin/env bash
# Install everything and run the full test suite (unit, slow, Label Studio and browser tests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/install-browser.sh
bash scripts/install-postgres.sh
.venv/bin/workbench labelstudio install
.venv/bin/ruff check workbench tests benchmarks
.venv/bin/ruff format --check workbench tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
# The Label Studio suite once more, on PostgreSQL (a cluster the workbench starts itself).
WORKBENCH_TEST_DATABASE=postgres .venv/bin/python -m pytest -m "labelstudio and not browser" "$@"

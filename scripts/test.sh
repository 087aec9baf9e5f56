#!/usr/bin/env bash
# Install everything and run the full test suite (unit, slow, Label Studio and browser tests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/install-browser.sh
.venv/bin/workbench labelstudio install
.venv/bin/ruff check workbench tests benchmarks
.venv/bin/python -m pytest "$@"

#!/usr/bin/env bash
# Install everything and run the main job: the annotator workspace (Label Studio on SQLite,
# every seed sentence as a pre-annotated task, the glossary service beside it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
# PostgreSQL is only needed for `--db postgres`; without rights to install it, SQLite still runs.
bash scripts/install-postgres.sh || echo "note: PostgreSQL not installed; only --db sqlite is available" >&2
exec .venv/bin/workbench up "$@"

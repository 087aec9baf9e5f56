#!/usr/bin/env bash
# Create the project's virtual environment (.venv) and install the workbench into it.
# Sourced by scripts/up.sh and scripts/test.sh; safe to run again (pip skips what is there).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
# A fresh install writes about 3.5 GB (this venv, Label Studio's, Chromium, PostgreSQL):
# say so before pip fails halfway with "No space left on device".
need_mb=${WORKBENCH_MIN_FREE_MB:-4000}
case "$need_mb" in
  '' | *[!0-9]*)
    echo "workbench: WORKBENCH_MIN_FREE_MB must be a whole number of MB (0 turns the" \
      "disk check off), not '${need_mb}'." >&2
    exit 1
    ;;
esac
if [ ! -x .venv/bin/python ] && [ "$need_mb" -gt 0 ]; then
  free_mb=$(df -Pm . | awk 'NR == 2 {print $4}')
  if [ -n "$free_mb" ] && [ "$free_mb" -lt "$need_mb" ]; then
    echo "workbench: a fresh install needs about ${need_mb} MB free here; only ${free_mb} MB" \
      "are free. Free some space, or set WORKBENCH_MIN_FREE_MB=0 to try anyway." >&2
    exit 1
  fi
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test,bench]"

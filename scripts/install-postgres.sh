#!/usr/bin/env bash
# Install Debian's PostgreSQL server for team mode (`workbench up --db postgres`) and the
# Label Studio suite's PostgreSQL run. The workbench initialises and starts its own cluster
# in the work folder; the system's default cluster is not used.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq postgresql >/dev/null

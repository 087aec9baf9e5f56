"""The workbench's own PostgreSQL cluster for Label Studio (team mode), without Label Studio.

The whole Label Studio suite also runs on such a cluster (scripts/test.sh sets
WORKBENCH_TEST_DATABASE=postgres for a second run); these tests look at the cluster itself.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from workbench.config import load_config
from workbench.labelstudio.postgres import (
    cluster_dir,
    describe_database,
    ensure_postgres,
    find_binary,
    postmaster_pid,
    record_database,
    recorded_database,
    secrets_path,
    stop_recorded_postgres,
)
from workbench.labelstudio.server import free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def cluster_config(tmp_path: Path):
    folder = Path(tempfile.mkdtemp(prefix="workbench-test-pg-"))
    config = load_config(
        overrides={
            "paths": {"work_dir": str(tmp_path / "work")},
            "labelstudio": {
                "database": "postgres",
                "postgres_dir": str(folder),
                "postgres_port": free_port(),
            },
        }
    )
    yield config
    stop_recorded_postgres(config)
    data = folder / "data"
    if postmaster_pid(data) is not None:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(find_binary("pg_ctl")),
                "stop",
                "-D",
                str(data),
                "-m",
                "immediate",
            ],
            check=False,
        )
    shutil.rmtree(folder, ignore_errors=True)


def test_managed_cluster_is_owner_only_loopback_password_protected_and_stops(cluster_config):
    config = cluster_config
    target = ensure_postgres(config, echo=lambda _msg: None)
    assert target.managed and target.host == "127.0.0.1"
    folder = Path(str(config.labelstudio.postgres_dir))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(secrets_path(config.work_dir).stat().st_mode) == 0o600
    assert target.password and target.password not in target.describe()
    # it answers on loopback with the generated password, and refuses a wrong one
    psql = str(find_binary("psql"))
    base = [psql, "-h", "127.0.0.1", "-p", str(target.port), "-U", target.user, "-d", target.dbname]
    ok = subprocess.run(
        [*base, "-tAc", "SELECT current_database()"],
        env={"PGPASSWORD": target.password, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and ok.stdout.strip() == "labelstudio", ok.stderr
    wrong = subprocess.run(
        [*base, "-tAc", "SELECT 1"],
        env={"PGPASSWORD": "not-the-password", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert wrong.returncode != 0 and "password authentication failed" in wrong.stderr
    settings = subprocess.run(
        [*base, "-tAc", "SHOW listen_addresses"],
        env={"PGPASSWORD": target.password, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert settings.stdout.strip() == "127.0.0.1"

    # a second call reuses the running cluster and the same password (idempotent)
    again = ensure_postgres(config, echo=lambda _msg: None)
    assert again == target

    record_database(config, "postgres")
    described = describe_database(config)
    assert described["kind"] == "postgres" and described["running"] is True
    assert stop_recorded_postgres(config)
    assert recorded_database(config.work_dir) is None
    assert postmaster_pid(folder / "data") is None
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", target.port)) != 0


@pytest.mark.skipif(os.geteuid() != 0, reason="the postgres account is used only when run as root")
def test_a_work_folder_closed_to_the_postgres_account_gets_a_cluster_it_can_reach(tmp_path):
    # pytest's tmp_path sits below an owner-only folder, as `mktemp -d` does
    config = load_config(
        overrides={
            "paths": {"work_dir": str(tmp_path / "work")},
            "labelstudio": {"database": "postgres", "postgres_port": free_port()},
        }
    )
    folder = cluster_dir(config)
    assert not folder.is_relative_to(tmp_path)
    try:
        target = ensure_postgres(config, echo=lambda _msg: None)
        assert postmaster_pid(folder / "data") is not None
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert cluster_dir(config) == folder  # stable: status and down find it again
        record_database(config, "postgres")
        assert describe_database(config)["data_dir"] == str(folder / "data")
        assert target.managed
    finally:
        stop_recorded_postgres(config)
        shutil.rmtree(folder, ignore_errors=True)
    assert postmaster_pid(folder / "data") is None

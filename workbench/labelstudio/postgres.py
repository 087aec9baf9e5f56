"""Label Studio's database: SQLite by default, PostgreSQL for a team.

SQLite serialises writers, so a team annotating at once waits on one lock; PostgreSQL does
not. ``[labelstudio] database = "postgres"`` (or ``workbench up --db postgres``) selects it:
either a server the user names (``postgres_dsn``), or a cluster the workbench initialises
and runs itself from Debian's PostgreSQL package, in the work folder:

- its data folder is owned by the account that runs it and readable by nobody else;
- it listens on 127.0.0.1 only, with no Unix socket, and password (SCRAM) authentication;
- the password is generated once and kept with the other secrets (mode 0600).

PostgreSQL refuses to run as root, so when the workbench itself runs as root (CI, a
container) the cluster runs as Debian's ``postgres`` system account through ``runuser``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from workbench.config import Config
from workbench.errors import ConfigError, LabelStudioError
from workbench.fileio import atomic_write

SQLITE = "sqlite"
POSTGRES = "postgres"
DATABASES = (SQLITE, POSTGRES)
DATABASE_NAME = "labelstudio"
DATABASE_USER = "workbench"
SYSTEM_ACCOUNT = "postgres"  # Debian's account for running clusters when we are root
PG_TIMEOUT = 60


@dataclass(frozen=True)
class PostgresTarget:
    """Where Label Studio's PostgreSQL database is and how to log in to it."""

    host: str
    port: int
    user: str
    password: str
    dbname: str
    managed: bool  # True when the workbench runs this cluster itself

    def labelstudio_env(self) -> dict[str, str]:
        """Return the environment variables that point Label Studio at this database."""
        return {
            "DJANGO_DB": "postgresql",
            "POSTGRE_HOST": self.host,
            "POSTGRE_PORT": str(self.port),
            "POSTGRE_USER": self.user,
            "POSTGRE_PASSWORD": self.password,
            "POSTGRE_NAME": self.dbname,
        }

    def describe(self) -> str:
        """Say where the database is, without the password."""
        how = "managed by the workbench" if self.managed else "given by postgres_dsn"
        return f"PostgreSQL {self.user}@{self.host}:{self.port}/{self.dbname} ({how})"


def database_kind(config: Config) -> str:
    """Return the configured database kind, checked."""
    kind = str(config.labelstudio.database or SQLITE).strip().lower()
    if kind in {"postgresql", "pg"}:
        kind = POSTGRES
    if kind not in DATABASES:
        raise ConfigError(
            f"[labelstudio] database = {kind!r} is unknown; use one of {', '.join(DATABASES)}"
        )
    return kind


def parse_dsn(dsn: str) -> PostgresTarget:
    """Parse ``postgresql://user:password@host:port/dbname`` into a target."""
    parts = urlsplit(dsn.strip())
    if parts.scheme not in {"postgres", "postgresql"} or not parts.hostname:
        raise ConfigError(
            "[labelstudio] postgres_dsn must look like postgresql://USER:PASSWORD@HOST:PORT/DBNAME"
        )
    dbname = unquote(parts.path.lstrip("/")) or DATABASE_NAME
    try:
        port = parts.port or 5432
    except ValueError:
        raise ConfigError("[labelstudio] postgres_dsn has a port that is not a number") from None
    return PostgresTarget(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or ""),
        dbname=dbname,
        managed=False,
    )


def cluster_dir(config: Config) -> Path:
    """Return the folder of the workbench's own PostgreSQL cluster.

    Normally ``work_dir/postgres``. Run as root, the cluster runs as the ``postgres``
    account, which cannot enter a work folder below an owner-only folder (``mktemp -d``,
    a home folder); the cluster then lives in that account's home, in a folder named after
    the work folder, so each workspace still has its own.
    """
    configured = config.labelstudio.postgres_dir
    if configured:
        path = Path(configured)
        return path if path.is_absolute() else config.root / path
    default = config.work_dir / "postgres"
    if _owner_ids() is None or _account_can_enter(default):
        return default
    import pwd

    home = Path(pwd.getpwnam(SYSTEM_ACCOUNT).pw_dir)
    tag = hashlib.sha1(str(config.work_dir.resolve()).encode()).hexdigest()[:12]
    return home / "workbench" / tag


def _account_can_enter(path: Path) -> bool:
    """Tell whether the cluster's account may pass through every existing parent of ``path``."""
    owner = _owner_ids()
    if owner is None:
        return True
    uid, gid = owner
    for parent in path.parents:
        try:
            info = parent.stat()
        except FileNotFoundError:
            continue
        if info.st_uid == uid:
            allowed = info.st_mode & 0o100
        elif info.st_gid == gid:
            allowed = info.st_mode & 0o010
        else:
            allowed = info.st_mode & 0o001
        if not allowed:
            return False
    return True


def secrets_path(work_dir: Path) -> Path:
    """Return where the managed cluster's password is kept."""
    return Path(work_dir) / "secrets" / "postgres.json"


def find_binary(name: str) -> Path:
    """Return a PostgreSQL server program (``initdb``, ``pg_ctl``), newest version first."""
    found = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.parent.name)] or [0],
    )
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    raise LabelStudioError(
        f"PostgreSQL's {name} was not found; install Debian's server package "
        "(apt-get install postgresql, as scripts/install-postgres.sh does) or give an "
        "existing server with [labelstudio] postgres_dsn"
    )


def _as_cluster_owner(command: list[str]) -> list[str]:
    """Prefix ``command`` so it runs as the account that owns the cluster."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        raise LabelStudioError("running as root needs 'runuser' to start PostgreSQL as postgres")
    return [runuser, "-u", SYSTEM_ACCOUNT, "--", *command]


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        _as_cluster_owner(command),
        capture_output=True,
        text=True,
        check=False,
        timeout=PG_TIMEOUT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise LabelStudioError(f"could not {what}: {' | '.join(tail)}")
    return done.stdout


def _owner_ids() -> tuple[int, int] | None:
    """Return (uid, gid) of the cluster's account when it is not us, else None."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(SYSTEM_ACCOUNT)
    except KeyError:
        raise LabelStudioError(
            f"running as root, PostgreSQL must run as the '{SYSTEM_ACCOUNT}' account, which "
            "does not exist; install Debian's postgresql package"
        ) from None
    return entry.pw_uid, entry.pw_gid


def _prepare_folder(folder: Path) -> None:
    """Create the cluster folder owner-only, owned by the account that runs the server."""
    folder.mkdir(parents=True, exist_ok=True)
    owner = _owner_ids()
    if owner is not None:
        os.chown(folder, *owner)
    os.chmod(folder, 0o700)
    if owner is not None:
        probe = subprocess.run(
            _as_cluster_owner(["test", "-w", str(folder)]), check=False, timeout=PG_TIMEOUT
        )
        if probe.returncode != 0:
            raise LabelStudioError(
                f"the '{SYSTEM_ACCOUNT}' account cannot reach {folder} (a parent folder is "
                "closed to it); set [labelstudio] postgres_dir to a folder it can reach"
            )


def _load_secret(config: Config) -> dict[str, object]:
    path = secrets_path(config.work_dir)
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise LabelStudioError(f"{path} is unreadable ({exc}); fix or delete it") from None
    secret: dict[str, object] = {
        "user": DATABASE_USER,
        "password": secrets.token_urlsafe(24),
        "dbname": DATABASE_NAME,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    with atomic_write(path) as handle:
        handle.write(json.dumps(secret, indent=2) + "\n")
    os.chmod(path, 0o600)
    return secret


def _initdb(data: Path, user: str, password: str) -> None:
    folder = data.parent
    pwfile = folder / ".pwfile"
    pwfile.write_text(password + "\n", encoding="utf-8")
    os.chmod(pwfile, 0o600)
    owner = _owner_ids()
    if owner is not None:
        os.chown(pwfile, *owner)
    try:
        _run(
            [
                str(find_binary("initdb")),
                "--pgdata",
                str(data),
                "--username",
                user,
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            "initialise the PostgreSQL cluster",
        )
    finally:
        pwfile.unlink(missing_ok=True)


def postmaster_pid(data: Path) -> int | None:
    """Return the pid of the cluster's running server, from postmaster.pid."""
    try:
        first = (data / "postmaster.pid").read_text(encoding="utf-8").splitlines()[0]
        pid = int(first)
    except (OSError, ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


def ensure_postgres(config: Config, echo=print) -> PostgresTarget:
    """Return the database Label Studio should use, starting the managed cluster if needed."""
    dsn = config.labelstudio.postgres_dsn
    if dsn:
        return parse_dsn(dsn)
    secret = _load_secret(config)
    folder = cluster_dir(config)
    data = folder / "data"
    port = config.labelstudio.postgres_port
    target = PostgresTarget(
        host="127.0.0.1",
        port=port,
        user=str(secret["user"]),
        password=str(secret["password"]),
        dbname=str(secret["dbname"]),
        managed=True,
    )
    _prepare_folder(folder)
    if not (data / "PG_VERSION").is_file():
        echo(f"Initialising PostgreSQL in {data} ...")
        _initdb(data, target.user, target.password)
    if postmaster_pid(data) is None:
        from workbench.labelstudio.server import port_in_use

        if port_in_use("127.0.0.1", port):
            raise LabelStudioError(
                f"port {port} on 127.0.0.1 is already in use; pick another with "
                "[labelstudio] postgres_port / WORKBENCH_LABELSTUDIO_POSTGRES_PORT"
            )
        echo(f"Starting PostgreSQL on 127.0.0.1:{port} ...")
        options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories=''"
        _run(
            [
                str(find_binary("pg_ctl")),
                "start",
                "--pgdata",
                str(data),
                "--wait",
                f"--timeout={PG_TIMEOUT}",
                "--log",
                str(folder / "server.log"),
                "-o",
                options,
            ],
            f"start PostgreSQL (see {folder / 'server.log'})",
        )
    _ensure_database(target)
    return target


def _ensure_database(target: PostgresTarget) -> None:
    """Create Label Studio's database in the managed cluster once."""
    env = {"PGPASSWORD": target.password, "PGCONNECT_TIMEOUT": "10"}
    base = ["-h", target.host, "-p", str(target.port), "-U", target.user]
    psql = str(find_binary("psql"))
    exists = _run(
        [
            psql,
            *base,
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{target.dbname}'",
        ],
        "query PostgreSQL",
        env,
    )
    if exists.strip() != "1":
        _run([str(find_binary("createdb")), *base, target.dbname], "create the database", env)


def record_path(work_dir: Path) -> Path:
    """Return where ``up`` records which database the running Label Studio uses."""
    return Path(work_dir) / "run" / "database.json"


def record_database(config: Config, kind: str) -> None:
    """Remember the database of the Label Studio just started (for status and down)."""
    record: dict[str, object] = {"kind": kind}
    if kind == POSTGRES:
        record.update(describe_database(config))
    path = record_path(config.work_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        handle.write(json.dumps(record, indent=2) + "\n")


def recorded_database(work_dir: Path) -> dict[str, object] | None:
    """Return the database ``up`` recorded, or None."""
    try:
        return json.loads(record_path(work_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def stop_recorded_postgres(config: Config) -> bool:
    """Stop the managed cluster ``up`` recorded (whatever the config says now)."""
    record = recorded_database(config.work_dir) or {}
    record_path(config.work_dir).unlink(missing_ok=True)
    if record.get("kind") != POSTGRES or not record.get("managed"):
        return False
    data = Path(str(record.get("data_dir") or cluster_dir(config) / "data"))
    return _stop_cluster(data)


def stop_postgres(config: Config) -> bool:
    """Stop the managed cluster if it runs; return True when it was running."""
    return _stop_cluster(cluster_dir(config) / "data")


def _stop_cluster(data: Path) -> bool:
    if postmaster_pid(data) is None:
        return False
    _run(
        [str(find_binary("pg_ctl")), "stop", "--pgdata", str(data), "--mode=fast", "--wait"],
        "stop PostgreSQL",
    )
    return True


def database_environment(config: Config, echo=print) -> tuple[dict[str, str], str]:
    """Return Label Studio's database environment and a one-line description of it."""
    if database_kind(config) == SQLITE:
        return {"DJANGO_DB": "sqlite"}, "SQLite (embedded, in the Label Studio data folder)"
    target = ensure_postgres(config, echo)
    return target.labelstudio_env(), target.describe()


def describe_database(config: Config) -> dict[str, object]:
    """Say which database the workspace uses (for ``workbench status``).

    What ``up`` recorded wins over the settings: ``up --db postgres`` is a flag that a
    ``status`` in another shell does not see.
    """
    record = recorded_database(config.work_dir)
    if record and record.get("kind") == POSTGRES:
        if record.get("managed"):
            record["running"] = postmaster_pid(Path(str(record.get("data_dir")))) is not None
        return record
    if record and record.get("kind") == SQLITE:
        return {"kind": SQLITE}
    kind = database_kind(config)
    if kind == SQLITE:
        return {"kind": SQLITE}
    dsn = config.labelstudio.postgres_dsn
    if dsn:
        target = parse_dsn(dsn)
        return {"kind": POSTGRES, "managed": False, **_public(target)}
    data = cluster_dir(config) / "data"
    return {
        "kind": POSTGRES,
        "managed": True,
        "host": "127.0.0.1",
        "port": config.labelstudio.postgres_port,
        "data_dir": str(data),
        "running": postmaster_pid(data) is not None,
    }


def _public(target: PostgresTarget) -> dict[str, object]:
    fields = asdict(target)
    fields.pop("password")
    return fields

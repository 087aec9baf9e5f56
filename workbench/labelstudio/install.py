"""Install Label Studio into a virtual environment of its own.

Label Studio pins Django, pandas and many more; keeping it in its own venv (config
``[labelstudio] venv``) means the workbench's dependencies never have to agree with it.
Installing is idempotent: when the pinned version is already there nothing is downloaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from workbench.config import Config
from workbench.errors import LabelStudioError


def venv_dir(config: Config) -> Path:
    """Return the folder of Label Studio's own virtual environment."""
    return config.labelstudio.venv


def label_studio_executable(config: Config) -> Path:
    """Return the ``label-studio`` command inside its venv."""
    return venv_dir(config) / "bin" / "label-studio"


def installed_version(config: Config) -> str | None:
    """Return the Label Studio version installed in its venv, or None when absent."""
    python = venv_dir(config) / "bin" / "python"
    if not python.exists():
        return None
    probe = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('label-studio'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


def ensure_installed(config: Config, echo=None) -> Path:
    """Create or update the Label Studio venv to the pinned version; return the command.

    Quick when the right version is already installed (one subprocess to read it).
    """
    wanted = config.labelstudio.version
    have = installed_version(config)
    executable = label_studio_executable(config)
    if have == wanted and executable.exists():
        return executable
    venv = venv_dir(config)
    say = echo or (lambda _msg: None)
    if not (venv / "bin" / "python").exists():
        say(f"Creating {venv} for Label Studio ...")
        _run([sys.executable, "-m", "venv", str(venv)], "create the Label Studio venv")
    say(
        f"Installing label-studio=={wanted} into {venv}"
        f"{f' (replacing {have})' if have else ''}; this takes a few minutes the first time ..."
    )
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    _run([*pip, "--upgrade", "pip"], "upgrade pip in the Label Studio venv")
    _run([*pip, f"label-studio=={wanted}"], f"install label-studio=={wanted}")
    if installed_version(config) != wanted or not executable.exists():
        raise LabelStudioError(
            f"label-studio=={wanted} did not install into {venv}; delete that folder and re-run "
            "'workbench labelstudio install'"
        )
    return executable


def _run(command: list[str], what: str) -> None:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        tail = "\n".join(
            line for line in done.stderr.splitlines()[-15:] if not line.startswith("WARNING:")
        )
        raise LabelStudioError(f"could not {what} (exit {done.returncode}): {tail.strip()}")


POSTGRES_DRIVER = "psycopg[binary]>=3.1"


def ensure_postgres_driver(config: Config, echo=None) -> None:
    """Install the PostgreSQL driver Django needs into Label Studio's venv, once.

    Label Studio does not depend on a PostgreSQL driver itself; the workbench adds one when
    the workspace runs on PostgreSQL (``[labelstudio] database = "postgres"``).
    """
    python = venv_dir(config) / "bin" / "python"
    probe = subprocess.run(
        [str(python), "-c", "import psycopg"], capture_output=True, check=False, text=True
    )
    if probe.returncode == 0:
        return
    if echo:
        echo(f"Installing the PostgreSQL driver ({POSTGRES_DRIVER}) into {venv_dir(config)} ...")
    _run(
        [str(python), "-m", "pip", "install", "--quiet", POSTGRES_DRIVER],
        "install the PostgreSQL driver for Label Studio",
    )

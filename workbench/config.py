"""Settings: one schema, one place for defaults, shared by the CLI, the service and tests.

Resolution order (later wins): ``config/workbench.toml`` under the project root (or the
file named by ``WORKBENCH_CONFIG``), then environment variables ``WORKBENCH_<SECTION>_<KEY>``,
then explicit overrides (CLI flags). Values are coerced to the type of the file's value so
``WORKBENCH_LABELSTUDIO_PORT=8081`` arrives as an int.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import ConfigError

ENV_PREFIX = "WORKBENCH_"
CONFIG_FILE = Path("config") / "workbench.toml"


def find_root(start: Path | None = None) -> Path:
    """Return the project root: ``WORKBENCH_ROOT``, or the nearest folder above ``start``
    (default: the current directory) that holds ``config/workbench.toml``."""
    env_root = os.environ.get("WORKBENCH_ROOT")
    if env_root:
        return Path(env_root).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
    # Fall back to the source checkout this package was installed from (editable install).
    package_root = Path(__file__).resolve().parent.parent
    if (package_root / CONFIG_FILE).is_file():
        return package_root
    raise ConfigError(
        f"no {CONFIG_FILE} found in {here} or its parents; run from the project folder "
        "or set WORKBENCH_ROOT"
    )


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """Parse a TOML settings or rules file; a missing or malformed one is a ConfigError
    that names the file (``what`` says which kind of file it is)."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{what} {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}; fix the TOML syntax") from None


def _coerce(raw: str, like: Any, name: str) -> Any:
    """Turn an environment string into the type of the default it overrides."""
    try:
        if isinstance(like, bool):
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if isinstance(like, int):
            return int(raw)
        if isinstance(like, float):
            return float(raw)
        if isinstance(like, list):
            raw = raw.strip()
            if raw.startswith("["):
                return list(json.loads(raw))
            return [part.strip() for part in raw.split(",") if part.strip()]
    except ValueError as exc:
        raise ConfigError(
            f"{name}={raw!r} is not a valid {type(like).__name__}; fix or unset it"
        ) from exc
    return raw


@dataclass
class Config:
    """Loaded settings plus the root that relative paths are resolved against."""

    root: Path
    data: dict[str, dict[str, Any]] = field(default_factory=dict)

    def get(self, section: str, key: str) -> Any:
        """Return one setting; a missing one is a ConfigError naming the section and key."""
        try:
            return self.data[section][key]
        except KeyError:
            raise ConfigError(
                f"setting [{section}] {key} is missing from {CONFIG_FILE}; add it"
            ) from None

    def section(self, section: str) -> dict[str, Any]:
        """Return a copy of one section's settings."""
        return dict(self.data.get(section, {}))

    def path(self, section: str, key: str) -> Path:
        """Return a path setting resolved against the project root."""
        value = Path(str(self.get(section, key)))
        return value if value.is_absolute() else self.root / value

    @property
    def work_dir(self) -> Path:
        """The folder for generated state (corpus, snapshots, servers' data, secrets)."""
        return self.path("paths", "work_dir")


def load_config(
    root: Path | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Load settings from the config file, the environment and explicit overrides."""
    environ = os.environ if environ is None else environ
    root = root or find_root()
    config_file = Path(environ.get("WORKBENCH_CONFIG") or root / CONFIG_FILE)
    data = read_toml(config_file, "config file")

    for section, values in data.items():
        if not isinstance(values, dict):
            continue
        for key, default in values.items():
            name = f"{ENV_PREFIX}{section}_{key}".upper()
            if name in environ:
                values[key] = _coerce(environ[name], default, name)

    for section, values in (overrides or {}).items():
        for key, value in values.items():
            if value is not None:
                data.setdefault(section, {})[key] = value
    return Config(root=root, data=data)

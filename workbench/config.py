"""Settings: one typed schema, one place for defaults, shared by the CLI, the service and tests.

Each section of ``config/workbench.toml`` is a frozen dataclass below; its field defaults are
the only defaults (the shipped file repeats them for the reader, and a test keeps the two
equal). Resolution order (later wins): the dataclass defaults, the file
``config/workbench.toml`` under the project root (or the one named by ``WORKBENCH_CONFIG``),
environment variables ``WORKBENCH_<SECTION>_<KEY>``, then explicit overrides (CLI flags).
Every value is checked and cast to its field's type when loading, so a wrong type or an
unknown key fails at start with a message naming ``[section] key`` and the file, not deep
inside a stage. Path settings arrive resolved against the project root.

``load_config()`` belongs to the program's edges (CLI commands, the service and ML backend
entry points); library code receives the ``Config`` (or one section of it) as a parameter.
"""

from __future__ import annotations

import difflib
import json
import os
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from workbench.errors import ConfigError

ENV_PREFIX = "WORKBENCH_"
CONFIG_FILE = Path("config") / "workbench.toml"


@dataclass(frozen=True)
class PathsConfig:
    """``[paths]``: the folders the workbench reads and writes (relative to the root)."""

    work_dir: Path = Path("work")
    seeds_dir: Path = Path("seeds")
    glossary_dir: Path = Path("glossary")
    exports_dir: Path = Path("exports")


@dataclass(frozen=True)
class IngestConfig:
    """``[ingest]``: rule files and limits for reading source documents."""

    cleaning_rules: Path = Path("config/cleaning.toml")
    structure_rules: Path = Path("config/structure.toml")
    opencc_config: str = "t2s"
    max_file_mb: float = 64.0


@dataclass(frozen=True)
class SegmentConfig:
    """``[segment]``: the sentence segmenter's rule file and options."""

    rules: Path = Path("config/segmentation.toml")
    split_at_semicolon: bool = False


@dataclass(frozen=True)
class LabelStudioConfig:
    """``[labelstudio]``: the annotation server, its database and the pushed project."""

    url: str = ""
    host: str = "127.0.0.1"
    port: int = 8080
    version: str = "1.23.2"
    venv: Path = Path(".venv-labelstudio")
    username: str = "admin@workbench.local"
    project_title: str = "Policy sentences zh-en"
    label_config: Path = Path("config/labeling.xml")
    batch_size: int = 500
    password: str = ""
    token: str = ""
    start_timeout: int = 240
    ml_port: int = 9090
    database: str = "sqlite"
    postgres_dsn: str = ""
    postgres_port: int = 5433
    postgres_dir: str = ""  # empty = work_dir/postgres (so not a resolved path)
    service_url: str = ""


@dataclass(frozen=True)
class ServiceConfig:
    """``[service]``: the glossary lookup service (Flask app under waitress)."""

    host: str = "127.0.0.1"
    port: int = 5005
    curator_token: str = ""
    threads: int = 8
    reload_interval: float = 1.0
    max_body_bytes: int = 65536
    accept_file: str = "accepted.tsv"
    connection_limit: int = 1000
    idle_timeout: int = 15
    max_header_bytes: int = 65536
    reload_max_drop: float = 0.1
    curator_session_hours: float = 12.0
    trusted_origins: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportConfig:
    """``[export]``: what an export selects, how it splits and which formats it writes."""

    name: str = "latest"
    selection: str = "latest"
    split_seed: int = 13
    dev_fraction: float = 0.1
    test_fraction: float = 0.1
    scripts: tuple[str, ...] = ()
    licence: str = "CC-BY-4.0"
    agreement_min: int = 2
    near_duplicate_bits: int = 3
    formats: tuple[str, ...] = (
        "tmx",
        "jsonl",
        "moses",
        "csv",
        "tsv",
        "parquet",
        "bio",
        "spans",
        "terms",
    )
    parquet_row_group: int = 20000
    qa_rules: Path = Path("workbench/qa/data/checks.toml")
    hold_back: str = "never"
    min_split_pairs: int = 20


@dataclass(frozen=True)
class TeamConfig:
    """``[team]``: overlap between annotators and the thresholds that send tasks to review."""

    overlap: int = 1
    overlap_share: float = 1.0
    review_chrf_below: float = 0.5
    review_entity_f1_below: float = 0.8


@dataclass(frozen=True)
class AlignConfig:
    """``[align]``: the sentence aligner for bilingual documents."""

    method: str = "embedding"
    encoder: str = "use"
    use_glossary: bool = True
    max_full: int = 250
    buffer: int = 8
    review_threshold: float = 0.5
    refine: bool = True
    # Cost weights of the embedding scorer; None keeps the scorer's own default
    # (``workbench.align.scoring.DEFAULT_WEIGHTS``), so they are not repeated here.
    length: float | None = None
    numbers: float | None = None
    terms: float | None = None
    extra_sentence: float | None = None
    skip: float | None = None
    member: float | None = None
    member_margin: float | None = None
    salutation: float | None = None
    merge: float | None = None
    rival: float | None = None
    rival_margin: float | None = None
    heading: float | None = None
    address: float | None = None
    agreement: float | None = None
    refine_member: float | None = None
    refine_member_length: float | None = None


@dataclass(frozen=True)
class TmConfig:
    """``[tm]``: the translation memory and the suggestions it gives."""

    path: str = "tm.sqlite3"  # relative to work_dir, not to the root
    suggest: bool = True
    suggest_min_score: float = 0.75
    hint_matches: int = 3
    propagate_exact: bool = False
    learn: bool = True


@dataclass(frozen=True)
class BatchConfig:
    """``[batch]``: where batch stages (ingest, tag, import-bilingual, export) run."""

    workers: int = 0  # 0 = one worker process per core, 1 = in this process
    scheduler: str = ""  # a running Dask scheduler (tcp://host:port); "" = this machine
    retries: int = 2  # re-runs of a failed partition before it is reported by name
    partition_files: int = 250  # ingest: input files per corpus partition
    in_process_below_mb: float = 16.0  # smaller inputs run in process (no cluster start-up)


@dataclass(frozen=True)
class GlossaryConfig:
    """``[glossary]``: how glossary matches are used beyond the term base itself."""

    # Derived compounds (glossary terms + generic heads and modifiers, issue 16) shown in
    # Label Studio tasks as suggestions with a one-click proposal; never checked by QA.
    derived_compounds: bool = True


#: Section name in the file → its dataclass; the order is the file's.
SECTIONS: dict[str, type[Any]] = {
    "paths": PathsConfig,
    "ingest": IngestConfig,
    "segment": SegmentConfig,
    "labelstudio": LabelStudioConfig,
    "service": ServiceConfig,
    "export": ExportConfig,
    "team": TeamConfig,
    "align": AlignConfig,
    "tm": TmConfig,
    "batch": BatchConfig,
    "glossary": GlossaryConfig,
}


@dataclass(frozen=True)
class Config:
    """Loaded settings, one typed attribute per section, plus the root and the file read."""

    root: Path
    source: Path | None = None  # the config file read (None: defaults only)
    paths: PathsConfig = field(default_factory=PathsConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    labelstudio: LabelStudioConfig = field(default_factory=LabelStudioConfig)
    service: ServiceConfig = field(default_factory=ServiceConfig)
    export: ExportConfig = field(default_factory=ExportConfig)
    team: TeamConfig = field(default_factory=TeamConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    tm: TmConfig = field(default_factory=TmConfig)
    batch: BatchConfig = field(default_factory=BatchConfig)
    glossary: GlossaryConfig = field(default_factory=GlossaryConfig)

    def __post_init__(self) -> None:
        # Path settings are relative to the project root: resolve them once, here, so every
        # Config (loaded, built in a test, or changed by with_overrides) holds absolute ones.
        for section in SECTIONS:
            settings = getattr(self, section)
            relative = {
                key: self.root / value
                for key, value in ((f.name, getattr(settings, f.name)) for f in fields(settings))
                if isinstance(value, Path) and not value.is_absolute()
            }
            if relative:
                object.__setattr__(self, section, replace(settings, **relative))

    @property
    def work_dir(self) -> Path:
        """The folder for generated state (corpus, snapshots, servers' data, secrets)."""
        return self.paths.work_dir

    def resolve(self, value: str | Path) -> Path:
        """Return ``value`` as a path, relative ones taken from the project root."""
        path = Path(value)
        return path if path.is_absolute() else self.root / path


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


def section_types(section: str) -> dict[str, Any]:
    """Return the key → type map of one section (the annotations resolved)."""
    return typing.get_type_hints(SECTIONS[section])


def section_defaults(section: str) -> dict[str, Any]:
    """Return the default value of every key of one section, as the dataclass defines it."""
    return {f.name: getattr(SECTIONS[section](), f.name) for f in fields(SECTIONS[section])}


_TYPE_NAMES = {
    bool: "a boolean (true or false)",
    int: "an integer",
    float: "a number",
    str: "a string",
    Path: "a path (a string)",
}


def _type_name(kind: Any) -> str:
    """Say what a value of ``kind`` looks like, for error messages."""
    if _optional(kind) is not None:
        kind = _optional(kind)
    if typing.get_origin(kind) is tuple:
        return "a list of strings"
    return _TYPE_NAMES.get(kind, str(kind))


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _optional(kind: Any) -> Any:
    """Return T for ``T | None``, else None."""
    args = typing.get_args(kind)
    if type(None) in args and len(args) == 2:
        return next(arg for arg in args if arg is not type(None))
    return None


def _check_value(value: Any, kind: Any, where: str) -> Any:
    """Return a file or override value cast to ``kind``; ConfigError (naming ``where``) when
    it has the wrong type. Ints are accepted for floats, strings for paths, lists for tuples."""
    ok: bool
    if _optional(kind) is not None:
        kind = _optional(kind)
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif kind is str:
        ok = isinstance(value, str)
    elif kind is Path:
        ok = isinstance(value, str | Path)
        value = Path(value) if ok else value
    elif typing.get_origin(kind) is tuple:
        ok = isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else value
    else:  # pragma: no cover - a schema field of a type this loader does not know
        raise TypeError(f"unsupported setting type {kind!r}")
    if not ok:
        raise ConfigError(f"{where} = {value!r} is not {_type_name(kind)}; fix the value")
    return value


def _coerce(raw: str, kind: Any, name: str) -> Any:
    """Turn an environment string into the type of the setting it overrides."""
    if _optional(kind) is not None:
        kind = _optional(kind)
    try:
        if kind is bool:
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if kind is int:
            return int(raw)
        if kind is float:
            return float(raw)
        if kind is Path:
            return Path(raw)
        if typing.get_origin(kind) is tuple:
            raw = raw.strip()
            if raw.startswith("["):
                items = json.loads(raw)
                if not isinstance(items, list):
                    raise ValueError(raw)
                return tuple(str(item) for item in items)
            return tuple(part.strip() for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not {_type_name(kind)}; fix or unset it") from exc
    return raw


def _merge_file(
    values: dict[str, dict[str, Any]], data: Mapping[str, Any], config_file: Path
) -> None:
    """Check every section and key of the parsed file and merge the cast values."""
    for section, items in data.items():
        if section not in SECTIONS:
            raise ConfigError(
                f"{config_file}: unknown section [{section}]{_suggest(section, list(SECTIONS))}"
                "; remove it or fix the name"
            )
        if not isinstance(items, dict):
            raise ConfigError(f"{config_file}: {section} must be a [{section}] table")
        types = section_types(section)
        for key, value in items.items():
            if key not in types:
                raise ConfigError(
                    f"{config_file}: unknown setting [{section}] {key}"
                    f"{_suggest(key, list(types))}; remove it or fix the name"
                )
            where = f"{config_file}: [{section}] {key}"
            values[section][key] = _check_value(value, types[key], where)


def _check_environment_names(environ: Mapping[str, str]) -> None:
    """Refuse ``WORKBENCH_<SECTION>_<KEY>`` variables whose section exists but whose key does
    not (a typo would otherwise be ignored); other ``WORKBENCH_*`` variables are not ours."""
    for name in environ:
        if not name.startswith(ENV_PREFIX):
            continue
        rest = name[len(ENV_PREFIX) :]
        for section in SECTIONS:
            if rest.startswith(section.upper() + "_"):
                key = rest[len(section) + 1 :].lower()
                keys = list(section_types(section))
                if key not in keys:
                    close = difflib.get_close_matches(key, keys, n=1)
                    hint = (
                        f" (did you mean {ENV_PREFIX}{section.upper()}_{close[0].upper()}?)"
                        if close
                        else ""
                    )
                    raise ConfigError(
                        f"environment variable {name} names no setting: [{section}] has no key "
                        f"{key!r}{hint}; fix or unset it"
                    )


def load_config(
    root: Path | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Load settings from the defaults, the config file, the environment and explicit
    overrides (a ``None`` override means "flag not given" and is skipped)."""
    environ = os.environ if environ is None else environ
    root = root or find_root()
    config_file = Path(environ.get("WORKBENCH_CONFIG") or root / CONFIG_FILE)
    values: dict[str, dict[str, Any]] = {section: {} for section in SECTIONS}
    _merge_file(values, read_toml(config_file, "config file"), config_file)

    _check_environment_names(environ)
    for section in SECTIONS:
        for key, kind in section_types(section).items():
            name = f"{ENV_PREFIX}{section}_{key}".upper()
            if name in environ:
                values[section][key] = _coerce(environ[name], kind, name)

    for section, items in (overrides or {}).items():
        if section not in SECTIONS:
            raise ConfigError(f"override of unknown section [{section}]")
        types = section_types(section)
        for key, value in items.items():
            if key not in types:
                raise ConfigError(f"override of unknown setting [{section}] {key}")
            if value is not None:
                values[section][key] = _check_value(value, types[key], f"[{section}] {key}")

    built = {section: cls(**values[section]) for section, cls in SECTIONS.items()}
    return Config(root=root, source=config_file, **built)


def with_overrides(config: Config, **sections: Mapping[str, Any]) -> Config:
    """Return a copy of ``config`` with some keys of some sections replaced (for tests and
    commands that adjust one setting after loading); values are checked like the file's."""
    changed: dict[str, Any] = {}
    for section, items in sections.items():
        if section not in SECTIONS:
            raise ConfigError(f"override of unknown section [{section}]")
        types = section_types(section)
        cast: dict[str, Any] = {}
        for key, value in items.items():
            if key not in types:
                raise ConfigError(f"override of unknown setting [{section}] {key}")
            cast[key] = _check_value(value, types[key], f"[{section}] {key}")
        changed[section] = replace(getattr(config, section), **cast)
    return replace(config, **changed)

"""Settings: file defaults, environment overrides with types, explicit overrides, errors."""

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.config import (
    CONFIG_FILE,
    SECTIONS,
    Config,
    ExportConfig,
    PathsConfig,
    SegmentConfig,
    ServiceConfig,
    find_root,
    load_config,
    read_toml,
    section_defaults,
    section_types,
    with_overrides,
)
from workbench.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "workbench.toml").write_text(
        '[paths]\nwork_dir = "work"\n[labelstudio]\nport = 8080\nurl = ""\n'
        "[segment]\nsplit_at_semicolon = true\n[export]\nscripts = []\n",
        encoding="utf-8",
    )
    return tmp_path


def test_file_values_and_relative_paths_resolve_against_root(root: Path) -> None:
    config = load_config(root, environ={})
    assert config.labelstudio.port == 8080
    assert config.work_dir == root / "work"


@pytest.mark.parametrize(
    ("name", "raw", "section", "key", "expected"),
    [
        ("WORKBENCH_LABELSTUDIO_PORT", "8081", "labelstudio", "port", 8081),
        ("WORKBENCH_SEGMENT_SPLIT_AT_SEMICOLON", "no", "segment", "split_at_semicolon", False),
        ("WORKBENCH_EXPORT_SCRIPTS", "s2t, s2hk", "export", "scripts", ("s2t", "s2hk")),
        ("WORKBENCH_EXPORT_SCRIPTS", '["s2tw"]', "export", "scripts", ("s2tw",)),
        (
            "WORKBENCH_LABELSTUDIO_URL",
            "http://127.0.0.1:9",
            "labelstudio",
            "url",
            "http://127.0.0.1:9",
        ),
    ],
)
def test_environment_overrides_are_coerced_to_the_file_type(
    root: Path, name: str, raw: str, section: str, key: str, expected: object
) -> None:
    config = load_config(root, environ={name: raw})
    assert getattr(getattr(config, section), key) == expected


def test_bad_environment_value_names_the_variable(root: Path) -> None:
    with pytest.raises(ConfigError, match="WORKBENCH_LABELSTUDIO_PORT"):
        load_config(root, environ={"WORKBENCH_LABELSTUDIO_PORT": "eighty"})


def test_explicit_overrides_win_over_environment(root: Path) -> None:
    config = load_config(
        root,
        overrides={"labelstudio": {"port": 9000, "url": None}},
        environ={"WORKBENCH_LABELSTUDIO_PORT": "8081"},
    )
    assert config.labelstudio.port == 9000
    assert config.labelstudio.url == ""  # None means "flag not given"


def test_unknown_setting_names_the_key_the_file_and_a_close_match(root: Path) -> None:
    path = root / "config" / "workbench.toml"
    path.write_text("[labelstudio]\nprot = 8080\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[labelstudio\] prot") as error:
        load_config(root, environ={})
    assert str(path) in str(error.value)
    assert "did you mean 'port'" in str(error.value)


def test_unknown_section_is_an_error_with_a_close_match(root: Path) -> None:
    (root / "config" / "workbench.toml").write_text("[servce]\nport = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown section \[servce\].*did you mean 'service'"):
        load_config(root, environ={})


@pytest.mark.parametrize(
    ("line", "section", "key"),
    [
        ('port = "8080"', "labelstudio", "port"),
        ("url = 5", "labelstudio", "url"),
        ("port = true", "labelstudio", "port"),
        ("scripts = [1]", "export", "scripts"),
        ('split_at_semicolon = "yes"', "segment", "split_at_semicolon"),
    ],
)
def test_wrong_type_in_the_file_names_section_key_and_file(
    root: Path, line: str, section: str, key: str
) -> None:
    path = root / "config" / "workbench.toml"
    path.write_text(f"[{section}]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"\[{section}\] {key} = .* is not an? ") as error:
        load_config(root, environ={})
    assert str(path) in str(error.value)


def test_wrong_or_unknown_override_is_an_error(root: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[labelstudio\] port"):
        load_config(root, overrides={"labelstudio": {"port": "x"}}, environ={})
    with pytest.raises(ConfigError, match=r"unknown setting \[labelstudio\] prot"):
        load_config(root, overrides={"labelstudio": {"prot": 1}}, environ={})


def test_keys_left_out_of_the_file_take_the_dataclass_default(root: Path) -> None:
    config = load_config(root, environ={})
    assert config.service.port == ServiceConfig.port
    assert config.segment.rules == root / SegmentConfig.rules  # paths resolve against the root
    assert config.export.formats == ExportConfig.formats


def test_environment_reaches_keys_the_file_leaves_out(root: Path) -> None:
    config = load_config(root, environ={"WORKBENCH_SERVICE_THREADS": "3"})
    assert config.service.threads == 3


def test_ints_in_the_file_are_accepted_for_float_settings(root: Path) -> None:
    (root / "config" / "workbench.toml").write_text(
        "[service]\ncurator_session_hours = 2\n", encoding="utf-8"
    )
    hours = load_config(root, environ={}).service.curator_session_hours
    assert hours == 2.0 and isinstance(hours, float)


def test_shipped_config_file_repeats_exactly_the_dataclass_defaults(project_root: Path) -> None:
    shipped = read_toml(project_root / CONFIG_FILE, "config file")
    assert list(shipped) == list(SECTIONS)
    for section in SECTIONS:
        defaults = section_defaults(section)
        types = section_types(section)
        for key, value in shipped[section].items():
            default = defaults[key]
            if types[key] is Path:
                default = default.as_posix()
            elif isinstance(default, tuple):
                default = list(default)
            assert value == default, f"[{section}] {key}: file {value!r}, default {default!r}"
        # Every key is shown in the file except the optional ones whose default is "not set".
        assert set(defaults) - set(shipped[section]) == {
            key for key, value in defaults.items() if value is None
        }, section


@settings(max_examples=25, deadline=None)
@given(port=st.integers(min_value=0, max_value=65535), hours=st.floats(0.01, 1e4))
def test_environment_values_round_trip_through_their_types(port: int, hours: float) -> None:
    config = load_config(
        PROJECT_ROOT,
        environ={
            "WORKBENCH_LABELSTUDIO_PORT": str(port),
            "WORKBENCH_SERVICE_CURATOR_SESSION_HOURS": repr(hours),
        },
    )
    assert config.labelstudio.port == port
    assert config.service.curator_session_hours == hours


def test_library_modules_do_not_load_settings_themselves() -> None:
    """Only the program's edges call load_config(); library code is handed the Config."""
    edges = {"config.py", "cli.py", "lookup_cli.py", "ml_backend.py"}
    offenders = []
    for path in sorted((PROJECT_ROOT / "workbench").rglob("*.py")):
        if path.name in edges:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.id] if isinstance(node, ast.Name) else []
            names += [node.attr] if isinstance(node, ast.Attribute) else []
            names += [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else []
            if "load_config" in names:
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert not offenders


def test_malformed_toml_is_a_config_error(root: Path) -> None:
    (root / "config" / "workbench.toml").write_text("[paths\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML"):
        load_config(root, environ={})


def test_root_is_found_from_a_subfolder(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKBENCH_ROOT", raising=False)
    sub = root / "a" / "b"
    sub.mkdir(parents=True)
    assert find_root(sub) == root.resolve()


def test_project_config_file_loads(project_root: Path) -> None:
    config = load_config(project_root, environ={})
    assert config.labelstudio.version
    assert config.paths.seeds_dir.is_dir()


def test_every_setting_is_documented_with_its_default(project_root: Path) -> None:
    doc = (project_root / "docs" / "config.md").read_text(encoding="utf-8")
    for section in SECTIONS:
        part = doc.split(f"### `[{section}]`")[1].split("###")[0]
        for key, default in section_defaults(section).items():
            [row] = [line for line in part.splitlines() if line.startswith(f"| `{key}` |")]
            if default is None:
                assert "not set" in row, row
            elif isinstance(default, Path):
                assert f'`"{default.as_posix()}"`' in row, row
            elif isinstance(default, bool):
                assert f"`{str(default).lower()}`" in row, row
            elif isinstance(default, str):
                assert f'`"{default}"`' in row, row
            elif not isinstance(default, tuple):
                assert f"`{default}`" in row, row


def test_a_misspelt_environment_variable_is_an_error(root: Path) -> None:
    with pytest.raises(ConfigError, match=r"WORKBENCH_LABELSTUDIO_PROT .*\[labelstudio\]"):
        load_config(root, environ={"WORKBENCH_LABELSTUDIO_PROT": "1"})
    # Variables outside the sections belong to others (tests, scripts) and are left alone.
    load_config(root, environ={"WORKBENCH_TEST_DATABASE": "postgres"})


def test_a_config_built_in_code_resolves_its_paths_against_the_root(tmp_path: Path) -> None:
    config = Config(root=tmp_path)
    assert config.work_dir == tmp_path / PathsConfig.work_dir
    moved = with_overrides(config, paths={"exports_dir": "out"}, service={"port": 1})
    assert (moved.paths.exports_dir, moved.service.port) == (tmp_path / "out", 1)
    assert config.service.port == ServiceConfig.port  # the original is unchanged (frozen)
    with pytest.raises(ConfigError, match=r"\[service\] port"):
        with_overrides(config, service={"port": "many"})

"""Settings: file defaults, environment overrides with types, explicit overrides, errors."""

from pathlib import Path

import pytest

from workbench.config import find_root, load_config
from workbench.errors import ConfigError


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "workbench.toml").write_text(
        '[paths]\nwork_dir = "work"\n[labelstudio]\nport = 8080\nurl = ""\n'
        "[service]\nreload = true\n[export]\nscripts = []\n",
        encoding="utf-8",
    )
    return tmp_path


def test_file_values_and_relative_paths_resolve_against_root(root: Path) -> None:
    config = load_config(root, environ={})
    assert config.get("labelstudio", "port") == 8080
    assert config.work_dir == root / "work"


@pytest.mark.parametrize(
    ("name", "raw", "section", "key", "expected"),
    [
        ("WORKBENCH_LABELSTUDIO_PORT", "8081", "labelstudio", "port", 8081),
        ("WORKBENCH_SERVICE_RELOAD", "no", "service", "reload", False),
        ("WORKBENCH_EXPORT_SCRIPTS", "s2t, s2hk", "export", "scripts", ["s2t", "s2hk"]),
        ("WORKBENCH_EXPORT_SCRIPTS", '["s2tw"]', "export", "scripts", ["s2tw"]),
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
    assert config.get(section, key) == expected


def test_bad_environment_value_names_the_variable(root: Path) -> None:
    with pytest.raises(ConfigError, match="WORKBENCH_LABELSTUDIO_PORT"):
        load_config(root, environ={"WORKBENCH_LABELSTUDIO_PORT": "eighty"})


def test_explicit_overrides_win_over_environment(root: Path) -> None:
    config = load_config(
        root,
        overrides={"labelstudio": {"port": 9000, "url": None}},
        environ={"WORKBENCH_LABELSTUDIO_PORT": "8081"},
    )
    assert config.get("labelstudio", "port") == 9000
    assert config.get("labelstudio", "url") == ""  # None means "flag not given"


def test_missing_setting_says_which(root: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[paths\] nowhere"):
        load_config(root, environ={}).get("paths", "nowhere")


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
    assert config.get("labelstudio", "version")
    assert config.path("paths", "seeds_dir").is_dir()

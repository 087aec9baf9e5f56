"""The layer contract of issue 13: every import goes downward, no cycles, commands on top.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``) and are checked here
through import-linter's Python API, so a plain test run catches an upward import or a new
cycle. The same contracts are then run over a small synthetic package with the same layer
names, once clean and once with one bad import, to show the check does fail when it should.
"""

from __future__ import annotations

import copy
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter import api as _configure  # noqa: F401  (sets up import-linter's adapters)
from importlinter.application.use_cases import read_user_options
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parent.parent
FAKE = "fakebench"
CONTRACT_TYPES: dict[str, Any] = {
    "layers": LayersContract,
    "forbidden": ForbiddenContract,
    "acyclic_siblings": AcyclicSiblingsContract,
}


def project_options() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The session and contract options of pyproject.toml's ``[tool.importlinter]``."""
    options = read_user_options(str(ROOT / "pyproject.toml"))
    return copy.deepcopy(options.session_options), copy.deepcopy(options.contracts_options)


def layer_names(contracts: list[dict[str, Any]]) -> list[list[str]]:
    """The layers of the ``layers`` contract, high to low, each split into its packages."""
    (layers,) = [c for c in contracts if c["type"] == "layers"]
    return [
        [name.strip() for name in layer.replace(":", "|").split("|")] for layer in layers["layers"]
    ]


def broken_contracts(session: dict[str, Any], contracts: list[dict[str, Any]]) -> dict[str, str]:
    """Check the contracts on a fresh import graph; return ``{name: failure}`` per broken one."""
    broken = {}
    for options in contracts:
        # A fresh graph per contract: a check removes the imports its contract ignores.
        graph = grimp.build_graph(*session["root_packages"], cache_dir=None)
        contract = CONTRACT_TYPES[options["type"]](
            name=options["name"], session_options=session, contract_options=options
        )
        check = contract.check(graph, verbose=False)
        if not check.kept:
            broken[options["name"]] = f"{options['name']}: {check.metadata}"
    return broken


def test_workbench_keeps_its_layer_contracts() -> None:
    session, contracts = project_options()
    assert {c["type"] for c in contracts} == {"layers", "forbidden", "acyclic_siblings"}
    broken = broken_contracts(session, contracts)
    assert not broken, "\n".join(broken.values())


def test_every_top_level_module_has_a_layer() -> None:
    _session, contracts = project_options()
    declared = {name for layer in layer_names(contracts) for name in layer}
    present = {
        path.stem if path.is_file() else path.name
        for path in (ROOT / "workbench").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert present <= declared, f"modules without a layer: {sorted(present - declared)}"


# -- the same contracts over a synthetic package -------------------------------------------


def fake_options() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The project's contracts with every ``workbench`` module name renamed ``fakebench``."""
    session, contracts = project_options()

    def rename(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("workbench", FAKE)
        if isinstance(value, list):
            return [rename(item) for item in value]
        return value

    session = {key: rename(value) for key, value in session.items()}
    contracts = [{key: rename(value) for key, value in c.items()} for c in contracts]
    return session, contracts


@pytest.fixture
def fake_package(tmp_path: Path) -> Iterator[Path]:
    """A package with one (empty) module per layer, and command modules importing downward.

    Each layer is a package so it can hold a ``cli.py``; ``__main__`` is a module. The two
    command imports are there because the contracts exempt them by pattern (an exemption
    that matches nothing is itself reported).
    """
    _session, contracts = fake_options()
    root = tmp_path / FAKE
    root.mkdir()
    (root / "__init__.py").write_text("")
    for layer in layer_names(contracts):
        for name in layer:
            if name == "__main__":
                (root / "__main__.py").write_text(f"import {FAKE}.cli\n")
                continue
            (root / name).mkdir()
            (root / name / "__init__.py").write_text("")
    (root / "cli" / "__init__.py").write_text(f"import {FAKE}.ingest.cli\n")
    (root / "ingest" / "cli.py").write_text(f"import {FAKE}.web\nimport {FAKE}.ingest\n")
    (root / "tm" / "lookup_cli.py").write_text(f"import {FAKE}.qa\n")
    sys.path.insert(0, str(tmp_path))
    try:
        yield root
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == FAKE or m.startswith(FAKE + ".")]:
            del sys.modules[name]


def add_import(root: Path, importer: str, imported: str) -> None:
    """Make module ``importer`` (dotted, under the fake root) import ``imported``."""
    path = root.joinpath(*importer.split("."))
    target = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(f"import {FAKE}.{imported}\n")


def test_the_clean_synthetic_package_keeps_the_contracts(fake_package: Path) -> None:
    session, contracts = fake_options()
    assert broken_contracts(session, contracts) == {}


def adjacent_layers() -> list[tuple[str, str]]:
    """Each (higher, lower) pair of neighbouring layers: one package of each."""
    _session, contracts = project_options()
    layers = layer_names(contracts)
    return [(high[-1], low[0]) for high, low in itertools.pairwise(layers)]


@pytest.mark.parametrize(("high", "low"), adjacent_layers())
def test_an_upward_import_breaks_the_layers_contract(
    fake_package: Path, high: str, low: str
) -> None:
    session, contracts = fake_options()
    add_import(fake_package, low, high)
    broken = broken_contracts(session, contracts)
    assert "Stages import only downward" in broken


@pytest.mark.parametrize(("high", "low"), adjacent_layers())
def test_a_downward_import_keeps_the_contracts(fake_package: Path, high: str, low: str) -> None:
    session, contracts = fake_options()
    add_import(fake_package, high, low)
    assert broken_contracts(session, contracts) == {}


def test_a_cycle_between_siblings_of_one_layer_breaks_the_acyclic_contract(
    fake_package: Path,
) -> None:
    session, contracts = fake_options()
    add_import(fake_package, "qa", "export")
    assert broken_contracts(session, contracts) == {}
    add_import(fake_package, "export", "qa")
    assert set(broken_contracts(session, contracts)) == {
        "No import cycles between sibling packages or modules"
    }


def test_a_cycle_between_modules_of_one_package_breaks_the_acyclic_contract(
    fake_package: Path,
) -> None:
    session, contracts = fake_options()
    (fake_package / "web" / "app.py").write_text(f"import {FAKE}.web.api\n")
    (fake_package / "web" / "api.py").write_text(f"import {FAKE}.web.app\n")
    assert set(broken_contracts(session, contracts)) == {
        "No import cycles between sibling packages or modules"
    }


def test_a_library_module_importing_a_command_module_breaks_the_contracts(
    fake_package: Path,
) -> None:
    session, contracts = fake_options()
    add_import(fake_package, "glossary", "ingest.cli")
    broken = broken_contracts(session, contracts)
    assert "Only command modules import command modules" in broken

"""Skipping OpenCC for lines without a trigger character never changes what ingest makes.

The trigger sets (``workbench/text/data/opencc_triggers.json``) are built from the
installed dictionaries by ``scripts/opencc_triggers.py``. These tests check the file
against those dictionaries, the guarantee itself on every dictionary key, and the
skipping conversion against OpenCC on generated documents.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.text import normalize as normalize_module
from workbench.text.normalize import _convert_lines, _converter, _triggers, normalize_lines

ROOT = Path(__file__).parent.parent
CONFIGS = ("t2s", "tw2s", "hk2s", "tw2sp")
SHIPPED = json.loads((ROOT / "workbench/text/data/opencc_triggers.json").read_text("utf-8"))
# The file describes one OpenCC release; with another installed the shortcut is off (safe,
# slower) until scripts/opencc_triggers.py is run again. The checks that compare the file
# with the installed dictionaries only mean something for the release it was built from.
same_release = pytest.mark.skipif(
    opencc.__version__ != SHIPPED["opencc"],
    reason=f"OpenCC {opencc.__version__} installed, triggers built from {SHIPPED['opencc']}",
)


def _script():
    spec = importlib.util.spec_from_file_location(
        "opencc_triggers", ROOT / "scripts" / "opencc_triggers.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    pytest.importorskip("marisa_trie")  # a test dependency; CI installs it
    return _script()


@pytest.fixture(scope="module")
def share(script) -> Path:
    return Path(str(_converter("t2s").config)).parent


@same_release
def test_the_shipped_triggers_are_those_of_the_installed_dictionaries(script, share):
    assert script.build(share)["configs"] == SHIPPED["configs"]


@same_release
@pytest.mark.parametrize("config", CONFIGS)
def test_the_shortcut_is_on_for_every_conversion_offered(config):
    # Off would be safe but slow: it means the installed OpenCC differs from the one the
    # file was built from, and scripts/opencc_triggers.py must be run again.
    assert _triggers(config) is not None


@pytest.mark.parametrize("config", CONFIGS)
def test_every_dictionary_key_the_triggers_pass_converts_to_itself(script, share, config):
    steps = json.loads((share / f"{config}.json").read_text("utf-8"))["conversion_chain"]
    files = [name for step in steps for name in script.dictionary_files(step["dict"])]
    keys = {key for name in files for key in script.dictionary_keys(share / name)}
    triggers = _triggers(config)
    converter = _converter(config)
    quiet = sorted(key for key in keys if not triggers.may_change(key))
    assert quiet, "every key holds a trigger: the check below would test nothing"
    # Among them keys holding a character that triggers only some phrases (覆 in 覆盖).
    assert any(triggers.pattern.search(key) for key in quiet)
    converted = converter.convert("\n".join(quiet)).split("\n")
    changed = [(k, c) for k, c in zip(quiet, converted, strict=True) if k != c]
    assert not changed
    # Side by side, too: a longer match across two quiet keys changes nothing either.
    joined = "，".join(quiet) + "".join(quiet[::-1])
    assert converter.convert(joined) == joined


# Traditional and Simplified forms, characters that are triggers only inside phrases
# (沈 in 沈浸, 覆 in 批覆, 哩 in 海哩), compatibility ideographs, characters beyond the
# BMP, punctuation, Latin and line breaks.
PIECES = [
    *"扶贫記憶體内存軟件軟體沈浸批覆覆盖答覆海哩公里乾隆干部著作着力們们發展发展臺灣台湾",
    *"藉口慰藉瞭解明瞭打坏坏人梁山程式文字",
    "\uf900",
    "\U00020000",
    "\U0002a6a5",
    *"。，,.!？ ab1",
    "\n",
    "\n",
]
lines = st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), max_size=8)


@settings(max_examples=300, deadline=None)
@given(lines=lines, config=st.sampled_from(CONFIGS))
def test_converting_only_the_trigger_lines_equals_converting_all(lines, config):
    joined = "\n".join(lines)
    converter = _converter(config)
    assert _convert_lines(converter, config, joined) == converter.convert(joined)


@settings(max_examples=150, deadline=None)
@given(lines=lines, config=st.sampled_from(CONFIGS))
def test_normalising_lines_is_the_same_with_and_without_the_shortcut(lines, config):
    lines = [line for text in lines for line in text.split("\n")]
    fast = normalize_lines(lines, config)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(normalize_module, "_triggers", lambda _config: None)
        general = normalize_lines(lines, config)
    assert [(n.text, list(n.offsets)) for n in fast] == [(n.text, list(n.offsets)) for n in general]


def test_a_dictionary_that_changed_turns_the_shortcut_off(tmp_path, monkeypatch):
    shipped = json.loads(json.dumps(SHIPPED))
    name = next(iter(shipped["configs"]["t2s"]["sha256"]))
    shipped["configs"]["t2s"]["sha256"][name] = "0" * 64
    altered = tmp_path / "opencc_triggers.json"
    altered.write_text(json.dumps(shipped), encoding="utf-8")
    monkeypatch.setattr(normalize_module, "_TRIGGERS_FILE", altered)
    _triggers.cache_clear()
    try:
        assert _triggers("t2s") is None
        converter = _converter("t2s")
        assert _convert_lines(converter, "t2s", "沈浸\n扶贫") == converter.convert("沈浸\n扶贫")
    finally:
        _triggers.cache_clear()


def test_a_conversion_the_file_does_not_describe_converts_every_line():
    assert _triggers("s2t") is None
    assert _triggers("none") is None

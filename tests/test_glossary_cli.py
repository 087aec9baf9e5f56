"""The glossary commands and corpus tagging, through the real ``workbench`` CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.config import load_config
from workbench.corpus import corpus_dir, read_manifest, read_sentences, write_corpus
from workbench.glossary import load_glossary, tag_corpus
from workbench.models import Document, Sentence

DATA = Path(__file__).parent / "data" / "glossary"
VALID = DATA / "valid"


@pytest.fixture
def env(tmp_path, project_root, monkeypatch):
    """Point the settings at a private work folder and the fixture glossary."""
    monkeypatch.setenv("WORKBENCH_ROOT", str(project_root))
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.setenv("WORKBENCH_PATHS_GLOSSARY_DIR", str(VALID))
    return tmp_path


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_match_prints_one_json_object_per_term(env):
    text = "坚持精准扶贫，实现“两不愁、三保障”。\n選派第一書記"
    result = run("glossary", "match", "-", input=text)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    # One TermMatch shape everywhere (issue 13): the id is "entry_id", as in the API.
    assert [r["entry_id"] for r in records] == ["t-jzfp", "t-lbc", "t-dyxs"]
    for record in records:
        assert set(record) == {"start", "end", "text", "entry_id", "zh", "en", "category"}
        assert text[record["start"] : record["end"]] == record["text"]
    assert records[2]["text"] == "第一書記" and records[2]["zh"] == "第一书记"
    assert records[1]["category"] == "slogan"


def test_match_reads_a_file_without_counting_its_bom(env, tmp_path):
    path = tmp_path / "in.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "精准扶贫".encode())
    record = json.loads(run("glossary", "match", str(path)).output)
    assert (record["start"], record["end"]) == (0, 4)


def test_lookup_json_has_every_field(env):
    result = run("glossary", "lookup", "兩不愁、三保障", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["id"] == "t-lbc" and data["zh_variants"] == ["两不愁、三保障"]
    assert data["en_forbidden"] == ["two worries and three guarantees"]
    assert data["glossary_version"] == load_glossary(VALID).version
    assert "兩不愁三保障" in data["generated_forms"]


def test_lookup_by_id_or_english_rendering(env):
    assert "targeted poverty alleviation" in run("glossary", "lookup", "t-jzfp").output
    assert "精准扶贫" in run("glossary", "lookup", "Precision  Poverty Alleviation").output


def _workbench(*args: str, env_vars: dict[str, str], input: str | None = None):
    """Run the installed console script, as users and other tools do."""
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, **env_vars},
        check=False,
    )


def test_check_exits_non_zero_with_file_and_line(env, project_root):
    env_vars = {"WORKBENCH_ROOT": str(project_root)}
    bad = _workbench("glossary", "check", str(DATA / "broken"), env_vars=env_vars)
    assert bad.returncode == 1
    assert "a.tsv:4: en is empty" in bad.stdout
    assert "9 problem(s)" in bad.stderr
    as_json = _workbench("glossary", "check", "--json", str(DATA / "broken"), env_vars=env_vars)
    problems = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert as_json.returncode == 1 and len(problems) == 9
    assert Path(problems[1]["file"]).name == "a.tsv"
    assert (problems[1]["line"], problems[1]["message"]) == (
        4,
        "en is empty; give the approved English rendering",
    )
    good = _workbench("glossary", "check", str(VALID), env_vars=env_vars)
    assert good.returncode == 0 and "ok: 10 entries (6 approved, 4 proposed)" in good.stdout


def test_unknown_lookup_exits_1_with_suggestions(env, project_root):
    result = _workbench(
        "glossary", "lookup", "扶", env_vars={"WORKBENCH_PATHS_GLOSSARY_DIR": str(VALID)}
    )
    assert result.returncode == 1
    assert "not in the glossary; similar:" in result.stderr and "t-jzfp" in result.stderr


def _make_corpus(work_dir: Path) -> None:
    texts = {"d1": ["坚持精准扶贫。", "实现“两不愁、三保障”。"], "d2": ["没有术语。"], "d3": []}
    items = []
    for doc_id, sentences in texts.items():
        original = "".join(sentences)
        document = Document(
            id=doc_id, source_path=f"{doc_id}.txt", sha256="0", encoding="utf-8", original=original
        )
        offset, own = 0, []
        for index, text in enumerate(sentences):
            own.append(
                Sentence(
                    id=f"{doc_id}-{index}",
                    doc_id=doc_id,
                    paragraph=0,
                    index=index,
                    text=text,
                    source_text=text,
                    start=offset,
                    end=offset + len(text),
                )
            )
            offset += len(text)
        items.append((document, own))
    write_corpus(corpus_dir(work_dir), items, {"opencc_config": "t2s"})


def test_tag_fills_terms_and_is_idempotent(env):
    config = load_config()
    _make_corpus(config.work_dir)
    summary = tag_corpus(config)
    assert summary["sentences"] == 3 and summary["matches"] == 2
    assert summary["sentences_with_terms"] == 2 and summary["documents"] == 3
    path = corpus_dir(config.work_dir)
    first = (path / "part-00000" / "sentences.jsonl").read_bytes()
    manifest = read_manifest(path)
    assert manifest["glossary_version"] == load_glossary(VALID).version
    assert manifest["opencc_config"] == "t2s"  # other stages' manifest keys survive
    terms = {s.id: [(t.start, t.end, t.entry_id) for t in s.terms] for s in read_sentences(path)}
    assert terms == {"d1-0": [(2, 6, "t-jzfp")], "d1-1": [(3, 10, "t-lbc")], "d2-0": []}
    result = run("glossary", "tag")
    assert result.exit_code == 0 and "2 matches" in result.output
    assert (path / "part-00000" / "sentences.jsonl").read_bytes() == first


def test_tag_without_corpus_says_what_to_do(env):
    result = _workbench("glossary", "tag", env_vars={})
    assert result.returncode == 1 and "workbench ingest" in result.stderr


@pytest.mark.parametrize("name", sorted(cli.commands["glossary"].commands))
def test_every_glossary_command_is_documented(name, project_root):
    docs = (project_root / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert f"workbench glossary {name}" in docs
    command = cli.commands["glossary"].commands[name]
    assert command.help and command.help.strip()
    for option in command.params:
        if isinstance(option, click.Option) and option.name not in {"path", "as_json"}:
            flag = max(option.opts, key=len)
            assert flag in docs, f"{name} {flag} is not in docs/glossary.md"

"""Term mining proposes real terms the glossary lacks, ranked, with evidence."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.config import load_config
from workbench.glossary import Entry, load_glossary
from workbench.glossary.check import parse_rows
from workbench.glossary.mine import mine_terms, sentences_from_files
from workbench.ingest.pipeline import Ingester

DATA = Path(__file__).parent / "data" / "glossary"
SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.fixture(scope="module")
def seed_sentences() -> list[str]:
    return list(sentences_from_files([SEEDS], Ingester(load_config())))


@pytest.fixture(scope="module")
def mined(seed_sentences):
    return mine_terms(seed_sentences, load_glossary(DATA / "valid"), top=100)


def test_precision_at_50_on_seeds_against_hand_judgements(mined):
    """Judged by hand in tests/data/glossary/mined_judgements.tsv; unjudged counts as wrong."""
    with open(DATA / "mined_judgements.tsv", encoding="utf-8") as handle:
        judged = {row["zh"]: row["judgement"] for row in csv.DictReader(handle, delimiter="\t")}
    top = [c.zh for c in mined[:50]]
    precision = sum(judged.get(zh) == "term" for zh in top) / 50
    assert precision >= 0.75, [(zh, judged.get(zh)) for zh in top]


@pytest.mark.parametrize(
    ("term", "kind"),
    [("七个一批", "slogan"), ("八个一批", "slogan"), ("两线合一", "quoted"), ("十三五", "slogan")],
)
def test_known_slogans_of_the_seeds_are_proposed(mined, term, kind):
    candidate = next(c for c in mined if c.zh == term)
    assert kind in candidate.kinds and candidate.frequency >= 1
    assert candidate.examples and all(term in e for e in candidate.examples)


def test_glossary_terms_and_their_compounds_are_not_proposed(mined):
    zh = {c.zh for c in mined}
    assert not zh & {"五个一批", "精准扶贫", "两不愁三保障", "建档立卡", "易地扶贫搬迁"}
    assert "精准扶贫精准脱贫" not in zh  # wholly made of glossary terms would need both
    ranks = [c.score for c in mined]
    assert ranks == sorted(ranks, reverse=True)


def test_traditional_input_gives_the_same_candidates(seed_sentences):
    from workbench.glossary.fold import converter

    glossary = load_glossary(DATA / "valid")
    simplified = [c.zh for c in mine_terms(seed_sentences, glossary, top=30)]
    s2t = converter("s2t").convert
    traditional = [c.zh for c in mine_terms([s2t(s) for s in seed_sentences], glossary, top=30)]
    assert traditional == simplified


def test_mine_command_writes_a_proposed_review_queue(tmp_path, monkeypatch, project_root):
    monkeypatch.setenv("WORKBENCH_ROOT", str(project_root))
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.setenv("WORKBENCH_PATHS_GLOSSARY_DIR", str(DATA / "valid"))
    runner = CliRunner()
    result = runner.invoke(cli, ["glossary", "mine", str(SEEDS), "--top", "20"])
    assert result.exit_code == 0, result.output
    queue = tmp_path / "work" / "glossary" / "mined.tsv"
    entries, problems = parse_rows(queue.read_text(encoding="utf-8"), "mined.tsv")
    assert len(entries) == 20
    assert all(e.status == "proposed" and e.en == "" for e in entries)
    # Left for the reviewer: the rendering, and a Chinese name around bare shapes (1+8+10).
    assert all(
        p.message.startswith("en is empty") or "has no Chinese character" in p.message
        for p in problems
    )
    assert "frequency" in entries[0].note
    jsonl = tmp_path / "m.jsonl"
    result = runner.invoke(cli, ["glossary", "mine", str(SEEDS), "--top", "5", "-o", str(jsonl)])
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5 and {"zh", "score", "frequency", "kind", "examples"} <= set(records[0])
    assert not list((project_root / "glossary").glob("mined*"))  # never into the term base


def test_a_candidate_becomes_a_valid_row_once_reviewed(mined):
    entry: Entry = mined[0].to_entry()
    entry.en = "a rendering"
    assert entry.id.startswith("mined-") and entry.status == "proposed"


# -- mined files are read as ingest reads them, with the user's settings (issue 13) ---------

SIMPLIFIED = "坚决打赢脱贫攻坚战；确保农村贫困人口实现脱贫。巩固拓展脱贫攻坚成果！"
TRADITIONAL = "堅決打贏脫貧攻堅戰；確保農村貧困人口實現脫貧。鞏固拓展脫貧攻堅成果！"


def mined_sentences(tmp_path: Path, files: dict[str, bytes], **settings: dict) -> list[str]:
    """Write ``files`` into a folder and mine it with settings overridden by ``settings``."""
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    config = load_config(overrides=settings)
    return list(sentences_from_files([folder], Ingester(config)))


def test_a_gb18030_file_is_decoded_as_ingest_decodes_it(tmp_path):
    sentences = mined_sentences(tmp_path, {"gb.txt": SIMPLIFIED.encode("gb18030")})
    assert sentences == ["坚决打赢脱贫攻坚战；确保农村贫困人口实现脱贫。", "巩固拓展脱贫攻坚成果！"]


def test_a_traditional_file_is_converted_by_the_configured_opencc(tmp_path):
    files = {"tw.txt": TRADITIONAL.encode("utf-8")}
    assert mined_sentences(tmp_path, files) == [
        "坚决打赢脱贫攻坚战；确保农村贫困人口实现脱贫。",
        "巩固拓展脱贫攻坚成果！",
    ]
    kept = mined_sentences(tmp_path, files, ingest={"opencc_config": "none"})
    assert kept == ["堅決打贏脫貧攻堅戰；確保農村貧困人口實現脫貧。", "鞏固拓展脫貧攻堅成果！"]


def test_the_semicolon_setting_splits_mined_sentences(tmp_path):
    files = {"gb.txt": SIMPLIFIED.encode("gb18030")}
    sentences = mined_sentences(tmp_path, files, segment={"split_at_semicolon": True})
    assert sentences == [
        "坚决打赢脱贫攻坚战；",
        "确保农村贫困人口实现脱贫。",
        "巩固拓展脱贫攻坚成果！",
    ]


def test_the_configured_rules_file_segments_mined_text(tmp_path, project_root):
    rules = (project_root / "config" / "segmentation.toml").read_text(encoding="utf-8")
    custom = tmp_path / "segmentation.toml"
    custom.write_text(rules.replace('strong = "。！？!?"', 'strong = "。？!?"'), encoding="utf-8")
    files = {"gb.txt": (SIMPLIFIED + "再接再厉。").encode("gb18030")}
    sentences = mined_sentences(tmp_path, files, segment={"rules": str(custom)})
    assert sentences == [
        "坚决打赢脱贫攻坚战；确保农村贫困人口实现脱贫。",
        "巩固拓展脱贫攻坚成果！再接再厉。",
    ]


def test_mine_command_reads_files_with_the_environment_settings(
    tmp_path, monkeypatch, project_root
):
    monkeypatch.setenv("WORKBENCH_ROOT", str(project_root))
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.setenv("WORKBENCH_PATHS_GLOSSARY_DIR", str(DATA / "valid"))
    monkeypatch.setenv("WORKBENCH_SEGMENT_SPLIT_AT_SEMICOLON", "true")
    source = tmp_path / "tw.txt"
    source.write_bytes(("堅持「兩線合一」。" + TRADITIONAL * 3).encode("big5", errors="strict"))
    output = tmp_path / "mined.jsonl"
    result = CliRunner().invoke(
        cli, ["glossary", "mine", str(source), "--top", "50", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    by_zh = {r["zh"]: r for r in records}
    assert "两线合一" in by_zh  # the Big5 file was decoded (candidates come out Simplified)
    assert "坚决打赢脱贫攻坚战；" in by_zh["脱贫攻坚"]["examples"]  # split at the semicolon

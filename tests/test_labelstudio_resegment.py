"""Reviewed merge/split flags applied to the corpus: ids stay stable, nothing is lost."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cli import cli
from workbench.config import load_config, with_overrides
from workbench.corpus import corpus_dir, read_manifest, read_sentences, write_corpus
from workbench.errors import InputError
from workbench.labelstudio.resegment import (
    ResegmentReport,
    SegmentationFlag,
    apply_to_document,
    reviewed_flags,
    split_point,
)
from workbench.models import Document, Sentence, SnapshotTask
from workbench.snapshot import write_snapshot


def make_document(doc_id: str, texts: list[str], gap: str = "") -> tuple[Document, list[Sentence]]:
    """A document whose sentences slice its original one to one (``gap`` between them)."""
    original = gap.join(texts)
    sentences, offset = [], 0
    for number, text in enumerate(texts):
        sentences.append(
            Sentence(
                id=f"{doc_id}-{number}",
                doc_id=doc_id,
                paragraph=0,
                index=number,
                text=text,
                source_text=text,
                start=offset,
                end=offset + len(text),
                speaker="杨春霆" if number else None,
            )
        )
        offset += len(text) + len(gap)
    document = Document(doc_id, f"{doc_id}.txt", "0" * 64, "utf-8", original, title="标题")
    return document, sentences


def annotation(segmentation: str, status: str = "final", updated: str = "2026-01-02", id=1):
    return {
        "id": id,
        "status": status,
        "segmentation": segmentation,
        "translation": "x",
        "updated_at": updated,
        "was_cancelled": False,
    }


def snapshot_task(sentence_id: str, *annotations, task_id: int = 1) -> dict:
    return {"task_id": task_id, "sentence_id": sentence_id, "annotations": list(annotations)}


def test_only_the_latest_final_annotation_flags_a_sentence():
    tasks = [
        snapshot_task("a", annotation("merge")),
        snapshot_task("b", annotation("merge", status="draft")),
        snapshot_task("c", annotation("split", id=1), annotation("ok", updated="2026-02-01", id=2)),
        snapshot_task("d", annotation("ok", id=1), annotation("split", updated="2026-02-01", id=2)),
        snapshot_task("e", {**annotation("split"), "was_cancelled": True}),
        snapshot_task("f", annotation("split", status="needs_review")),
    ]

    flags = reviewed_flags(SnapshotTask.from_dict(task) for task in tasks)

    assert {sid: f.flag for sid, f in flags.items()} == {"a": "merge", "d": "split"}
    assert flags["d"].annotation_id == 2


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("一是加强领导；二是压实责任。", 7),
        ("各地区，各部门；要加强领导，压实责任。", 8),  # ； wins over the nearer ，
        ("主要有：产业扶贫和就业扶贫。", 4),
        ("甲，乙，丙，丁。", 4),  # the ， nearest the middle
        ("全省脱贫攻坚取得决定性进展。", None),
        ("结尾有逗号，", None),  # a mark at the very end is no place to split
    ],
)
def test_split_point_prefers_the_strongest_clause_mark_nearest_the_middle(text, cut):
    assert split_point(text) == cut


def apply(texts: list[str], flags: dict[str, str], gap: str = "") -> tuple[list, ResegmentReport]:
    document, sentences = make_document("d", texts, gap)
    report = ResegmentReport()
    taken = {s.id for s in sentences}
    flagged = {sid: SegmentationFlag(sid, flag) for sid, flag in flags.items()}
    return apply_to_document(document, sentences, flagged, taken, report), report


def test_merge_joins_with_the_next_sentence_and_keeps_the_other_ids():
    texts = ["各地要压实责任。", "全省建档立卡贫困人口", "全部脱贫。", "感谢大家。"]
    out, report = apply(texts, {"d-1": "merge"})

    assert [s.text for s in out] == [
        "各地要压实责任。",
        "全省建档立卡贫困人口全部脱贫。",
        "感谢大家。",
    ]
    assert out[0].id == "d-0" and out[2].id == "d-3"
    assert out[1].id.startswith("d:") and out[1].speaker == "杨春霆"
    assert [s.index for s in out] == [0, 1, 2]
    assert report.edits == [
        {
            "kind": "merge",
            "doc_id": "d",
            "from": ["d-1", "d-2"],
            "to": [out[1].id],
            "annotations": [None],
        }
    ]


def test_merge_across_a_line_break_keeps_offsets_into_the_original():
    texts = ["全省建档立卡贫困人口", "全部脱贫。"]
    document, _ = make_document("d", texts, gap="\n")
    out, _ = apply(texts, {"d-0": "merge"}, gap="\n")

    [merged] = out
    assert merged.source_text == "全省建档立卡贫困人口\n全部脱贫。"
    assert merged.offsets is not None
    assert (
        "".join(document.original[merged.source_offset(i)] for i in range(len(merged.text)))
        == merged.text
    )


def test_a_chain_of_merges_joins_a_run_and_the_last_sentence_cannot_merge():
    out, report = apply(["甲", "乙", "丙", "丁"], {"d-0": "merge", "d-1": "merge", "d-3": "merge"})

    assert [s.text for s in out] == ["甲乙丙", "丁"]
    assert out[1].id == "d-3"
    assert report.skipped == [("d-3", "merge: it is the last sentence of its document")]


def test_split_cuts_at_the_clause_mark_and_a_sentence_without_one_is_reported():
    out, report = apply(
        ["一是加强领导；二是压实责任。", "全省脱贫。"], {"d-0": "split", "d-1": "split"}
    )

    assert [s.text for s in out] == ["一是加强领导；", "二是压实责任。", "全省脱贫。"]
    assert out[2].id == "d-1"
    assert out[0].end == out[1].start == 7
    assert report.skipped == [("d-1", "split: no ；：， inside to split at")]


sentence_text = st.text(alphabet="甲乙丙丁，；。", min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(sentence_text, min_size=1, max_size=8),
    flags=st.lists(st.sampled_from(["ok", "merge", "split"]), min_size=8, max_size=8),
    gap=st.sampled_from(["", "\n"]),
)
def test_applying_flags_keeps_text_offsets_and_untouched_ids(texts, flags, gap):
    document, sentences = make_document("d", texts, gap)
    chosen = {f"d-{n}": flag for n, flag in enumerate(flags[: len(texts)]) if flag != "ok"}
    out, report = apply(texts, chosen, gap)

    assert "".join(s.text for s in out) == "".join(texts)  # no character lost or added
    assert len({s.id for s in out}) == len(out)
    replaced = {sid for edit in report.edits for sid in edit["from"]}
    kept = [s for s in sentences if s.id not in replaced]
    assert [s.id for s in out if not s.id.startswith("d:")] == [s.id for s in kept]
    for s in out:
        assert s.source_text == document.original[s.start : s.end]
        assert all(document.original[s.source_offset(i)] == ch for i, ch in enumerate(s.text))


def corpus_config(tmp_path):
    return load_config(overrides={"paths": {"work_dir": str(tmp_path / "work")}}, environ={})


def test_resegment_command_applies_once_and_re_running_changes_nothing(tmp_path, monkeypatch):
    config = corpus_config(tmp_path)
    document, sentences = make_document(
        "jl", ["全省建档立卡贫困人口", "全部脱贫。", "一是加强领导；二是压实责任。"]
    )
    write_corpus(corpus_dir(config.work_dir), [(document, sentences)], {"glossary_version": "g"})
    write_snapshot(
        config.work_dir,
        [
            snapshot_task("jl-0", annotation("merge", id=11), task_id=1),
            snapshot_task("jl-2", annotation("split", id=13), task_id=3),
        ],
        {"project_id": 1},
    )
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(config.work_dir))

    first = CliRunner().invoke(cli, ["resegment"])
    second = CliRunner().invoke(cli, ["resegment"])

    assert first.exit_code == 0, first.output
    assert "2 edit(s): 3 sentences -> 3" in first.output
    assert "merge  jl-0 + jl-1 -> jl:" in first.output
    assert "workbench push" in first.output
    texts = [s.text for s in read_sentences(corpus_dir(config.work_dir))]
    assert texts == ["全省建档立卡贫困人口全部脱贫。", "一是加强领导；", "二是压实责任。"]
    manifest = read_manifest(corpus_dir(config.work_dir))
    assert [e["annotations"] for e in manifest["resegmented"]] == [[11], [13]]
    # the new sentences were tagged with the glossary like the rest
    assert manifest["glossary_version"] != "g"
    assert second.exit_code == 0, second.output
    assert "0 edit(s)" in second.output and "2 applied earlier" in second.output
    assert json.dumps(manifest["resegmented"]) == json.dumps(
        read_manifest(corpus_dir(config.work_dir))["resegmented"]
    )


def test_resegment_without_a_snapshot_changes_nothing(tmp_path):
    config = corpus_config(tmp_path)
    document, sentences = make_document("jl", ["甲。", "乙。"])
    write_corpus(corpus_dir(config.work_dir), [(document, sentences)])
    from workbench.workspace import apply_segmentation_flags

    assert not apply_segmentation_flags(config).changed
    assert [s.id for s in read_sentences(corpus_dir(config.work_dir))] == ["jl-0", "jl-1"]
    with pytest.raises(InputError, match="no snapshot 'missing'"):
        apply_segmentation_flags(config, "missing")


@pytest.mark.labelstudio
@pytest.mark.slow
def test_merge_flag_from_label_studio_reaches_the_corpus_and_no_annotation_is_lost(
    labelstudio_server, ls_config
):
    from labelstudio_fixtures import annotation_result, write_test_corpus

    from workbench.labelstudio.sync import pull_snapshot, push_corpus
    from workbench.workspace import apply_segmentation_flags

    texts = ["各地要压实责任。", "到2020年稳定实现农村贫困人口", "两不愁三保障。", "感谢大家。"]
    write_test_corpus(ls_config.work_dir, {"doc-m": texts})
    first = push_corpus(ls_config)
    client = labelstudio_server.client
    tasks = {
        t.data["sentence_id"]: t for t in client.tasks.list(project=first.project_id, page_size=100)
    }
    flagged = tasks["doc-m-p1-s0"]
    flag = {
        "from_name": "segmentation",
        "to_name": "text",
        "type": "choices",
        "value": {"choices": ["merge"]},
    }
    result = [*annotation_result("By 2020, the rural poor will reliably", "final"), flag]
    client.annotations.create(id=flagged.id, result=result)
    pull_snapshot(ls_config)

    report = apply_segmentation_flags(ls_config)
    second = push_corpus(ls_config)

    [edit] = report.edits
    assert edit["from"] == ["doc-m-p1-s0", "doc-m-p2-s0"]
    corpus = {s.id: s.text for s in read_sentences(corpus_dir(ls_config.work_dir))}
    assert corpus[edit["to"][0]] == "到2020年稳定实现农村贫困人口两不愁三保障。"
    assert {"doc-m-p0-s0", "doc-m-p3-s0"} <= set(corpus)  # untouched ids are stable
    assert second.added == 1 and second.stale == ["doc-m-p1-s0", "doc-m-p2-s0"]
    after = {t.data["sentence_id"]: t for t in client.tasks.list(project=first.project_id)}
    assert after["doc-m-p0-s0"].id == tasks["doc-m-p0-s0"].id  # same task, not a new one
    [kept] = client.annotations.list(id=flagged.id)  # the flagged task keeps its annotation
    assert any(item["from_name"] == "translation" for item in kept.result)
    merged = after[edit["to"][0]]
    assert "两不愁三保障" in merged.data["glossary_hints"]  # the new sentence was tagged


@pytest.mark.labelstudio
@pytest.mark.slow
def test_an_annotated_task_gets_renewed_context_but_keeps_annotation_and_predictions(
    labelstudio_server, ls_config
):
    from labelstudio_fixtures import annotation_result, write_test_corpus

    from workbench.labelstudio.sync import push_corpus

    write_test_corpus(ls_config.work_dir, {"doc-r": ["坚持精准扶贫。", "各地要压实责任。"]})
    first = push_corpus(ls_config)
    client = labelstudio_server.client
    [task] = [
        t
        for t in client.tasks.list(project=first.project_id)
        if t.data["sentence_id"] == "doc-r-p0-s0"
    ]
    client.annotations.create(id=task.id, result=annotation_result("Targeted.", "final"))
    predictions = [p.id for p in client.predictions.list(task=task.id)]
    write_test_corpus(ls_config.work_dir, {"doc-r": ["坚持精准扶贫。", "各地要全面压实责任。"]})

    again = push_corpus(ls_config)

    assert (again.refreshed, again.conflicts, again.updated) == (1, [], 1)
    renewed = client.tasks.get(id=str(task.id))
    assert "各地要全面压实责任。" in renewed.data["context_after"]
    [kept] = client.annotations.list(id=task.id)
    by_name = {item["from_name"]: item for item in kept.result}
    assert by_name["translation"]["value"]["text"] == ["Targeted."]
    assert [p.id for p in client.predictions.list(task=task.id)] == predictions


def test_export_leaves_out_tasks_of_sentences_merged_or_split_away(tmp_path, monkeypatch):
    """After resegment, the old tasks keep their annotations but are not exported twice."""
    from workbench.export.run import export_dataset

    config = corpus_config(tmp_path)
    config = with_overrides(config, paths={"exports_dir": str(tmp_path / "exports")})
    texts = ["全省建档立卡贫困人口", "全部脱贫。", "一是加强领导；二是压实责任。"]
    document, sentences = make_document("jl", texts)
    write_corpus(corpus_dir(config.work_dir), [(document, sentences)], {"glossary_version": "g"})
    english = {
        "jl-0": "All registered poor people in the province",
        "jl-1": "were lifted out of poverty.",
        "jl-2": "First, strengthen leadership; second, assign responsibility.",
    }
    tasks = [
        {
            **snapshot_task(sid, {**annotation("merge" if sid == "jl-0" else "ok", id=n)}),
            "task_id": n,
            "doc_id": "jl",
            "text": sentences[n - 1].text,
        }
        for n, sid in enumerate(english, start=1)
    ]
    for task in tasks:
        task["annotations"][0]["translation"] = english[task["sentence_id"]]
    write_snapshot(config.work_dir, tasks, {"project_id": 1}, name="20260101T000000Z")
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(config.work_dir))
    assert CliRunner().invoke(cli, ["resegment"]).exit_code == 0
    [merged] = [s for s in read_sentences(corpus_dir(config.work_dir)) if s.text.endswith("脱贫。")]
    tasks.append(
        {
            **snapshot_task(merged.id, annotation("ok", id=9)),
            "task_id": 9,
            "doc_id": "jl",
            "text": merged.text,
        }
    )
    tasks[-1]["annotations"][0]["translation"] = "All registered poor people were lifted out."
    write_snapshot(config.work_dir, tasks, {"project_id": 1}, name="20260102T000000Z")

    result = export_dataset(config)

    counts = result.manifest["counts"]
    assert counts["left_out"].get("resegmented") == 2  # jl-0 and jl-1, still annotated in LS
    assert counts["selected"] == 2
    text = "".join(p.read_text(encoding="utf-8") for p in result.path.glob("parallel/*.jsonl"))
    assert merged.text in text and "were lifted out of poverty." not in text
    assert "merged or split since" in (result.path / "README.md").read_text(encoding="utf-8")

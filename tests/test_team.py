"""Team mode without a server: agreement, review queue, progress, reviewed selection, config."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.config import load_config
from workbench.errors import ConfigError
from workbench.export.select import NEEDS_REVIEW, NOT_REVIEWED, select_annotation
from workbench.labelstudio.postgres import database_kind, parse_dsn
from workbench.labelstudio.project import overlap_settings
from workbench.models import SnapshotAnnotation, SnapshotTask
from workbench.team.agreement import (
    char_labels,
    chrf,
    compute_agreement,
    krippendorff_alpha,
    span_f1,
)
from workbench.team.progress import compute_progress, count_words
from workbench.team.review import review_queue

TEXT = "坚持精准扶贫，实现两不愁三保障。"


def annotation(
    id_: int,
    who: str,
    translation: str | None,
    entities=(),
    status: str | None = "final",
    role: str | None = "annotator",
    updated: str = "2026-01-01T00:00:00",
    lead_time: float | None = 10.0,
    cancelled: bool = False,
) -> SnapshotAnnotation:
    return SnapshotAnnotation.from_dict(
        {
            "id": id_,
            "annotator": who,
            "role": role,
            "updated_at": updated,
            "created_at": updated,
            "translation": translation,
            "status": status,
            "lead_time": lead_time,
            "was_cancelled": cancelled,
            "ground_truth": False,
            "entities": [
                {"start": s, "end": e, "text": TEXT[s:e], "label": label}
                for s, e, label in entities
            ],
        }
    )


def task(
    task_id: int, *annotations: SnapshotAnnotation, doc_id: str = "d1", text: str = TEXT
) -> SnapshotTask:
    return SnapshotTask(
        task_id=task_id,
        sentence_id=f"{doc_id}-p0-s{task_id}",
        doc_id=doc_id,
        doc_title="标题",
        text=text,
        annotations=list(annotations),
    )


TERMS = [(2, 6, "POLICY_TERM"), (9, 15, "POLICY_TERM")]
AGREE = task(
    1,
    annotation(1, "a@x.org", "Adhere to targeted poverty alleviation.", TERMS),
    annotation(2, "b@x.org", "adhere to  targeted poverty alleviation.", TERMS),
)
DISAGREE = task(
    2,
    annotation(3, "a@x.org", "Adhere to targeted poverty alleviation.", TERMS),
    annotation(4, "b@x.org", "Ensure food and clothing for all.", TERMS[:1]),
)


def test_identical_translations_agree_fully_and_different_ones_score_lower():
    assert chrf("Lift them out of poverty.", "Lift them out of poverty.") == pytest.approx(1.0)
    low = chrf("Lift them out of poverty.", "Ensure compulsory education for children.")
    assert 0.0 <= low < 0.4


def test_span_f1_counts_only_exact_spans_with_the_same_label():
    a = {(0, 2, "ORG"), (3, 5, "LOC")}
    assert span_f1(a, a) == 1.0
    assert span_f1(a, {(0, 2, "ORG")}) == pytest.approx(2 / 3)
    assert span_f1(a, {(0, 2, "LOC")}) == 0.0
    assert span_f1(set(), set()) == 1.0


def test_agreement_report_per_task_pair_and_overall():
    report = compute_agreement([AGREE, DISAGREE, task(3, annotation(5, "a@x.org", "Alone."))])
    assert [t.task_id for t in report.tasks] == [1, 2]  # a single annotator is not compared
    agree, disagree = report.tasks
    assert agree.exact is True and agree.chrf_min > 0.9  # case counts in chrF, not in exact
    assert disagree.exact is False and disagree.chrf_min < 0.4
    assert disagree.entity_f1_min == pytest.approx(2 / 3)
    assert disagree.disagrees(chrf_below=0.5, entity_f1_below=0.8)
    assert not agree.disagrees(chrf_below=0.5, entity_f1_below=0.8)
    [pair] = report.pairwise
    assert (pair["first"], pair["second"], pair["tasks"]) == ("a@x.org", "b@x.org", 2)
    assert pair["exact_rate"] == 0.5
    overall = report.overall
    assert overall["tasks_compared"] == 2 and overall["annotators"] == ["a@x.org", "b@x.org"]
    assert 0.0 < overall["entity_alpha"] < 1.0


def test_only_each_annotators_latest_unskipped_annotation_counts():
    record = task(
        1,
        annotation(1, "a@x.org", "Old wrong text.", updated="2026-01-01"),
        annotation(2, "a@x.org", "Targeted poverty alleviation.", updated="2026-01-02"),
        annotation(3, "b@x.org", "Targeted poverty alleviation.", updated="2026-01-01"),
        annotation(4, "b@x.org", "Skipped.", updated="2026-01-03", cancelled=True),
    )
    [result] = compute_agreement([record]).tasks
    assert result.exact is True


def test_krippendorff_alpha_is_one_for_identical_labels_and_lower_for_chance():
    labels = char_labels(TEXT, AGREE.annotations[0])
    units = [{"a": x, "b": x} for x in labels]
    assert krippendorff_alpha(units, ["a", "b"]) == pytest.approx(1.0)
    noisy = [{"a": "X" if i % 2 else "O", "b": "X" if i % 3 else "O"} for i in range(60)]
    assert krippendorff_alpha(noisy, ["a", "b"]) < 0.3
    assert krippendorff_alpha([], ["a", "b"]) is None


def test_review_queue_takes_disagreements_and_needs_review_and_sees_a_decision():
    flagged = task(
        3,
        annotation(5, "a@x.org", "Targeted poverty alleviation.", status="needs_review"),
    )
    items = review_queue([AGREE, DISAGREE, flagged], chrf_below=0.5, entity_f1_below=0.8)
    assert [i.task_id for i in items] == [2, 3]
    assert "translations disagree" in items[0].reasons[0]
    assert "needs_review" in items[1].reasons[0]
    assert not any(i.settled for i in items)

    decision = annotation(
        9,
        "rev@x.org",
        "Adhere to targeted poverty alleviation.",
        role="reviewer",
        updated="2026-02-01",
    )
    settled = replace(DISAGREE, annotations=[*DISAGREE.annotations, decision])
    [item] = review_queue([settled], chrf_below=0.5, entity_f1_below=0.8)
    assert item.settled and item.row()["settled_by"] == "rev@x.org"
    # the reviewer's own annotation is not one side of the disagreement
    assert set(item.translations) == {"a@x.org", "b@x.org"}


def test_reviewed_selection_takes_the_reviewers_decision_only():
    annotations = DISAGREE.annotations
    assert select_annotation(annotations, "reviewed").reason == NOT_REVIEWED
    pending = annotation(9, "rev@x.org", "Hmm.", role="reviewer", status="needs_review")
    assert select_annotation([*annotations, pending], "reviewed").reason == NEEDS_REVIEW
    decision = annotation(10, "rev@x.org", "Reviewed text.", role="reviewer", updated="2026-03-01")
    later = annotation(11, "a@x.org", "Annotator after review.", updated="2026-04-01")
    chosen = select_annotation([*annotations, decision, later], "reviewed").annotation
    assert chosen is not None and chosen.translation == "Reviewed text."
    ground_truth = replace(annotation(12, "admin@x.org", "Ground truth."), ground_truth=True)
    chosen = select_annotation([*annotations, ground_truth], "reviewed").annotation
    assert chosen is not None and chosen.translation == "Ground truth."


def test_progress_per_annotator_and_document():
    records = [
        AGREE,
        DISAGREE,
        task(3, doc_id="d2"),
        task(4, annotation(7, "a@x.org", "Two words.", lead_time=30.0), doc_id="d2"),
    ]
    progress = compute_progress(records)
    by_name = {row["annotator"]: row for row in progress["annotators"]}
    assert by_name["a@x.org"]["tasks_done"] == 3
    assert by_name["b@x.org"]["tasks_done"] == 2
    assert by_name["a@x.org"]["median_seconds"] == 10.0
    assert by_name["a@x.org"]["words"] == 5 + 5 + 2
    docs = {row["doc_id"]: row for row in progress["documents"]}
    assert (docs["d1"]["tasks"], docs["d1"]["done"]) == (2, 2)
    assert (docs["d2"]["tasks"], docs["d2"]["done"], docs["d2"]["share_done"]) == (2, 1, 0.5)
    assert count_words("Poverty-stricken counties' 832 people") == 4


def test_overlap_settings_come_from_config_and_are_checked(project_root):
    config = load_config(project_root, overrides={"team": {"overlap": 3, "overlap_share": 0.25}})
    assert overlap_settings(config) == {"maximum_annotations": 3, "overlap_cohort_percentage": 25}
    for bad in ({"overlap": 0}, {"overlap_share": 1.5}):
        with pytest.raises(ConfigError):
            overlap_settings(load_config(project_root, overrides={"team": bad}))


def test_database_setting_and_dsn_parsing(project_root):
    assert database_kind(load_config(project_root)) == "sqlite"
    config = load_config(project_root, overrides={"labelstudio": {"database": "postgresql"}})
    assert database_kind(config) == "postgres"
    with pytest.raises(ConfigError, match="unknown"):
        database_kind(load_config(project_root, overrides={"labelstudio": {"database": "mysql"}}))
    target = parse_dsn("postgresql://ls:p%40ss@db.example:6543/annot")
    assert (target.user, target.password, target.host, target.port, target.dbname) == (
        "ls",
        "p@ss",
        "db.example",
        6543,
        "annot",
    )
    assert target.labelstudio_env()["POSTGRE_PASSWORD"] == "p@ss"
    assert "p@ss" not in target.describe()
    with pytest.raises(ConfigError):
        parse_dsn("mysql://x@y/z")


translations = st.one_of(st.none(), st.just(""), st.just("   "), st.text(min_size=1, max_size=40))
spans = st.lists(
    st.tuples(st.integers(0, 15), st.integers(1, 16), st.sampled_from(["ORG", "LOC"])),
    max_size=4,
).map(lambda xs: [(s, e, label) for s, e, label in xs if s < e])


@st.composite
def generated_records(draw):
    records = []
    for task_id in range(draw(st.integers(1, 5))):
        people = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=4, unique=True))
        annotations = [
            annotation(
                task_id * 10 + n,
                who,
                draw(translations),
                draw(spans),
                status=draw(st.sampled_from(["final", "draft", "needs_review", None])),
                role=draw(st.sampled_from(["annotator", "reviewer", None])),
                cancelled=draw(st.booleans()),
            )
            for n, who in enumerate(people)
        ]
        records.append(task(task_id, *annotations))
    return records


@settings(max_examples=60, deadline=None)
@given(generated_records())
def test_agreement_review_and_progress_never_raise_and_stay_in_range(records):
    report = compute_agreement(records)
    for result in report.tasks:
        for pair in result.pairs:
            assert pair.chrf is None or 0.0 <= pair.chrf <= 1.0
            assert 0.0 <= pair.entity_f1 <= 1.0
    alpha = report.overall["entity_alpha"]
    assert alpha is None or (not math.isnan(alpha) and alpha <= 1.0)
    queue = review_queue(records, 0.5, 0.8)
    assert len({i.task_id for i in queue}) == len(queue)
    progress = compute_progress(records)
    assert sum(d["tasks"] for d in progress["documents"]) == len(records)


def test_dataset_card_reports_agreement_of_the_snapshot(tmp_path, project_root):
    from test_export_pipeline import annotation as export_annotation
    from test_export_pipeline import make_config, standard_tasks, write_corpus_for

    from workbench.export.run import export_dataset
    from workbench.snapshot import write_snapshot

    config = make_config(tmp_path, project_root)
    tasks = standard_tasks()
    first = tasks[0]["annotations"][0]
    tasks[0]["annotations"].append(
        export_annotation(first["translation"], annotator="b@example.org")
    )
    tasks[1]["annotations"].append(
        export_annotation("Something else entirely.", annotator="b@example.org")
    )
    write_corpus_for(config, tasks)
    write_snapshot(config.work_dir, tasks, {"project_id": 1})
    result = export_dataset(config)
    agreement = result.manifest["agreement"]
    assert agreement["tasks_compared"] == 2 and agreement["exact_rate"] == 0.5
    card = (result.path / "README.md").read_text(encoding="utf-8")
    assert "## Agreement" in card and "| exact translation after normalising | 0.500 |" in card

"""Term pairs come from the annotation: the region's box or the translation, never the
rendering the task was pre-filled with (issue 9)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from test_export_pipeline import export_with, make_config, standard_tasks, task

from workbench.labelstudio.results import annotation_record
from workbench.labelstudio.tasks import term_regions
from workbench.models import TermMatch

ZH = "坚持精准扶贫，建档立卡贫困户全部纳入保障。"
TERMS = [
    TermMatch(2, 6, "精准扶贫", "t-001", "精准扶贫", "targeted poverty alleviation"),
    TermMatch(7, 11, "建档立卡", "t-002", "建档立卡", "registered"),
]


def labelstudio_annotation(translation: str, result: list[dict[str, Any]], n: int) -> dict:
    """A snapshot annotation made as ``workbench pull`` makes it from Label Studio's JSON."""
    items = [
        {"from_name": "translation", "to_name": "text", "type": "textarea",
         "value": {"text": [translation]}, "origin": "manual"},
        {"from_name": "status", "to_name": "text", "type": "choices",
         "value": {"choices": ["final"]}, "origin": "manual"},
        *result,
    ]  # fmt: skip
    raw = {"id": n, "completed_by": {"email": "a@example.org"}, "result": items,
           "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}  # fmt: skip
    return annotation_record(raw, {})


def prefilled() -> list[dict[str, Any]]:
    """The glossary prediction the task was pushed with, accepted as is by the annotator."""
    return copy.deepcopy(term_regions(ZH, TERMS))


def edited(result: list[dict[str, Any]], zh: str, lines: list[str]) -> list[dict[str, Any]]:
    """The annotator rewrote the box of the region over ``zh``."""
    for item in result:
        if item["from_name"] == "rendering" and item["value"]["start"] == ZH.index(zh):
            item["value"]["text"] = lines
            item["origin"] = "prediction-changed"
    return result


CASES = [
    # (what the annotator did, translation, result, expected (zh, en, source) term pairs)
    (
        "left the pre-filled boxes, translated the term otherwise",
        "We will stick to precision poverty relief and cover all filed and carded households.",
        prefilled(),
        [],
    ),
    (
        "typed their rendering over the pre-filled one",
        "We will stick to precision poverty relief and cover all filed and carded households.",
        edited(prefilled(), "精准扶贫", ["precision poverty relief"]),
        [("精准扶贫", "precision poverty relief", "region")],
    ),
    (
        "added a line below the pre-filled one",
        "We will stick to precision poverty relief and cover all filed and carded households.",
        edited(
            prefilled(), "精准扶贫", ["targeted poverty alleviation", "precision poverty relief"]
        ),
        [("精准扶贫", "precision poverty relief", "region")],
    ),
    (
        "left the pre-filled boxes and used those renderings",
        "We will adhere to targeted poverty alleviation and cover all registered poor households.",
        prefilled(),
        [
            ("精准扶贫", "targeted poverty alleviation", "translation"),
            ("建档立卡", "registered", "translation"),
        ],
    ),
    (
        "emptied the box and used the glossary rendering in the translation",
        "We will adhere to Targeted Poverty Alleviation; filed and carded households are covered.",
        edited(prefilled(), "精准扶贫", []),
        [("精准扶贫", "targeted poverty alleviation", "translation")],
    ),
]


@pytest.mark.parametrize(("what", "en", "result", "expected"), CASES, ids=[c[0] for c in CASES])
def test_term_pairs_record_what_the_translator_chose(
    tmp_path: Path, project_root: Path, what: str, en: str, result: list, expected: list
) -> None:
    tasks = standard_tasks()
    sentence = task("term-0", "doc0", ZH, [labelstudio_annotation(en, result, 900)], 900)
    sentence["terms"] = [t.to_dict() for t in TERMS]
    tasks.append(sentence)
    exported = export_with(make_config(tmp_path, project_root), tasks)
    pairs = [
        json.loads(line)
        for path in sorted((exported.path / "entities").glob("*.terms.jsonl"))
        for line in path.read_text("utf-8").splitlines()
    ]
    assert [(p["zh"], p["en"], p["source"]) for p in pairs] == expected, what
    for pair in pairs:
        assert pair["sentence_id"] == "term-0"
        glossary = {t.text: t for t in TERMS}[pair["zh"]]
        assert (pair["entry_id"], pair["glossary_en"]) == (glossary.entry_id, glossary.en)
    # Every pre-filled rendering that is neither confirmed nor replaced is counted.
    left_alone = [
        r for r in result if r["from_name"] == "rendering" and r["origin"] == "prediction"
    ]
    confirmed = {p["zh"] for p in pairs if p["source"] == "translation"}
    unconfirmed = [
        r for r in left_alone if ZH[r["value"]["start"] : r["value"]["end"]] not in confirmed
    ]
    assert exported.manifest["counts"]["terms_unconfirmed"] == len(unconfirmed)

"""Character-level BIO lines for Chinese NER."""

from __future__ import annotations

from pathlib import Path

from workbench.export.formats import FORMATS, WriterOptions
from workbench.export.formats.bio import bio_tags
from workbench.models import Entity, SentencePair


def bio_of(tmp_path: Path, zh: str, entities: list[Entity]) -> list[str]:
    writer = FORMATS["bio"](tmp_path, "train", WriterOptions())
    writer.write(SentencePair(id="s", doc_id="d", zh=zh, en="x", entities=entities))
    writer.close()
    return (tmp_path / "entities" / "train.bio").read_text("utf-8").split("\n")


def test_tags_begin_inside_and_outside(tmp_path: Path) -> None:
    lines = bio_of(tmp_path, "吉林省民政厅", [Entity(0, 3, "吉林省", "LOC")])
    assert lines == ["吉\tB-LOC", "林\tI-LOC", "省\tI-LOC", "民\tO", "政\tO", "厅\tO", "", ""]


def test_spaces_are_left_out_and_a_span_starting_on_one_still_begins(tmp_path: Path) -> None:
    lines = bio_of(tmp_path, "在 吉林 省", [Entity(1, 4, " 吉林", "LOC")])
    assert lines == ["在\tO", "吉\tB-LOC", "林\tI-LOC", "省\tO", "", ""]


def test_overlapping_spans_keep_the_first_longest() -> None:
    entities = [Entity(0, 3, "吉林省", "LOC"), Entity(0, 6, "吉林省民政厅", "ORG")]
    assert bio_tags("吉林省民政厅", entities) == ["B-ORG"] + ["I-ORG"] * 5

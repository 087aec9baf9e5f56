"""Score an alignment against a gold alignment: strict and lax bead precision, recall, F1.

The definitions are Vecalign's (Thompson & Koehn 2019, after Lambert et al.), which
Bertalign reports too, so our numbers sit beside the published ones:

- *strict*: a bead counts only if the gold has exactly the same bead;
- *lax*: a bead that is not exact still counts if one of its zh sentences and one of its en
  sentences belong to the same gold bead;
- precision is over the hypothesis beads, 1–0/0–1 included; recall is over the gold beads
  that have both sides (deletions cannot be recalled), scored the same way with the roles
  swapped. Counts are summed over documents before the ratios are taken.

``read_gold_folder`` reads every ``ID.zh.txt`` / ``ID.en.txt`` / ``ID.gold.jsonl`` triple
in a folder (``tests/data/align``), whatever IDs it holds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import InputError

Alignment = Sequence[tuple[Sequence[int], Sequence[int]]]


@dataclass
class GoldDocument:
    """One gold-aligned publication: its sentences and beads."""

    id: str
    zh: list[str]
    en: list[str]
    beads: list[tuple[list[int], list[int]]]


def _counts(gold: Alignment, test: Alignment) -> tuple[int, int, int, int]:
    """Return strict and lax true and false positives of ``test`` against ``gold``."""
    gold_set = {(tuple(z), tuple(e)) for z, e in gold if len(z) or len(e)}
    zh_to_en: dict[int, set[int]] = defaultdict(set)
    for z, e in gold_set:
        for i in z:
            zh_to_en[i].update(e)
    tp_strict = fp_strict = tp_lax = fp_lax = 0
    for z, e in {(tuple(z), tuple(e)) for z, e in test if len(z) or len(e)}:
        if (z, e) in gold_set:
            tp_strict += 1
            tp_lax += 1
            continue
        fp_strict += 1
        partners = set().union(*(zh_to_en[i] for i in z)) if z else set()
        if partners.intersection(e):
            tp_lax += 1
        else:
            fp_lax += 1
    return tp_strict, fp_strict, tp_lax, fp_lax


def _ratio(a: int, b: int) -> float:
    return a / (a + b) if a + b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_alignments(golds: Iterable[Alignment], tests: Iterable[Alignment]) -> dict[str, float]:
    """Strict and lax precision, recall and F1 summed over several documents."""
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold, test in zip(golds, tests, strict=True):
        for k, v in enumerate(_counts(gold, test)):
            p[k] += v
        both_gold = [(z, e) for z, e in gold if len(z) and len(e)]
        both_test = [(z, e) for z, e in test if len(z) and len(e)]
        for k, v in enumerate(_counts(both_test, both_gold)):
            r[k] += v
    result = {
        "precision_strict": _ratio(p[0], p[1]),
        "recall_strict": _ratio(r[0], r[1]),
        "precision_lax": _ratio(p[2], p[3]),
        "recall_lax": _ratio(r[2], r[3]),
    }
    result["f1_strict"] = _f1(result["precision_strict"], result["recall_strict"])
    result["f1_lax"] = _f1(result["precision_lax"], result["recall_lax"])
    return result


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def read_gold_document(folder: Path, doc_id: str) -> GoldDocument:
    """Read one gold triple; a bead that misses or repeats a line is an InputError."""
    folder = Path(folder)
    zh = _lines(folder / f"{doc_id}.zh.txt")
    en = _lines(folder / f"{doc_id}.en.txt")
    beads = []
    gold_path = folder / f"{doc_id}.gold.jsonl"
    for number, line in enumerate(_lines(gold_path), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            beads.append(([int(i) for i in record["zh"]], [int(j) for j in record["en"]]))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{gold_path}:{number}: not a bead ({exc})") from None
    for side, count, index in (("zh", len(zh), 0), ("en", len(en), 1)):
        covered = sorted(i for bead in beads for i in bead[index])
        if covered != list(range(count)):
            raise InputError(
                f"{gold_path}: the beads do not cover each of the {count} {side} lines exactly once"
            )
    return GoldDocument(doc_id, zh, en, beads)


# Gold IDs whose text files are raw paragraphs rather than one sentence per line (the
# excerpt ``workbench align`` is tested on): their beads index our segmenter's output.
RAW_TEXT_IDS = ("excerpt",)


def read_gold_folder(folder: Path, skip: tuple[str, ...] = RAW_TEXT_IDS) -> list[GoldDocument]:
    """Read every sentence-per-line gold document in ``folder`` (IDs sorted)."""
    ids = sorted(p.name[: -len(".gold.jsonl")] for p in Path(folder).glob("*.gold.jsonl"))
    return [
        read_gold_document(folder, doc_id)
        for doc_id in ids
        if doc_id not in skip
        and (Path(folder) / f"{doc_id}.zh.txt").is_file()
        and (Path(folder) / f"{doc_id}.en.txt").is_file()
    ]

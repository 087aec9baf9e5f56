"""What the typed snapshot records cost: read_snapshot (SnapshotTask) vs plain JSON dicts.

Writes one synthetic snapshot (``--tasks`` tasks, two annotations and two glossary terms
each, the shape ``workbench pull`` writes), then reads it back twice in the same process,
alternating: as ``SnapshotTask`` records (key check, nested records) and as the dicts
``json.loads`` gives, which is what readers had before the records were typed. Prints CPU
seconds per read, tasks per second and the ratio.

Usage: ``.venv/bin/python benchmarks/snapshot_records.py [--tasks 100000] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.snapshot import read_snapshot, write_snapshot  # noqa: E402


def synthetic_tasks(n: int) -> Iterator[dict[str, Any]]:
    """Yield task records shaped like a real pull (terms, two annotations, raw result)."""
    for i in range(n):
        text = f"坚持精准扶贫方略，第{i}条实现两不愁三保障。"
        terms = [
            {"start": 2, "end": 6, "text": "精准扶贫", "entry_id": "pov-001", "zh": "精准扶贫",
             "en": "targeted poverty alleviation"},
            {"start": 14, "end": 20, "text": "两不愁三保障", "entry_id": "pov-003",
             "zh": "两不愁三保障", "en": "two assurances and three guarantees"},
        ]  # fmt: skip
        annotations = [
            {
                "id": 2 * i + k,
                "annotator": f"a{k}@example.org",
                "role": "annotator",
                "created_at": "2026-01-01T00:00:00Z",
                "updated_at": f"2026-01-0{k + 1}T00:00:00Z",
                "lead_time": 12.5,
                "was_cancelled": False,
                "ground_truth": False,
                "translation": f"Adhere to targeted poverty alleviation, item {i}.",
                "status": "final",
                "segmentation": "ok",
                "entities": [
                    {
                        "start": 2,
                        "end": 6,
                        "text": "精准扶贫",
                        "label": "POLICY_TERM",
                        "rendering": "targeted poverty alleviation",
                    }
                ],
                "result": [
                    {
                        "from_name": "translation",
                        "to_name": "text",
                        "type": "textarea",
                        "value": {"text": ["Adhere to targeted poverty alleviation."]},
                    }
                ],
                "translation_from_tm": None,
            }
            for k in range(2)
        ]
        yield {
            "task_id": i + 1,
            "sentence_id": f"doc-{i // 50}-p0-s{i % 50}",
            "doc_id": f"doc-{i // 50}",
            "doc_title": "关于推进乡村振兴的意见",
            "speaker": None,
            "text": text,
            "terms": terms,
            "annotations": annotations,
            "tm_match": None,
            "tm_propagated": None,
        }


def read_dicts(path: Path) -> int:
    """Read the tasks as plain dicts (the alternative: what readers did before)."""
    count = 0
    with open(path / "tasks.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                json.loads(line)
                count += 1
    return count


def read_records(path: Path) -> int:
    """Read the tasks as SnapshotTask records."""
    return sum(1 for _ in read_snapshot(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_snapshot(Path(tmp), synthetic_tasks(args.tasks), {"project_id": 1})
        best = {"dicts": float("inf"), "records": float("inf")}
        for _ in range(args.rounds):
            for name, reader in (("dicts", read_dicts), ("records", read_records)):
                started = time.process_time()
                assert reader(path) == args.tasks
                best[name] = min(best[name], time.process_time() - started)
    for name, seconds in best.items():
        print(f"{name:8} {seconds:7.3f} CPU s  {args.tasks / seconds:10,.0f} tasks/s")
    print(f"typed records cost {best['records'] / best['dicts']:.2f}x the plain-dict read")


if __name__ == "__main__":
    main()

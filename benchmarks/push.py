"""Benchmark: workbench's batched push vs one ``tasks.create`` request per task.

Starts its own Label Studio on a free port with its data in a temporary folder, pushes
10,000 synthetic sentence tasks (with glossary predictions) through ``push_tasks``
(``projects.import_tasks`` in batches of ``[labelstudio] batch_size``), then creates a
sample of tasks one request each with ``tasks.create`` (data only, no prediction: the
cheaper alternative) in a second project, and prints tasks/s for both and the ratio. It
also times a second, idempotent push of the same 10,000 (what re-running costs).

Run: ``.venv/bin/python benchmarks/push.py [--tasks 10000] [--sample 200]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from workbench.config import load_config, with_overrides
from workbench.labelstudio.client import make_client
from workbench.labelstudio.project import ensure_project
from workbench.labelstudio.server import free_port
from workbench.labelstudio.sync import push_tasks
from workbench.labelstudio.tasks import build_tasks
from workbench.models import Document, Sentence, TermMatch
from workbench.workspace import start_labelstudio, stop_labelstudio_process

# (sentence with a {n} slot, the glossary term in it, its approved English)
TEMPLATES = [
    ("到{n}年，稳定实现农村贫困人口两不愁三保障。", "两不愁三保障", "two assurances"),
    ("第{n}条：坚持精准扶贫、精准脱贫基本方略。", "精准扶贫", "targeted poverty alleviation"),
    ("全面推进乡村振兴，第{n}项任务要落实到户。", "乡村振兴", "rural revitalization"),
    ("各地要压实责任，完成第{n}批易地扶贫搬迁。", "易地扶贫搬迁", "relocation"),
]


def synthetic_sentences(count: int, per_document: int = 50) -> list[Sentence]:
    """Return ``count`` distinct sentences with one glossary match each."""
    sentences = []
    for number in range(count):
        template, term, english = TEMPLATES[number % len(TEMPLATES)]
        text = template.format(n=number)
        start = text.index(term)
        doc_id = f"bench{number // per_document:04d}"
        sentences.append(
            Sentence(
                id=f"{doc_id}:{number:06d}",
                doc_id=doc_id,
                paragraph=number % per_document,
                index=0,
                text=text,
                source_text=text,
                start=0,
                end=len(text),
                terms=[TermMatch(start, start + len(term), term, "bench", term, english)],
            )
        )
    return sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-push-") as tmp:
        work_dir = Path(tmp)
        config = load_config(
            overrides={
                "paths": {"work_dir": str(work_dir)},
                "labelstudio": {"url": "", "host": "127.0.0.1", "port": free_port()},
            }
        )
        print("starting Label Studio ...", flush=True)
        handle = start_labelstudio(config, echo=lambda _m: None)
        try:
            run(config, make_client(handle.url, handle.credentials.token), args)
        finally:
            if handle.process is not None:
                stop_labelstudio_process(work_dir, handle.process)


def run(config, client, args) -> None:
    batch_size = int(config.labelstudio.batch_size)
    documents = {
        f"bench{i:04d}": Document(
            id=f"bench{i:04d}",
            source_path="synthetic",
            sha256="",
            encoding="utf-8",
            original="",
            title=f"合成文件 {i}",
        )
        for i in range(args.tasks // 50 + 1)
    }
    payloads = list(build_tasks(iter(synthetic_sentences(args.tasks)), documents, "glossary-bench"))

    config = with_overrides(config, labelstudio={"project_title": "bench batched push"})
    project = ensure_project(client, config, "glossary-bench")
    started = time.perf_counter()
    report = push_tasks(client, project, payloads, "glossary-bench", batch_size)
    batched_seconds = time.perf_counter() - started
    batched_rate = report.added / batched_seconds

    started = time.perf_counter()
    again = push_tasks(client, project, payloads, "glossary-bench", batch_size)
    repeat_seconds = time.perf_counter() - started
    assert again.added == 0 and again.unchanged == args.tasks, again

    config = with_overrides(config, labelstudio={"project_title": "bench one request per task"})
    single = ensure_project(client, config, "glossary-bench")
    sample = payloads[: args.sample]
    started = time.perf_counter()
    for payload in sample:
        client.tasks.create(project=single.id, data=payload.data)
    single_seconds = time.perf_counter() - started
    single_rate = len(sample) / single_seconds

    print(
        f"batched push (import_tasks, batch {batch_size}, with predictions): "
        f"{report.added} tasks in {batched_seconds:.1f} s = {batched_rate:.0f} tasks/s, "
        f"{report.requests} import requests"
    )
    print(
        f"one tasks.create per task (data only): {len(sample)} tasks in {single_seconds:.1f} s "
        f"= {single_rate:.1f} tasks/s ({len(sample)} requests)"
    )
    print(f"ratio batched / per-task: {batched_rate / single_rate:.1f}x")
    print(
        f"second push of the same {args.tasks} (idempotent, nothing sent): {repeat_seconds:.1f} s"
    )


if __name__ == "__main__":
    main()

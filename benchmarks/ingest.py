"""Benchmark: ingest end to end, per core, on the seeds' mix (issue 15: ≥ 15 MB/s).

Run from the repository root:  .venv/bin/python benchmarks/ingest.py [--mb 4] [--rounds 3]

The five seeds, as raw bytes, are streamed round-robin until ``--mb`` megabytes have gone
through, one document at a time, in one process. Measured, each in CPU seconds of this
process (best of ``--rounds`` interleaved rounds, median beside it: the machine is shared,
its speed drifts by a third within minutes, and wall time would measure the neighbours as
much as the code; many short rounds find the code's own speed more surely than a few long
ones):

- floor: decoding the bytes (what any ingester pays before doing anything);
- ingest: ``Ingester.read_bytes`` — decode, clean, normalise (OpenCC, punctuation,
  widths, whitespace), structure, segment, sentence ids. This is the 15 MB/s target;
- + tag: the glossary's matches for the document's sentences (``tag_sentences``, one
  bulk scan; ``Matcher.find`` per sentence on a checkout that predates it);
- + JSON: the document and its sentences serialised as ``write_corpus`` writes them
  (to memory: the disk is not what is measured).

Rates are MB of input (UTF-8 bytes) per CPU second. Seconds on a shared machine drift;
instruction counts do not. ``--instructions N`` runs only ``read_bytes`` over the seeds
N times between callgrind's start and stop marks, for a count that repeats exactly:

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/dev/null \
        .venv/bin/python benchmarks/ingest.py --instructions 4

("Collected" is the count; divide by N × the seeds' size for instructions per MB).
``--stages N`` counts the stages apart, each over the seeds N times, with one callgrind
dump per stage named after it (decode, document digest, cleaning with its
normalisation, normalisation alone, structure + segmentation + ids, segmentation alone,
and structure + ids with the segmenter's answers handed back from a table):

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=cg.%p \
        .venv/bin/python benchmarks/ingest.py --stages 4
    grep -H -e "^desc: Trigger" -e "^totals" cg.*

The script runs unchanged in an older checkout (copy it into that checkout's
``benchmarks/``), which is how the "before" numbers in docs/ingest.md were taken.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.config import load_config  # noqa: E402
from workbench.fileio import write_jsonl  # noqa: E402
from workbench.glossary import load_glossary  # noqa: E402
from workbench.ingest.decode import decode_bytes  # noqa: E402
from workbench.ingest.pipeline import Ingester  # noqa: E402

try:
    from workbench.glossary import tag as _tag_module

    tag_sentences: Callable[..., None] | None = _tag_module.tag_sentences
except AttributeError:  # an older checkout: tag one sentence at a time
    tag_sentences = None

MB = 1_000_000


def stream(seeds: list[bytes], megabytes: float) -> Iterator[bytes]:
    """Yield the seeds round-robin until ``megabytes`` of input have gone out."""
    sent = 0
    while sent < megabytes * MB:
        for data in seeds:
            yield data
            sent += len(data)
            if sent >= megabytes * MB:
                return


def count_instructions(passes: int) -> None:
    """Run ``read_bytes`` ``passes`` times over the seeds with callgrind counting only that."""
    import os
    import subprocess

    ingester = Ingester(load_config(root=ROOT))
    seeds = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for data in seeds:  # warm up outside the count
        ingester.read_bytes(data, "seed.txt", "seed")
    control = ["callgrind_control", "-i"]
    subprocess.run([*control, "on", str(os.getpid())], check=True, capture_output=True)
    for _ in range(passes):
        for data in seeds:
            ingester.read_bytes(data, "seed.txt", "seed")
    subprocess.run([*control, "off", str(os.getpid())], check=True, capture_output=True)
    size = sum(len(data) for data in seeds) * passes
    print(f"counted {passes} pass(es) over the seeds, {size / MB:.3f} MB of input")


def count_stages(passes: int) -> None:
    """Count each stage of ``read_bytes`` apart under callgrind: one dump per stage."""
    import hashlib
    import itertools
    import os
    import subprocess

    from workbench.ingest.clean import _line_spans, clean_text
    from workbench.models import Document, Sentence
    from workbench.text.normalize import normalize_lines

    ingester = Ingester(load_config(root=ROOT))
    opencc_config = ingester.opencc_config
    seeds = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts = [decode_bytes(data, "seed.txt").text for data in seeds]
    lines = [[stripped for _a, _b, stripped in _line_spans(text)] for text in texts]
    cleaned = [clean_text(text, ingester.cleaning, opencc_config) for text in texts]
    bodies: list[list[str]] = []  # what sentences_of hands the segmenter, per document
    split_lines = ingester.segmenter.split_lines

    def keep(paragraphs: list[str]) -> list[list[tuple[int, int]]]:
        bodies.append(list(paragraphs))
        return split_lines(paragraphs)

    ingester.segmenter.split_lines = keep  # type: ignore[method-assign]

    def document(text: str) -> Document:
        return Document(
            id="seed", source_path="seed.txt", sha256="", encoding="utf-8", original=text
        )

    for text, clean in zip(texts, cleaned, strict=True):
        ingester.sentences_of(document(text), clean.lines)
    ingester.segmenter.split_lines = split_lines  # type: ignore[method-assign]
    # The segmenter's answers, handed back in call order: what sentences_of costs
    # besides segmentation (structure, offsets, ids, Sentence objects).
    answers = itertools.cycle([split_lines(b) for b in bodies])

    def answer(paragraphs: list[str]) -> list[list[tuple[int, int]]]:
        return next(answers)

    def unsplit() -> list[list[Sentence]]:
        ingester.segmenter.split_lines = answer  # type: ignore[method-assign]
        try:
            return [
                ingester.sentences_of(document(t), c.lines)
                for t, c in zip(texts, cleaned, strict=True)
            ]
        finally:
            ingester.segmenter.split_lines = split_lines  # type: ignore[method-assign]

    stages: list[tuple[str, Callable[[], object]]] = [
        ("read_bytes", lambda: [ingester.read_bytes(d, "seed.txt", "seed") for d in seeds]),
        ("decode", lambda: [decode_bytes(d, "seed.txt") for d in seeds]),
        ("document-sha256", lambda: [hashlib.sha256(d).hexdigest() for d in seeds]),
        ("clean", lambda: [clean_text(t, ingester.cleaning, opencc_config) for t in texts]),
        ("normalize", lambda: [normalize_lines(ls, opencc_config) for ls in lines]),
        (
            "sentences_of",
            lambda: [
                ingester.sentences_of(document(t), c.lines)
                for t, c in zip(texts, cleaned, strict=True)
            ],
        ),
        ("split", lambda: [split_lines(b) for b in bodies]),
        ("sentences_of-unsplit", unsplit),
    ]
    pid = str(os.getpid())
    for name, run in stages:
        run()  # warm up outside the count
        subprocess.run(["callgrind_control", "-i", "on", pid], check=True, capture_output=True)
        for _ in range(passes):
            run()
        subprocess.run(["callgrind_control", "-i", "off", pid], check=True, capture_output=True)
        subprocess.run(["callgrind_control", "-d", name, pid], check=True, capture_output=True)
    size = sum(len(data) for data in seeds) * passes
    print(f"counted {len(stages)} stages, {passes} pass(es) each, {size / MB:.3f} MB of input")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="input per round (default 2)")
    parser.add_argument("--rounds", type=int, default=9, help="rounds (default 9); the best counts")
    parser.add_argument(
        "--instructions",
        type=int,
        metavar="N",
        help="run read_bytes N times over the seeds, marked for callgrind, and stop",
    )
    parser.add_argument(
        "--stages",
        type=int,
        metavar="N",
        help="count each stage apart, N passes over the seeds, one callgrind dump per stage",
    )
    args = parser.parse_args()
    if args.instructions:
        count_instructions(args.instructions)
        return
    if args.stages:
        count_stages(args.stages)
        return

    config = load_config(root=ROOT)
    ingester = Ingester(config)
    matcher = load_glossary(config=config).matcher()
    seeds = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    size = sum(len(data) for data in stream(seeds, args.mb)) / MB

    def decode(data: bytes) -> None:
        decode_bytes(data, "seed.txt")

    def ingest(data: bytes) -> None:
        ingester.read_bytes(data, "seed.txt", "seed")

    def ingest_tag(data: bytes) -> None:
        _document, sentences = ingester.read_bytes(data, "seed.txt", "seed")
        if tag_sentences is not None:
            tag_sentences(matcher, sentences)
        else:
            for sentence in sentences:
                sentence.terms = matcher.find(sentence.text)

    def ingest_tag_json(data: bytes) -> None:
        document, sentences = ingester.read_bytes(data, "seed.txt", "seed")
        if tag_sentences is not None:
            tag_sentences(matcher, sentences)
        else:
            for sentence in sentences:
                sentence.terms = matcher.find(sentence.text)
        out = io.StringIO()
        write_jsonl(out, (s.to_dict() for s in sentences))
        write_jsonl(out, [document.to_dict()])

    methods: list[tuple[str, Callable[[bytes], None]]] = [
        ("floor: decode the bytes", decode),
        ("ingest (read_bytes)", ingest),
        ("ingest + tag", ingest_tag),
        ("ingest + tag + JSON lines", ingest_tag_json),
    ]
    for _name, run in methods:  # warm up: converters, rules and the automaton are built
        run(seeds[0])
    times: dict[str, list[float]] = {name: [] for name, _ in methods}
    for _ in range(args.rounds):
        for name, run in methods:
            start = time.process_time()
            for data in stream(seeds, args.mb):
                run(data)
            times[name].append(time.process_time() - start)
    best = {name: min(spent) for name, spent in times.items()}
    median = {name: statistics.median(spent) for name, spent in times.items()}

    print(
        f"input: the {len(seeds)} seeds round-robin, {size:.2f} MB; "
        f"glossary {len(matcher.entries):,} concepts; "
        f"bulk tagging: {'no (find per sentence)' if tag_sentences is None else 'yes'}"
    )
    print(f"{'stage':<30}{'MB/s per core':>15}{'median':>9}{'CPU s':>9}")
    for name, _ in methods:
        print(f"{name:<30}{size / best[name]:>15.2f}{size / median[name]:>9.2f}{best[name]:>9.2f}")
    rate = size / best["ingest (read_bytes)"]
    verdict = "meets" if rate >= 15 else "MISSES"
    print(f"ingest: {rate:.2f} MB/s per core ({verdict} the 15 MB/s target)")


if __name__ == "__main__":
    main()

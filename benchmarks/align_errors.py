"""List the dev beads the aligner still gets wrong, with the glossary on and off.

Run from the repository root:
    .venv/bin/python benchmarks/align_errors.py --cache-dir .cache      # errors, both runs
    .venv/bin/python benchmarks/align_errors.py --save before.json       # keep the beads
    .venv/bin/python benchmarks/align_errors.py --compare before.json    # after a change

``benchmarks/align.py --encoders use --dev-only`` prints the dev figures; this script
shows what is behind them so that errors can be sorted into classes, and says what a
change to the code moved. It aligns every dev document (``tests/data/align-dev``; never
the held-out ``tests/data/align``) twice, as the benchmark does: with the glossary
without the document's own publication's rows (``fair_dev_glossaries``) and without the
glossary. Vectors are kept by text (``align_fit.CachedEncoder``; on disk with
``--cache-dir``), so after the first run a pass over the dev set costs only the
search, a few seconds.

It prints:

1. strict F1 per fold and over the dev set, glossary on and off;
2. each document's *error stretches*: a wrong bead and the gold beads it overlaps,
   joined while they share a sentence, printed gold beside ours (``--show errors``);
3. the beads the glossary wins and loses: gold beads found with it and not without,
   and the reverse, with the anchor terms of their sentences (``--show glossary``);
4. with ``--compare FILE`` (beads saved by ``--save`` from an earlier code), per fold
   the figures before and after and every document whose exactly right beads changed:
   a change is kept only if it raises a fold and no document of either fold loses,
   with the glossary on and off.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import json
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.align.aligner import Aligner, AlignerSettings  # noqa: E402
from workbench.align.evaluate import GoldDocument, read_gold_folder, score_alignments  # noqa: E402
from workbench.align.names import term_anchors  # noqa: E402
from workbench.glossary import load_glossary  # noqa: E402


def _sibling(name: str) -> Any:
    """Import another script of ``benchmarks/`` (not a package) by its file."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


Beads = list[tuple[list[int], list[int]]]
RUNS = ("on", "off")  # glossary on (own publication left out), glossary off


def bead_key(bead: tuple[Sequence[int], Sequence[int]]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(bead[0]), tuple(bead[1])


def right_beads(gold: Beads, found: Beads) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The beads of ``found`` exactly in the gold (strict)."""
    return {bead_key(b) for b in gold} & {bead_key(b) for b in found}


def error_stretches(gold: Beads, found: Beads) -> list[tuple[Beads, Beads]]:
    """The wrong beads of ``found`` with the gold beads they overlap, grouped: a gold bead
    and a found bead sharing a zh or en sentence are in one stretch, transitively. Each
    stretch is (gold beads, found beads), in document order."""
    right = right_beads(gold, found)
    wrong_gold = [b for b in gold if bead_key(b) not in right]
    wrong_found = [b for b in found if bead_key(b) not in right]
    items = [("g", b) for b in wrong_gold] + [("f", b) for b in wrong_found]
    parent = list(range(len(items)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    owner: dict[tuple[str, int], int] = {}
    for k, (_, (zh, en)) in enumerate(items):
        for key in [("zh", i) for i in zh] + [("en", j) for j in en]:
            if key in owner:
                parent[root(k)] = root(owner[key])
            else:
                owner[key] = k
    groups: dict[int, tuple[Beads, Beads]] = {}
    for k, (kind, bead) in enumerate(items):
        group = groups.setdefault(root(k), ([], []))
        (group[0] if kind == "g" else group[1]).append(bead)

    def first(bead: tuple[Sequence[int], Sequence[int]]) -> tuple[int, int]:
        return (min(bead[0], default=10**9), min(bead[1], default=10**9))

    stretches = [(sorted(g, key=first), sorted(f, key=first)) for g, f in groups.values()]
    return sorted(stretches, key=lambda s: min(first(b) for b in s[0] + s[1]))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def describe(doc: GoldDocument, bead: tuple[Sequence[int], Sequence[int]], width: int) -> str:
    """One bead as ``zh ids–en ids  zh text ‖ en text`` (texts clipped)."""
    zh = "".join(doc.zh[i] for i in bead[0])
    en = " ".join(doc.en[j] for j in bead[1])
    shape = f"{list(bead[0])}–{list(bead[1])}"
    return f"{shape:<16} {_clip(zh, width // 2)} ‖ {_clip(en, width)}"


class Harness:
    """The dev set aligned twice (glossary on, fair; glossary off) with cached vectors."""

    def __init__(self, dev: Path, cache_dir: Path | None) -> None:
        bench = _sibling("align")
        fit = _sibling("align_fit")
        self.docs = read_gold_folder(dev)
        self.folds: dict[str, list[GoldDocument]] = bench.read_folds(dev, self.docs)
        glossary = load_glossary(ROOT / "glossary")
        glossaries, _ = bench.fair_dev_glossaries(
            glossary, dev / "README.md", [d.id for d in self.docs]
        )
        self.glossaries = glossaries
        cache_file = None
        if cache_dir is not None:
            digest = hashlib.sha256(b"use").hexdigest()[:8]
            cache_file = cache_dir / f"align-fit-use-{digest}.npz"  # shared with align_fit
        first = Aligner(AlignerSettings(encoder="use", use_glossary=False))
        assert first.encoder is not None
        self.encoder = fit.CachedEncoder(first.encoder.encode, cache_file)
        first.encoder = self.encoder
        self.aligners: dict[str, dict[str, Aligner]] = {
            "on": bench.per_document(AlignerSettings(encoder="use"), glossaries),
            "off": {d.id: first for d in self.docs},
        }
        for aligner in self.aligners["on"].values():
            aligner.encoder = self.encoder
        self.applied = fit.applied

    @contextlib.contextmanager
    def values(self, values: Mapping[str, float]) -> Iterator[None]:
        """Every aligner under the given constants (``align_fit.applied``)."""
        with contextlib.ExitStack() as stack:
            seen: set[int] = set()
            for by_doc in self.aligners.values():
                for aligner in by_doc.values():
                    if id(aligner) not in seen:
                        seen.add(id(aligner))
                        stack.enter_context(self.applied(aligner, values))
            yield

    def run(self, values: Mapping[str, float]) -> dict[str, dict[str, Beads]]:
        """Beads per run and document."""
        found: dict[str, dict[str, Beads]] = {run: {} for run in RUNS}
        with self.values(values):
            for run in RUNS:
                for doc in self.docs:
                    beads = self.aligners[run][doc.id].align(doc.zh, doc.en)
                    found[run][doc.id] = [(b.zh_sentences, b.en_sentences) for b in beads]
        self.encoder.save()
        return found

    def anchors(self, doc: GoldDocument) -> tuple[list[set[str]], list[set[str]]]:
        """The glossary anchor terms of each zh and en sentence, as the aligner sees them
        (``term_anchors`` over the document's fair glossary)."""
        terms = self.aligners["on"][doc.id].terms
        assert terms is not None
        zh_terms = terms.zh_terms(doc.zh)
        wanted = set().union(*zh_terms) if zh_terms else set()
        en_terms = terms.en_terms(doc.en, wanted)
        zh_keys, en_keys, _ = term_anchors(
            zh_terms,
            en_terms,
            {i: e.level for i, e in terms.entries.items()},
            {i: e.zh_forms for i, e in terms.entries.items()},
            searched=terms.searched(wanted),
        )
        return zh_keys, en_keys

    def term_label(self, doc: GoldDocument, entry_id: str) -> str:
        entry = self.aligners["on"][doc.id].terms.entries[entry_id]  # type: ignore[union-attr]
        return f"{entry.zh}/{entry.en} ({entry.level})"


def fold_table(harness: Harness, found: Mapping[str, Mapping[str, Beads]]) -> dict[str, float]:
    """Strict F1 per run and part (``on A``, ``off all`` …)."""
    parts = {**{f: docs for f, docs in harness.folds.items()}, "all": harness.docs}
    return {
        f"{run} {part}": score_alignments(
            [d.beads for d in docs], [found[run][d.id] for d in docs]
        )["f1_strict"]
        for run in RUNS
        for part, docs in parts.items()
    }


def print_table(label: str, table: Mapping[str, float], parts: Sequence[str]) -> None:
    for run in RUNS:
        cells = "  ".join(f"{part} {table[f'{run} {part}']:.4f}" for part in parts)
        print(f"{label:<8} glossary {run:<3}  {cells}")


def fold_of(harness: Harness) -> dict[str, str]:
    return {d.id: fold for fold, docs in harness.folds.items() for d in docs}


def show_errors(harness: Harness, found: Mapping[str, Beads], width: int, only: set[str]) -> None:
    """Every error stretch of every document, gold beside ours."""
    folds = fold_of(harness)
    total = 0
    for doc in harness.docs:
        if only and doc.id not in only:
            continue
        stretches = error_stretches(doc.beads, found[doc.id])
        if not stretches:
            continue
        f1 = score_alignments([doc.beads], [found[doc.id]])["f1_strict"]
        print(f"\n{doc.id} (fold {folds.get(doc.id, '?')}, strict F1 {f1:.3f})")
        for gold, ours in stretches:
            total += 1
            for bead in gold:
                print("  gold " + describe(doc, bead, width))
            for bead in ours:
                print("  ours " + describe(doc, bead, width))
            print()
    print(f"{total} error stretches")


def show_glossary(
    harness: Harness, found: Mapping[str, Mapping[str, Beads]], width: int, only: set[str]
) -> None:
    """Gold beads found with the glossary and not without (wins), and the reverse
    (losses), with the anchor terms of each sentence involved."""
    for doc in harness.docs:
        if only and doc.id not in only:
            continue
        on = right_beads(doc.beads, found["on"][doc.id])
        off = right_beads(doc.beads, found["off"][doc.id])
        if on == off:
            continue
        zh_keys, en_keys = harness.anchors(doc)
        print(f"\n{doc.id}: {len(on - off)} won, {len(off - on)} lost with the glossary")
        for label, beads in (("won ", on - off), ("lost", off - on)):
            for bead in sorted(beads):
                print(f"  {label} " + describe(doc, bead, width))
        changed = on ^ off
        sentences = sorted(
            {("zh", i) for s in changed for i in s[0]} | {("en", j) for s in changed for j in s[1]}
        )
        for stretch in error_stretches(doc.beads, found["on"][doc.id]) + error_stretches(
            doc.beads, found["off"][doc.id]
        ):
            for bead in stretch[1]:
                sentences += [("zh", i) for i in bead[0]] + [("en", j) for j in bead[1]]
        for side, index in sorted(set(sentences)):
            keys = (zh_keys if side == "zh" else en_keys)[index]
            if keys:
                terms = "; ".join(harness.term_label(doc, k) for k in sorted(keys))
                print(f"    {side} {index}: {terms}")
        for run in RUNS:
            wrong = [
                b for b in found[run][doc.id] if bead_key(b) not in right_beads(doc.beads, [b])
            ]
            for bead in wrong:
                print(f"    wrong ({run}) " + describe(doc, bead, width))


def compare(
    harness: Harness,
    before: Mapping[str, Mapping[str, Beads]],
    after: Mapping[str, Mapping[str, Beads]],
) -> bool:
    """Print the fold figures before and after and each document whose count of exactly
    right beads changed; True if no document of either fold lost with the glossary on or
    off."""
    parts = [*harness.folds, "all"]
    print_table("before", fold_table(harness, before), parts)
    print_table("after", fold_table(harness, after), parts)
    folds = fold_of(harness)
    safe = True
    for run in RUNS:
        for doc in harness.docs:
            if doc.id not in before[run]:
                continue
            old = len(right_beads(doc.beads, before[run][doc.id]))
            new = len(right_beads(doc.beads, after[run][doc.id]))
            # Compared as bead keys: beads read back from JSON are lists, ours tuples.
            if [bead_key(b) for b in before[run][doc.id]] != [
                bead_key(b) for b in after[run][doc.id]
            ]:
                print(
                    f"  glossary {run}: {doc.id} (fold {folds.get(doc.id, '?')}) "
                    f"{new - old:+d} right beads ({old} → {new})"
                )
            safe &= new >= old
    print("no document lost a bead" if safe else "SOME DOCUMENT LOST A BEAD")
    return safe


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", type=Path, default=ROOT / "tests" / "data" / "align-dev")
    parser.add_argument("--cache-dir", type=Path, default=None, help="keep vectors here")
    parser.add_argument(
        "--show",
        default="errors,glossary",
        help="comma-separated: errors (stretches, glossary on and off), glossary (wins and "
        "losses), none",
    )
    parser.add_argument("--docs", default="", help="comma-separated ids to print (default all)")
    parser.add_argument("--width", type=int, default=110, help="characters of en text shown")
    parser.add_argument("--save", type=Path, default=None, help="write the beads here (JSON)")
    parser.add_argument("--compare", type=Path, default=None, help="beads saved by --save")
    parser.add_argument(
        "--try",
        dest="given",
        default="",
        help="constants to patch in, as align_fit --try: skip=1.0,terms=0.4",
    )
    args = parser.parse_args()
    if args.dev.resolve() == (ROOT / "tests" / "data" / "align").resolve():
        sys.exit("the held-out gold set is never used for tuning: give a dev folder")
    began = time.perf_counter()
    harness = Harness(args.dev, args.cache_dir)
    values: dict[str, float] = {}
    for item in filter(None, (s.strip() for s in args.given.split(","))):
        name, _, value = item.partition("=")
        values[name.strip()] = float(value)
    found = harness.run(values)
    print(
        f"dev: {len(harness.docs)} documents; {harness.encoder.encoded} texts encoded; "
        f"{time.perf_counter() - began:.1f} s"
    )
    parts = [*harness.folds, "all"]
    print_table("strict", fold_table(harness, found), parts)
    only = {d.strip() for d in args.docs.split(",") if d.strip()}
    shows = {s.strip() for s in args.show.split(",")}
    if "errors" in shows:
        for run in RUNS:
            print(f"\n=== error stretches, glossary {run} ===")
            show_errors(harness, found[run], args.width, only)
    if "glossary" in shows:
        print("\n=== beads the glossary wins and loses ===")
        show_glossary(harness, found, args.width, only)
    if args.save is not None:
        args.save.write_text(json.dumps(found), encoding="utf-8")
    if args.compare is not None:
        print("\n=== compared with " + args.compare.name + " ===")
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        compare(harness, before, found)


if __name__ == "__main__":
    main()

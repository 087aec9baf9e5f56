"""Benchmark: indexed fuzzy TM lookup vs brute-force rapidfuzz over every segment.

Run from the repository root:  .venv/bin/python benchmarks/tm.py  [--segments 1000000]

Corpus: ``--segments`` Chinese sentences generated from the seed texts. Words (two to four
characters drawn by the seeds' character frequencies, plus the seeds' own clauses) are
picked with a Zipf law, as in real text, so some bigrams are very common and most are
rare; a fifth of the sentences are variants of formulaic seed clauses (the repeats a TM
is for), and some carry numbers. Every sentence gets a fake English side.

Steps, all in one run on the same data:

1. Import into a fresh TM, two ways on the same sentences, each in a child process of
   its own so each reports its own peak memory: the bulk path (``add_columns``: columns in,
   no object per pair) and the object path (``add_pairs`` of one ``TmPair`` each, which
   also hashes and normalises per pair on creation). Both include normalising, hashing,
   the SQLite insert and the bigram index. Printed: segments per second (wall clock, and
   per CPU second of the process: the machine is shared), the ratio of the two, peak
   resident memory, file size.
2. Lookup of ``--queries`` new sentences (half are edits of stored ones — characters
   changed, a word swapped, a number changed —, a quarter formulaic variants, a quarter
   fresh): p50/p99/mean latency of ``FuzzyMatcher.lookup`` (limit 5, ``--min-score``),
   one matcher for all (as the ML backend and push keep one), the mean CPU time too.
3. Brute force on the first ``--brute`` queries: ``rapidfuzz.process.extract`` with the
   same scorer and cutoff over all normalised segments held in memory (the fastest
   honest scan); the ratio of mean times (wall clock and CPU time; the indexed side's
   first queries, whose index cache is the coldest), and top-match recall: the share of queries with
   a brute-force match whose best score the index also finds (ties count as found).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.tm.fuzzy import FuzzyMatcher  # noqa: E402
from workbench.tm.store import (  # noqa: E402
    PairColumns,
    TmPair,
    TranslationMemory,
    normalise_zh,
)

_CLAUSE_BREAKS = "，。；：！？、,.;:!?\n "


def seed_material() -> tuple[list[str], np.ndarray, list[str]]:
    """Characters with frequencies, and clauses, from the seed texts."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    counts = Counter(c for c in text if "\u4e00" <= c <= "\u9fff")
    chars = sorted(counts)
    weights = np.array([counts[c] for c in chars], dtype=np.float64)
    clauses: list[str] = []
    current: list[str] = []
    for char in text:
        if char in _CLAUSE_BREAKS:
            if len(current) >= 6:
                clauses.append("".join(current))
            current = []
        elif "\u4e00" <= char <= "\u9fff" or char.isdigit():
            current.append(char)
    return chars, weights / weights.sum(), sorted(set(clauses))


class Generator:
    """Sentences with Zipf-distributed words, formulaic clauses and numbers."""

    def __init__(self, seed: int = 11, words: int = 60_000) -> None:
        self.rng = np.random.default_rng(seed)
        chars, weights, self.clauses = seed_material()
        lengths = self.rng.choice([2, 2, 2, 3, 4], size=words)
        picks = self.rng.choice(len(chars), size=int(lengths.sum()), p=weights)
        self.words, at = [], 0
        for length in lengths:
            self.words.append("".join(chars[i] for i in picks[at : at + length]))
            at += length
        ranks = np.arange(1, words + 1, dtype=np.float64)
        self.word_p = (1 / ranks) / (1 / ranks).sum()

    def sentences(self, count: int) -> list[str]:
        rng = self.rng
        sizes = rng.integers(6, 16, size=count)
        picks = rng.choice(len(self.words), size=int(sizes.sum()), p=self.word_p)
        formulaic = rng.random(count) < 0.2
        numbered = rng.random(count) < 0.3
        out, at = [], 0
        for i, size in enumerate(sizes):
            words = [self.words[j] for j in picks[at : at + size]]
            at += size
            if formulaic[i]:
                clause = self.clauses[rng.integers(len(self.clauses))]
                words = [clause, "，", *words[: size // 2]]
            if numbered[i]:
                words.insert(int(rng.integers(len(words))), f"{rng.integers(1, 2030)}年")
            out.append("".join(words) + "。")
        return out

    def edit(self, sentence: str) -> str:
        """A new sentence close to ``sentence``: characters changed, a word, or a number."""
        rng = self.rng
        chars = list(sentence)
        kind = rng.integers(3)
        if kind == 0:
            for _ in range(int(rng.integers(1, 4))):
                chars[int(rng.integers(len(chars)))] = self.words[int(rng.integers(5000))][0]
        elif kind == 1:
            at = int(rng.integers(len(chars)))
            chars[at:at] = list(self.words[int(rng.integers(len(self.words)))])
        else:
            chars.insert(int(rng.integers(len(chars))), str(rng.integers(10, 99)))
        return "".join(chars)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def english_of(count: int) -> list[str]:
    return [f"English sentence {i}." for i in range(count)]


def import_bulk(path: Path, sentences: list[str]) -> int:
    """The bulk path: the pairs as two columns."""
    with TranslationMemory(path) as tm:
        return tm.add_columns(PairColumns(sentences, english_of(len(sentences)))).added


def import_objects(path: Path, sentences: list[str]) -> int:
    """The object path: one ``TmPair`` per pair."""
    with TranslationMemory(path) as tm:
        english = english_of(len(sentences))
        return tm.add_pairs(TmPair(zh, en) for zh, en in zip(sentences, english, strict=True)).added


ImportJob = Callable[[Path, list[str]], int]
Outcome = tuple[int, float, float, float, float]


def _timed_child(job: ImportJob, path: Path, sentences: list[str], results: Any) -> None:
    rss_before = peak_rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    added = job(path, sentences)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    results.put((added, wall, cpu, rss_before, peak_rss_mb()))


def timed_import(job: ImportJob, path: Path, sentences: list[str]) -> Outcome:
    """Run an import in a forked child (its own peak RSS); return added, wall s, CPU s,
    peak RSS before and after in MB. The child inherits the sentences already made."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_timed_child, args=(job, path, sentences, results))
    child.start()
    outcome = results.get()
    child.join()
    return outcome


def report_import(name: str, outcome: Outcome, path: Path) -> float:
    added, wall, cpu, before, peak = outcome
    print(
        f"import ({name}): {added:,} pairs in {wall:.1f} s = {added / wall:,.0f} segments/s "
        f"(goal >= 50,000); {added / cpu:,.0f} per CPU second ({cpu:.1f} s); peak RSS "
        f"{peak:,.0f} MB (at the start {before:,.0f} MB); "
        f"file {path.stat().st_size / 2**20:,.0f} MB"
    )
    return added / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--brute", type=int, default=200, help="queries also run brute force")
    parser.add_argument("--min-score", type=float, default=0.7)
    parser.add_argument(
        "--no-compare",
        dest="compare",
        action="store_false",
        help="skip the object-path import (its time and memory)",
    )
    parser.add_argument("--import-only", action="store_true", help="stop after the imports")
    args = parser.parse_args()

    gen = Generator()
    started = time.perf_counter()
    sentences = list(dict.fromkeys(gen.sentences(args.segments)))
    print(
        f"generated {len(sentences):,} distinct sentences in {time.perf_counter() - started:.1f} s"
    )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tm.sqlite3"
        objects_path = Path(folder) / "objects.sqlite3"
        bulk = timed_import(import_bulk, path, sentences)
        bulk_rate = report_import("bulk path, add_columns", bulk, path)
        if args.compare:
            objects = timed_import(import_objects, objects_path, sentences)
            objects_rate = report_import("object path, add_pairs", objects, objects_path)
            objects_path.unlink()
            print(
                f"bulk path vs object path: {bulk_rate / objects_rate:.2f}x wall, "
                f"{objects[2] / bulk[2]:.2f}x CPU"
            )
        if args.import_only:
            return

        queries = []
        for k in range(args.queries):
            kind = k % 4
            if kind in (0, 1):
                queries.append(gen.edit(sentences[int(gen.rng.integers(len(sentences)))]))
            else:
                (fresh,) = gen.sentences(1)
                queries.append(fresh)
        with TranslationMemory(path) as tm:
            matcher = FuzzyMatcher(tm)
            matcher.lookup(queries[0], args.min_score)  # loads the length table
            latencies, cpu_times, tops = [], [], []
            for query in queries:
                started, cpu = time.perf_counter(), time.process_time()
                found = matcher.lookup(query, args.min_score, 5)
                latencies.append(time.perf_counter() - started)
                cpu_times.append(time.process_time() - cpu)
                tops.append(found[0].score if found else None)
            with_match = sum(t is not None for t in tops)
            ms = sorted(x * 1000 for x in latencies)
            p50, p99 = ms[len(ms) // 2], ms[min(len(ms) - 1, int(len(ms) * 0.99))]
            print(
                f"indexed lookup of {len(queries)} queries (min score {args.min_score}): "
                f"p50 {p50:.2f} ms, p99 {p99:.2f} ms (goal <= 20), mean "
                f"{statistics.fmean(ms):.2f} ms (CPU {statistics.fmean(cpu_times) * 1000:.2f} "
                f"ms); {with_match} queries found a match; "
                f"peak RSS {peak_rss_mb():,.0f} MB"
            )
            choices = [r[0] for r in tm.db.execute("SELECT zh_norm FROM pairs ORDER BY rowid")]

        brute_times, brute_cpu, found_best, brute_matched = [], [], 0, 0
        for query, ours in zip(queries[: args.brute], tops, strict=False):
            norm = normalise_zh(query)
            started, cpu = time.perf_counter(), time.process_time()
            best = process.extract(
                norm,
                choices,
                scorer=Levenshtein.normalized_similarity,
                limit=5,
                score_cutoff=args.min_score,
            )
            brute_times.append(time.perf_counter() - started)
            brute_cpu.append(time.process_time() - cpu)
            if best:
                brute_matched += 1
                found_best += ours is not None and abs(ours - best[0][1]) < 1e-9
        n = len(brute_times)
        brute_mean = statistics.fmean(brute_times) * 1000
        ours_mean = statistics.fmean(latencies[:n]) * 1000
        print(
            f"brute force (rapidfuzz.process.extract over {len(choices):,} segments) on "
            f"{n} queries: mean {brute_mean:.1f} ms vs indexed {ours_mean:.2f} ms = "
            f"{brute_mean / ours_mean:,.0f}x (goal >= 100x)"
        )
        # CPU time of this process: steadier than the wall clock on a shared machine
        # (both are single-threaded; the same first queries, cold for the index).
        brute_cpu_mean = statistics.fmean(brute_cpu) * 1000
        ours_cpu_mean = statistics.fmean(cpu_times[:n]) * 1000
        print(
            f"  in CPU time: brute force {brute_cpu_mean:.1f} ms vs indexed "
            f"{ours_cpu_mean:.2f} ms = {brute_cpu_mean / ours_cpu_mean:,.0f}x"
        )
        recall = found_best / brute_matched if brute_matched else float("nan")
        print(
            f"top-match recall vs brute force: {found_best}/{brute_matched} = {recall:.3f} "
            f"(goal >= 0.98; {n - brute_matched} queries had no match >= {args.min_score})"
        )


if __name__ == "__main__":
    main()

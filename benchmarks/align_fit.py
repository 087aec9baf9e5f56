"""Fit the aligner's cost constants on the dev set with fold cross-validation.

Run from the repository root:  .venv/bin/python benchmarks/align_fit.py  [--rounds 2]

The cost weights (``DEFAULT_WEIGHTS``) and charges (``QUESTION``, ``UNRELATED``,
``UNRELATED_COS``, ``SPEAKER``, ``ECHO``, ``ECHO_COS``, ``ECHO_WINDOW``) of
``workbench/align/scoring.py`` and the refine pass's doubt threshold (``SURE_COST`` of
``workbench/align/refine.py``) were set by hand, one at a time, mostly while looking at
fold A of the dev set. This script searches them jointly
and reports honestly what a search buys on documents it did not see:

1. every dev document (``tests/data/align-dev``; never the held-out ``tests/data/align``)
   is encoded once; the vectors are kept in memory by text (and, with ``--cache-dir``, on
   disk between runs), so a trial re-runs only the search, the costs and the refine pass
   (whose joined windows are encoded the first time a trial asks for them, then cached);
2. a search over a grid of plausible values per constant (``--search coordinate``: each
   constant in turn, the others held, ``--rounds`` passes; ``--search random``: two to
   four constants at once) maximises strict F1 on fold A only, and another on fold B only
   (``folds.json`` splits the dev set by publication series);
3. it prints the cross-fold table: the current values and each fold's fit, scored on both
   folds, with the documents whose beads changed. A fit is worth adopting only if BOTH
   directions gain on the fold it did not see (A-fitted values raise B, B-fitted values
   raise A); the row "both fits agree" keeps only what both fits moved to the same value,
   and ``--fit-all`` also searches the whole dev set.

Ties keep the current value (a change must raise F1 by at least one bead), so a constant
moves only where the fold's beads ask for it. ``--profile`` prints every grid scored on
each fold; ``--try`` scores given values. ``buffer`` (the band width) is not searched:
every dev document is shorter than ``max_full`` and is searched whole, so the band never
applies there; ``--band`` scores half-widths on one long pair per fold instead.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.align import refine, scoring  # noqa: E402
from workbench.align.aligner import Aligner, AlignerSettings  # noqa: E402
from workbench.align.evaluate import GoldDocument, read_gold_folder, score_alignments  # noqa: E402

# Module constants searched beside the weights, with the module that reads them at call
# time: the charges of ``scoring`` and the doubt threshold of the refine pass.
CONSTANT_MODULES = {
    "QUESTION": scoring,
    "UNRELATED": scoring,
    "UNRELATED_COS": scoring,
    "SPEAKER": scoring,
    "ECHO": scoring,
    "ECHO_COS": scoring,
    "ECHO_WINDOW": scoring,
    "SURE_COST": refine,
}
CONSTANTS = tuple(CONSTANT_MODULES)


@dataclass(frozen=True)
class Param:
    """One searched constant: a weight of ``DEFAULT_WEIGHTS`` or a ``scoring`` constant."""

    name: str
    grid: tuple[float, ...]

    @property
    def is_constant(self) -> bool:
        return self.name in CONSTANTS


# Plausible ranges around each current value (about ±50 %, a few steps each); the current
# value is always on the grid, so "no change" is a candidate at every step.
PARAMS = (
    Param("skip", (0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1)),
    Param("merge", (0.6, 0.7, 0.8, 0.9, 1.0)),
    Param("extra_sentence", (0.0, 0.06, 0.12, 0.18, 0.24)),
    Param("member", (1.0, 1.5, 2.0, 2.5, 3.0)),
    Param("member_margin", (0.6, 0.7, 0.8, 0.9, 1.0)),
    Param("refine_member", (0.75, 1.0, 1.25, 1.5, 2.0)),
    Param("refine_member_length", (0.5, 1.0, 1.5, 2.0, 2.5)),
    Param("rival", (1.0, 1.5, 2.0, 2.5, 3.0)),
    Param("rival_margin", (0.05, 0.1, 0.15, 0.2)),
    Param("length", (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)),
    Param("numbers", (0.3, 0.375, 0.45, 0.525, 0.6)),
    Param("agreement", (0.2, 0.3, 0.4, 0.5, 0.6)),
    Param("terms", (0.0, 0.1, 0.25, 0.4, 0.6)),
    Param("heading", (0.5, 0.75, 1.0, 1.5, 2.0)),
    Param("salutation", (0.3, 0.4, 0.5, 0.6, 0.7)),
    Param("address", (0.5, 1.0, 1.5, 2.0)),
    Param("QUESTION", (0.5, 0.75, 1.0, 1.5, 2.0)),
    Param("UNRELATED", (1.0, 1.5, 2.0, 3.0)),
    Param("UNRELATED_COS", (0.1, 0.125, 0.15, 0.2)),
    Param("SPEAKER", (0.5, 1.0, 1.5, 2.0)),
    Param("ECHO", (0.5, 0.75, 1.0, 1.5, 2.0)),
    Param("ECHO_COS", (0.7, 0.75, 0.8, 0.85, 0.9)),
    Param("ECHO_WINDOW", (1, 2, 3, 4, 5)),
    Param("SURE_COST", (0.6, 0.8, 1.0, 1.2, 1.5)),
)


# ``--grid fine``: every constant at these multiples of its current value (±20 % in 5 %
# steps), to see how wide the plateau is on which each constant now sits.
FINE_STEPS = (0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2)


def fine_params(params: Sequence[Param], values: Mapping[str, float]) -> list[Param]:
    """``params`` with grids of ``FINE_STEPS`` × the current value (rounded to 4 places)."""
    return [
        Param(p.name, tuple(sorted({round(values[p.name] * step, 4) for step in FINE_STEPS})))
        for p in params
    ]


def current_values(params: Sequence[Param] = PARAMS) -> dict[str, float]:
    """The values in the code now: the starting point of every search."""
    defaults = scoring.DEFAULT_WEIGHTS
    return {
        p.name: float(
            getattr(CONSTANT_MODULES[p.name], p.name) if p.is_constant else defaults[p.name]
        )
        for p in params
    }


@contextlib.contextmanager
def applied(aligner: Aligner, values: Mapping[str, float]) -> Iterator[None]:
    """Run the aligner with ``values``: weights through its settings, the module constants
    patched into their modules (restored afterwards, whatever happens). A whole-number
    constant (``ECHO_WINDOW``, a count of sentences) is patched as an ``int``."""
    saved_constants = {name: getattr(module, name) for name, module in CONSTANT_MODULES.items()}
    saved_weights = dict(aligner.settings.weights)
    try:
        for name, value in values.items():
            if name in CONSTANTS:
                kind = type(saved_constants[name])
                setattr(CONSTANT_MODULES[name], name, kind(value))
            elif name in scoring.DEFAULT_WEIGHTS:
                aligner.settings.weights[name] = value
            else:
                raise KeyError(f"unknown constant {name!r}")
        yield
    finally:
        for name, value in saved_constants.items():
            setattr(CONSTANT_MODULES[name], name, value)
        aligner.settings.weights.clear()
        aligner.settings.weights.update(saved_weights)


class CachedEncoder:
    """The aligner's encoder with every text's vector kept: each distinct text is encoded
    once per run (and once ever with a cache file), so a trial costs only the search.

    Vectors are looked up by text; a text's vector does not depend on the batch it came
    in beyond the last bit (``docs/align.md``, drivers), so trials see the vectors a
    fresh alignment would."""

    def __init__(self, real: Callable[[list[str]], np.ndarray], path: Path | None = None) -> None:
        self.real = real
        self.path = path
        self.table: dict[str, np.ndarray] = {}
        self.encoded = 0  # texts sent to the real encoder (cache misses)
        if path is not None and path.is_file():
            with np.load(path, allow_pickle=False) as data:
                self.table = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        missing = [s for s in dict.fromkeys(sentences) if s not in self.table]
        if missing:
            vectors = np.asarray(self.real(missing), dtype=np.float32).reshape(len(missing), -1)
            self.table.update(zip(missing, vectors, strict=True))
            self.encoded += len(missing)
        if not sentences:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self.table[s] for s in sentences])

    def save(self) -> None:
        """Write the table (atomically: a temp file renamed over the old one)."""
        if self.path is None or not self.table:
            return
        texts = list(self.table)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
        os.close(fd)
        try:
            np.savez(tmp, texts=np.array(texts), vectors=np.stack([self.table[t] for t in texts]))
            os.replace(tmp, self.path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


class Evaluator:
    """Strict F1 of the aligner under given constants on any part of the dev set.

    Beads are memoised per (values, document): the fold fits, the whole-dev fit and the
    cross-fold table share the alignments they have in common."""

    def __init__(self, aligner: Aligner, docs: Sequence[GoldDocument]) -> None:
        self.aligner = aligner
        self.docs = {d.id: d for d in docs}
        self.memo: dict[tuple[tuple[str, float], ...], dict[str, list]] = {}
        self.trials = 0  # documents aligned

    def f1(self, values: Mapping[str, float], part: Sequence[GoldDocument]) -> float:
        """Strict F1 over ``part`` (counts summed over its documents)."""
        found = self.memo.setdefault(tuple(sorted(values.items())), {})
        todo = [d for d in part if d.id not in found]
        if todo:
            with applied(self.aligner, values):
                for doc in todo:
                    beads = self.aligner.align(doc.zh, doc.en)
                    found[doc.id] = [(b.zh_sentences, b.en_sentences) for b in beads]
            self.trials += len(todo)
        return score_alignments([d.beads for d in part], [found[d.id] for d in part])["f1_strict"]

    def changed(
        self, values: Mapping[str, float], base: Mapping[str, float], part: Sequence[GoldDocument]
    ) -> list[tuple[str, int]]:
        """Documents of ``part`` whose beads differ between ``base`` and ``values``, with
        the change in their number of beads exactly right (what a fit won and lost)."""
        self.f1(values, part)
        self.f1(base, part)
        new = self.memo[tuple(sorted(values.items()))]
        old = self.memo[tuple(sorted(base.items()))]
        moved = []
        for doc in part:
            if new[doc.id] != old[doc.id]:
                gold = {(tuple(z), tuple(e)) for z, e in doc.beads}
                right = [
                    sum((tuple(z), tuple(e)) in gold for z, e in beads[doc.id])
                    for beads in (new, old)
                ]
                moved.append((doc.id, right[0] - right[1]))
        return moved

    def objective(self, part: Sequence[GoldDocument]) -> Callable[[dict[str, float]], float]:
        """``f1`` on one part, as the searches call it."""
        return lambda values: self.f1(values, part)


def coordinate_search(
    objective: Callable[[dict[str, float]], float],
    params: Sequence[Param],
    start: Mapping[str, float],
    rounds: int = 2,
    log: Callable[[str], None] = lambda _: None,
) -> tuple[dict[str, float], float]:
    """Maximise ``objective`` one constant at a time over its grid, ``rounds`` passes.

    A value replaces the current one only if it scores strictly higher (ties keep it),
    so a constant the data say nothing about stays where it is. Trials are memoised: a
    pass revisiting a point does not pay for it again. Stops early when a pass changes
    nothing."""
    values = dict(start)
    seen: dict[tuple[tuple[str, float], ...], float] = {}

    def score(candidate: dict[str, float]) -> float:
        key = tuple(sorted(candidate.items()))
        if key not in seen:
            seen[key] = objective(candidate)
        return seen[key]

    best = score(values)
    for round_ in range(1, rounds + 1):
        changed = False
        for param in params:
            for value in param.grid:
                if value == values[param.name]:
                    continue
                trial = {**values, param.name: value}
                result = score(trial)
                if result > best + 1e-12:
                    old = values[param.name]
                    log(f"  round {round_}: {param.name} {old:g} → {value:g}: {result:.4f}")
                    values, best, changed = trial, result, True
        if not changed:
            break
    return values, best


def random_search(
    objective: Callable[[dict[str, float]], float],
    params: Sequence[Param],
    start: Mapping[str, float],
    trials: int,
    seed: int = 10,
    log: Callable[[str], None] = lambda _: None,
) -> tuple[dict[str, float], float]:
    """Stochastic hill climb: each trial moves two to four constants at once to random
    values of their grids, from the best point so far, and is kept only if it scores
    strictly higher. Joint moves reach what one-at-a-time search cannot (two charges
    that only help together, as ``QUESTION`` and ``UNRELATED`` did)."""
    rng = np.random.default_rng(seed)
    values = dict(start)
    best = objective(values)
    seen = {tuple(sorted(values.items()))}
    for trial_number in range(1, trials + 1):
        picked = rng.choice(
            len(params), size=min(len(params), int(rng.integers(2, 5))), replace=False
        )
        trial = dict(values)
        for index in picked:
            param = params[int(index)]
            trial[param.name] = float(param.grid[int(rng.integers(len(param.grid)))])
        key = tuple(sorted(trial.items()))
        if key in seen:
            continue
        seen.add(key)
        result = objective(trial)
        if result > best + 1e-12:
            log(f"  trial {trial_number}: {changes(trial, values)}: {result:.4f}")
            values, best = trial, result
    return values, best


def read_folds(dev: Path, docs: Sequence[GoldDocument]) -> dict[str, list[GoldDocument]]:
    """The dev set's folds (``folds.json``: fold → publication group → ids)."""
    by_id = {d.id: d for d in docs}
    folds = json.loads((dev / "folds.json").read_text(encoding="utf-8"))
    return {
        fold: [by_id[i] for ids in groups.values() for i in ids if i in by_id]
        for fold, groups in folds.items()
    }


def long_pair(docs: Sequence[GoldDocument], sentences: int, seed: int = 10) -> GoldDocument:
    """The documents concatenated, in a new seeded order each round, until the zh side has
    ``sentences``: long enough to be aligned in a band (``max_full`` is 250)."""
    import random

    zh: list[str] = []
    en: list[str] = []
    beads: list[tuple[list[int], list[int]]] = []
    rng = random.Random(seed)
    while len(zh) < sentences:
        for doc in rng.sample(list(docs), len(docs)):
            beads += [([i + len(zh) for i in z], [j + len(en) for j in e]) for z, e in doc.beads]
            zh += doc.zh
            en += doc.en
    return GoldDocument("long", zh, en, beads)


def band_table(
    aligner: Aligner,
    folds: Mapping[str, Sequence[GoldDocument]],
    buffers: Sequence[int],
    sentences: int,
) -> None:
    """Strict F1 and CPU seconds of each band half-width on one long pair per fold.

    The dev documents are all shorter than ``max_full``, so they are searched whole and
    the band never applies to them; only a long pair shows what ``buffer`` does."""
    print(f"\nband width (buffer) on a {sentences:,}-sentence pair built from each fold")
    saved = aligner.settings.buffer
    try:
        for fold, part in folds.items():
            doc = long_pair(part, sentences)
            cells = []
            for buffer in buffers:
                aligner.settings.buffer = buffer
                cpu = time.process_time()
                beads = aligner.align(doc.zh, doc.en)
                found = [(b.zh_sentences, b.en_sentences) for b in beads]
                f1 = score_alignments([doc.beads], [found])["f1_strict"]
                mark = "*" if buffer == saved else " "
                cells.append(f"{mark}{buffer} {f1:.4f} ({time.process_time() - cpu:.0f} s CPU)")
            print(f"  fold {fold} ({len(doc.zh):,} zh): " + "  ".join(cells))
    finally:
        aligner.settings.buffer = saved


def changes(values: Mapping[str, float], base: Mapping[str, float]) -> str:
    """``name old → new`` for every constant that differs, or ``(none)``."""
    moved = [f"{k} {base[k]:g} → {v:g}" for k, v in values.items() if v != base[k]]
    return ", ".join(moved) or "(none)"


def profile(
    evaluate: Evaluator,
    params: Sequence[Param],
    values: Mapping[str, float],
    folds: Mapping[str, Sequence[GoldDocument]],
) -> None:
    """Print each constant's grid scored on every fold, the others held at ``values``:
    where a constant sits on a plateau, and which way each fold would pull it."""
    for param in params:
        cells = []
        for value in param.grid:
            trial = {**values, param.name: value}
            mark = "*" if value == values[param.name] else " "
            scores = "/".join(f"{evaluate.f1(trial, part):.3f}" for part in folds.values())
            cells.append(f"{mark}{value:g} {scores}")
        print(f"  {param.name:<21}" + "  ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", type=Path, default=ROOT / "tests" / "data" / "align-dev")
    parser.add_argument("--encoder", default="use")
    parser.add_argument(
        "--search",
        choices=("coordinate", "random"),
        default="coordinate",
        help="one constant at a time over its grid, or random joint moves (--trials)",
    )
    parser.add_argument(
        "--grid",
        choices=("coarse", "fine"),
        default="coarse",
        help="coarse: plausible ranges (about ±50 %%); fine: ±20 %% of each value in 5 %% steps",
    )
    parser.add_argument("--rounds", type=int, default=2, help="coordinate-search passes")
    parser.add_argument("--trials", type=int, default=300, help="random-search trials")
    parser.add_argument("--seed", type=int, default=10, help="random-search seed")
    parser.add_argument(
        "--params", default="", help="comma-separated subset of the constants to search"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print every constant's grid scored on each fold (the others at current values)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="keep the dev vectors in a file here between runs (default: memory only)",
    )
    parser.add_argument(
        "--band",
        default="",
        help="e.g. 4,8,12: also score these band half-widths on a long pair per fold",
    )
    parser.add_argument(
        "--band-sentences", type=int, default=2000, help="zh sentences of each long pair"
    )
    parser.add_argument(
        "--no-fit", action="store_true", help="skip the searches (profile, --try, --band only)"
    )
    parser.add_argument(
        "--fit-folds", default="", help="comma-separated folds to fit on (default: every fold)"
    )
    parser.add_argument("--fit-all", action="store_true", help="also search on the whole dev set")
    parser.add_argument(
        "--try",
        dest="trials_given",
        action="append",
        default=[],
        help="also score these values on both folds, e.g. --try skip=1.0,merge=0.7",
    )
    args = parser.parse_args()
    if args.dev.resolve() == (ROOT / "tests" / "data" / "align").resolve():
        sys.exit("the held-out gold set is never used for fitting: give a dev folder")

    from workbench.glossary import load_glossary

    docs = read_gold_folder(args.dev)
    folds = read_folds(args.dev, docs)
    wanted = {n.strip() for n in args.params.split(",") if n.strip()}
    unknown = wanted - {p.name for p in PARAMS}
    if unknown:
        sys.exit(f"unknown --params {', '.join(sorted(unknown))}: use {[p.name for p in PARAMS]}")
    params = [p for p in PARAMS if not wanted or p.name in wanted]
    aligner = Aligner(AlignerSettings(encoder=args.encoder), load_glossary(ROOT / "glossary"))
    assert aligner.encoder is not None
    cache_file = None
    if args.cache_dir is not None:
        digest = hashlib.sha256(args.encoder.encode()).hexdigest()[:8]
        cache_file = args.cache_dir / f"align-fit-{args.encoder}-{digest}.npz"
    encoder = CachedEncoder(aligner.encoder.encode, cache_file)
    aligner.encoder = encoder  # type: ignore[assignment]
    evaluate = Evaluator(aligner, docs)
    base = current_values()
    if args.grid == "fine":
        params = fine_params(params, base)
    print(
        f"dev: {len(docs)} documents; folds "
        + ", ".join(f"{k} {len(v)}" for k, v in folds.items())
        + f"; searching {len(params)} constants, {sum(len(p.grid) for p in params)} grid values"
        + f" by {args.search} search"
    )
    began, cpu = time.perf_counter(), time.process_time()
    before = {fold: evaluate.f1(base, part) for fold, part in folds.items()}
    print(
        "current values: "
        + ", ".join(f"fold {k} {v:.4f}" for k, v in before.items())
        + f" (first pass, encoding {encoder.encoded} texts: {time.perf_counter() - began:.1f} s)"
    )
    if args.profile:
        print("\nprofile (strict F1 " + "/".join(f"fold {k}" for k in folds) + "; * = current)")
        profile(evaluate, params, base, folds)

    def search(part: Sequence[GoldDocument]) -> tuple[dict[str, float], float]:
        if args.search == "random":
            return random_search(
                evaluate.objective(part), params, base, args.trials, args.seed, log=print
            )
        return coordinate_search(evaluate.objective(part), params, base, args.rounds, log=print)

    if args.band:
        band_table(aligner, folds, [int(b) for b in args.band.split(",")], args.band_sentences)
    fits: dict[str, dict[str, float]] = {}
    fit_folds = {f.strip() for f in args.fit_folds.split(",") if f.strip()} or set(folds)
    for fold, part in [] if args.no_fit else folds.items():
        if fold not in fit_folds:
            continue
        start = time.perf_counter()
        print(f"\nfit on fold {fold} ({len(part)} documents)")
        fits[fold], best = search(part)
        print(
            f"fold {fold} fit: strict F1 {before[fold]:.4f} → {best:.4f} "
            f"({time.perf_counter() - start:.0f} s); {changes(fits[fold], base)}"
        )
    rows: list[tuple[str, dict[str, float]]] = [("current", base)]
    rows += [(f"fitted on {fold}", values) for fold, values in fits.items()]
    if len(fits) == 2:
        a, b = fits.values()
        # Only what both fits moved to the same value: neither fold's noise alone.
        rows.append(("both fits agree", {k: (a[k] if a[k] == b[k] else base[k]) for k in base}))
    for number, text in enumerate(args.trials_given, start=1):
        trial = dict(base)
        for item in text.split(","):
            name, _, value = item.partition("=")
            if name.strip() not in trial:
                sys.exit(f"--try: unknown constant {name!r}")
            trial[name.strip()] = float(value)
        rows.append((f"try {number}", trial))
    if args.fit_all:
        print(f"\nfit on the whole dev set ({len(docs)} documents)")
        fitted, best = search(docs)
        print(f"whole-dev fit: strict F1 {best:.4f}; {changes(fitted, base)}")
        rows.append(("fitted on all dev", fitted))

    print("\ncross-fold table (strict F1; a fit's score on the fold it did not see is honest)")
    print(
        f"{'values':<20} " + " ".join(f"{'fold ' + k:>8}" for k in folds) + f" {'all':>8}  changes"
    )
    for label, values in rows:
        scores = {fold: evaluate.f1(values, part) for fold, part in folds.items()}
        print(
            f"{label:<20} "
            + " ".join(f"{scores[k]:>8.4f}" for k in folds)
            + f" {evaluate.f1(values, docs):>8.4f}  {changes(values, base)}"
        )
        moved = evaluate.changed(values, base, docs)
        if moved:
            print("    beads differ in: " + ", ".join(f"{d} {n:+d}" for d, n in moved))
    encoder.save()
    print(
        f"\n{evaluate.trials} document alignments, {encoder.encoded} texts encoded; "
        f"{time.perf_counter() - began:.0f} s wall, {time.process_time() - cpu:.0f} s CPU; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()

"""Terminology QA on published translations: term recall, false alarms, planted errors.

Three measurements over ``tests/data/qa/`` (every pair names the page it was read from):

1. **Recall of policy terms**: each pair of the ``terms_heldout*.jsonl`` files lists, by
   hand, the policy terms its Chinese uses (whether or not the glossary has them). A term
   counts as found when a glossary match covers it. Measured in both scripts: every pair
   is also converted with OpenCC (s2t, or t2s for pairs published in Traditional), so the
   same terms are looked for in Simplified and in Traditional. The headline set is
   ``terms_heldout4`` (81 pairs, 52 pages no other file uses), collected and marked last
   by someone who had not seen the glossary or the matcher; ``terms_heldout3`` (67 pairs,
   26 pages), the headline before it, is printed beside it; the two earlier sets are
   reported pooled.
2. **False "missing term" warnings**: the terminology check over published official
   translations, where every missing-term finding is a false alarm. ``terms_heldout4``
   and ``terms_heldout3`` are the held-out sets, not looked at while tuning;
   ``terms_heldout4`` is the headline. The other four files are tuning data now: issue 16
   looked at every miss and false alarm in them to add the renderings official
   translators use, so their rates are not estimates for unseen text.
3. **Planted errors**: in every pair of every file above where an approved entry's
   rendering stands as a phrase, it is replaced by (a) one of the entry's forbidden
   renderings and (b) a wrong rendering (another entry's English); a catch is a finding
   for that entry. Wrong renderings of ``descriptive`` entries are not reported by design,
   so catches are given per enforcement level.

``--before PATH`` runs the same measurements with another checkout's code and glossary
(for example ``git worktree add ../before <commit>``) in a subprocess and prints the two
side by side, so before and after come from one run on the same pairs.

``terms_dev2`` (46 published pairs from 19 pages no other file uses) is split by page: half
A was looked at while tuning, half B only measured (its findings are never printed), so
A against B shows whether a rule generalises to wordings nobody tuned on. ``terms_dev3`` (33
pairs from 11 further pages, collected when the other tuning sets no longer behaved like
unseen text) is split the same way, and so are ``terms_dev4`` (46 pairs from 15 further pages,
round 6, collected when dev3's half A had been tuned on), ``terms_dev5`` (44 pairs from 14
further pages, round 7), ``terms_dev6`` (45 pairs from 16 further pages, round 8),
``terms_dev7`` (48 pairs from 15 further pages, round 9) and ``terms_dev8`` (42 pairs from
14 further pages, round 10).

``--align-dev`` adds the aligner's dev set (``tests/data/align-dev``: 511 beads of published
translations with both sides), split by document into a half whose findings are shown (A)
and one only counted (B), a larger check of whether a rule generalises.

``--tuning-only`` leaves both held-out sets out (for runs while tuning);
``--approved-only`` drops every entry's alternatives, so the tuning sets behave like pages
nobody collected renderings from (how the check generalises, without the held-out set).

Usage: ``.venv/bin/python benchmarks/terminology.py [--before PATH] [--show] [--tuning-only]
[--approved-only] [--align-dev]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "qa"
HEADLINE = "terms_heldout4 (headline)"
HELDOUT3 = "terms_heldout3 (held out)"
HELD_OUT = {  # the sets never looked at while tuning, printed first: name -> description
    HEADLINE: "terms_heldout4 (78 published pairs, 51 new pages, marked without the glossary)",
    HELDOUT3: "terms_heldout3 (67 published pairs, marked without the glossary)",
}
RECALL_SETS = [  # (name, files pooled): the held-out sets first
    (HEADLINE, [DATA / "terms_heldout4.jsonl"]),
    (HELDOUT3, [DATA / "terms_heldout3.jsonl"]),
    (
        "terms_heldout + terms_heldout2",
        [DATA / "terms_heldout.jsonl", DATA / "terms_heldout2.jsonl"],
    ),
]
FALSE_ALARM_SETS = [
    (HEADLINE, DATA / "terms_heldout4.jsonl"),
    (HELDOUT3, DATA / "terms_heldout3.jsonl"),
    ("terms_heldout2 (tuning since issue 16)", DATA / "terms_heldout2.jsonl"),
    ("terms_heldout (tuning since issue 16)", DATA / "terms_heldout.jsonl"),
    ("heldout_pairs", DATA / "heldout_pairs.jsonl"),
    ("real_pairs (tuning)", DATA / "real_pairs.jsonl"),
    ("terms_dev (tuning, issue 16)", DATA / "terms_dev.jsonl"),
    ("terms_dev2 A (tuned on)", DATA / "terms_dev2.jsonl"),
    ("terms_dev2 B (checked, not tuned on)", DATA / "terms_dev2.jsonl"),
    ("terms_dev3 A (tuned on)", DATA / "terms_dev3.jsonl"),
    ("terms_dev3 B (checked, not tuned on)", DATA / "terms_dev3.jsonl"),
    ("terms_dev4 A (tuned on)", DATA / "terms_dev4.jsonl"),
    ("terms_dev4 B (checked, not tuned on)", DATA / "terms_dev4.jsonl"),
    ("terms_dev5 A (tuned on)", DATA / "terms_dev5.jsonl"),
    ("terms_dev5 B (checked, not tuned on)", DATA / "terms_dev5.jsonl"),
    ("terms_dev6 A (tuned on)", DATA / "terms_dev6.jsonl"),
    ("terms_dev6 B (checked, not tuned on)", DATA / "terms_dev6.jsonl"),
    ("terms_dev7 A (tuned on)", DATA / "terms_dev7.jsonl"),
    ("terms_dev7 B (checked, not tuned on)", DATA / "terms_dev7.jsonl"),
    ("terms_dev8 A (tuned on)", DATA / "terms_dev8.jsonl"),
    ("terms_dev8 B (checked, not tuned on)", DATA / "terms_dev8.jsonl"),
]
# Sets that are one half of a file (its records' ``half`` field): terms_dev2/3/4 are split by page
# into a half the check was tuned on and a half only measured, to see whether a change
# generalises to pairs nobody looked at while making it.
HALVES = {
    "terms_dev2 A (tuned on)": "A",
    "terms_dev2 B (checked, not tuned on)": "B",
    "terms_dev3 A (tuned on)": "A",
    "terms_dev3 B (checked, not tuned on)": "B",
    "terms_dev4 A (tuned on)": "A",
    "terms_dev4 B (checked, not tuned on)": "B",
    "terms_dev5 A (tuned on)": "A",
    "terms_dev5 B (checked, not tuned on)": "B",
    "terms_dev6 A (tuned on)": "A",
    "terms_dev6 B (checked, not tuned on)": "B",
    "terms_dev7 A (tuned on)": "A",
    "terms_dev7 B (checked, not tuned on)": "B",
    "terms_dev8 A (tuned on)": "A",
    "terms_dev8 B (checked, not tuned on)": "B",
}


ALIGN_DEV = ROOT / "tests" / "data" / "align-dev"
ALIGN_DEV_SETS = [  # with --align-dev: the aligner's dev documents, split by document
    ("align-dev A (tuned on)", ALIGN_DEV),
    ("align-dev B (checked, not tuned on)", ALIGN_DEV),
]
HALVES_ALIGN_DEV = {name: name.split()[1] for name, _path in ALIGN_DEV_SETS}


def align_dev_half(ident: str, frozen: dict[str, str]) -> str:
    """The half (A or B) of an aligner dev document in the ``--align-dev`` sets.

    The documents QA rules were first tuned on keep the half they had then (alternating
    by name order; ``qa_halves.json``): deriving halves from the current order would move
    read documents into the unread half whenever documents are added. A document added
    later takes a half from its id alone, so the split never depends on what else is there.
    """
    if ident in frozen:
        return frozen[ident]
    return "AB"[hashlib.sha1(ident.encode("utf-8")).digest()[0] % 2]


def read_align_dev(folder: Path) -> list[dict]:
    """Every bead with both sides of the aligner's dev set (``tests/data/align-dev``:
    published translations aligned by hand) as a pair, ``half`` by document
    (``align_dev_half``), so a rule tuned on A's findings is checked on documents nobody
    read."""
    halves = json.loads((folder / "qa_halves.json").read_text("utf-8"))
    frozen = {ident: half for half in ("A", "B") for ident in halves[half]}
    records = []
    for gold in sorted(folder.glob("*.gold.jsonl")):
        ident = gold.name.removesuffix(".gold.jsonl")
        half = align_dev_half(ident, frozen)
        zh = (folder / f"{ident}.zh.txt").read_text("utf-8").splitlines()
        en = (folder / f"{ident}.en.txt").read_text("utf-8").splitlines()
        for number, line in enumerate(gold.read_text("utf-8").splitlines()):
            bead = json.loads(line)
            if bead["zh"] and bead["en"]:
                records.append(
                    {
                        "id": f"{ident}-{number}",
                        "zh": "".join(zh[i] for i in bead["zh"]),
                        "en": " ".join(en[j] for j in bead["en"]),
                        "source_url": ident,
                        "half": half,
                    }
                )
    return records


def read_records(path: Path) -> list[dict]:
    if path.is_dir():  # the aligner's dev set (--align-dev)
        return read_align_dev(path)
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def read_set(name: str, path: Path) -> list[dict]:
    """The records of a false-alarm set: the whole file, or the half ``HALVES`` names."""
    records = read_records(path)
    half = HALVES.get(name)
    return records if half is None else [r for r in records if r.get("half") == half]


# -- measurements, run with whichever workbench is on sys.path ------------------------------


def measure_recall(glossary) -> dict:
    """Share of hand-marked policy terms a glossary match covers, per set and script."""
    return {name: recall_on(glossary, paths) for name, paths in RECALL_SETS}


def recall_on(glossary, paths: list[Path]) -> dict:
    """Recall over the pooled pairs of ``paths``, in Simplified and in Traditional."""
    import opencc

    matcher = glossary.matcher()
    converters = {"s2t": opencc.OpenCC("s2t"), "t2s": opencc.OpenCC("t2s")}
    result: dict = {}
    for script in ("simplified", "traditional"):
        found = total = 0
        missed: list[str] = []
        for record in (r for path in paths for r in read_records(path)):
            published_traditional = "Traditional" in record.get("note", "")
            convert: Callable[[str], str]
            if (script == "traditional") == published_traditional:
                convert = str  # already in this script
            else:
                convert = converters["t2s" if published_traditional else "s2t"].convert
            text = convert(record["zh"])
            spans = [(m.start, m.end) for m in matcher.find(text)]
            for term in record["terms"]:
                wanted = convert(term)
                position = text.find(wanted)
                end = position + len(wanted)
                total += 1
                if position >= 0 and any(s <= position and end <= e for s, e in spans):
                    found += 1
                else:
                    missed.append(wanted)
        result[script] = {"found": found, "total": total, "missed": missed}
    return result


RECALL_DEV = ROOT / "tests" / "data" / "glossary" / "recall_dev.txt"
RECALL_DEV2 = ROOT / "tests" / "data" / "glossary" / "recall_dev2.txt"
RECALL_DEV3 = ROOT / "tests" / "data" / "glossary" / "recall_dev3.txt"
RECALL_DEV4 = ROOT / "tests" / "data" / "glossary" / "recall_dev4.txt"
RECALL_DEV5 = ROOT / "tests" / "data" / "glossary" / "recall_dev5.txt"
RECALL_DEV6 = ROOT / "tests" / "data" / "glossary" / "recall_dev6.txt"
RECALL_DEV7 = ROOT / "tests" / "data" / "glossary" / "recall_dev7.txt"
RECALL_DEV8 = ROOT / "tests" / "data" / "glossary" / "recall_dev8.txt"
# Hand-marked tuning passages (no English): (name, file). recall_dev2 is the fresh file of
# round 5, recall_dev3 and recall_dev4 those of round 6 (coverage A: Party, State and economy
# texts; coverage B: rural, agriculture, land, social, ecology, poverty), recall_dev5 and
# recall_dev6 those of round 9 (coverage A: official Party and State texts — meeting
# releases, a plenum, Qiushi; coverage B: pages with an official English), recall_dev7 that of
# round 10A (bilingual pages on poverty, rural, social, land and common prosperity) and
# recall_dev8 that of round 10 coverage B (bilingual Party, State, economy, ecology and
# foreign-policy pages),
# each reported on its own so its before/after is not pooled with the older passages.
PASSAGE_SETS = [
    ("recall_dev.txt (tuning passages)", RECALL_DEV),
    ("recall_dev2.txt (fresh tuning passages, round 5)", RECALL_DEV2),
    ("recall_dev3.txt (fresh tuning passages, round 6 coverage A)", RECALL_DEV3),
    ("recall_dev4.txt (fresh tuning passages, round 6 coverage B)", RECALL_DEV4),
    ("recall_dev5.txt (fresh tuning passages, round 9 coverage A)", RECALL_DEV5),
    ("recall_dev6.txt (fresh tuning passages, round 9 coverage B)", RECALL_DEV6),
    ("recall_dev7.txt (fresh tuning passages, round 10A)", RECALL_DEV7),
    ("recall_dev8.txt (fresh tuning passages, round 10 coverage B)", RECALL_DEV8),
]


def read_passages(path: Path) -> list[dict]:
    """The passages of a ``recall_dev*.txt`` file as records like the pairs' (``zh``,
    ``terms``); the header line is the ``note``, so a passage whose header says
    'Traditional' is measured as published in Traditional script, as pairs are."""
    lines = path.read_text("utf-8").splitlines()
    return [
        {"zh": lines[i + 1], "terms": [t for t in lines[i + 2].split("|") if t], "note": line}
        for i, line in enumerate(lines)
        if line.startswith("## ")
    ]


def measure_passage_recall(glossary) -> dict:
    """Glossary-only recall (a match covers the term, as ``recall_on``) on each passage
    file that exists in this checkout, per script, with the missed terms."""
    result: dict = {}
    for name, path in PASSAGE_SETS:
        if not path.exists():  # an older checkout run with --before
            continue
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
            for record in read_passages(path):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        try:
            result[name] = recall_on(glossary, [Path(handle.name)])
        finally:
            os.unlink(handle.name)
    return result


def measure_derived_recall(glossary) -> dict | None:
    """Recall of the marked terms when derived compounds count too (issue 16), per set and
    script, kept apart from the glossary-only recall: a term counts if a glossary match
    covers it (as in ``recall_on``) or a derived compound's span IS the term (same start
    and end: a longer compound around it is not the term). None for a checkout without
    derived compounds."""
    try:
        from workbench.glossary.compound import CompoundRecogniser
    except ImportError:
        return None
    import opencc

    matcher = glossary.matcher()
    recogniser = CompoundRecogniser(matcher)
    converters = {"s2t": opencc.OpenCC("s2t"), "t2s": opencc.OpenCC("t2s")}
    sets = [(name, [r for p in paths for r in read_records(p)]) for name, paths in RECALL_SETS]
    sets += [(name, read_passages(path)) for name, path in PASSAGE_SETS if path.exists()]
    result: dict = {}
    for name, records in sets:
        result[name] = {}
        for script in ("simplified", "traditional"):
            glossary_found = found = total = derived_spans = 0
            for record in records:
                published_traditional = "Traditional" in record.get("note", "")
                convert: Callable[[str], str] = str
                if (script == "traditional") != published_traditional:
                    convert = converters["t2s" if published_traditional else "s2t"].convert
                text = convert(record["zh"])
                matches = matcher.find(text)
                compounds = recogniser.find(text, matches)
                derived_spans += len(compounds)
                exact = {(c.start, c.end) for c in compounds}
                for term in record["terms"]:
                    wanted = convert(term)
                    start = text.find(wanted)
                    end = start + len(wanted)
                    total += 1
                    covered = start >= 0 and any(m.start <= start and end <= m.end for m in matches)
                    glossary_found += covered
                    found += covered or (start >= 0 and (start, end) in exact)
            result[name][script] = {
                "glossary": glossary_found,
                "found": found,
                "total": total,
                "derived_spans": derived_spans,
            }
    return result


def _checker(glossary):
    import functools

    from workbench.qa import GlossaryView, PairChecker, load_rules

    # A fresh checker per pair (consistency across pairs is not measured here), with the
    # rules read once as an export reads them.
    return GlossaryView.of(glossary), functools.partial(PairChecker, rules=load_rules())


def check_pair(view, checker_class, record: dict) -> list:
    from workbench.models import SentencePair

    pair = SentencePair(
        id=record["id"], doc_id=record["source_url"], zh=record["zh"], en=record["en"]
    )
    return checker_class(view).check(pair)  # fresh per pair: consistency is not measured


def measure_false_alarms(glossary, every_level: bool = False) -> dict:
    """Pairs with a missing-term warning among pairs whose source has an approved term.

    ``every_level`` checks descriptive entries too, to separate what the English matching
    gains from what the enforcement levels leave unchecked.
    """
    view, checker_class = _checker(glossary)
    if every_level:
        import dataclasses

        get = view.get
        view = dataclasses.replace(
            view,
            get=lambda i: (e := get(i)) and dataclasses.replace(e, enforcement="preferred"),
        )
    result = {}
    for name, path in FALSE_ALARM_SETS:
        pairs = with_terms = flagged = findings = nonstandard = omitted = warned = 0
        shown = []
        for record in read_set(name, path):
            pairs += 1
            approved = [
                m
                for m in view.find(record["zh"])
                if (e := view.get(m.entry_id)) is not None and e.status == "approved"
            ]
            with_terms += bool(approved)
            pair_findings = check_pair(view, checker_class, record)
            missing = [f for f in pair_findings if f.check == "terminology.missing"]
            nonstandard += sum(f.check == "terminology.nonstandard" for f in pair_findings)
            omitted += sum(f.check == "terminology.omitted" for f in pair_findings)
            findings += len(missing)
            flagged += bool(missing)
            # what a reviewer is shown as a warning or error: missing terms, and non-standard
            # renderings of required entries
            warned += any(
                f.check.startswith("terminology") and f.severity in ("warning", "error")
                for f in pair_findings
            )
            shown += [f"{record['id']}: {f.message}" for f in missing]
        result[name] = {
            "pairs": pairs,
            "with_terms": with_terms,
            "flagged": flagged,
            "findings": findings,
            "nonstandard": nonstandard,
            "omitted": omitted,
            "warned": warned,
            "shown": shown,
        }
    return result


def evaluate_planted(glossary, planted: list[dict]) -> list[str]:
    """The finding each planted pair gets for the entry it was planted on: "missing" or
    "forbidden" (caught), "nonstandard" (caught, but judged a rendering in other words:
    info), "omitted" (caught, but judged left out: info), or "" (not caught)."""
    view, checker_class = _checker(glossary)
    caught = []
    for record in planted:
        kinds = {
            f.check.removeprefix("terminology.")
            for f in check_pair(view, checker_class, record)
            if f.check.startswith("terminology") and f.details.get("entry_id") == record["entry_id"]
        }
        strongest = kinds - {"nonstandard", "omitted"}
        weak = "nonstandard" if "nonstandard" in kinds else "omitted" if kinds else ""
        caught.append(min(strongest) if strongest else weak)
    return caught


def plant_errors(glossary) -> list[dict]:
    """Replace renderings that stand as phrases with forbidden and with wrong ones."""
    from workbench.text.english import find_phrase, tokenize

    matcher = glossary.matcher()
    by_category: dict[str, list] = {}
    for entry in glossary.entries:
        by_category.setdefault(entry.category, []).append(entry)
    planted: list[dict] = []
    for name, path in FALSE_ALARM_SETS:
        for record in read_set(name, path):
            tokens = tokenize(record["en"])
            seen = set()
            for match in matcher.find(record["zh"]):
                entry = glossary.get(match.entry_id)
                if entry is None or entry.status != "approved" or entry.id in seen:
                    continue
                seen.add(entry.id)
                span = next(
                    (
                        s
                        for r in (entry.en, *entry.en_alternatives)
                        if (s := find_phrase(r, tokens))
                    ),
                    None,
                )
                if span is None:
                    continue
                start, end = tokens[span[0]].start, tokens[span[1]].end
                others = [e for e in by_category[entry.category] if e.id != entry.id]
                wrong = others[len(planted) % len(others)].en if others else "something else"
                replacements = [("wrong", wrong)]
                if entry.en_forbidden:
                    replacements.append(("forbidden", entry.en_forbidden[0]))
                for kind, text in replacements:
                    en = record["en"][:start] + text + record["en"][end:]
                    planted.append(
                        {
                            "id": f"{record['id']}-{kind}-{entry.id}",
                            "zh": record["zh"],
                            "en": en,
                            "source_url": record["source_url"],
                            "entry_id": entry.id,
                            "kind": kind,
                            "level": getattr(entry, "level", "preferred"),
                        }
                    )
    return planted


def measure_speed(glossary, rounds: int = 20) -> dict:
    """Pairs checked per second by the whole PairChecker (warm: caches filled once)."""
    import time

    view, checker_class = _checker(glossary)
    records = [r for name, path in FALSE_ALARM_SETS for r in read_set(name, path)]
    started = time.perf_counter()
    for record in records:  # cold: word tables loaded, renderings prepared
        check_pair(view, checker_class, record)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(rounds):
        for record in records:
            check_pair(view, checker_class, record)
    warm = time.perf_counter() - started
    return {"cold_seconds": cold, "pairs_per_second": rounds * len(records) / warm}


def measure_dictionary() -> dict | None:
    """Seconds to build the CC-CEDICT index from the gzip and to read it back from the
    cache (None for a checkout without the dictionary judgement)."""
    import time

    try:
        from workbench.qa import dictionary
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        dictionary.build_dictionary(Path(cache))
        built = time.perf_counter()
        dictionary.build_dictionary(Path(cache))
        return {"build_seconds": built - started, "load_seconds": time.perf_counter() - built}


def approved_only(glossary):
    """The glossary with every entry's alternatives dropped (approved English only): the
    tuning sets then behave like text nobody has collected renderings from, which is what
    the check meets on unseen pages (``--approved-only``)."""
    import dataclasses

    from workbench.glossary import Glossary

    entries = [dataclasses.replace(e, en_alternatives=[]) for e in glossary.entries]
    return Glossary(entries, f"{glossary.version}-approved-only")


def measure(planted: list[dict]) -> dict:
    """Every measurement with the workbench on sys.path and its configured glossary."""
    from workbench.config import load_config
    from workbench.glossary import load_glossary

    root = Path(os.environ.get("TERMINOLOGY_ROOT", ROOT))
    glossary = load_glossary(config=load_config(root))
    if os.environ.get("TERMINOLOGY_APPROVED_ONLY"):
        glossary = approved_only(glossary)
    return {
        "glossary": f"{glossary.version} ({len(glossary.entries)} entries)",
        "recall": measure_recall(glossary),
        "passage_recall": measure_passage_recall(glossary),
        "derived_recall": measure_derived_recall(glossary),
        "false_alarms": measure_false_alarms(glossary),
        "false_alarms_every_level": (
            measure_false_alarms(glossary, every_level=True)
            if hasattr(glossary.entries[0], "level")
            else None
        ),
        "planted": evaluate_planted(glossary, planted),
        "speed": measure_speed(glossary),
        "dictionary": measure_dictionary(),
    }


# -- report -----------------------------------------------------------------------------------


def found_total(counts: dict) -> tuple[int, int]:
    return counts["found"], counts["total"]


def rate(n: int, d: int) -> str:
    return f"{n}/{d} = {n / d:.1%}" if d else f"{n}/0"


def report(results: dict[str, dict], planted: list[dict], show: bool) -> None:
    names = list(results)
    width = 30  # room for "<hash> (1,256 entries)"
    print("".ljust(62) + "".join(n.ljust(width) for n in names))
    print("glossary".ljust(62) + "".join(results[n]["glossary"].ljust(width) for n in names))
    for held, description in HELD_OUT.items():
        if held not in results[names[0]]["false_alarms"]:  # left out by --tuning-only
            continue
        kind = "headline" if held == HEADLINE else "held out"
        print(f"\n{kind}: {description}")
        for script in ("simplified", "traditional"):
            cells = [rate(*found_total(results[n]["recall"][held][script])) for n in names]
            print(
                f"  recall of policy terms, {script}".ljust(62)
                + "".join(c.ljust(width) for c in cells)
            )
        cells = []
        for n in names:
            r = results[n]["false_alarms"][held]
            cells.append(f"{rate(r['flagged'], r['pairs'])} ({r['findings']})")
        print(
            "  pairs with a false 'missing term' warning".ljust(62)
            + "".join(c.ljust(width) for c in cells)
        )
        cells = [str(results[n]["false_alarms"][held].get("nonstandard", "-")) for n in names]
        label = "  'non-standard rendering' findings (info)"
        print(label.ljust(62) + "".join(c.ljust(width) for c in cells))
        cells = [str(results[n]["false_alarms"][held].get("omitted", "-")) for n in names]
        label = "  'possibly omitted' findings (info)"
        print(label.ljust(62) + "".join(c.ljust(width) for c in cells))
    print("\nrecall of hand-marked policy terms, per set")
    for set_name, _paths in RECALL_SETS:
        for script in ("simplified", "traditional"):
            cells = [rate(*found_total(results[n]["recall"][set_name][script])) for n in names]
            label = f"  {set_name}, {script}"
            print(label.ljust(62) + "".join(c.ljust(width) for c in cells))
    for set_name, _path in PASSAGE_SETS:
        for script in ("simplified", "traditional"):
            cells = []
            for n in names:
                r = (results[n].get("passage_recall") or {}).get(set_name, {}).get(script)
                cells.append(rate(*found_total(r)) if r else "-")
            label = f"  {set_name}, {script}"
            print(label.ljust(62) + "".join(c.ljust(width) for c in cells))
    print(
        "\nrecall with derived compounds (separate: glossary match covers the term, OR a"
        " derived\ncompound's span is exactly the term; derived spans are suggestions, never"
        " approved)"
    )
    derived_sets = next(
        (r["derived_recall"] for r in results.values() if r.get("derived_recall")), {}
    )
    for set_name in derived_sets:
        for script in ("simplified", "traditional"):
            cells = []
            for n in names:
                d = (results[n].get("derived_recall") or {}).get(set_name, {}).get(script)
                cells.append(
                    f"{rate(d['glossary'], d['total'])} -> {d['found']}"
                    f" ({d['derived_spans']} spans)"
                    if d
                    else "-"
                )
            label = f"  {set_name}, {script}"
            print(label.ljust(62) + "".join(c.ljust(width) for c in cells))
    print("\nfalse 'missing term' warnings on published translations (pairs flagged)")
    for name, _path in FALSE_ALARM_SETS:
        cells = []
        for n in names:
            r = results[n]["false_alarms"][name]
            cells.append(f"{rate(r['flagged'], r['with_terms'])} ({r['findings']})")
        print(f"  {name}, of pairs with terms".ljust(62) + "".join(c.ljust(width) for c in cells))
        cells = []
        for n in names:
            r = results[n]["false_alarms"][name]
            cells.append(rate(r["flagged"], r["pairs"]))
        print(f"  {name}, of all pairs".ljust(62) + "".join(c.ljust(width) for c in cells))
        cells = [str(results[n]["false_alarms"][name].get("nonstandard", "-")) for n in names]
        label = f"  {name}, 'non-standard rendering' findings (info)"
        print(label.ljust(62) + "".join(c.ljust(width) for c in cells))
        cells = [str(results[n]["false_alarms"][name].get("omitted", "-")) for n in names]
        label = f"  {name}, 'possibly omitted' findings (info)"
        print(label.ljust(62) + "".join(c.ljust(width) for c in cells))
        cells = [
            rate(r["warned"], r["pairs"])
            if "warned" in (r := results[n]["false_alarms"][name])
            else "-"
            for n in names
        ]
        label = f"  {name}, pairs with any terminology warning/error"
        print(label.ljust(62) + "".join(c.ljust(width) for c in cells))
        cells = []
        for n in names:
            r = (results[n].get("false_alarms_every_level") or {}).get(name)
            cells.append(f"{rate(r['flagged'], r['with_terms'])} ({r['findings']})" if r else "-")
        label = f"  {name}, descriptive checked too"
        print(label.ljust(62) + "".join(c.ljust(width) for c in cells))
    print("\nplanted errors caught (a finding for the planted entry)")
    groups = Counter((p["kind"], p["level"]) for p in planted)
    for kind, level in sorted(groups):
        idx = [i for i, p in enumerate(planted) if (p["kind"], p["level"]) == (kind, level)]
        cells = []
        for n in names:
            kinds = [results[n]["planted"][i] for i in idx]
            cell = rate(sum(map(bool, kinds)), len(idx))
            if "nonstandard" in kinds:
                cell += f" ({kinds.count('nonstandard')} as non-standard)"
            if "omitted" in kinds:
                cell += f" ({kinds.count('omitted')} as omitted)"
            cells.append(cell)
        print(
            f"  {kind} rendering, {level} entry".ljust(62) + "".join(c.ljust(width) for c in cells)
        )
    print("\nspeed of the QA checks (every false-alarm set, PairChecker per pair)")
    cells = [f"{results[n]['speed']['pairs_per_second']:,.0f} pairs/s" for n in names]
    print("  warm".ljust(62) + "".join(c.ljust(width) for c in cells))
    cells = [f"{results[n]['speed']['cold_seconds']:.2f} s" for n in names]
    print("  first pass (loading word tables)".ljust(62) + "".join(c.ljust(width) for c in cells))
    cells = [
        f"build {d['build_seconds']:.2f} s, cached {d['load_seconds']:.2f} s"
        if (d := results[n].get("dictionary"))
        else "-"
        for n in names
    ]
    print("  CC-CEDICT index (once per process)".ljust(62) + "".join(c.ljust(width) for c in cells))
    if len(names) == 2:
        ratio = (
            results[names[1]]["speed"]["pairs_per_second"]
            / results[names[0]]["speed"]["pairs_per_second"]
        )
        print(f"  after / before: {ratio:.2f}x")
    if show:
        for n in names:
            for set_name, _paths in RECALL_SETS:
                missed = results[n]["recall"][set_name]["simplified"]["missed"]
                print(f"\n[{n}] {set_name} recall misses: {missed}")
            for set_name, _path in PASSAGE_SETS:
                passages = (results[n].get("passage_recall") or {}).get(set_name)
                if passages:
                    missed = passages["simplified"]["missed"]
                    print(f"\n[{n}] {set_name} recall misses: {missed}")
            for name, _path in FALSE_ALARM_SETS:
                if HALVES.get(name) == "B":
                    continue  # the checked half's findings are not printed: it stays unseen
                for line in results[n]["false_alarms"][name]["shown"]:
                    print(f"[{n}] {name}: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    parser.add_argument("--show", action="store_true", help="list misses and false alarms")
    parser.add_argument(
        "--tuning-only",
        action="store_true",
        help="leave out the held-out sets, terms_heldout4 and 3 (for runs while tuning)",
    )
    parser.add_argument(
        "--approved-only",
        action="store_true",
        help="drop every entry's alternatives (simulates renderings nobody collected yet)",
    )
    parser.add_argument(
        "--align-dev",
        action="store_true",
        help="also the aligner's dev set (511 published pairs), halves A and B by document",
    )
    parser.add_argument("--planted-file", type=Path, help=argparse.SUPPRESS)  # subprocess use
    args = parser.parse_args()
    if args.tuning_only or os.environ.get("TERMINOLOGY_TUNING_ONLY"):
        os.environ["TERMINOLOGY_TUNING_ONLY"] = "1"  # the --before subprocess too
        RECALL_SETS[:] = [s for s in RECALL_SETS if s[0] not in HELD_OUT]
        FALSE_ALARM_SETS[:] = [s for s in FALSE_ALARM_SETS if s[0] not in HELD_OUT]
    if args.align_dev or os.environ.get("TERMINOLOGY_ALIGN_DEV"):
        os.environ["TERMINOLOGY_ALIGN_DEV"] = "1"  # the --before subprocess too
        FALSE_ALARM_SETS.extend(ALIGN_DEV_SETS)
        HALVES.update(HALVES_ALIGN_DEV)
    if args.approved_only:
        os.environ["TERMINOLOGY_APPROVED_ONLY"] = "1"  # the --before subprocess too
    if args.planted_file:  # the baseline's side of a --before run
        planted = json.loads(args.planted_file.read_text("utf-8"))
        print(json.dumps(measure(planted)))
        return
    sys.path.insert(0, str(ROOT))
    from workbench.config import load_config
    from workbench.glossary import load_glossary

    planted = plant_errors(load_glossary(config=load_config(ROOT)))
    results = {}
    if args.before:
        before = args.before.resolve()
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(planted, handle)
        env = {**os.environ, "PYTHONPATH": str(before), "TERMINOLOGY_ROOT": str(before)}
        code = (
            "import sys, runpy; sys.path.insert(0, sys.argv[1]); sys.argv = sys.argv[2:];"
            "runpy.run_path(sys.argv[0], run_name='__main__')"
        )
        output = subprocess.run(
            [sys.executable, "-c", code, str(before), __file__, "--planted-file", handle.name],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=before,
        ).stdout
        os.unlink(handle.name)
        results[f"before ({before.name})"] = json.loads(output)
    results["after (this checkout)"] = measure(planted)
    report(results, planted, args.show)


if __name__ == "__main__":
    main()

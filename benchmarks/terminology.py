"""Terminology QA on published translations: term recall, false alarms, planted errors.

Three measurements over ``tests/data/qa/`` (every pair names the page it was read from):

1. **Recall of policy terms** on ``terms_heldout.jsonl``: each pair lists, by hand, the
   policy terms its Chinese uses (whether or not the glossary has them). A term counts as
   found when a glossary match covers it. Measured in both scripts: every pair is also
   converted with OpenCC (s2t, or t2s for pairs published in Traditional), so the same
   terms are looked for in Simplified and in Traditional.
2. **False "missing term" warnings**: the terminology check over published official
   translations, where every missing-term finding is a false alarm. ``terms_heldout`` was
   collected after the English matching and the enforcement levels were settled and was
   not used to change them; ``real_pairs`` and ``heldout_pairs`` were looked at before.
3. **Planted errors**: in every pair of all three files where an approved entry's
   rendering stands as a phrase, it is replaced by (a) one of the entry's forbidden
   renderings and (b) a wrong rendering (another entry's English); a catch is a finding
   for that entry. Wrong renderings of ``descriptive`` entries are not reported by design,
   so catches are given per enforcement level.

``--before PATH`` runs the same measurements with another checkout's code and glossary
(for example ``git worktree add ../before <commit>``) in a subprocess and prints the two
side by side, so before and after come from one run on the same pairs.

Usage: ``.venv/bin/python benchmarks/terminology.py [--before PATH] [--show]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "qa"
TERMS = [DATA / "terms_heldout.jsonl", DATA / "terms_heldout2.jsonl"]
FALSE_ALARM_SETS = [
    ("terms_heldout2 (collected last)", DATA / "terms_heldout2.jsonl"),
    ("terms_heldout (not tuned on)", DATA / "terms_heldout.jsonl"),
    ("heldout_pairs", DATA / "heldout_pairs.jsonl"),
    ("real_pairs (tuning)", DATA / "real_pairs.jsonl"),
]


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


# -- measurements, run with whichever workbench is on sys.path ------------------------------


def measure_recall(glossary) -> dict:
    """Share of hand-marked policy terms a glossary match covers, in each script."""
    import opencc

    matcher = glossary.matcher()
    converters = {"s2t": opencc.OpenCC("s2t"), "t2s": opencc.OpenCC("t2s")}
    result: dict = {}
    for script in ("simplified", "traditional"):
        found = total = 0
        missed: list[str] = []
        for record in (r for path in TERMS for r in read_records(path)):
            published_traditional = "Traditional" in record.get("note", "")
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
        pairs = with_terms = flagged = findings = 0
        shown = []
        for record in read_records(path):
            pairs += 1
            approved = [
                m
                for m in view.find(record["zh"])
                if (e := view.get(m.entry_id)) is not None and e.status == "approved"
            ]
            with_terms += bool(approved)
            missing = [
                f
                for f in check_pair(view, checker_class, record)
                if f.check == "terminology.missing"
            ]
            findings += len(missing)
            flagged += bool(missing)
            shown += [f"{record['id']}: {f.message}" for f in missing]
        result[name] = {
            "pairs": pairs,
            "with_terms": with_terms,
            "flagged": flagged,
            "findings": findings,
            "shown": shown,
        }
    return result


def evaluate_planted(glossary, planted: list[dict]) -> list[bool]:
    """Whether each planted pair gets a finding for the entry it was planted on."""
    view, checker_class = _checker(glossary)
    caught = []
    for record in planted:
        findings = check_pair(view, checker_class, record)
        caught.append(
            any(
                f.check.startswith("terminology")
                and f.details.get("entry_id") == record["entry_id"]
                for f in findings
            )
        )
    return caught


def plant_errors(glossary) -> list[dict]:
    """Replace renderings that stand as phrases with forbidden and with wrong ones."""
    from workbench.text.english import find_phrase, tokenize

    matcher = glossary.matcher()
    by_category: dict[str, list] = {}
    for entry in glossary.entries:
        by_category.setdefault(entry.category, []).append(entry)
    planted = []
    for _name, path in FALSE_ALARM_SETS:
        for record in read_records(path):
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
    records = [r for _name, path in FALSE_ALARM_SETS for r in read_records(path)]
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


def measure(planted: list[dict]) -> dict:
    """Every measurement with the workbench on sys.path and its configured glossary."""
    from workbench.config import load_config
    from workbench.glossary import load_glossary

    root = Path(os.environ.get("TERMINOLOGY_ROOT", ROOT))
    glossary = load_glossary(config=load_config(root))
    return {
        "glossary": f"{glossary.version} ({len(glossary.entries)} entries)",
        "recall": measure_recall(glossary),
        "false_alarms": measure_false_alarms(glossary),
        "false_alarms_every_level": (
            measure_false_alarms(glossary, every_level=True)
            if hasattr(glossary.entries[0], "level")
            else None
        ),
        "planted": evaluate_planted(glossary, planted),
        "speed": measure_speed(glossary),
    }


# -- report -----------------------------------------------------------------------------------


def rate(n: int, d: int) -> str:
    return f"{n}/{d} = {n / d:.1%}" if d else f"{n}/0"


def report(results: dict[str, dict], planted: list[dict], show: bool) -> None:
    names = list(results)
    width = 26
    print("".ljust(62) + "".join(n.ljust(width) for n in names))
    print("glossary".ljust(62) + "".join(results[n]["glossary"].ljust(width) for n in names))
    print("\nrecall of hand-marked policy terms (terms_heldout and terms_heldout2)")
    for script in ("simplified", "traditional"):
        cells = [
            rate(results[n]["recall"][script]["found"], results[n]["recall"][script]["total"])
            for n in names
        ]
        print(f"  {script}".ljust(62) + "".join(c.ljust(width) for c in cells))
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
        cells = [rate(sum(results[n]["planted"][i] for i in idx), len(idx)) for n in names]
        print(
            f"  {kind} rendering, {level} entry".ljust(62) + "".join(c.ljust(width) for c in cells)
        )
    print("\nspeed of the QA checks (all three sets, PairChecker per pair)")
    cells = [f"{results[n]['speed']['pairs_per_second']:,.0f} pairs/s" for n in names]
    print("  warm".ljust(62) + "".join(c.ljust(width) for c in cells))
    cells = [f"{results[n]['speed']['cold_seconds']:.2f} s" for n in names]
    print("  first pass (loading word tables)".ljust(62) + "".join(c.ljust(width) for c in cells))
    if len(names) == 2:
        ratio = (
            results[names[1]]["speed"]["pairs_per_second"]
            / results[names[0]]["speed"]["pairs_per_second"]
        )
        print(f"  after / before: {ratio:.2f}x")
    if show:
        for n in names:
            print(f"\n[{n}] recall misses: {results[n]['recall']['simplified']['missed']}")
            for name, _path in FALSE_ALARM_SETS:
                for line in results[n]["false_alarms"][name]["shown"]:
                    print(f"[{n}] {name}: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    parser.add_argument("--show", action="store_true", help="list misses and false alarms")
    parser.add_argument("--planted-file", type=Path, help=argparse.SUPPRESS)  # subprocess use
    args = parser.parse_args()
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

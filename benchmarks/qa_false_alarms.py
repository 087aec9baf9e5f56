"""False-alarm rate of the number and terminology checks on published translations.

``tests/data/qa/real_pairs.jsonl`` and ``heldout_pairs.jsonl`` hold zh–en sentence pairs
from official and professional bilingual publications (Government Work Reports, the 2021
SCIO white paper on poverty alleviation, China Daily and Xinhua bilingual news; each line
names its source). The first set was looked at while the number rules were written (unit
conversions, weekday dates, decades), so its rate is optimistic; the held-out set was
collected afterwards and not used to change any rule.
Their translations are taken as correct, so every finding is a false alarm for the
purpose "is this translation wrong?" — though some point at a real liberty the translator
took (a date rendered as a weekday, 万亩 converted to hectares), listed so a reader can judge.

Usage: ``.venv/bin/python benchmarks/qa_false_alarms.py [--show]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.config import load_config  # noqa: E402
from workbench.glossary import load_glossary  # noqa: E402
from workbench.models import SentencePair  # noqa: E402
from workbench.qa import GlossaryView, PairChecker  # noqa: E402
from workbench.text.numbers import find_zh_numbers  # noqa: E402

DATA = ROOT / "tests" / "data" / "qa"
TUNING = DATA / "real_pairs.jsonl"  # seen while writing the rules: an optimistic estimate
HELDOUT = DATA / "heldout_pairs.jsonl"  # collected after the rules were fixed: the fair one


def measure(path: Path, view: GlossaryView, show: bool) -> None:
    """Run the checks over one file of pairs and print its false-alarm rates."""
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    totals = {"numbers": 0, "number_pairs": 0, "terms": 0, "term_pairs": 0}
    flagged: dict[str, list] = {
        "numbers": [],
        "terminology.missing": [],
        "terminology.forbidden": [],
    }
    for record in records:
        checker = PairChecker(view)  # fresh per pair: consistency is not measured here
        pair = SentencePair(
            id=record["id"], doc_id=record["source_url"], zh=record["zh"], en=record["en"]
        )
        matches = view.find(pair.zh)
        numbers = find_zh_numbers(pair.zh, [(m.start, m.end) for m in matches])
        approved = {
            m.entry_id for m in matches if (e := view.get(m.entry_id)) and e.status == "approved"
        }
        totals["numbers"] += len(numbers)
        totals["number_pairs"] += bool(numbers)
        totals["terms"] += len(approved)
        totals["term_pairs"] += bool(approved)
        for finding in checker.check(pair):
            if finding.check in flagged:
                flagged[finding.check].append((record, finding))

    def rate(n: int, d: int) -> str:
        return f"{n}/{d} = {n / d:.1%}" if d else f"{n}/0"

    sources = len({r["source_url"] for r in records})
    print(f"\n{path.name}: {len(records)} published pairs from {sources} sources")
    numbers = flagged["numbers"]
    print("  numbers:")
    print(f"    findings per number checked:        {rate(len(numbers), totals['numbers'])}")
    flagged_pairs = len({r["id"] for r, _f in numbers})
    print(f"    pairs flagged / pairs with numbers: {rate(flagged_pairs, totals['number_pairs'])}")
    missing, forbidden = flagged["terminology.missing"], flagged["terminology.forbidden"]
    print("  terminology (a term counts once per pair):")
    print(f"    missing rendering per approved term: {rate(len(missing), totals['terms'])}")
    print(f"    forbidden rendering per term:        {rate(len(forbidden), totals['terms'])}")
    term_pairs = len({r["id"] for r, _f in missing + forbidden})
    print(f"    pairs flagged / pairs with terms:    {rate(term_pairs, totals['term_pairs'])}")
    if show:
        for check, items in flagged.items():
            for record, finding in items:
                print(f"\n  [{check}] {record['id']} ({record['note'] or 'no note'})")
                print(f"    zh: {record['zh']}\n    en: {record['en']}\n    -> {finding.message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true", help="print every finding")
    args = parser.parse_args()
    glossary = load_glossary(config=load_config(ROOT))
    print(f"glossary {glossary.version} ({len(glossary.entries)} entries)")
    view = GlossaryView.of(glossary)
    for path in (TUNING, HELDOUT):
        measure(path, view, args.show)


if __name__ == "__main__":
    main()

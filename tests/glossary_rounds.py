"""What the glossary round tests (test_glossary_round4.py … test_glossary_round6b.py) share.

Each coverage round adds ``*N.tsv`` files and promises that no row cites a page a
measurement set uses and that no row adds a term marked in a recall passage file; the
readers of those sets live here once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from workbench.glossary import load_glossary
from workbench.glossary.fold import fold
from workbench.glossary.model import Entry

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "glossary"
DATA = ROOT / "tests" / "data"
URL = re.compile(r"https?://[^\s)|>']+")


def entries_of(files: list[Path]) -> list[Entry]:
    """The entries of the given glossary files, read through the glossary's own loader."""
    names = {path.name for path in files}
    return [e for e in load_glossary(GLOSSARY).entries if Path(e.file).name in names]


def passages(path: Path) -> list[tuple[str, str, list[str]]]:
    """(header, passage, marked terms) of a recall_dev*.txt file."""
    lines = path.read_text("utf-8").splitlines()
    return [
        (line, lines[i + 1], [t for t in lines[i + 2].split("|") if t])
        for i, line in enumerate(lines)
        if line.startswith("## ")
    ]


def marked_terms(path: Path) -> set[str]:
    """The folded terms marked in a recall passage file."""
    return {fold(term) for _, _, terms in passages(path) for term in terms}


def measurement_addresses(recall_files: list[Path]) -> set[str]:
    """Every page a measurement set names: the QA pair files (their ``source_url`` fields),
    the alignment gold list and the given recall passage files."""
    addresses: set[str] = set()
    for path in (DATA / "qa").glob("*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                addresses.update(
                    record[key] for key in ("source_url", "source_url_en") if record.get(key)
                )
    text = (DATA / "align" / "README.md").read_text("utf-8")
    text += "".join(path.read_text("utf-8") for path in recall_files)
    addresses.update(URL.findall(text))
    return {a.rstrip(".,;") for a in addresses}


def measurement_addresses_except(own: Path) -> set[str]:
    """Every page a measurement set names except those of the fresh recall file ``own``,
    which a round's rows may cite (they take the English those pages print)."""
    others = sorted(p for p in (DATA / "glossary").glob("recall_dev*.txt") if p != own)
    return measurement_addresses(others)


def check_no_held_out_publication(
    entries: list[Entry], held_out: re.Pattern[str], examples: list[str]
) -> None:
    """No row's source, address or note names a held-out publication (``held_out`` lists
    them; each of ``examples`` must match it, so a pattern that matches nothing fails)."""
    for entry in entries:
        for text in (entry.source, entry.source_url, entry.note):
            assert not held_out.search(text), (entry.id, text)
    for text in examples:
        assert held_out.search(text), text


def check_fresh_passages(path: Path, *, min_passages: int = 8, min_terms: int) -> None:
    """A fresh recall file holds enough passages, one address each, and every term it marks
    stands in its passage (marked once)."""
    found = passages(path)
    assert len(found) >= min_passages
    assert sum(len(terms) for _, _, terms in found) >= min_terms
    for header, text, terms in found:
        assert URL.search(header), header
        assert terms and len(set(terms)) == len(terms), header
        for term in terms:
            assert term in text, (header, term)


def same_page(url: str) -> str:
    """An address without scheme, ``www.``, a trailing slash or the punctuation a raw match
    drags along (the closing quote and comma of a JSON field), so that ``http://www.x.cn/a.html``
    and ``"https://x.cn/a.html",`` count as one page, as the held-out data test compares them:
    the exact comparison this replaces let a held-out page into a fresh recall file."""
    return re.sub(r"^https?://(www\.)?", "", url.rstrip('.,;"')).rstrip("/")


def check_pages_unnamed_elsewhere(path: Path, *, skip: frozenset[str] = frozenset()) -> None:
    """A fresh recall file's pages (one per passage) are named by no other file of the test
    data, the glossary or the seeds (except the files named in ``skip``, a round's own rows,
    which may cite the pages for their English): it was built from pages nothing was tuned on."""
    own = set()
    for header, _, _ in passages(path):
        address = URL.search(header)
        assert address, header
        own.add(same_page(address.group(0)))
    assert len(own) == len(passages(path))  # one page per passage
    others = [
        p
        for p in [*DATA.rglob("*"), *GLOSSARY.glob("*.tsv"), *(ROOT / "seeds").glob("*")]
        if p.is_file() and p != path and p.name not in skip
    ]
    cited = {
        same_page(a) for p in others for a in URL.findall(p.read_text("utf-8", errors="replace"))
    }
    assert len(cited) > 500
    assert sorted(own & cited) == []


def check_round_rows(
    entries: list[Entry], *, id_pattern: str, prefixes: set[str], used: set[str], minimum: int
) -> None:
    """A round's rows are many enough, carry its ids, are approved and sourced, and cite no
    page a measurement set uses (in their source or their note)."""
    assert len(entries) >= minimum
    assert len(used) > 100
    for entry in entries:
        assert re.fullmatch(id_pattern, entry.id), entry.id
        assert entry.id.split("-")[0] in prefixes, entry.id
        assert entry.status == "approved", entry.id
        assert entry.source and entry.source_url.startswith(("http://", "https://")), entry.id
        for url in [entry.source_url, *URL.findall(entry.note)]:
            assert url.rstrip(".,;") not in used, (entry.id, url)


def check_not_marked_in_oldest(entries: list[Entry], variants: dict[str, str]) -> None:
    """No form a round adds (its rows' and its variants on older rows) is a term marked in
    recall_dev.txt, which stays a measure of terms nobody looked up."""
    marked = marked_terms(DATA / "glossary" / "recall_dev.txt")
    assert len(marked) > 100
    added = {fold(form): entry.id for entry in entries for form in entry.zh_forms}
    added.update({fold(form): entry_id for form, entry_id in variants.items()})
    assert sorted(set(added) & marked) == []


def check_forms_close_marked(
    entries: list[Entry], variants: dict[str, str], recall_file: Path, *, minimum: int
) -> None:
    """A round's point: at least ``minimum`` of its new forms (rows and variants) are terms
    its fresh recall file marks (in either script), and the glossary finds each whole."""
    marked = marked_terms(recall_file)
    forms = {form for entry in entries for form in entry.zh_forms} | set(variants)
    closing = {form for form in forms if fold(form) in marked}
    assert len(closing) >= minimum, sorted(closing)
    matcher = load_glossary(GLOSSARY).matcher()
    for form in closing:
        spans = [(m.start, m.end) for m in matcher.find(form)]
        assert (0, len(form)) in spans, (form, spans)


def check_variants_belong(variants: dict[str, str]) -> None:
    """Each written-differently variant is found whole, as the older row it was put on."""
    matcher = load_glossary(GLOSSARY).matcher()
    for form, entry_id in variants.items():
        [match] = matcher.find(form)
        assert match.entry_id == entry_id, (form, match.entry_id)
        assert (match.start, match.end) == (0, len(form)), form


def check_found_in_running_text(text: str, script: str, entries: list[Entry]) -> None:
    """Every entry of a round is found in a passage of running text, in the given script."""
    found = found_in(text, script)
    wanted = {entry.id for entry in entries}
    assert wanted <= found, sorted(wanted - found)


def check_longer_entries_win(cases: list[tuple[str, str]]) -> None:
    """Each text is matched whole as the given (older, longer) entry: leftmost-longest keeps
    a compound's span over the shorter forms a round adds inside it."""
    matcher = load_glossary(GLOSSARY).matcher()
    for text, entry_id in cases:
        [match] = matcher.find(text)
        assert (match.entry_id, match.start, match.end) == (entry_id, 0, len(text)), text


def found_in(text: str, script: str) -> set[str]:
    """The entry ids the glossary's matcher finds in ``text``, given in either script."""
    if script == "traditional":
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    return {m.entry_id for m in load_glossary(GLOSSARY).matcher().find(text)}

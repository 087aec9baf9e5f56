"""Propose English renderings of glossary entries from aligned sentence pairs.

For every entry whose Chinese forms occur in the pairs, the English n-grams (1–4 words,
not starting or ending with a function word) of the same pairs are ranked by how strongly
they go with the entry: Dunning's log-likelihood ratio G² (default) or the Dice
coefficient, from the 2×2 table of pairs with and without the entry and the n-gram. What
an entry's renderings already cover is left out, and an n-gram inside a longer one seen in
exactly as many of the entry's pairs gives way to it ("out of poverty" to "lifted out of
poverty"). The result is a review queue: a curator accepts or rejects each candidate with
the example pairs it came from in front of them.

Pairs are read from our JSON Lines (``{"zh", "en", …}``, as ``workbench align`` and
``export`` write them), a two-column TSV (zh, en) or TMX 1.4.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from workbench.errors import InputError
from workbench.glossary.termbase import Glossary
from workbench.text.english import (
    find_phrase,
    is_function_word,
    prepare,
    rendering_variants,
    tokenize,
)

MAX_N = 4
MEASURES = ("llr", "dice")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """One zh sentence (or bead) and its English."""

    zh: str
    en: str


@dataclass
class RenderingCandidate:
    """An English n-gram proposed as a rendering of one entry, with its evidence."""

    entry_id: str
    zh: str
    current_en: str
    en: str
    score: float
    measure: str
    together: int  # pairs holding both the entry and the n-gram
    entry_pairs: int  # pairs holding the entry
    ngram_pairs: int  # pairs holding the n-gram
    examples: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def proposal(self) -> dict[str, Any]:
        """The curator-queue proposal: a new rendering of the entry, with its evidence."""
        return {
            "kind": "rendering",
            "entry_id": self.entry_id,
            "en": self.en,
            "proposer": "workbench glossary renderings",
            "comment": (
                f"co-occurs with {self.zh} in {self.together} of its {self.entry_pairs} "
                f"aligned pairs ({self.measure} {self.score:.1f})"
            ),
            "examples": self.examples,
        }


# -- reading pairs -----------------------------------------------------------------------


def read_pairs(path: Path) -> list[AlignedPair]:
    """Read aligned pairs from a .jsonl, .tsv or .tmx file (by its suffix)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist; give a .jsonl, .tsv or .tmx file of pairs")
    pairs = [
        AlignedPair(str(record.get("zh") or ""), str(record.get("en") or ""))
        for record in read_pair_records(path)
    ]
    return [p for p in pairs if p.zh.strip() and p.en.strip()]  # 1–0 beads carry nothing


def read_pair_records(path: Path) -> Iterator[dict[str, Any]]:
    """Yield each pair of a .jsonl, .tsv or .tmx file (by suffix) as a dict: ``zh``,
    ``en`` and whatever provenance the file records (JSONL keys or its ``provenance``
    object, TSV columns named in a header, TMX ``prop`` types without ``x-``)."""
    suffix = path.suffix.lower()
    readers = {".jsonl": _read_jsonl, ".json": _read_jsonl, ".tsv": _read_tsv, ".txt": _read_tsv}
    readers[".tmx"] = _read_tmx
    if suffix not in readers:
        raise InputError(f"{path}: unknown pair format {suffix!r}; use .jsonl, .tsv or .tmx")
    try:
        yield from readers[suffix](path)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 (byte {exc.start}); save the pairs as UTF-8 and re-run"
        ) from None


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"{path}:{number}: not JSON ({exc.msg}); one object per line"
                ) from None
            if not isinstance(record, dict) or not {"zh", "en"} <= record.keys():
                raise InputError(f"{path}:{number}: needs an object with 'zh' and 'en'")
            provenance = record.get("provenance")
            if isinstance(provenance, dict):
                record = {**provenance, **{k: v for k, v in record.items() if v}}
            yield record


def _read_tsv(path: Path) -> Iterator[dict[str, Any]]:
    names = ["zh", "en", "publication", "url"]
    with open(path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            cells = line.rstrip("\n").split("\t")
            if number == 1 and {"zh", "en"} <= {c.strip().lower() for c in cells}:
                names = [c.strip().lower() for c in cells]  # a header row
                continue
            if not line.strip():
                continue
            if len(cells) < 2:
                raise InputError(f"{path}:{number}: needs two tab-separated columns, zh and en")
            yield dict(zip(names, cells, strict=False))


def _read_tmx(path: Path) -> Iterator[dict[str, Any]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InputError(f"{path}: not a readable TMX file ({exc})") from None
    for unit in root.iter("tu"):
        record: dict[str, Any] = {}
        for prop in unit.findall("prop"):
            record[(prop.get("type") or "").removeprefix("x-")] = prop.text or ""
        for variant in unit.iter("tuv"):
            lang = (variant.get(XML_LANG) or variant.get("lang") or "").lower()[:2]
            seg = variant.find("seg")
            if seg is not None and lang in ("zh", "en"):
                record[lang] = "".join(seg.itertext())
        if "zh" in record and "en" in record:
            yield record


# -- association ---------------------------------------------------------------------------


def log_likelihood(k11: int, k12: int, k21: int, k22: int) -> float:
    """Dunning's G² for a 2×2 contingency table (0 when the two are not positively associated)."""
    total = k11 + k12 + k21 + k22
    if not total or k11 * k22 <= k12 * k21:
        return 0.0
    rows, cols = (k11 + k12, k21 + k22), (k11 + k21, k12 + k22)
    g2 = 0.0
    for count, row, col in ((k11, 0, 0), (k12, 0, 1), (k21, 1, 0), (k22, 1, 1)):
        if count:
            g2 += count * math.log(count * total / (rows[row] * cols[col]))
    return 2.0 * g2


def dice(together: int, first: int, second: int) -> float:
    """The Dice coefficient 2·|A∩B| / (|A|+|B|)."""
    return 2.0 * together / (first + second) if first + second else 0.0


def english_ngrams(en: str, explained: dict[int, str] | None = None) -> dict[str, tuple]:
    """Return the pair's n-grams as {folded key: (text as written, entries explaining it)}.

    N-grams hold words only (no numbers: "832 counties" is not a rendering). ``explained``
    maps token positions to the entry whose glossary rendering covers them, so an n-gram
    overlapping another term's known rendering is not credited to this one.
    """
    tokens = tokenize(en)
    explained = explained or {}
    grams: dict[str, tuple] = {}
    for first in range(len(tokens)):
        if tokens[first].function:
            continue
        for last in range(first, min(first + MAX_N, len(tokens))):
            if not tokens[last].word.replace("'", "").isalpha():
                break
            if tokens[last].function:
                continue
            key = " ".join(t.word for t in tokens[first : last + 1])
            owners = frozenset(explained[i] for i in range(first, last + 1) if i in explained)
            grams.setdefault(key, (en[tokens[first].start : tokens[last].end], owners))
    return grams


def _explained_tokens(en: str, entries: list) -> dict[int, str]:
    """Map the translation's token positions to the entry whose rendering covers them."""
    tokens = tokenize(en)
    covered: dict[int, str] = {}
    for entry in entries:
        # The forms QA accepts too (interchangeable phrases, abbreviations): English the
        # check already takes for the entry is explained, not a new rendering to propose.
        for rendering in _accepted_forms([entry.en, *entry.en_alternatives]):
            span = find_phrase(rendering, tokens)
            if span is not None:
                for i in range(span[0], span[1] + 1):
                    covered.setdefault(i, entry.id)
    return covered


def _association(measure: str, together: int, entry: int, gram: int, total: int) -> float:
    """Score how strongly an n-gram goes with an entry, from pair counts."""
    if measure == "dice":
        return dice(together, entry, gram)
    k12, k21 = entry - together, gram - together
    return log_likelihood(together, k12, k21, total - together - k12 - k21)


def _usual_spelling(surfaces: list[str]) -> str:
    """The commonest way the n-gram was written; lower case wins a tie (sentence starts)."""
    counts = Counter(surfaces)
    return max(counts, key=lambda s: (counts[s], s[:1].islower(), s))


def _accepted_forms(renderings: Iterable[str]) -> list[str]:
    """The renderings and the variants of each that the terminology check also accepts."""
    return list(dict.fromkeys(v for r in renderings for v in rendering_variants(r)))


def _covered(ngram: str, renderings: list[str]) -> bool:
    """Whether the n-gram is one of the renderings (or a form of one the terminology check
    accepts) or only words of one of them."""
    tokens = tokenize(ngram)
    content = [t for t in tokens if not t.function]
    for rendering in _accepted_forms(renderings):
        if find_phrase(rendering, tokens) is not None:
            return True
        keys = prepare(rendering).content
        if content and all(any(not t.keys.isdisjoint(k) for k in keys) for t in content):
            return True
    return False


def propose_renderings(
    pairs: Iterable[AlignedPair],
    glossary: Glossary,
    measure: str = "llr",
    top: int = 3,
    min_pairs: int = 2,
    min_score: float | None = None,
    examples: int = 3,
) -> list[RenderingCandidate]:
    """Rank, per entry, the English n-grams that co-occur with its zh forms.

    ``min_pairs`` is how many pairs must hold both; ``min_score`` defaults to 10.83 for
    G² (p < 0.001 with one degree of freedom) and 0.1 for Dice.
    """
    if measure not in MEASURES:
        raise InputError(f"unknown measure {measure!r}; use one of: {', '.join(MEASURES)}")
    if min_score is None:
        min_score = 10.83 if measure == "llr" else 0.1
    matcher = glossary.matcher()
    pairs = list(pairs)
    entry_pairs: dict[str, list[int]] = defaultdict(list)
    gram_count: Counter[str] = Counter()
    pair_grams: list[dict[str, tuple[str, tuple[str, ...]]]] = []
    for index, pair in enumerate(pairs):
        found = list(dict.fromkeys(m.entry_id for m in matcher.find(pair.zh)))
        entries = [e for e in map(glossary.get, found) if e is not None]
        grams = english_ngrams(pair.en, _explained_tokens(pair.en, entries))
        pair_grams.append(grams)
        gram_count.update(grams.keys())
        for entry_id in found:
            entry_pairs[entry_id].append(index)
    total = len(pairs)
    candidates: list[RenderingCandidate] = []
    for entry_id, indices in entry_pairs.items():
        entry = glossary.get(entry_id)
        if entry is None or len(indices) < min_pairs:
            continue
        renderings = [entry.en, *entry.en_alternatives, *entry.en_forbidden]
        together: Counter[str] = Counter()
        for index in indices:
            # An n-gram overlapping a known rendering (this term's or another's) is that
            # rendering plus context, not a new way of writing this term.
            together.update(g for g, (_text, owners) in pair_grams[index].items() if not owners)

        def association(gram: str, k11: int, n: int = len(indices)) -> float:
            return _association(measure, k11, n, gram_count[gram], total)

        scored = []
        for gram, k11 in together.items():
            if k11 < min_pairs:
                continue
            score = association(gram, k11)
            if score >= min_score:
                # Ties go to the n-gram whose weakest word is itself most tied to the term:
                # "archived card" before "household with an archived" when 户 explains
                # "household" in other pairs too.
                weakest = min(
                    association(word, together.get(word, 0))
                    for word in gram.split()
                    if not is_function_word(word)
                )
                scored.append((score, weakest, k11, gram))
        scored.sort(key=lambda s: (-s[0], -s[1], -s[2], s[3]))
        kept: list[tuple[float, int, str]] = []
        for score, _weakest, k11, gram in scored:
            if _covered(gram, renderings):
                continue
            if any(f" {gram} " in f" {g} " and k == k11 for _s, _w, k, g in scored if g != gram):
                continue  # a longer n-gram seen as often says more
            kept.append((score, k11, gram))
            if len(kept) >= top:
                break
        for score, k11, gram in kept:
            shown = [pairs[i] for i in indices if gram in pair_grams[i]][:examples]
            candidates.append(
                RenderingCandidate(
                    entry_id=entry.id,
                    zh=entry.zh,
                    current_en=entry.en,
                    en=_usual_spelling(
                        [pair_grams[i][gram][0] for i in indices if gram in pair_grams[i]]
                    ),
                    score=round(score, 2),
                    measure=measure,
                    together=k11,
                    entry_pairs=len(indices),
                    ngram_pairs=gram_count[gram],
                    examples=[{"zh": p.zh, "en": p.en} for p in shown],
                )
            )
    candidates.sort(key=lambda c: (c.entry_id, -c.score))
    return candidates

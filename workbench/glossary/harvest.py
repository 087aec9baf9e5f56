"""Harvest new terms, with their published English, from aligned official bilingual text.

Hand-picked terms do not reach the long tail of policy language, but the publications do:
every Government Work Report and white paper pairs its terms with the official English.
``harvest_terms`` finds, in the zh side of aligned pairs, recurring multi-character
expressions that stand free of their neighbours (a single neighbour character taking most
of a candidate's uses means it is a fragment of something longer: the C-value idea of
``glossary mine``), ranked by how many pairs and publications use them, their boundary
entropy and whether they end in a head typical of policy terms (制度, 机制, 工程, 行动 …;
``[harvest]`` of ``mining.toml``). What the glossary already matches is left out. For each
candidate the English n-grams of its pairs are ranked by Dunning's log-likelihood (as
``glossary renderings`` does for known entries); the best becomes the proposed rendering,
with the example pairs that hold both, and the publication and address they came from.
The result is a review queue, never a glossary file written behind the curator's back.

Pairs are read from our JSON Lines (``zh``, ``en`` and provenance ``publication``/``url``,
top level or under ``provenance``), TSV (zh, en[, publication, url]) or TMX (``<prop
type="x-publication">``/``x-url`` per ``<tu>``, as ``workbench tm export`` writes them).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import InputError
from workbench.glossary.fold import converter, fold, term_keys
from workbench.glossary.matcher import Matcher
from workbench.glossary.mine import _HAN_RUN, _entropy, load_rules
from workbench.glossary.model import Entry
from workbench.glossary.queue import ProposalStore, queue_terms
from workbench.glossary.renderings import _usual_spelling, log_likelihood, read_pair_records
from workbench.glossary.termbase import Glossary
from workbench.text.english import find_phrase, tokenize

PROPOSER = "workbench glossary harvest"


@dataclass(frozen=True, slots=True)
class SourcedPair:
    """One aligned zh–en pair and the publication (and page) it was published in."""

    zh: str
    en: str
    publication: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en, "publication": self.publication, "url": self.url}


@dataclass
class HarvestCandidate:
    """A zh term the glossary lacks, its proposed English and the evidence for both."""

    zh: str
    en: str
    category: str
    score: float  # zh termhood
    llr: float  # association of the English with the term (G²)
    pairs: int  # pairs holding the term
    together: int  # pairs holding the term and the English
    publications: list[str] = field(default_factory=list)
    url: str = ""
    examples: list[SourcedPair] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)  # the next-best English n-grams

    @property
    def id(self) -> str:
        """A stable id from the term itself, so re-running names it the same."""
        return "hv-" + hashlib.sha1(self.zh.encode("utf-8")).hexdigest()[:8]

    @property
    def source(self) -> str:
        return "; ".join(self.publications[:2])

    @property
    def note(self) -> str:
        return (
            f"harvested: '{self.en}' with {self.zh} in {self.together} of its {self.pairs} "
            f"aligned pairs (G² {self.llr:.1f})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "zh": self.zh,
            "en": self.en,
            "category": self.category,
            "score": round(self.score, 3),
            "llr": round(self.llr, 2),
            "pairs": self.pairs,
            "together": self.together,
            "publications": self.publications,
            "url": self.url,
            "alternatives": self.alternatives,
            "examples": [e.to_dict() for e in self.examples],
        }

    def to_entry(self) -> Entry:
        """The candidate as a ``proposed`` glossary row."""
        return Entry(
            id=self.id,
            zh=self.zh,
            en=self.en,
            category=self.category,
            note=self.note,
            source=self.source,
            source_url=self.url,
            status="proposed",
        )

    def proposal(self) -> dict[str, Any]:
        """The curator-queue proposal of a new term (the service's TermProposal shape)."""
        shown = "\n".join(f"{e.zh} | {e.en}" for e in self.examples[:2])
        proposal: dict[str, Any] = {
            "kind": "term",
            "zh": self.zh,
            "en": self.en,
            "category": self.category,
            "note": self.note,
            "source": self.source,
            "proposer": PROPOSER,
            "comment": f"{self.note}; examples:\n{shown}"[:2000],
        }
        if self.url.startswith(("http://", "https://")) and " " not in self.url:
            proposal["source_url"] = self.url
        return proposal


# -- reading pairs ---------------------------------------------------------------------


def read_sourced_pairs(
    path: Path, publication: str | None = None, url: str | None = None
) -> list[SourcedPair]:
    """Read aligned pairs with provenance from a .jsonl, .tsv or .tmx file (by suffix).

    The file's own provenance wins; ``publication``/``url`` fill in where it has none
    (a bare TSV, a JSONL written without provenance).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist; give a .jsonl, .tsv or .tmx file of pairs")
    records = read_pair_records(path)
    pairs = []
    for record in records:
        zh, en = str(record.get("zh") or ""), str(record.get("en") or "")
        if zh.strip() and en.strip():  # 1–0 and 0–1 beads carry nothing
            pairs.append(
                SourcedPair(
                    zh,
                    en,
                    _clean(record.get("publication") or publication or path.stem),
                    _clean(record.get("url") or url or ""),
                )
            )
    return pairs


def _clean(value: object) -> str:
    """A provenance value fit for one glossary cell (no tabs, breaks or '|')."""
    return " ".join(str(value).replace("|", "/").split())


# -- zh candidates ---------------------------------------------------------------------


def guess_category(zh: str) -> str:
    """The category a term's head suggests (``[harvest.heads]``), else ``concept``."""
    heads = [
        (head, category)
        for category, listed in load_rules()["harvest"]["heads"].items()
        for head in listed
    ]
    for head, category in sorted(heads, key=lambda h: -len(h[0])):
        if zh.endswith(head) and len(zh) > len(head):
            return category
    return "concept"


def _has_head(zh: str) -> bool:
    return guess_category(zh) != "concept"


def _zh_candidates(
    texts: list[str], min_pairs: int, known: Glossary | None
) -> dict[str, tuple[float, list[int]]]:
    """Score recurring, free-standing Han n-grams: {zh: (score, indices of its pairs)}."""
    rules = load_rules()
    harvest, ngram_rules = rules["harvest"], rules["ngrams"]
    low, high = harvest["min_length"], harvest["max_length"]
    bad_start, bad_end = set(ngram_rules["bad_start"]), set(ngram_rules["bad_end"])
    prefixes, suffixes = tuple(harvest["bad_prefixes"]), tuple(harvest["bad_suffixes"])
    stop = set(harvest["stop_phrases"])
    inside = set(harvest["bad_inside"])
    function = bad_start | bad_end
    glue = prefixes + suffixes
    where: dict[str, set[int]] = defaultdict(set)
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    edge = 0
    for index, text in enumerate(texts):
        for run in _HAN_RUN.findall(text):
            for n in range(low, min(high, len(run)) + 1):
                for i in range(len(run) - n + 1):
                    gram = run[i : i + n]
                    where[gram].add(index)
                    # A run edge, a function character (的, 和 …) or a generic verb or
                    # noun glued on (完善…, …工作) is a free context: distinct every time.
                    edge += 1
                    before, after = run[:i], run[i + n :]
                    free_left = not before or before[-1] in function or before.endswith(glue)
                    free_right = not after or after[0] in function or after.startswith(glue)
                    left[gram][f"<{edge}" if free_left else before[-1]] += 1
                    right[gram][f">{edge}" if free_right else after[0]] += 1
    known_keys: set[str] = set()
    matcher: Matcher | None = None
    if known is not None:
        for entry in known.entries:
            known_keys |= term_keys(entry.zh_forms)
        matcher = known.matcher()
    head_bonus = harvest["head_bonus"]
    scored: dict[str, tuple[float, list[int]]] = {}
    for gram, indices in where.items():
        if (
            len(indices) < min_pairs
            or gram[0] in bad_start
            or gram[-1] in bad_end
            or gram.startswith(prefixes)
            or gram.endswith(suffixes)
            or gram in stop
            or not inside.isdisjoint(gram)
        ):
            continue
        uses = sum(left[gram].values())
        extension = max(
            [c for ch, c in left[gram].items() if len(ch) == 1]
            + [c for ch, c in right[gram].items() if len(ch) == 1]
            + [0]
        )
        if extension >= harvest["nested_share"] * uses:
            continue  # mostly inside one longer expression
        key = fold(gram)
        if key in known_keys or any(key in k for k in known_keys):
            continue  # a known term, or a fragment of one
        if matcher is not None:
            covered = sum(m.end - m.start for m in matcher.find(gram))
            if covered >= len(gram):
                continue  # wholly made of glossary terms
        boundary = min(_entropy(left[gram]), _entropy(right[gram]))
        score = math.log2(1 + len(indices)) * math.log2(len(gram)) * (1 + boundary)
        if _has_head(gram):
            score += head_bonus
        scored[gram] = (score, sorted(indices))
    # A fragment of a longer candidate used in no more pairs than it is not a term.
    fragments = set()
    for longer, (_score, used) in scored.items():
        for i in range(len(longer)):
            for j in range(i + low, len(longer) + 1):
                part = longer[i:j]
                if part != longer and part in scored and len(scored[part][1]) <= len(used):
                    fragments.add(part)
    return {zh: value for zh, value in scored.items() if zh not in fragments}


# -- English by association ------------------------------------------------------------


def _english_grams(en: str, max_words: int, skip: set[int]) -> dict[str, str]:
    """The pair's English n-grams {folded key: text as written}: words only, not starting
    or ending with a function word, and not touching the token positions in ``skip``."""
    tokens = tokenize(en)
    grams: dict[str, str] = {}
    for first in range(len(tokens)):
        if tokens[first].function or first in skip:
            continue
        for last in range(first, min(first + max_words, len(tokens))):
            if last in skip or not tokens[last].word.replace("'", "").isalpha():
                break
            if last > first and en[tokens[last - 1].end : tokens[last].start].strip(" -/"):
                break  # a comma or bracket between words ends the phrase
            if tokens[last].function:
                continue
            key = " ".join(t.word for t in tokens[first : last + 1])
            grams.setdefault(key, en[tokens[first].start : tokens[last].end])
    return grams


def _known_english(zh: str, en: str, glossary: Glossary | None) -> list[tuple[int, int, set[int]]]:
    """For each glossary term matched in the (Simplified) zh: its span, and the English
    token positions its renderings cover in ``en``. Computed once per pair."""
    if glossary is None:
        return []
    tokens = tokenize(en)
    found = []
    for match in glossary.matcher().find(zh):
        entry = glossary.get(match.entry_id)
        if entry is None:
            continue
        covered: set[int] = set()
        for rendering in [entry.en, *entry.en_alternatives]:
            span = find_phrase(rendering, tokens)
            if span is not None:
                covered.update(range(span[0], span[1] + 1))
        if covered:
            found.append((match.start, match.end, covered))
    return found


def _explained(zh: str, term: str, known: list[tuple[int, int, set[int]]]) -> set[int]:
    """Token positions of the English that other glossary terms of the pair explain.

    Only terms matched outside the candidate count: 低保 inside 低保制度 must not hide
    "subsistence allowance" from the candidate's own rendering.
    """
    spans = []
    start = zh.find(term)
    while start >= 0:
        spans.append((start, start + len(term)))
        start = zh.find(term, start + 1)
    skip: set[int] = set()
    for first, last, covered in known:
        if not any(first < e and s < last for s, e in spans):
            skip |= covered
    return skip


def harvest_terms(
    pairs: Iterable[SourcedPair],
    glossary: Glossary | None = None,
    min_pairs: int = 2,
    top: int | None = None,
    examples: int = 3,
    min_score: float | None = None,
) -> list[HarvestCandidate]:
    """Return new zh terms of the pairs with their English, best first.

    A candidate is kept only when some English n-gram occurs in at least ``min_pairs`` of
    its pairs with G² of at least ``min_score`` (default ``[harvest] min_score``); at least
    ``min_pairs`` example pairs holding both are attached.
    """
    rules = load_rules()["harvest"]
    if min_pairs < 1:
        raise InputError(f"min_pairs must be at least 1, not {min_pairs}")
    threshold = rules["min_score"] if min_score is None else min_score
    pairs = list(pairs)
    to_simplified = converter("t2s").convert
    texts = [to_simplified(p.zh) for p in pairs]
    found = _zh_candidates(texts, min_pairs, glossary)
    ranked = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))
    total = len(pairs)
    max_words = rules["max_en_words"]
    all_grams = [_english_grams(p.en, max_words, set()) for p in pairs]
    gram_pairs: Counter[str] = Counter(g for grams in all_grams for g in grams)
    known = [_known_english(texts[i], p.en, glossary) for i, p in enumerate(pairs)]
    candidates: list[HarvestCandidate] = []
    for zh, (score, indices) in ranked:
        own = {
            i: _english_grams(pairs[i].en, max_words, _explained(texts[i], zh, known[i]))
            for i in indices
        }
        together: Counter[str] = Counter(g for grams in own.values() for g in grams)
        scored = []
        for gram, k11 in together.items():
            if k11 < min_pairs:
                continue
            k12, k21 = len(indices) - k11, gram_pairs[gram] - k11
            llr = log_likelihood(k11, k12, k21, total - k11 - k12 - k21)
            if llr < threshold:
                continue
            # Equal evidence: an n-gram seen in two or more pairs gives way to a longer
            # one seen in the same pairs ("allowance system" to "subsistence allowance
            # system"; varied context does not recur). From one pair nothing tells them
            # apart but length: the one that fits the term's (≈ two characters a word).
            words = len(gram.split())
            longer = -words if k11 >= 2 else 0
            fit = abs(words - len(zh) / 2)
            scored.append((-llr, -k11, longer, fit, gram))
        if not scored:
            continue
        scored.sort()
        best_llr, best_k11, _longer, _fit, best = scored[0]
        holding = [i for i in indices if best in own[i]]
        shown = [pairs[i] for i in holding][: max(examples, min_pairs)]
        publications = list(dict.fromkeys(p.publication for p in shown if p.publication))
        candidates.append(
            HarvestCandidate(
                zh=zh,
                en=_usual_spelling([own[i][best] for i in holding]),
                category=guess_category(zh),
                score=score,
                llr=-best_llr,
                pairs=len(indices),
                together=-best_k11,
                publications=publications,
                url=next((p.url for p in shown if p.url), ""),
                examples=shown,
                alternatives=[g for *_rest, g in scored[1:4]],
            )
        )
        if top and len(candidates) >= top:
            break
    return candidates


def queue_candidates(
    store: ProposalStore, candidates: Iterable[HarvestCandidate]
) -> tuple[int, int]:
    """Add each candidate as a ``term`` proposal unless its zh is already proposed (in any
    status, by anyone): re-running never queues twice. Returns (added, already there)."""
    return queue_terms(store, (c.proposal() for c in candidates), key=fold)

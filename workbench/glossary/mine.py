"""Propose candidate terms that the glossary lacks, ranked, with frequency and examples.

Three sources, all driven by ``mining.toml``: numbered slogans (五个一批, 两不愁三保障, 十三五),
short phrases in quotation marks, and frequent character n-grams that hold together
(pointwise mutual information of their weakest split) and stand free of their neighbours
(branching entropy on both sides). Candidates already in the glossary, or wholly made of
glossary terms, are left out. The result is a review queue of ``proposed`` rows, never
written into ``glossary/*.tsv``: by default it goes to ``<work_dir>/glossary/mined.tsv``.
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from workbench.config import Config
from workbench.corpus import corpus_dir, read_sentences
from workbench.glossary.fold import converter, fold, term_keys
from workbench.glossary.model import Entry
from workbench.glossary.termbase import Glossary
from workbench.ingest.pipeline import Ingester, discover_inputs

RULES_FILE = Path(__file__).with_name("mining.toml")
HAN = "[\u3400-\u4dbf\u4e00-\u9fff]"
_HAN_RUN = re.compile(HAN + "+")


@cache
def load_rules() -> dict[str, Any]:
    """Return the parsed ``mining.toml``."""
    with open(RULES_FILE, "rb") as handle:
        return tomllib.load(handle)


@dataclass
class Candidate:
    """One proposed term with the evidence a reviewer needs."""

    zh: str
    score: float = 0.0
    frequency: int = 0
    kinds: set[str] = field(default_factory=set)
    examples: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        order = ["slogan", "quoted", "ngram"]
        return "+".join(k for k in order if k in self.kinds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "zh": self.zh,
            "score": round(self.score, 3),
            "frequency": self.frequency,
            "kind": self.kind,
            "examples": self.examples,
        }

    def to_entry(self) -> Entry:
        """The candidate as a ``proposed`` glossary row (English left for the reviewer)."""
        digest = hashlib.sha1(self.zh.encode("utf-8")).hexdigest()[:8]
        example = self.examples[0] if self.examples else ""
        return Entry(
            id=f"mined-{digest}",
            zh=self.zh,
            en="",
            category="slogan" if "slogan" in self.kinds else "concept",
            note=f"mined ({self.kind}); frequency {self.frequency}; e.g. {example}",
            source="workbench glossary mine",
            status="proposed",
        )


def _slogans(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for pattern in load_rules()["slogans"]["patterns"]:
        matched = Counter(
            m.group(0) for m in re.finditer(pattern["regex"].replace("HAN", HAN), text)
        )
        found.update({k: v for k, v in matched.items() if v >= pattern["min_count"]})
    return found


def _quoted(text: str) -> Counter[str]:
    rules = load_rules()["quoted"]
    found: Counter[str] = Counter()
    for pair in rules["open_close"]:
        opening, closing = re.escape(pair[0]), re.escape(pair[1])
        inside = f"[^{pair[0]}{pair[1]}\n。！？，；：,;:!?]{{1,{rules['max_length']}}}"
        pattern = f"{opening}({inside}){closing}"
        for match in re.finditer(pattern, text):
            phrase = match.group(1).strip()
            han = len(re.findall(HAN, phrase))
            if len(phrase) >= rules["min_length"] and han / len(phrase) >= rules["min_han_share"]:
                found[phrase] += 1
    return found


def _entropy(counter: Counter[str]) -> float:
    total = sum(counter.values())
    return -sum(c / total * math.log2(c / total) for c in counter.values()) if total else 0.0


def _ngrams(sentences: list[str]) -> dict[str, float]:
    """Score frequent, cohesive, free-standing n-grams (see the module docstring)."""
    rules = load_rules()["ngrams"]
    low, high = rules["min_length"], rules["max_length"]
    runs = [run for s in sentences for run in _HAN_RUN.findall(s)]
    counts: Counter[str] = Counter()
    for run in runs:
        for n in range(1, high + 2):
            for i in range(len(run) - n + 1):
                counts[run[i : i + n]] += 1
    chars = sum(counts[c] for c in counts if len(c) == 1) or 1
    bad_start, bad_end = set(rules["bad_start"]), set(rules["bad_end"])
    prefixes, suffixes = tuple(rules["bad_prefixes"]), tuple(rules["bad_suffixes"])
    stop = set(rules["stop_phrases"])
    wanted = {
        gram
        for gram, count in counts.items()
        if low <= len(gram) <= high
        and count >= rules["min_frequency"]
        and gram[0] not in bad_start
        and gram[-1] not in bad_end
        and not gram.startswith(prefixes)
        and not gram.endswith(suffixes)
        and gram not in stop
    }
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    edge = 0
    for run in runs:
        for n in range(low, high + 1):
            for i in range(len(run) - n + 1):
                gram = run[i : i + n]
                if gram not in wanted:
                    continue
                edge += 1  # a run edge (punctuation) is a distinct, free context every time
                left[gram][run[i - 1] if i else f"<{edge}"] += 1
                right[gram][run[i + n] if i + n < len(run) else f">{edge}"] += 1
    scores = {}
    for gram in wanted:
        count = counts[gram]
        # C-value style nesting: most occurrences inside one longer n-gram → not a term.
        longest_extension = max(
            [c for ch, c in left[gram].items() if len(ch) == 1]
            + [c for ch, c in right[gram].items() if len(ch) == 1]
            + [0]
        )
        if longest_extension >= rules["nested_share"] * count:
            continue
        pmi = min(
            math.log2(count * chars / (counts[gram[:k]] * counts[gram[k:]]))
            for k in range(1, len(gram))
        )
        boundary = min(_entropy(left[gram]), _entropy(right[gram]))
        if pmi < rules["min_pmi"] or boundary < rules["min_entropy"]:
            continue
        scores[gram] = math.log2(1 + count) * boundary * math.log2(len(gram))
    return scores


def _example(sentence: str, term: str, width: int) -> str:
    sentence = " ".join(sentence.split())
    if len(sentence) <= width:
        return sentence
    at = sentence.find(term)
    start = max(0, min(at - (width - len(term)) // 2, len(sentence) - width))
    return ("…" if start else "") + sentence[start : start + width] + "…"


def mine_terms(
    sentences: Iterable[str], glossary: Glossary | None = None, top: int | None = None
) -> list[Candidate]:
    """Return candidate terms from the sentences, best first, minus the glossary's terms."""
    to_simplified = converter("t2s").convert
    sentences = [to_simplified(s) for s in sentences if s.strip()]
    text = "\n".join(sentences)
    rules = load_rules()
    candidates: dict[str, Candidate] = {}

    def add(zh: str, kind: str, score: float) -> None:
        candidate = candidates.setdefault(zh, Candidate(zh))
        candidate.kinds.add(kind)
        candidate.score = max(candidate.score, score)

    for kind, found in (("slogan", _slogans(text)), ("quoted", _quoted(text))):
        section = rules["slogans" if kind == "slogan" else "quoted"]
        for zh, count in found.items():
            # The count of the evidence itself (in quotes, in the numbered shape): a word
            # quoted once among many plain uses (首先, 一下) is not a coined term.
            score = (
                section["base"]
                + section["per_log_frequency"] * math.log2(1 + count)
                + section["per_log_length"] * math.log2(len(zh))
            )
            add(zh, kind, score)
    for zh, score in _ngrams(sentences).items():
        add(zh, "ngram", rules["ngrams"]["base"] + score)

    known_keys: set[str] = set()
    matcher = None
    if glossary is not None:
        for entry in glossary.entries:
            known_keys |= term_keys(entry.zh_forms)
        matcher = glossary.matcher()
    kept = []
    for candidate in candidates.values():
        key = fold(candidate.zh)
        if not key or key in known_keys or any(key in k for k in known_keys):
            continue
        if matcher is not None:
            covered = sum(m.end - m.start for m in matcher.find(candidate.zh))
            if covered >= len(candidate.zh):
                continue  # wholly made of glossary terms
        candidate.frequency = text.count(candidate.zh)
        kept.append(candidate)
    # A fragment of a longer candidate that occurs no more often than it is not a term.
    # (Enumerate each candidate's substrings: candidates are short, the list may be long.)
    frequency = {c.zh: c.frequency for c in kept}
    fragments = set()
    for longer in kept:
        zh = longer.zh
        for i in range(len(zh)):
            for j in range(i + 1, len(zh) + 1):
                part = zh[i:j]
                if part != zh and frequency.get(part, -1) <= longer.frequency:
                    fragments.add(part)
    kept = [c for c in kept if c.zh not in fragments]
    kept.sort(key=lambda c: (-c.score, -c.frequency, c.zh))
    kept = kept[:top] if top else kept
    width, wanted = rules["output"]["example_chars"], rules["output"]["examples"]
    for candidate in kept:
        for sentence in sentences:
            if candidate.zh in sentence:
                candidate.examples.append(_example(sentence, candidate.zh, width))
                if len(candidate.examples) >= wanted:
                    break
    return kept


def sentences_from_corpus(config: Config) -> Iterator[str]:
    """Yield the normalised sentences of the segmented corpus."""
    for sentence in read_sentences(corpus_dir(config.work_dir)):
        yield sentence.text


def sentences_from_files(paths: Iterable[Path], ingester: Ingester) -> Iterator[str]:
    """Yield the sentences of text and HTML files (folders: every file ``workbench ingest``
    would read there), read exactly as ingest reads them.

    The ``ingester`` carries the user's settings, so mined text is decoded (GB18030, Big5,
    UTF-16 …), cleaned, normalised (``[ingest] opencc_config``) and split (the rules file,
    ``[segment] split_at_semicolon``) as the corpus is: a candidate is a term in the same
    form it would have in the corpus. An unreadable file is an ``InputError`` naming it.
    """
    for number, file in enumerate(discover_inputs(Path(p) for p in paths)):
        _document, sentences = ingester.read_file(file, f"mine-{number}")
        for sentence in sentences:
            yield sentence.text

"""Align the sentences of a zh document with those of its English translation.

``Aligner.align`` embeds both sides (``encoders``), prices beads (``scoring`` or the
Gale–Church baseline) and finds the best monotone bead path (``dp``). The result is one
``Bead`` per step of the path: every sentence of both sides is in exactly one bead, and a
sentence the other side leaves out is a 1–0 or 0–1 bead with score 0, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench.align.dp import align_path
from workbench.align.encoders import ENCODERS, SentenceEncoder
from workbench.align.galechurch import GaleChurchScorer
from workbench.align.names import TERM_MIN_WORDS, shared_day_words, shared_names, term_anchors
from workbench.align.refine import refine_path
from workbench.align.scoring import (
    DEFAULT_WEIGHTS,
    EmbeddingScorer,
    is_salutation,
    is_speaker,
    is_zh_address,
    is_zh_colon_line,
    key_mask,
    page_lines,
    side_features,
)
from workbench.align.titles import reorder_title_blocks
from workbench.config import AlignConfig, Config
from workbench.errors import ConfigError

METHODS = ("embedding", "gale-church")


@dataclass(slots=True)
class Bead:
    """One aligned unit: zh sentences ``zh_sentences`` render as en ``en_sentences``."""

    zh: str
    en: str
    score: float
    zh_sentences: list[int]
    en_sentences: list[int]

    def to_dict(self) -> dict[str, Any]:
        """The JSONL record of the bead (the keys and order the CLI prints)."""
        return {
            "zh": self.zh,
            "en": self.en,
            "score": round(self.score, 4),
            "zh_sentences": self.zh_sentences,
            "en_sentences": self.en_sentences,
        }


@dataclass
class AlignerSettings:
    """How to align: method, encoder, band and cost weights (``[align]`` settings)."""

    method: str = AlignConfig.method
    encoder: str = AlignConfig.encoder
    max_full: int = AlignConfig.max_full
    buffer: int = AlignConfig.buffer
    use_glossary: bool = AlignConfig.use_glossary
    refine: bool = AlignConfig.refine
    weights: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Config | None, **overrides: Any) -> AlignerSettings:
        """Read ``[align]`` settings, then non-None overrides (CLI flags)."""
        values: dict[str, Any] = {}
        weights: dict[str, float] = {}
        if config is not None:
            section = config.align
            values = {
                "method": section.method,
                "encoder": section.encoder,
                "max_full": section.max_full,
                "buffer": section.buffer,
                "use_glossary": section.use_glossary,
                "refine": section.refine,
            }
            for name in DEFAULT_WEIGHTS:
                weight = getattr(section, name)
                if weight is not None:
                    weights[name] = float(weight)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values, weights=weights)
        settings.check()
        return settings

    def check(self) -> None:
        """Raise ConfigError for an unknown method or encoder or a band below 1."""
        if self.method not in METHODS:
            raise ConfigError(f"[align] method = {self.method!r}; use one of {', '.join(METHODS)}")
        if self.encoder not in ENCODERS:
            raise ConfigError(
                f"[align] encoder = {self.encoder!r}; use one of {', '.join(ENCODERS)}"
            )
        if self.max_full < 10 or self.buffer < 1:
            raise ConfigError("[align] max_full must be >= 10 and buffer >= 1")

    @property
    def aligner_name(self) -> str:
        """Name recorded in provenance."""
        return "workbench-vecalign" if self.method == "embedding" else "gale-church"

    @property
    def model_name(self) -> str | None:
        """Model recorded in provenance (None for the length-only baseline)."""
        return ENCODERS[self.encoder].model if self.method == "embedding" else None


def _searchable(rendering: str) -> bool:
    """Whether ``TermSpotter.en_terms`` looks for this rendering: one rule for the search
    and for ``searched`` (which concepts can be *not found*), so the two never drift. A
    rendering of fewer than ``TERM_MIN_WORDS`` content words ("President") would anchor
    on a common word."""
    from workbench.text.english import prepare

    return (
        bool(rendering)
        and len(rendering) >= 3
        and (len(prepare(rendering).content) >= TERM_MIN_WORDS)
    )


class TermSpotter:
    """Finds, per sentence, the glossary concepts present: zh forms on one side, English
    renderings (approved and alternatives) on the other.

    The English is matched by ``workbench.text.english`` (the terminology check's
    matcher): word by word on stems and lemmas, so an inflected rendering counts
    ("poverty-stricken counties" for "poverty-stricken county"), and never inside a
    longer word ("President" is not found in "Presidential"); only function words may
    stand between a rendering's words."""

    def __init__(self, glossary: Any) -> None:
        self.matcher = glossary.matcher()
        self.entries = {e.id: e for e in glossary.entries}

    def zh_terms(self, sentences: Sequence[str]) -> list[set[str]]:
        return [{m.entry_id for m in self.matcher.find(s)} for s in sentences]

    def searched(self, wanted: set[str]) -> set[str]:
        """The concepts of ``wanted`` that ``en_terms`` looks for: those with a rendering
        it searches (only these can be *not found*)."""
        return {
            entry_id
            for entry_id in wanted
            if (entry := self.entries.get(entry_id)) is not None
            and any(_searchable(r) for r in [entry.en, *entry.en_alternatives])
        }

    def en_terms(self, sentences: Sequence[str], wanted: set[str]) -> list[set[str]]:
        from workbench.text.english import find_phrase, prepare, tokenize

        found: list[set[str]] = [set() for _ in sentences]
        renderings: dict[str, set[str]] = {}
        for entry_id in wanted:
            entry = self.entries.get(entry_id)
            if entry is None:
                continue
            for rendering in [entry.en, *entry.en_alternatives]:
                if _searchable(rendering):
                    renderings.setdefault(rendering, set()).add(entry_id)
        if not renderings:
            return found
        tokens = [tokenize(s) for s in sentences]
        # Which sentences hold each word key (and each word): a rendering is looked for
        # only in the sentences holding its first content word (a long document has many
        # renderings) and something that can stand for each of its other content words.
        where: dict[str, set[int]] = {}
        where_word: dict[str, set[int]] = {}
        for index, sentence_tokens in enumerate(tokens):
            for token in sentence_tokens:
                where_word.setdefault(token.word, set()).add(index)
                for key in token.keys:
                    where.setdefault(key, set()).add(index)
        nowhere: set[int] = set()
        for rendering, ids in renderings.items():
            prepared = prepare(rendering)
            content = prepared.content
            candidates: set[int] = set()
            for key in content[0]:
                candidates |= where.get(key, nowhere)
            # ``find_phrase`` matches content word k by a word sharing one of its keys or
            # by a word written closed with a neighbour ("healthcare" for "health care"):
            # a sentence with neither for some k cannot hold the rendering.
            for k in range(1, len(content)):
                if not candidates:
                    break
                able: set[int] = set()
                for key in content[k]:
                    able |= where.get(key, nowhere)
                for closed in prepared.joined[k - 1 : k + 1]:
                    able |= where_word.get(closed, nowhere)
                candidates &= able
            for index in candidates:
                if find_phrase(rendering, tokens[index]) is not None:
                    found[index] |= ids
        return found


# Words of an English line that only greets its audience: "Comrades, friends, ladies and
# gentlemen, greetings to you all!" (a New Year address whose zh page makes 同志们、朋友们、
# 女士们、先生们： the label of its first sentence, so the line has no zh counterpart).
_ADDRESS_WORDS = frozenset(
    [
        "comrades",
        "friends",
        "ladies",
        "gentlemen",
        "colleagues",
        "fellow",
        "deputies",
        "members",
        "delegates",
        "guests",
        "dear",
        "distinguished",
        "excellencies",
        "excellency",
    ]
)
_GREETING_WORDS = frozenset(
    ["and", "my", "greetings", "to", "you", "all", "good", "morning", "afternoon", "evening"]
)


def is_en_greeting(sentence: str) -> bool:
    """True for an en line made only of forms of address and a greeting ("Comrades,
    friends, ladies and gentlemen, greetings to you all!", "Ladies and gentlemen, good
    afternoon.")."""
    words = re.findall(r"[a-z]+", sentence.lower())
    return (
        0 < len(words) <= 12
        and any(w in _ADDRESS_WORDS for w in words)
        and all(w in _ADDRESS_WORDS or w in _GREETING_WORDS for w in words)
    )


_ZH_ADDRESS_WORDS = re.compile(
    r"先生|女士|各位|朋友|同事|代表|委员|嘉宾|同志|阁下|殿下|大家|[你您]们?好|[早晚]上好|[上下中]午好"
)


def _is_zh_greeting(sentence: str) -> bool:
    """A short zh line naming an audience, however it ends (女士们、先生们，大家上午好。)."""
    line = sentence.strip()
    return len(line) <= 20 and bool(_ZH_ADDRESS_WORDS.search(line))


def en_address_lines(zh: Sequence[str], en: Sequence[str]) -> list[bool]:
    """Per en sentence, whether it is a form of address with no zh line to pair with: a
    short line ending in a comma (``is_salutation``: "Fellow Deputies,"), or, when no zh
    line of the document greets too (女士们、先生们，大家上午好。 in a press conference pairs
    with "Ladies and gentlemen, good morning."),
    a line that only greets (``is_en_greeting``); any short zh line naming an audience
    (``_is_zh_greeting``) turns the second kind off."""
    greetings_free = not any(is_zh_address(s) or _is_zh_greeting(s) for s in zh)
    return [is_salutation(s) or (greetings_free and is_en_greeting(s)) for s in en]


class Aligner:
    """Sentence aligner: embeddings + lengths + numbers + glossary terms, banded DP."""

    def __init__(self, settings: AlignerSettings | None = None, glossary: Any = None) -> None:
        self.settings = settings or AlignerSettings()
        self.settings.check()
        self.encoder = (
            SentenceEncoder(self.settings.encoder) if self.settings.method == "embedding" else None
        )
        self.terms = (
            TermSpotter(glossary) if glossary is not None and self.settings.use_glossary else None
        )

    def align(self, zh: Sequence[str], en: Sequence[str]) -> list[Bead]:
        """Align two sentence lists; every sentence lands in exactly one bead, in order."""
        zh, en = list(zh), list(en)
        if not zh or not en:  # nothing to pair: every sentence is its own 1–0 / 0–1 bead
            return [Bead(s, "", 0.0, [i], []) for i, s in enumerate(zh)] + [
                Bead("", s, 0.0, [], [j]) for j, s in enumerate(en)
            ]
        if self.settings.method == "gale-church":
            scorer: Any = GaleChurchScorer(
                [len(s) or 1 for s in zh], [len(s.replace(" ", "")) or 1 for s in en]
            )
        else:
            scorer = self._embedding_scorer(zh, en)
        path = align_path(scorer, self.settings.max_full, self.settings.buffer)
        if self.settings.refine and isinstance(scorer, EmbeddingScorer):
            assert self.encoder is not None
            path = refine_path(path, scorer, zh, en, self.encoder.encode)
        if isinstance(scorer, EmbeddingScorer):
            path = reorder_title_blocks(path, scorer)
        beads = []
        for step in path:
            a, b = step.zh_end - step.zh_start, step.en_end - step.en_start
            if hasattr(scorer, "score"):
                score = scorer.score(step.cost, a, b)
            else:
                # Gale–Church costs are -log probabilities: a likely 1–1 bead costs ~0.1–3,
                # one as unlikely as e^-20 scores 0. A rough scale, for the baseline only.
                score = 0.0 if a == 0 or b == 0 else float(max(0.0, 1.0 - step.cost / 20))
            zh_ids = list(range(step.zh_start, step.zh_end))
            en_ids = list(range(step.en_start, step.en_end))
            beads.append(
                Bead(
                    "".join(zh[i] for i in zh_ids),
                    " ".join(en[j] for j in en_ids),
                    score,
                    zh_ids,
                    en_ids,
                )
            )
        return beads

    def _embedding_scorer(self, zh: list[str], en: list[str]) -> EmbeddingScorer:
        assert self.encoder is not None
        zh_terms = en_terms = None
        strict = None
        if self.terms is not None:
            zh_terms = self.terms.zh_terms(zh)
            wanted = set().union(*zh_terms) if zh_terms else set()
            en_terms = self.terms.en_terms(en, wanted)
            zh_terms, en_terms, lacking = term_anchors(
                zh_terms,
                en_terms,
                {i: e.level for i, e in self.terms.entries.items()},
                {i: e.zh_forms for i, e in self.terms.entries.items()},
                searched=self.terms.searched(wanted),
            )
            strict = key_mask(lacking)
        zh_names, en_names = shared_names(zh, en)
        zh_days, en_days = shared_day_words(zh, en)
        zh_names = [names | days for names, days in zip(zh_names, zh_days, strict=True)]
        en_names = [names | days for names, days in zip(en_names, en_days, strict=True)]
        zh_vectors = self.encoder.encode(zh)
        en_vectors = self.encoder.encode(en)
        return EmbeddingScorer(
            side_features(zh_vectors, zh, zh_terms, zh_names),
            side_features(en_vectors, en, en_terms, en_names),
            self.settings.weights,
            en_salutations=np.array(en_address_lines(zh, en), dtype=bool),
            zh_addresses=np.array([is_zh_address(s) for s in zh], dtype=bool),
            en_speakers=np.array([is_speaker(s) for s in en], dtype=bool),
            zh_colons=np.array([is_zh_colon_line(s) for s in zh], dtype=bool),
            zh_pages=page_lines(zh, "zh"),
            en_pages=page_lines(en, "en"),
            term_strict=strict,
        )

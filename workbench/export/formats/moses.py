"""Moses plain text: ``<split>.zh`` and ``<split>.en``, line n of one translating line n
of the other; the input of fairseq, Marian, OpenNMT and sentencepiece training."""

from __future__ import annotations

from workbench.export.formats.base import FormatWriter, WrittenFile
from workbench.models import SentencePair


class MosesWriter(FormatWriter):
    """Write ``parallel/<split>.zh`` and ``parallel/<split>.en`` line-aligned."""

    name = "moses"

    def __init__(self, folder, split, options) -> None:
        super().__init__(folder, split, options)
        self.zh_path = self._file(f"parallel/{split}.zh")
        self.en_path = self._file(f"parallel/{split}.en")
        self._zh = self._open(self.zh_path)
        self._en = self._open(self.en_path)

    def write(self, pair: SentencePair) -> None:
        # clean_text guarantees neither side holds a line break.
        self._zh.write(pair.zh + "\n")
        self._en.write(pair.en + "\n")
        self.records += 1

    def close(self) -> list[WrittenFile]:
        self._zh.close()
        self._en.close()
        return self._written(self.zh_path, self.en_path)

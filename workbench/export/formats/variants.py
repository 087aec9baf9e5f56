"""Traditional-script copies of the zh side through OpenCC, for two-script training.

``s2t`` is generic Traditional, ``s2tw`` Taiwan and ``s2hk`` Hong Kong standard forms.
Each variant gets its own Moses ``.zh`` (aligned with ``parallel/<split>.en``) and a JSONL
whose translation key is the script's language tag.
"""

from __future__ import annotations

import opencc
import orjson

from workbench.errors import ConfigError
from workbench.export.formats.base import FormatWriter, WrittenFile
from workbench.export.formats.jsonl import hf_record
from workbench.export.names import SCRIPT_TAGS
from workbench.models import SentencePair


def check_scripts(scripts: list[str]) -> list[str]:
    """Return ``scripts`` if OpenCC knows each, else a ConfigError naming the known ones."""
    for script in scripts:
        if script not in SCRIPT_TAGS:
            raise ConfigError(
                f"[export] scripts: {script!r} is unknown; use any of {', '.join(SCRIPT_TAGS)}"
            )
    return list(scripts)


class VariantWriter(FormatWriter):
    """Write ``variants/<script>/<split>.zh`` and ``.jsonl`` for ``options.script``."""

    name = "variants"

    def __init__(self, folder, split, options) -> None:
        super().__init__(folder, split, options)
        script = options.script or "s2t"
        check_scripts([script])
        self.converter = opencc.OpenCC(script)
        self.tag = SCRIPT_TAGS[script]
        self.zh_path = self._file(f"variants/{script}/{split}.zh")
        self.jsonl_path = self._file(f"variants/{script}/{split}.jsonl")
        self._zh = self._open(self.zh_path)
        self._jsonl = self._open_binary(self.jsonl_path)

    def write(self, pair: SentencePair) -> None:
        converted = self.converter.convert(pair.zh)
        self._zh.write(converted + "\n")
        record = hf_record(pair, zh_key=self.tag, zh=converted)
        self._jsonl.write(orjson.dumps(record) + b"\n")
        self.records += 1

    def close(self) -> list[WrittenFile]:
        self._zh.close()
        self._jsonl.close()
        return self._written(self.zh_path, self.jsonl_path)

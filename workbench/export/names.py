"""The names ``[export]`` settings and ``workbench export`` options accept.

Plain constants in a module of their own, so the command line can offer them as choices
without importing the format writers (pyarrow, OpenCC) at start-up. ``FORMAT_NAMES`` lists
the writers of ``workbench.export.formats.FORMATS`` in their order (a test keeps them equal).
"""

from __future__ import annotations

FORMAT_NAMES = ("tmx", "jsonl", "moses", "csv", "tsv", "parquet", "bio", "spans", "terms")
# OpenCC conversion of a Simplified export → the language tag of the variant it writes.
SCRIPT_TAGS = {"s2t": "zh-Hant", "s2tw": "zh-TW", "s2hk": "zh-HK", "s2twp": "zh-TW"}

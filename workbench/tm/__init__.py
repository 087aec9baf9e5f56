"""Translation memory: every zh–en pair the workbench knows, with origin and provenance."""

from workbench.tm.store import TmPair, TranslationMemory, normalise_zh, open_tm, tm_path

__all__ = ["TmPair", "TranslationMemory", "normalise_zh", "open_tm", "tm_path"]

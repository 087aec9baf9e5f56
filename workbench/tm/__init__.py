"""Translation memory: every zh–en pair the workbench knows, with origin and provenance.

The store is ``workbench.tm.store`` (``TmPair``, ``TranslationMemory``, ``open_tm``,
``tm_path``); this package module imports nothing, so the command line can read the TM's
format names without loading the store's dependencies.
"""

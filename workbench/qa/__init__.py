"""Quality checks of translated pairs: terminology, numbers, script, length, consistency.

Run by ``workbench qa`` on its own and by ``workbench export`` on every export (findings go
to ``exports/<name>/qa.json`` and the dataset card).
"""

from workbench.qa.checks import GlossaryView, PairChecker, load_rules
from workbench.qa.report import Finding, QaReport

__all__ = ["Finding", "GlossaryView", "PairChecker", "QaReport", "load_rules"]

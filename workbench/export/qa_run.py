"""``workbench qa`` on its own: check the chosen translations of a snapshot, write nothing
else (``workbench export`` runs the same checks while exporting). It lives with the exporter
because it selects pairs exactly as an export would; the checks themselves are ``workbench.qa``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.config import Config
from workbench.export.pairs import PairStats, iter_pairs
from workbench.export.run import ExportSettings, empty_translation_finding, load_glossary_view
from workbench.qa.checks import PairChecker, load_rules
from workbench.qa.report import QaReport
from workbench.snapshot import read_snapshot, resolve_snapshot


def run_qa(config: Config, spool: Path | None = None, **overrides: Any) -> QaReport:
    """Check every pair the export would select from a snapshot; return the report.

    ``overrides`` take ``snapshot``, ``selection`` and ``agreement_min``. Findings are kept
    in memory unless ``spool`` names a JSON Lines file to stream them to.
    """
    settings = ExportSettings.from_config(config, **overrides)
    snapshot_path = resolve_snapshot(config.work_dir, settings.snapshot)
    glossary, _version, problem = load_glossary_view(config)
    rules = load_rules(config.export.qa_rules)
    checker = PairChecker(glossary, rules)
    report = QaReport(spool)
    report.terminology = f"not checked: {problem}" if problem else "checked"
    stats = PairStats()
    for pair in iter_pairs(
        read_snapshot(snapshot_path),
        settings.selection,
        stats,
        settings.agreement_min,
        on_left_out=lambda task, sel: report.add(empty_translation_finding(task, sel)),
    ):
        report.add_pair(checker.check(pair))
    report.close()
    return report

"""QA findings: the record, the running tally, and the ``qa.json`` file.

``qa.json`` is a JSON array of findings, each ``{"sentence_id", "check", "severity",
"message", "doc_id", "details"}``; the web service's overview page reads it. Findings are
spooled to a JSON Lines file while the export streams and copied into the array at the
end, so memory holds counts, not findings.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.fileio import atomic_write, read_jsonl, write_jsonl

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem QA found in one sentence pair."""

    sentence_id: str
    check: str
    severity: str
    message: str
    doc_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence_id": self.sentence_id,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "doc_id": self.doc_id,
            "details": dict(self.details),
        }


class QaReport:
    """Count findings by check and severity, spooling them to ``spool`` (JSON Lines)."""

    def __init__(self, spool: Path | None = None, keep: int = 20) -> None:
        self.spool = Path(spool) if spool else None
        self._handle = open(self.spool, "w", encoding="utf-8") if self.spool else None  # noqa: SIM115
        self.by_check: Counter[str] = Counter()
        self.by_severity: Counter[str] = Counter()
        self.pairs_checked = 0
        self.pairs_flagged = 0
        self.examples: list[Finding] = []  # the first few, for the dataset card
        self.findings: list[Finding] = []  # only when not spooling (small runs, tests)
        self._keep = keep
        self.terminology = "checked"  # or "not checked: <why>"

    def add_pair(self, findings: list[Finding]) -> None:
        """Record the findings of one checked pair (possibly none)."""
        self.pairs_checked += 1
        if findings:
            self.pairs_flagged += 1
        self.add(findings)

    def add(self, findings: list[Finding]) -> None:
        """Record findings that are not tied to one checked pair's turn."""
        for finding in findings:
            self.by_check[finding.check] += 1
            self.by_severity[finding.severity] += 1
            if len(self.examples) < self._keep:
                self.examples.append(finding)
            if self._handle is not None:
                write_jsonl(self._handle, [finding.to_dict()])
            else:
                self.findings.append(finding)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def iter_findings(self):
        """Yield every finding as a dict, in the order found."""
        self.close()
        if self.spool is not None:
            yield from read_jsonl(self.spool)
        else:
            yield from (f.to_dict() for f in self.findings)

    def summary(self) -> dict[str, Any]:
        """Return the counts, as stored in the export manifest."""
        return {
            "pairs_checked": self.pairs_checked,
            "pairs_flagged": self.pairs_flagged,
            "by_severity": {s: self.by_severity.get(s, 0) for s in SEVERITIES},
            "by_check": dict(sorted(self.by_check.items())),
        }

    def write_json(self, path: Path) -> int:
        """Write ``qa.json`` (a JSON array of findings), streaming; return the count."""
        count = 0
        with atomic_write(Path(path)) as handle:
            handle.write("[")
            for record in self.iter_findings():
                handle.write(",\n " if count else "\n ")
                handle.write(json.dumps(record, ensure_ascii=False))
                count += 1
            handle.write("\n]\n" if count else "]\n")
        return count

    def markdown(self) -> str:
        """Return the QA summary as Markdown, for the dataset card."""
        lines = [
            f"{self.pairs_checked} pairs checked, {self.pairs_flagged} flagged: "
            + ", ".join(f"{self.by_severity.get(s, 0)} {s}" for s in SEVERITIES)
            + ".",
            "",
        ]
        if self.by_check:
            lines += ["| check | findings |", "| --- | ---: |"]
            lines += [f"| {check} | {n} |" for check, n in sorted(self.by_check.items())]
            lines.append("")
        return "\n".join(lines)

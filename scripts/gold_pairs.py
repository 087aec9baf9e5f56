"""Write the alignment gold set (tests/data/align) as aligned JSON Lines with provenance.

Each bead of ``ID.gold.jsonl`` becomes one ``{"zh", "en", "publication", "url", "doc_id"}``
line (zh and en lines of the bead joined), the publication and first page address taken
from the README's table, so ``workbench glossary harvest`` can learn terms from the
published translations and cite them. 1–0 and 0–1 beads are kept (the reader skips them).

Usage: python scripts/gold_pairs.py [ALIGN_DIR] > aligned.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROW = re.compile(r"^\| `(?P<id>[\w]+)` \| (?P<publication>[^|]+?) \| (?P<urls>[^|]+) \|")
URL = re.compile(r"https?://[^\s);,]+")


def publications(readme: Path) -> dict[str, tuple[str, str]]:
    """Map each publication ID of the README's table to (publication, first URL)."""
    found = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            url = URL.search(match["urls"])
            found[match["id"]] = (match["publication"].strip(), url.group(0) if url else "")
    return found


def main(folder: Path) -> None:
    """Print every bead of every gold ID as one JSON line."""
    sources = publications(folder / "README.md")
    for gold in sorted(folder.glob("*.gold.jsonl")):
        doc_id = gold.name.removesuffix(".gold.jsonl")
        if doc_id not in sources:
            continue  # the excerpt is not a gold ID
        publication, url = sources[doc_id]
        zh = (folder / f"{doc_id}.zh.txt").read_text(encoding="utf-8").splitlines()
        en = (folder / f"{doc_id}.en.txt").read_text(encoding="utf-8").splitlines()
        for line in gold.read_text(encoding="utf-8").splitlines():
            bead = json.loads(line)
            record = {
                "zh": "".join(zh[i] for i in bead["zh"]),
                "en": " ".join(en[j] for j in bead["en"]),
                "publication": publication,
                "url": url,
                "doc_id": doc_id,
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("tests/data/align"))

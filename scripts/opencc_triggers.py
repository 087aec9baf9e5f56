"""Write ``workbench/text/data/opencc_triggers.json``: what makes OpenCC change a text.

Ingest converts every line with OpenCC, and most lines of mainland pages come back
unchanged: on the seeds' mix about 5 lines in 6 hold no character any dictionary entry
could change. Knowing which characters can *trigger* a change lets ingest skip those
lines (issue 15). This script reads the dictionaries of the installed ``opencc``
package and writes, per conversion, a set of trigger characters with this guarantee:

    a text containing none of the triggers is returned unchanged by the conversion.

Why it holds, for each step of a conversion chain (OpenCC converts a text by matching
the longest dictionary key at each position, step after step):

- a single-character key that the step changes is a trigger;
- a longer key (a phrase) that the step changes either holds such a character already,
  or one of its characters is added as a trigger;
- every other key maps to itself, and characters that are no key are copied.

So no key that changes anything can match a trigger-free text, in any step, and the
steps' union covers the chain. Whether a key is changed is asked of OpenCC itself,
converting the key alone with a configuration of that one step. The normalisation
step's keys (CJK compatibility ideographs) are all triggers.

The file records the SHA-256 of every configuration and dictionary file it was built
from; ``workbench.text.normalize`` uses a conversion's triggers only when the installed
files have exactly those digests, so an upgraded OpenCC falls back to converting every
line until this script is run again. Needs ``marisa-trie`` (the dictionaries are MARISA
tries): ``.venv/bin/pip install marisa-trie``; then run from the repository root:
``.venv/bin/python scripts/opencc_triggers.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "workbench" / "text" / "data" / "opencc_triggers.json"
# The conversions to Simplified that ingest offers (docs/config.md, ``opencc_config``).
CONFIGS = ("t2s", "tw2s", "hk2s", "tw2sp")
OCD2_HEADER = b"OPENCC_MARISA_0.2.5"


def dictionary_keys(path: Path) -> list[str]:
    """The keys of one ``.ocd2`` dictionary: a header, then a MARISA trie, then values."""
    import marisa_trie

    data = path.read_bytes()
    if not data.startswith(OCD2_HEADER):
        raise SystemExit(f"{path}: not an OpenCC .ocd2 dictionary (unknown header)")
    trie = marisa_trie.Trie()
    trie.frombytes(data[len(OCD2_HEADER) :])  # reads the trie; the values that follow are ignored
    return list(trie.keys())


def dictionary_files(node: dict[str, Any]) -> list[str]:
    """The ``.ocd2`` files of one ``dict`` node of a configuration (groups flattened)."""
    if node.get("type") == "group":
        return [name for child in node["dicts"] for name in dictionary_files(child)]
    if node.get("type") != "ocd2":
        raise SystemExit(f"dictionary type {node.get('type')!r} is not handled")
    return [node["file"]]


def step_triggers(
    share: Path, step: dict[str, Any], scratch: Path
) -> tuple[set[str], dict[str, set[str]]]:
    """The triggers of one conversion step, asked of OpenCC with that step alone.

    Returns the characters the step changes on their own, and the phrases it changes
    that hold none of them, filed under the one character of each chosen to stand for it.
    """
    import opencc

    config = scratch / "step.json"
    node = json.loads(json.dumps(step["dict"]))

    def absolute(n: dict[str, Any]) -> None:
        if n.get("type") == "group":
            for child in n["dicts"]:
                absolute(child)
        else:
            n["file"] = str(share / n["file"])

    absolute(node)
    config.write_text(
        json.dumps({"name": "one step", "conversion_chain": [{"dict": node}]}), encoding="utf-8"
    )
    converter = opencc.OpenCC(str(config))
    keys = [key for name in dictionary_files(step["dict"]) for key in dictionary_keys(share / name)]
    single_keys = {key for key in keys if len(key) == 1}
    singles = sorted(single_keys)
    converted = converter.convert("\n".join(singles)).split("\n")
    if len(converted) != len(singles):
        raise SystemExit("a single character converted to a line break: cannot tell keys apart")
    changed = {char for char, new in zip(singles, converted, strict=True) if new != char}
    phrases: dict[str, set[str]] = {}
    for key in sorted({key for key in keys if len(key) > 1}):
        if changed.isdisjoint(key) and converter.convert(key) != key:
            # Any character of it will do: one already standing for phrases, else one
            # that is itself a key (ambiguous, as 沈 in 沈浸) rather than a common one
            # (as 海 in 海哩).
            char = max(key, key=lambda c: (c in phrases, c in single_keys, c))
            phrases.setdefault(char, set()).add(key)
    return changed, phrases


def build(share: Path) -> dict[str, Any]:
    """The triggers and source digests of every conversion in ``CONFIGS``."""
    import opencc

    configs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name in CONFIGS:
            config_path = share / f"{name}.json"
            config = json.loads(config_path.read_text(encoding="utf-8"))
            files = [config_path.name]
            triggers: set[str] = set()
            phrases: dict[str, set[str]] = {}
            for step in config.get("normalization", []):
                for file in dictionary_files(step["dict"]):
                    files.append(file)
                    triggers.update(char for key in dictionary_keys(share / file) for char in key)
            for step in config["conversion_chain"]:
                files.extend(dictionary_files(step["dict"]))
                changed, step_phrases = step_triggers(share, step, Path(scratch))
                triggers |= changed
                for char, keys in step_phrases.items():
                    phrases.setdefault(char, set()).update(keys)
            configs[name] = {
                "sha256": {
                    file: hashlib.sha256((share / file).read_bytes()).hexdigest()
                    for file in dict.fromkeys(files)
                },
                "triggers": "".join(sorted(triggers | set(phrases))),
                # Characters that are triggers only for these phrases: a line whose
                # triggers are all such, and holds none of their phrases, is unchanged.
                "phrases": {
                    char: sorted(keys)
                    for char, keys in sorted(phrases.items())
                    if char not in triggers
                },
            }
    return {
        "about": (
            "Characters at least one of which a text must hold for the OpenCC conversion "
            "to change it; written by scripts/opencc_triggers.py, used only while the "
            "installed files have these digests."
        ),
        "opencc": opencc.__version__,
        "configs": configs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the file differs from what would be written"
    )
    args = parser.parse_args()
    import opencc

    share = Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"
    text = json.dumps(build(share), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if args.check:
        same = args.output.exists() and args.output.read_text(encoding="utf-8") == text
        print(f"{args.output.name}: {'up to date' if same else 'OUT OF DATE'}")
        sys.exit(0 if same else 1)
    sys.path.insert(0, str(ROOT))
    from workbench.fileio import atomic_write

    with atomic_write(args.output) as handle:
        handle.write(text)
    counts = ", ".join(
        f"{name} {len(data['triggers'])}" for name, data in json.loads(text)["configs"].items()
    )
    print(f"wrote {args.output}: triggers per conversion: {counts}")


if __name__ == "__main__":
    main()

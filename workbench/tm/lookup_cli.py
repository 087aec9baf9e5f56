"""``workbench tm lookup``: fuzzy matches for a Chinese sentence, from the command line."""

from __future__ import annotations

import json

import click

from workbench.config import load_config


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    """Bracket the differing stretches of ``text`` (``[…]``) for the plain-text listing."""
    out, at = [], 0
    for start, end in sorted(spans):
        out.append(text[at:start])
        out.append(f"[{text[start:end]}]" if end > start else "[^]")
        at = end
    out.append(text[at:])
    return "".join(out)


@click.command("lookup")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
@click.option(
    "--min-score",
    type=click.FloatRange(0.0, 1.0),
    default=0.7,
    show_default=True,
    help="Lowest score shown (1 - edit distance / longer length, in characters).",
)
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True)
def lookup_command(text: str, as_json: bool, min_score: float, limit: int) -> None:
    """Show the TM pairs whose Chinese is closest to TEXT (either script), best first."""
    from workbench.tm.fuzzy import lookup
    from workbench.tm.store import open_tm

    if not text.strip():
        raise click.UsageError("TEXT is empty: give the Chinese sentence to look up")
    config = load_config()
    with open_tm(config) as tm:
        matches = lookup(tm, text, min_score, limit)
    if as_json:
        click.echo(json.dumps([m.to_dict() for m in matches], ensure_ascii=False, indent=2))
        return
    if not matches:
        click.echo(f"no TM match scoring {min_score:.0%} or more")
        return
    for number, match in enumerate(matches, 1):
        spans = [(d.match_start, d.match_end) for d in match.differences]
        origin = match.pair.origin + ("" if match.pair.status == "accepted" else ", needs review")
        click.echo(f"{number}. {match.score:.0%}  ({origin}, {match.pair.id})")
        click.echo(f"   zh  {_marked(match.match_norm, spans)}")
        click.echo(f"   en  {match.suggestion}")
        if match.substituted:
            swaps = ", ".join(f"{old} → {new}" for old, new in match.substituted)
            click.echo(f"       numbers substituted: {swaps} (stored: {match.pair.en})")
        source = match.pair.provenance.get("publication") or match.pair.provenance.get("doc_id")
        if source:
            click.echo(f"   from {source}")

"""TBX interchange: TBX-Basic as defined by ISO 30042:2008 (the ``martif`` dialect).

We write the 2008 TBX-Basic core structure (``<martif type="TBX-Basic">``, DTD
``TBXBasiccoreStructV02.dtd``, XCS ``TBXBasicXCSV02.xcs``) rather than TBX v3
(ISO 30042:2019): it is what OmegaT, Trados MultiTerm, memoQ and translate-toolkit read.
One ``termEntry`` per concept::

    termEntry id=<id>
      descrip type=subjectField      category
      note                           note
      langSet xml:lang=zh
        tig  term=zh          termType fullForm, administrativeStatus preferred|admitted
        tig  term=<variant>   termType variant,  administrativeStatus admittedTerm-admn-sts
      langSet xml:lang=en
        tig  term=en          termType fullForm, administrativeStatus preferred|admitted,
                              admin type=source, xref type=externalCrossReference target=url
        tig  term=<alt>       termType variant,  administrativeStatus admittedTerm-admn-sts
        tig  term=<forbidden> administrativeStatus deprecatedTerm-admn-sts
        note                  enforcement: required|preferred|descriptive (when set)

The approved English rendering of an ``approved`` entry is ``preferredTerm-admn-sts``; of a
``proposed`` entry ``admittedTerm-admn-sts`` (so the entry's status survives a round trip).
Reading accepts ``tig`` and ``ntig``, regional language tags (zh-CN, en-GB) and files
without our termType notes (first non-deprecated term = the main one).

TBX-Basic has no data category for how strictly a rendering is enforced, so an entry's own
``enforcement`` travels as a free-text ``note`` of the English langSet (``enforcement:
required``), which CAT tools keep and show; an entry without one takes its category's
default again on import.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from workbench import __version__
from workbench.errors import InputError
from workbench.fileio import atomic_write
from workbench.glossary.model import Entry

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"
ENFORCEMENT_NOTE = "enforcement: "
DOCTYPE = '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str):
    node = etree.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        node.text = text
    return node


def _tig(lang_set, term: str, status: str, term_type: str | None = None):
    tig = _sub(lang_set, "tig")
    _sub(tig, "term", term)
    if term_type:
        _sub(tig, "termNote", term_type, type="termType")
    _sub(tig, "termNote", status, type="administrativeStatus")
    return tig


def tbx_document(entries: Iterable[Entry], title: str, description: str) -> bytes:
    """Return a TBX-Basic document (UTF-8 bytes) for the entries."""
    root = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: "en"})
    header = _sub(root, "martifHeader")
    file_desc = _sub(header, "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", title)
    _sub(_sub(file_desc, "sourceDesc"), "p", description)
    _sub(_sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = _sub(_sub(root, "text"), "body")
    for entry in entries:
        main_status = PREFERRED if entry.status == "approved" else ADMITTED
        node = _sub(body, "termEntry", id=entry.id)
        _sub(node, "descrip", entry.category, type="subjectField")
        if entry.note:
            _sub(node, "note", entry.note)
        zh = _sub(node, "langSet", **{XML_LANG: "zh"})
        _tig(zh, entry.zh, main_status, "fullForm")
        for variant in entry.zh_variants:
            _tig(zh, variant, ADMITTED, "variant")
        en = _sub(node, "langSet", **{XML_LANG: "en"})
        main = _tig(en, entry.en, main_status, "fullForm")
        if entry.source:
            _sub(main, "admin", entry.source, type="source")
        if entry.source_url:
            _sub(
                main,
                "xref",
                entry.source_url,
                type="externalCrossReference",
                target=entry.source_url,
            )
        for alternative in entry.en_alternatives:
            _tig(en, alternative, ADMITTED, "variant")
        for forbidden in entry.en_forbidden:
            _tig(en, forbidden, DEPRECATED)
        if entry.enforcement:
            _sub(en, "note", f"{ENFORCEMENT_NOTE}{entry.enforcement}")
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype=DOCTYPE) + b"\n"


def glossary_tbx(entries: Iterable[Entry], glossary_version: str = "") -> bytes:
    """Return the TBX-Basic document of a glossary, with the workbench header."""
    return tbx_document(
        entries,
        "workbench policy glossary (zh-en)",
        f"Exported by workbench {__version__} from glossary version {glossary_version}",
    )


def write_tbx(path: Path, entries: Iterable[Entry], glossary_version: str = "") -> None:
    """Write the entries as a TBX-Basic file, atomically."""
    with atomic_write(Path(path), "wb") as handle:
        handle.write(glossary_tbx(entries, glossary_version))


def _terms(lang_set) -> list[tuple[str, str, str, etree._Element]]:
    """Return (term, termType, administrativeStatus, container) for each tig/ntig."""
    found = []
    for container in lang_set.iter("tig", "ntig"):
        term = container.find(".//term")
        if term is None:
            continue
        notes = {n.get("type"): (n.text or "").strip() for n in container.iter("termNote")}
        text = "".join(term.itertext()).strip()
        found.append(
            (text, notes.get("termType", ""), notes.get("administrativeStatus", ""), container)
        )
    return found


def _split(terms):
    """Split a langSet's terms into the main one, the admitted others and the deprecated."""
    usable = [t for t in terms if "deprecated" not in t[2].lower() and t[0]]
    main = next((t for t in usable if t[1] == "fullForm"), usable[0] if usable else None)
    others = [t[0] for t in usable if t is not main]
    deprecated = [t[0] for t in terms if "deprecated" in t[2].lower() and t[0]]
    return main, others, deprecated


def _text(node, path: str) -> str:
    found = node.find(path)
    return "".join(found.itertext()).strip() if found is not None else ""


def read_tbx(path: Path) -> list[Entry]:
    """Read the zh-en concepts of a TBX file (2008 martif, TBX-Basic or similar)."""
    path = Path(path)
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InputError(f"{path}: not a readable TBX/XML file ({exc})") from None
    root = tree.getroot()
    if etree.QName(root).localname != "martif":
        raise InputError(
            f"{path}: root element is <{etree.QName(root).localname}>, not <martif>; "
            "only TBX 2008 (martif) files are read — convert TBX v3 files first"
        )
    for node in root.iter():  # drop namespaces some tools add, so paths stay simple
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            node.tag = etree.QName(node).localname
    entries = []
    for number, node in enumerate(root.iter("termEntry"), start=1):
        langs: dict[str, list] = {}
        for lang_set in node.iter("langSet"):
            lang = (lang_set.get(XML_LANG) or lang_set.get("lang") or "").lower()
            langs.setdefault(lang.split("-")[0].split("_")[0], []).extend(_terms(lang_set))
        zh_main, zh_others, _ = _split(langs.get("zh", []))
        en_main, en_others, en_forbidden = _split(langs.get("en", []))
        entry_id = node.get("id") or f"tbx-{number}"
        enforcement = ""
        for lang_set in node.iter("langSet"):
            for note in lang_set.findall("note"):
                text = "".join(note.itertext()).strip()
                if text.startswith(ENFORCEMENT_NOTE):
                    enforcement = text.removeprefix(ENFORCEMENT_NOTE).strip()
        if zh_main is None:
            raise InputError(f"{path}: termEntry {entry_id} has no Chinese (zh) term")
        source = url = ""
        if en_main is not None:
            source = _text(en_main[3], ".//admin[@type='source']")
            xref = en_main[3].find(".//xref")
            url = (
                (xref.get("target") or "".join(xref.itertext())).strip() if xref is not None else ""
            )
        entries.append(
            Entry(
                id=entry_id,
                zh=zh_main[0],
                zh_variants=zh_others,
                en=en_main[0] if en_main else "",
                en_alternatives=en_others,
                en_forbidden=en_forbidden,
                category=_text(node, "descrip[@type='subjectField']") or "concept",
                note=_text(node, "note"),
                source=source,
                source_url=url,
                status="approved" if en_main and en_main[2] == PREFERRED else "proposed",
                enforcement=enforcement,
            )
        )
    return entries

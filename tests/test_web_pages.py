"""The server-rendered pages through Flask's test client: content, escaping, forms."""

from __future__ import annotations

import re

import pytest
from test_web_helpers import (
    TOKEN,
    add_corpus,
    post_form,
    sample_corpus,
    sample_qa,
    sample_snapshot,
)

from workbench.glossary import load_glossary
from workbench.glossary.matcher import matcher_for
from workbench.models import Document, Sentence, TermMatch
from workbench.web.app import create_app

pytest_plugins = ["test_web_helpers"]


def html(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_search_page_finds_a_term_typed_in_traditional_script(web_client):
    page = html(web_client.get("/", query_string={"q": "兩不愁三保障"}))
    assert "two assurances and three guarantees" in page
    assert 'href="/terms/pov-003"' in page


def test_search_page_without_results_offers_a_proposal(web_client):
    page = html(web_client.get("/", query_string={"q": "量子"}))
    assert "No entry matches" in page and "/suggestions#propose" in page


def test_search_page_pages_through_long_lists(web_config):
    glossary_dir = web_config.paths.glossary_dir
    header = (glossary_dir / "terms.tsv").read_text(encoding="utf-8").splitlines()[0]
    rows = [f"gen-{n:03d}\t扶贫术语{n}\t\tterm {n}\t\t\tconcept\t\t\t\tproposed" for n in range(30)]
    (glossary_dir / "generated.tsv").write_text("\n".join([header, *rows]) + "\n", "utf-8")
    web_client = create_app(web_config).test_client()
    first = html(web_client.get("/", query_string={"q": "扶贫术语"}))
    assert "page 1 of 2" in first and "next →" in first
    second = html(web_client.get("/", query_string={"q": "扶贫术语", "page": 2}))
    assert len(re.findall(r'class="result"', second)) == 10


def test_term_page_shows_every_field_and_links_the_source(web_client):
    page = html(web_client.get("/terms/pov-003"))
    for text in (
        "两不愁三保障",
        "two assurances and three guarantees",
        "两不愁、三保障",
        "Two Assurances and Three Guarantees",
        "two worries and three guarantees",
        "China Keywords, 2021",
        "terms.tsv, line 3",
    ):
        assert text in page
    assert 'href="http://keywords.china.org.cn/2021-01/11/content_77102424.html"' in page


def test_term_page_lists_the_traditional_forms_the_matcher_accepts(web_client):
    page = html(web_client.get("/terms/pov-001"))
    assert '<span class="chip">精準扶貧</span>' in page
    assert '<span class="chip">兩不愁</span>' in html(web_client.get("/terms/pov-004"))


def test_term_page_without_a_corpus_says_how_to_get_one(web_client):
    assert "No corpus yet" in html(web_client.get("/terms/pov-001"))


def test_term_page_shows_example_sentences_with_the_term_highlighted(web_config):
    sample_corpus(web_config)
    web_client = create_app(web_config).test_client()
    page = html(web_client.get("/terms/pov-003"))
    assert "<mark>“两不愁、三保障”</mark>" in page or "<mark>两不愁、三保障</mark>" in page
    assert "1 sentence in the corpus" in page
    assert "doc-a-p0-s0" in page
    assert "does not occur" in html(web_client.get("/terms/pov-013"))


def test_term_page_uses_stored_tags_when_the_corpus_was_tagged_with_this_glossary(web_config):
    version = load_glossary(web_config.paths.glossary_dir).version
    text = "这句话由标注工具标记。"
    sentence = Sentence(
        id="t-s0",
        doc_id="t",
        paragraph=0,
        index=0,
        text=text,
        source_text=text,
        start=0,
        end=len(text),
        terms=[TermMatch(4, 6, text[4:6], "pov-014", "脱贫攻坚", "fight against poverty")],
    )
    document = Document("t", "seeds/t.txt", "0" * 64, "utf-8", text, title="tagged")
    add_corpus(web_config, [(document, [sentence])], glossary_version=version)
    page = html(create_app(web_config).test_client().get("/terms/pov-014"))
    assert "<mark>标注</mark>" in page  # the stored tag, which the matcher would not find
    assert "matched with the current glossary" not in page


def _corpus_of(web_config, texts: list[str], matcher=None, **manifest) -> None:
    """One document whose sentences are ``texts``, tagged by ``matcher`` when given."""
    document = Document("n", "seeds/n.txt", "0" * 64, "utf-8", "".join(texts), title="nested")
    rows, position = [], 0
    for index, text in enumerate(texts):
        terms = matcher.find(text) if matcher else []
        end = position + len(text)
        rows.append(Sentence(f"n-s{index}", "n", 0, index, text, text, position, end, terms=terms))
        position = end
    add_corpus(web_config, [(document, rows)], **manifest)


@pytest.mark.parametrize("tagged", [False, True], ids=["live-matched", "stored-tags"])
def test_term_page_lists_sentences_where_a_longer_entry_covers_the_term(web_config, tagged):
    glossary_dir = web_config.paths.glossary_dir
    header = (glossary_dir / "terms.tsv").read_text(encoding="utf-8").splitlines()[0]
    longer = "pol-900\t精准扶贫精准脱贫基本方略\t\tbasic strategy\t\t\tconcept\t\t\t\tproposed"
    (glossary_dir / "longer.tsv").write_text(f"{header}\n{longer}\n", "utf-8")
    texts = [
        "坚持精准扶贫精准脱贫基本方略。",  # only inside the longer entry
        "貫徹精準扶貧精準脫貧基本方略。",  # the same, in Traditional script
        "坚持精准扶贫。",  # the term itself
        "本句没有术语。",
    ]
    if tagged:
        glossary = load_glossary(glossary_dir)
        _corpus_of(web_config, texts, matcher_for(glossary), glossary_version=glossary.version)
    else:
        _corpus_of(web_config, texts)
    web_client = create_app(web_config).test_client()
    page = html(web_client.get("/terms/pov-001"))
    assert "3 sentences in the corpus" in page
    assert "in 2 of them only inside a longer entry" in page
    for sentence_id in ("n-s0", "n-s1", "n-s2"):
        assert sentence_id in page
    assert "n-s3" not in page
    assert "坚持<mark>精准扶贫</mark>精准脱贫基本方略。" in page
    assert "貫徹<mark>精準扶貧</mark>精準脫貧基本方略。" in page
    assert page.count('inside a longer entry: <span lang="zh-Hans">精准扶贫精准脱贫基本方略') == 2
    # The longer entry's own page is unchanged: its two sentences, nothing nested.
    longer_page = html(web_client.get("/terms/pol-900"))
    assert "2 sentences in the corpus" in longer_page
    assert "inside a longer entry" not in longer_page


def test_markup_in_terms_and_sentences_is_shown_as_text(web_config):
    sample_corpus(web_config)
    web_client = create_app(web_config).test_client()
    term_page = html(web_client.get("/terms/xss-001"))
    assert "<script>" not in term_page and "<img" not in term_page and "<b>" not in term_page
    assert "扶贫&lt;script&gt;alert(&#39;term&#39;)&lt;/script&gt;" in term_page
    assert "&lt;img src=x onerror=alert(1)&gt;" in term_page
    sentence_page = html(web_client.get("/terms/pov-011"))
    assert "&lt;script&gt;alert(&#39;sentence&#39;)&lt;/script&gt;" in sentence_page
    assert "<script>" not in sentence_page
    corpus_page = html(web_client.get("/corpus"))
    assert "&lt;i&gt;markup&lt;/i&gt;" in corpus_page and "<i>" not in corpus_page


def test_pages_forbid_scripts_by_content_security_policy(web_client):
    policy = web_client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'none'" in policy


def test_corpus_page_without_anything_says_what_to_run(web_client):
    page = html(web_client.get("/corpus"))
    assert "workbench ingest" in page and "workbench export" in page


def test_corpus_page_shows_documents_progress_and_qa_findings(web_config):
    sample_corpus(web_config)
    sample_snapshot(web_config)
    sample_qa(
        web_config,
        [
            {
                "sentence_id": "doc-a-p0-s0",
                "check": "term_rendering",
                "severity": "error",
                "message": "两不愁三保障 rendered as <two worries>",
            },
            {
                "sentence_id": "doc-b-p0-s1",
                "check": "length_ratio",
                "severity": "warning",
                "message": "target much longer than source",
            },
        ],
    )
    page = html(create_app(web_config).test_client().get("/corpus"))
    assert "2 documents · 5 sentences" in page
    assert re.search(r"2 / 3</td>", page)  # doc-a: two of three sentences annotated
    assert "0 / 2" in page  # doc-b: none pulled
    assert "2 findings" in page and "1 error" in page and "1 warning" in page
    assert "term_rendering" in page and "&lt;two worries&gt;" in page


def test_corpus_page_reads_a_bare_list_of_qa_findings(web_config):
    path = sample_qa(web_config, [])
    path.write_text(
        '[{"sentence_id": "s", "check": "empty", "severity": "error", '
        '"message": "no translation"}]',
        encoding="utf-8",
    )
    page = html(create_app(web_config).test_client().get("/corpus"))
    assert "1 finding in" in page and "no translation" in page


# -- proposal forms --------------------------------------------------------------------


def test_a_proposal_sent_from_the_page_is_queued(web_client):
    response = post_form(
        web_client,
        "/suggestions",
        data={
            "kind": "term",
            "zh": "产业扶贫",
            "en": "industrial poverty alleviation",
            "zh_variants": "发展产业 | 产业脱贫",
            "category": "programme",
        },
    )
    assert response.status_code == 303
    page = html(web_client.get(response.headers["Location"]))
    assert "Proposal 1 stored" in page and "产业扶贫" in page and "发展产业 · 产业脱贫" in page
    stored = web_client.get("/api/suggestions/1").get_json()["proposal"]
    assert stored["zh_variants"] == ["发展产业", "产业脱贫"]


def test_an_invalid_proposal_form_is_shown_again_with_its_problems(web_client):
    response = post_form(
        web_client, "/suggestions", data={"kind": "term", "zh": "产业扶贫", "en": ""}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The proposal was not stored" in page and "en" in page
    assert 'value="产业扶贫"' in page  # what was typed is kept
    assert web_client.get("/api/suggestions").get_json()["total"] == 0


def test_a_rendering_proposed_on_the_term_page_goes_back_to_it(web_client):
    response = post_form(
        web_client,
        "/suggestions",
        data={"kind": "rendering", "entry_id": "pov-010", "en": "filed poor"},
    )
    assert response.status_code == 303 and response.headers["Location"] == "/terms/pov-010"


def test_the_curator_signs_in_and_accepts_from_the_queue(web_client, web_config):
    post_form(
        web_client,
        "/suggestions",
        data={"kind": "term", "zh": "产业扶贫", "en": "industry aid", "source": "SCIO 2021"},
    )
    queue = html(web_client.get("/suggestions"))
    assert "Sign in" in queue and "/suggestions/1/accept" not in queue
    refused = post_form(web_client, "/suggestions/1/accept")
    assert refused.status_code == 401
    wrong = post_form(web_client, "/curator/sign-in", data={"token": "nope"}, follow_redirects=True)
    assert "not the curator token" in wrong.get_data(as_text=True)
    post_form(web_client, "/curator/sign-in", data={"token": TOKEN})
    queue = html(web_client.get("/suggestions"))
    assert "/suggestions/1/accept" in queue and "Signed in as curator" in queue
    done = post_form(
        web_client, "/suggestions/1/accept", data={"id": "ind-001"}, follow_redirects=True
    )
    assert "Proposal 1 accepted as ind-001 in accepted.tsv" in done.get_data(as_text=True)
    entry = load_glossary(web_config.paths.glossary_dir).get("ind-001")
    assert entry is not None and entry.zh == "产业扶贫"


def test_a_curator_sees_why_an_acceptance_failed(web_client):
    post_form(
        web_client,
        "/suggestions",
        data={"kind": "term", "zh": "精准扶贫", "en": "x", "source": "y"},
    )
    post_form(web_client, "/curator/sign-in", data={"token": TOKEN})
    queue = html(web_client.get("/suggestions"))
    assert "Already in the glossary as" in queue
    page = post_form(
        web_client, "/suggestions/1/accept", data={"file": "terms.tsv"}, follow_redirects=True
    )
    text = page.get_data(as_text=True)
    assert "Proposal 1 not accepted" in text and "pov-001" in text


def test_the_curator_rejects_with_a_reason(web_client):
    post_form(web_client, "/suggestions", data={"kind": "term", "zh": "产业扶贫", "en": "x"})
    post_form(web_client, "/curator/sign-in", data={"token": TOKEN})
    post_form(web_client, "/suggestions/1/reject", data={"reason": "too vague"})
    page = html(web_client.get("/suggestions", query_string={"status": "rejected"}))
    assert "too vague" in page


def test_corpus_page_reports_a_damaged_corpus_instead_of_failing(web_config):
    sample_corpus(web_config)
    sentences = web_config.work_dir / "corpus" / "part-00000" / "sentences.jsonl"
    sentences.write_text(sentences.read_text(encoding="utf-8") + "{broken\n", encoding="utf-8")
    web_client = create_app(web_config).test_client()
    page = html(web_client.get("/corpus"))
    assert "could not be read" in page and "sentences.jsonl:6" in page
    entry_page = html(web_client.get("/terms/pov-003"))  # entry pages still work
    assert "two assurances and three guarantees" in entry_page
    assert "could not be read" in entry_page


def test_qa_findings_are_listed_errors_first(web_config):
    sample_qa(
        web_config,
        [
            {"sentence_id": "s1", "check": "c", "severity": "info", "message": "third"},
            {"sentence_id": "s2", "check": "c", "severity": "error", "message": "first"},
            {"sentence_id": "s3", "check": "c", "severity": "warning", "message": "second"},
        ],
    )
    page = html(create_app(web_config).test_client().get("/corpus"))
    assert page.index("first") < page.index("second") < page.index("third")


def test_pages_need_no_javascript_and_load_nothing_from_other_hosts(web_config):
    sample_corpus(web_config)
    client = create_app(web_config).test_client()
    for path in ("/", "/?q=扶贫", "/terms/pov-003", "/suggestions", "/corpus"):
        page = html(client.get(path))
        assert "<script" not in page
        assert not re.search(r'src="(https?:)?//', page)  # no remote images, frames, …
        for link in re.findall(r"<link [^>]*>", page):  # stylesheets, icons: our own only
            assert re.search(r'href="/(?!/)', link), link
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "@import" not in css.get_data(as_text=True)
    assert "url(" not in css.get_data(as_text=True)


# -- QA findings that explain themselves --------------------------------------------------


def _missing_term_finding(web_config, en: str, check: str = "terminology.nonstandard") -> dict:
    """Run the real terminology check on a pair and return its finding for 两不愁三保障
    (``terminology.nonstandard`` when the dictionary shows the term in other words,
    ``terminology.missing`` when it does not)."""
    from workbench.models import SentencePair
    from workbench.qa import GlossaryView, PairChecker

    glossary = load_glossary(web_config.paths.glossary_dir)
    pair = SentencePair(id="s-1", doc_id="d", zh="实现两不愁三保障。", en=en)
    findings = PairChecker(GlossaryView.of(glossary)).check(pair)
    return next(f.to_dict() for f in findings if f.check == check)


def test_a_missing_term_finding_shows_expected_renderings_and_the_closest_stretch(web_config):
    finding = _missing_term_finding(
        web_config, "We ensure the three safeguards of rural life.", "terminology.missing"
    )
    assert finding["severity"] == "error"  # a slogan: required by default
    sample_qa(web_config, [finding])
    page = html(create_app(web_config).test_client().get("/corpus"))
    assert "Expected (required)" in page
    assert "two assurances and three guarantees" in page
    assert "Closest in the translation" in page and "three safeguards" in page
    assert "Propose as alternative" in page  # not signed in


def test_a_nonstandard_rendering_shows_the_stretch_found_and_offers_it_as_an_alternative(
    web_config,
):
    finding = _missing_term_finding(
        web_config, "We ensure the two no-worries and three safeguards."
    )
    # a required entry rendered in other words: a warning, not a missing-term error
    assert finding["severity"] == "warning"
    assert finding["details"]["found"] == "two no-worries and three safeguards"
    sample_qa(web_config, [finding])
    page = html(create_app(web_config).test_client().get("/corpus"))
    assert "Approved (required)" in page and "two assurances and three guarantees" in page
    assert "Rendered in the translation as" in page
    assert 'value="two no-worries and three safeguards"' in page  # the form, pre-filled
    assert "Propose as alternative" in page


def test_a_curator_turns_the_translators_rendering_into_an_alternative_in_one_step(
    web_client, web_config
):
    en = "We ensure the two no-worries and three safeguards."
    sample_qa(web_config, [_missing_term_finding(web_config, en)])
    post_form(web_client, "/curator/sign-in", {"token": TOKEN})
    assert "Accept as alternative" in html(web_client.get("/corpus"))
    response = post_form(
        web_client,
        "/findings/rendering",
        data={
            "entry_id": "pov-003",
            "en": "two no-worries and three safeguards",
            "sentence_id": "s-1",
        },
        follow_redirects=True,
    )
    assert "is now an accepted alternative of pov-003" in html(response)
    entry = load_glossary(web_config.paths.glossary_dir).get("pov-003")
    assert "two no-worries and three safeguards" in entry.en_alternatives
    [item] = web_client.get("/api/suggestions?status=accepted").get_json()["items"]
    assert item["proposal"]["sentence_id"] == "s-1"
    with pytest.raises(StopIteration):  # the same translation now passes
        _missing_term_finding(web_config, en)


def test_a_rendering_from_a_finding_waits_in_the_queue_unless_a_curator_sends_it(web_client):
    response = post_form(
        web_client,
        "/findings/rendering",
        {"entry_id": "pov-003", "en": "two no-worries"},
        follow_redirects=True,
    )
    assert "Proposal 1 stored" in html(response)
    assert web_client.get("/api/suggestions/1").get_json()["status"] == "pending"
    bad = post_form(web_client, "/findings/rendering", {"entry_id": "nope", "en": "x"})
    assert bad.status_code == 303
    assert "not stored" in html(web_client.get(bad.headers["Location"]))

"""The pages in a real headless Chromium against the real ``workbench serve`` process.

Screenshots land in test-artifacts/ (web-*.png) for a human to look at.
"""

from __future__ import annotations

import pytest
import requests
from test_web_helpers import (
    TOKEN,
    make_config,
    sample_corpus,
    sample_qa,
    sample_snapshot,
    serve_process,
)

pytest_plugins = ["test_web_helpers"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["/", "/?q=两不愁", "/terms/pov-003", "/terms/xss-001", "/suggestions", "/corpus"]


def _missing_term_finding(config, en: str) -> dict:
    """The real terminology check's finding for a translation that renders 两不愁三保障 in
    words the glossary does not list."""
    from workbench.glossary import load_glossary
    from workbench.models import SentencePair
    from workbench.qa import GlossaryView, PairChecker

    glossary = load_glossary(config.paths.glossary_dir)
    pair = SentencePair(id="doc-a-p0-s1", doc_id="doc-a", zh="实现两不愁三保障。", en=en)
    findings = PairChecker(GlossaryView.of(glossary)).check(pair)
    # the dictionary shows the slogan in other words: a non-standard rendering
    return next(f.to_dict() for f in findings if f.check == "terminology.nonstandard")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A served workbench with a corpus, a snapshot, QA findings and a hostile proposal."""
    root = tmp_path_factory.mktemp("site")
    config = make_config(root)
    sample_corpus(config)
    sample_snapshot(config)
    sample_qa(
        config,
        [
            {
                "sentence_id": "doc-a-p0-s0",
                "check": "term_rendering",
                "severity": "error",
                "message": "<script>alert('qa')</script> rendered wrongly",
            },
            _missing_term_finding(config, "We ensure the two no-worries and three safeguards."),
        ],
    )
    with serve_process(config, root / "serve.log") as url:
        hostile = {
            "kind": "term",
            "zh": "扶贫<script>alert('proposal')</script>",
            "en": "<img src=x onerror=alert('en')>",
            "comment": "<b>bold?</b>",
        }
        assert requests.post(f"{url}/api/suggestions", json=hostile, timeout=10).status_code == 201
        yield url


def test_searching_two_assurances_three_guarantees_shows_its_entry(site, page, artifacts_dir):
    page.goto(f"{site}/")
    page.fill("input[name=q]", "两不愁三保障")
    page.click("button[type=submit]")
    page.wait_for_url("**/?q=*")
    first = page.locator("li.result").first
    assert first.locator(".zh").inner_text() == "两不愁三保障"
    assert first.locator(".en").inner_text() == "two assurances and three guarantees"
    page.screenshot(path=str(artifacts_dir / "web-search.png"), full_page=True)
    first.locator(".zh").click()
    page.wait_for_url("**/terms/pov-003")
    assert "China Keywords" in page.inner_text("main")
    assert page.locator("mark").count() >= 1  # the term highlighted in a corpus sentence
    page.screenshot(path=str(artifacts_dir / "web-term.png"), full_page=True)


def test_a_traditional_query_in_the_browser_finds_the_simplified_entry(site, page):
    page.goto(f"{site}/")
    page.fill("input[name=q]", "兩不愁、三保障")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/?q=*")
    assert page.locator("li.result .zh").first.inner_text() == "两不愁三保障"


def test_markup_in_terms_sentences_and_proposals_shows_as_text_and_never_runs(
    site, page, artifacts_dir
):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    expectations = {
        "/terms/xss-001": ["扶贫<script>alert('term')</script>", "<img src=x onerror=alert(1)>"],
        "/terms/pov-011": ["第一书记<script>alert('sentence')</script>驻村帮扶。"],
        "/suggestions": [
            "扶贫<script>alert('proposal')</script>",
            "<img src=x onerror=alert('en')>",
        ],
        "/corpus": ["<script>alert('qa')</script> rendered wrongly", "<i>markup</i>"],
    }
    for path, texts in expectations.items():
        page.goto(f"{site}{path}")
        shown = page.inner_text("main")
        for text in texts:
            assert text in shown, f"{text!r} not shown literally on {path}"
        assert page.locator("main script, main img, main b, main i").count() == 0
    page.goto(f"{site}/terms/xss-001")
    page.screenshot(path=str(artifacts_dir / "web-escaped.png"), full_page=True)
    assert dialogs == []


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_a_phone_screen_without_horizontal_scrolling(site, browser, path, artifacts_dir):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True
    )
    try:
        phone = context.new_page()
        phone.goto(f"{site}{path}")
        widths = phone.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1] == 375, f"{path} scrolls sideways: {widths}"
        name = path.strip("/").replace("/", "-").replace("?q=", "q-") or "home"
        phone.screenshot(path=str(artifacts_dir / f"web-phone-{name}.png"), full_page=True)
    finally:
        context.close()


def test_chinese_is_set_in_a_cjk_font_that_is_installed(site, page):
    page.goto(f"{site}/terms/pov-003")
    family = page.evaluate(
        "() => getComputedStyle(document.querySelector('.entry h1 .zh')).fontFamily"
    )
    assert "Noto Sans CJK SC" in family
    assert page.evaluate("() => document.fonts.check('16px \"Noto Sans CJK SC\"', '两不愁')")
    # A CJK glyph from a real font is about as wide as it is tall, never a zero-width box.
    width = page.evaluate(
        """() => { const s = document.createElement('span');
                   s.lang = 'zh-Hans'; s.style.fontSize = '40px'; s.textContent = '贫';
                   document.body.appendChild(s); return s.getBoundingClientRect().width; }"""
    )
    assert 30 <= width <= 50


def test_the_curator_accepts_a_proposal_in_the_browser(site, page, artifacts_dir):
    proposal = {
        "kind": "term",
        "zh": "光伏扶贫",
        "en": "photovoltaic poverty alleviation",
        "source": "NEA, 2016",
    }
    created = requests.post(f"{site}/api/suggestions", json=proposal, timeout=10).json()
    page.goto(f"{site}/suggestions")
    page.fill("form.signin input[name=token]", TOKEN)
    page.click("form.signin button")
    page.wait_for_selector("text=Signed in as curator")
    item = page.locator(f"#s{created['id']}")
    item.locator("button:has-text('Accept')").click()
    page.wait_for_selector(f"text=Proposal {created['id']} accepted as")
    page.screenshot(path=str(artifacts_dir / "web-queue.png"), full_page=True)
    page.goto(f"{site}/?q=光伏扶贫")
    assert page.locator("li.result .en").first.inner_text() == "photovoltaic poverty alleviation"


def test_a_curator_accepts_a_translators_rendering_from_the_findings_page(
    site, page, artifacts_dir
):
    page.goto(f"{site}/suggestions")
    page.fill("form.signin input[name=token]", TOKEN)
    page.click("form.signin button")
    page.wait_for_selector("text=Signed in as curator")
    page.goto(f"{site}/corpus")
    finding = page.locator("li.finding", has_text="Rendered in the translation as")
    assert finding.locator("q.found").inner_text() == "two no-worries and three safeguards"
    assert "two assurances and three guarantees" in finding.inner_text()
    page.screenshot(path=str(artifacts_dir / "web-findings.png"), full_page=True)
    finding.locator("input[name=en]").fill("two no-worries and three safeguards")
    finding.locator("button:has-text('Accept as alternative')").click()
    page.wait_for_selector("text=is now an accepted alternative of pov-003")
    entry = requests.get(f"{site}/api/terms/pov-003", timeout=10).json()
    assert "two no-worries and three safeguards" in entry["en_alternatives"]

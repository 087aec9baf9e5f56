"""Cleaning rules and metadata: boilerplate removed and listed, metadata kept as fields."""

from __future__ import annotations

import pytest

from workbench.config import load_config
from workbench.errors import ConfigError
from workbench.ingest.clean import clean_text, read_cleaning_rules
from workbench.ingest.html_text import html_to_text, looks_like_html
from workbench.ingest.metadata import normalize_date


@pytest.fixture(scope="module")
def rules():
    return read_cleaning_rules(load_config().ingest.cleaning_rules)


BODY = "为深入贯彻落实中央扶贫开发工作会议精神，现提出如下实施意见。"


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("当前位置: 2017首页>网上直播>", "breadcrumb"),
        ("當前位置：首頁 > 政策解讀", "breadcrumb"),
        ("您现在的位置：首页 > 新闻", "breadcrumb"),
        ("分享到:", "share-widget"),
        ("分享到：微信 微博 QQ空间", "share-widget"),
        ("+|-", "font-size-widget"),
        ("【字体：大 中 小】", "font-size-widget"),
        ("Baidu", "map-junk"),
        ("map", "map-junk"),
        ("【打印本页】【关闭窗口】", "page-tools"),
        ("浏览次数：1234", "view-counter"),
    ],
)
def test_boilerplate_line_is_removed_and_listed_with_its_rule(line, rule, rules):
    text = f"标题\n{BODY}\n{line}\n{BODY}\n"
    cleaned = clean_text(text, rules)
    assert [r["rule"] for r in cleaned.removed] == [rule]
    removed = cleaned.removed[0]
    assert text[removed["start"] : removed["end"]] == removed["text"] == line
    assert [ln.text for ln in cleaned.lines] == ["标题", BODY, BODY]


def test_body_text_that_starts_like_boilerplate_is_kept(rules):
    long_line = "分享到各村的扶贫经验表明，" + BODY * 2
    cleaned = clean_text(f"{BODY}\n{long_line}\n", rules)
    assert cleaned.removed == []
    assert [ln.text for ln in cleaned.lines] == [BODY, long_line]


def test_lone_number_is_removed_only_in_the_footer(rules):
    body = "\n".join([BODY] * 20)
    cleaned = clean_text(f"0\n{body}\n分享到:\n0\n", rules)
    assert [r["rule"] for r in cleaned.removed] == ["share-widget", "counter"]
    assert cleaned.lines[0].text == "0"


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        (
            "发布时间:2018-01-30 15:33:54  |  来源:吉林省  |  作者:   |  责任编辑:孙宇",
            {"published": "2018-01-30T15:33:54", "source": "吉林省", "editor": "孙宇"},
        ),
        (
            "来源: 柳州扶贫信息网  |   发布日期: 2019-07-13 11:13    |  作者: 市综合协调组",
            {"source": "柳州扶贫信息网", "published": "2019-07-13T11:13", "author": "市综合协调组"},
        ),
        (
            "文章来源: 中国吉林网 发布时间: 2016-02-17 责任编辑: 李虹霖",
            {"source": "中国吉林网", "published": "2016-02-17", "editor": "李虹霖"},
        ),
        ("  • 日期:2018-06-20", {"published": "2018-06-20"}),
        ("17.01.2017  21:04", {"published": "2017-01-17T21:04"}),
        ("發佈日期：2019年5月20日", {"published": "2019-05-20"}),
    ],
)
def test_metadata_lines_become_fields(line, fields, rules):
    cleaned = clean_text(f"标题\n{line}\n{BODY}\n", rules)
    assert cleaned.fields == fields
    assert cleaned.removed[0]["text"] == line.strip()
    assert [ln.text for ln in cleaned.lines] == ["标题", BODY]


def test_summary_metadata_keeps_its_prose_as_body(rules):
    text = f"访谈标题\n  • 简介: {BODY}\n"
    cleaned = clean_text(text, rules)
    assert cleaned.fields["summary"] == BODY
    assert [ln.text for ln in cleaned.lines] == ["访谈标题", BODY]
    assert cleaned.removed[0]["rule"] == "metadata-label"
    assert text[cleaned.lines[1].start : cleaned.lines[1].end] == BODY


def test_prose_mentioning_a_metadata_key_is_not_metadata(rules):
    line = "数据来源：国家统计局，全省贫困发生率下降到1.3%。"
    cleaned = clean_text(f"标题\n{line}\n", rules)
    assert cleaned.fields == {}
    assert [ln.text for ln in cleaned.lines] == ["标题", line]


def test_title_is_the_first_short_line_without_sentence_end(rules):
    assert clean_text(f"当前位置：首页\n关于脱贫攻坚的实施意见\n{BODY}\n", rules).title == (
        "关于脱贫攻坚的实施意见"
    )
    assert clean_text(f"{BODY}\n短行\n", rules).title is None
    assert clean_text("张树斌:\n各位记者\n", rules).title is None


def test_dates_normalise_to_iso():
    assert normalize_date("2018年1月30日 15时33分") == "2018-01-30T15:33"
    assert normalize_date("no date here") == "no date here"


def test_a_bad_rule_is_reported_with_file_and_name(tmp_path):
    bad = tmp_path / "cleaning.toml"
    bad.write_text('[[rules]]\nname = "broken"\npattern = "(["\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cleaning\.toml: \[\[rules\]\] broken: bad pattern"):
        read_cleaning_rules(bad)


def test_html_keeps_blocks_as_lines_and_drops_scripts_and_navigation():
    page = (
        "<!DOCTYPE html><html><head><title>标题_网站</title><script>var a=1;</script></head>"
        "<body><nav>首页 &gt; 新闻</nav><h1>全省脱贫攻坚</h1><p>第一段。\n第二行。</p>"
        "<p>第二段<br>换行</p><style>p{}</style></body></html>"
    )
    assert looks_like_html(page)
    result = html_to_text(page)
    assert result.title == "标题_网站"
    assert result.text.split("\n\n") == ["全省脱贫攻坚", "第一段。 第二行。", "第二段\n换行\n"]
    assert "var a" not in result.text and "首页" not in result.text


def test_editor_line_in_the_footer_becomes_a_field(rules):
    body = "\n".join([BODY] * 20)
    cleaned = clean_text(f"标题\n{body}\n【责任编辑：张三】\n", rules)
    assert cleaned.fields == {"editor": "张三"}
    assert cleaned.removed[-1]["rule"] == "metadata"
    assert len(cleaned.lines) == 21

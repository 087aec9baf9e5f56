"""The JSON API through Flask's test client: search, lookup, annotate, proposals, curation."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
from contextlib import closing

import pytest
from test_web_helpers import TOKEN, auth, make_config

from workbench.glossary import check_glossary, load_glossary
from workbench.web.app import create_app
from workbench.web.curator import curator_token, token_file
from workbench.web.suggestions import SuggestionStore

pytest_plugins = ["test_web_helpers"]

ERROR_KEYS = {"status", "code", "message", "details"}


def assert_error(response, status: int, code: str) -> dict:
    """Check the one error shape and return its inner object."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


# -- search --------------------------------------------------------------------------

SEARCHES = [
    # (query, first id expected, why)
    ("两不愁三保障", "pov-003", "canonical Simplified"),
    ("兩不愁三保障", "pov-003", "Traditional script"),
    ("两不愁、三保障", "pov-003", "variant with an enumeration comma"),
    ("“兩不愁、三保障”", "pov-003", "quoted Traditional variant"),
    ("两不愁", "pov-004", "exact match ranks before the longer term it prefixes"),
    ("两不", "pov-004", "prefix, shorter term first"),
    ("三保障", "pov-003", "substring of a term"),
    ("精準", "pov-001", "Traditional prefix"),
    ("建档立卡贫困户", "pov-010", "a zh variant"),
    ("TWO ASSURANCES AND", "pov-003", "English, any case, prefix"),
    ("three guarantees", "pov-003", "English substring"),
    ("first party secretary", "pov-011", "English alternative rendering"),
    ("pov-012", "pov-012", "entry id"),
]


@pytest.mark.parametrize(("query", "expected", "why"), SEARCHES, ids=[s[2] for s in SEARCHES])
def test_search_finds_terms_in_either_script_variant_or_english(web_client, query, expected, why):
    response = web_client.get("/api/terms", query_string={"q": query})
    assert response.status_code == 200
    body = response.get_json()
    assert body["items"], f"nothing found for {query!r} ({why})"
    assert body["items"][0]["id"] == expected


def test_search_without_a_match_returns_an_empty_page(web_client):
    body = web_client.get("/api/terms", query_string={"q": "量子计算"}).get_json()
    assert body["items"] == [] and body["total"] == 0


def test_search_filters_by_category_and_status(web_client):
    body = web_client.get("/api/terms", query_string={"category": "programme"}).get_json()
    assert {e["id"] for e in body["items"]} == {"pov-010", "pov-012"}
    body = web_client.get("/api/terms", query_string={"status": "proposed"}).get_json()
    assert [e["id"] for e in body["items"]] == ["pov-013"]
    body = web_client.get(
        "/api/terms", query_string={"q": "两不愁", "category": "policy"}
    ).get_json()
    assert body["total"] == 0


def test_search_pages_cover_every_entry_once_with_a_stable_total(web_client):
    seen = []
    for offset in range(0, 12, 4):
        body = web_client.get("/api/terms", query_string={"limit": 4, "offset": offset}).get_json()
        assert body["total"] == 9 and body["limit"] == 4 and body["offset"] == offset
        seen += [e["id"] for e in body["items"]]
    assert len(seen) == 9 and len(set(seen)) == 9


@pytest.mark.parametrize(
    "query",
    [{"limit": "0"}, {"limit": "101"}, {"limit": "ten"}, {"offset": "-1"}, {"category": "x"}],
)
def test_search_rejects_bad_parameters_with_400_naming_them(web_client, query):
    error = assert_error(web_client.get("/api/terms", query_string=query), 400, "bad_parameter")
    assert next(iter(query)) in error["message"]


def test_term_lookup_returns_every_field_and_its_source(web_client):
    body = web_client.get("/api/terms/pov-003").get_json()
    assert body["zh"] == "两不愁三保障"
    assert body["zh_variants"] == ["两不愁、三保障", "“两不愁、三保障”"]
    assert body["en"] == "two assurances and three guarantees"
    assert body["en_forbidden"] == ["two worries and three guarantees"]
    assert body["source"].startswith("China Keywords")
    assert body["source_url"].startswith("http://keywords.china.org.cn/")
    assert body["file"] == "terms.tsv" and body["line"] == 3


def test_unknown_term_is_a_404_in_the_error_shape(web_client):
    error = assert_error(web_client.get("/api/terms/pov-999"), 404, "not_found")
    assert "pov-999" in error["message"]


# -- annotate ------------------------------------------------------------------------


def test_annotate_finds_terms_in_traditional_text_with_offsets_into_it(web_client):
    text = "各地堅持精準扶貧，落實“兩不愁、三保障”和易地扶贫搬迁。"
    body = web_client.post("/api/annotate", json={"text": text}).get_json()
    found = [(m["entry_id"], text[m["start"] : m["end"]], m["text"]) for m in body["matches"]]
    assert [f[0] for f in found] == ["pov-001", "pov-003", "pov-012"]
    for _, sliced, reported in found:
        assert sliced == reported
    assert found[1][1] == "兩不愁、三保障"
    first = body["matches"][0]
    assert first["en"] == "targeted poverty alleviation"
    assert first["en_forbidden"] == ["precise poverty alleviation"]
    assert body["length"] == len(text)


def test_annotate_of_text_without_terms_returns_no_matches(web_client):
    body = web_client.post("/api/annotate", json={"text": "今天天气很好。"}).get_json()
    assert body["matches"] == []


# -- the one error shape, walked through every error path -----------------------------

DEEP = '{"text": ' + "[" * 500 + "]" * 500 + "}"
ERROR_CASES = [
    # (method, url, kwargs, status, code)
    ("post", "/api/annotate", {"data": DEEP, "content_type": "application/json"}, 400, "bad_json"),
    (
        "post",
        "/api/suggestions",
        {"data": DEEP, "content_type": "application/json"},
        400,
        "bad_json",
    ),
    (
        "post",
        "/api/suggestions",
        {"data": '{"kind": "term", "\\udc00": 1}', "content_type": "application/json"},
        400,
        "bad_json",
    ),
    (
        "post",
        "/api/annotate",
        {"data": "{not json", "content_type": "application/json"},
        400,
        "bad_json",
    ),
    (
        "post",
        "/api/annotate",
        {"data": "[1, 2]", "content_type": "application/json"},
        400,
        "bad_json",
    ),
    (
        "post",
        "/api/annotate",
        {"data": b"\xff\xfe", "content_type": "application/json"},
        400,
        "bad_json",
    ),
    ("post", "/api/annotate", {"data": "", "content_type": "application/json"}, 400, "bad_json"),
    (
        "post",
        "/api/annotate",
        {"data": '{"text": "\\ud800"}', "content_type": "application/json"},
        400,
        "bad_json",
    ),
    ("post", "/api/annotate", {"json": {"txt": "typo"}}, 422, "invalid_body"),
    ("post", "/api/annotate", {"json": {"text": 5}}, 422, "invalid_body"),
    (
        "post",
        "/api/annotate",
        {"data": "text=x", "content_type": "text/plain"},
        415,
        "unsupported_media_type",
    ),
    ("post", "/api/annotate", {"json": {"text": "扶贫" * 40000}}, 413, "body_too_large"),
    ("get", "/api/annotate", {}, 405, "method_not_allowed"),
    ("get", "/api/nothing-here", {}, 404, "not_found"),
    ("get", "/api/suggestions/99", {}, 404, "not_found"),
    ("get", "/api/suggestions/99999999999999999999999", {}, 404, "not_found"),
    ("get", "/api/suggestions?status=maybe", {}, 400, "bad_parameter"),
    ("post", "/api/suggestions", {"json": {"kind": "term", "zh": "扶贫"}}, 422, "invalid_body"),
    (
        "post",
        "/api/suggestions",
        {"json": {"kind": "term", "zh": "a\tb", "en": "x"}},
        422,
        "invalid_body",
    ),
    (
        "post",
        "/api/suggestions",
        {"json": {"kind": "rendering", "entry_id": "nope", "en": "x"}},
        404,
        "unknown_entry",
    ),
    ("post", "/api/suggestions/1/accept", {}, 401, "unauthorized"),
    (
        "post",
        "/api/suggestions/1/accept",
        {"headers": {"Authorization": "Bearer wrong"}},
        401,
        "unauthorized",
    ),
    (
        "post",
        "/api/suggestions/1/reject",
        {"headers": {"Authorization": "Basic eDp5"}},
        401,
        "unauthorized",
    ),
    ("post", "/api/suggestions/99/accept", {"headers": auth()}, 404, "not_found"),
    (
        "post",
        "/api/suggestions/99/reject",
        {"headers": auth(), "json": {"reason": 3}},
        422,
        "invalid_body",
    ),
]


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status", "code"),
    ERROR_CASES,
    ids=[f"{c[3]}-{c[4]}-{i}" for i, c in enumerate(ERROR_CASES)],
)
def test_every_api_error_has_the_one_error_shape(web_client, method, url, kwargs, status, code):
    response = getattr(web_client, method)(url, **kwargs)
    error = assert_error(response, status, code)
    assert isinstance(error["details"], list)


def test_schema_violations_are_listed_in_details(web_client):
    error = assert_error(
        web_client.post("/api/suggestions", json={"kind": "term", "zh": "", "en": "x", "extra": 1}),
        422,
        "invalid_body",
    )
    assert len(error["details"]) >= 2
    assert any("extra" in d for d in error["details"])


def test_unauthorized_answers_say_how_to_authenticate(web_client):
    response = web_client.post("/api/suggestions/1/accept")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.get_json()["error"]["message"]


def test_a_crash_is_a_500_in_the_error_shape_without_internals(web_config):
    web_app = create_app(web_config)

    @web_app.get("/api/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = web_app.test_client().get("/api/boom")
    error = assert_error(response, 500, "internal_error")
    assert "secret" not in response.get_data(as_text=True)
    assert error["details"] == []


# -- proposals and curation ----------------------------------------------------------

TERM = {
    "kind": "term",
    "zh": "产业扶贫",
    "en": "poverty alleviation through industrial development",
    "zh_variants": ["发展产业脱贫"],
    "category": "programme",
    "source": "SCIO white paper, 2021",
    "proposer": "annotator-1",
}


def test_a_proposal_is_stored_listed_and_fetched(web_client):
    response = web_client.post("/api/suggestions", json=TERM)
    assert response.status_code == 201
    created = response.get_json()
    assert response.headers["Location"] == f"/api/suggestions/{created['id']}"
    assert created["status"] == "pending" and created["proposal"]["zh"] == "产业扶贫"
    assert web_client.get(response.headers["Location"]).get_json() == created
    listing = web_client.get("/api/suggestions", query_string={"status": "pending"}).get_json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == created["id"]
    assert (
        web_client.get("/api/suggestions", query_string={"status": "accepted"}).get_json()["total"]
        == 0
    )


def test_concurrent_proposals_are_all_stored(web_app):
    errors = []

    def post_many(worker: int) -> None:
        local = web_app.test_client()
        for n in range(15):
            body = {"kind": "term", "zh": f"术语{worker}号{n}", "en": f"term {worker} {n}"}
            response = local.post("/api/suggestions", json=body)
            if response.status_code != 201:
                errors.append(response.get_data(as_text=True))

    threads = [threading.Thread(target=post_many, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    listing = web_app.test_client().get("/api/suggestions", query_string={"limit": 100}).get_json()
    assert listing["total"] == 120
    stored = {item["proposal"]["zh"] for item in listing["items"]}
    assert len(stored) == 100  # one page of the 120; ids are all distinct
    assert len({item["id"] for item in listing["items"]}) == 100


def test_accepting_a_term_writes_a_valid_glossary_row_and_serves_it(web_client, web_config):
    glossary_dir = web_config.paths.glossary_dir
    suggestion = web_client.post("/api/suggestions", json=TERM).get_json()
    response = web_client.post(f"/api/suggestions/{suggestion['id']}/accept", headers=auth())
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["action"] == "added" and body["file"] == "accepted.tsv"
    assert body["entry"]["id"] == "acc-001"
    assert body["suggestion"]["status"] == "accepted"
    assert check_glossary(glossary_dir) == []
    saved = load_glossary(glossary_dir).get("acc-001")
    assert saved.zh == "产业扶贫" and saved.zh_variants == ["发展产业脱贫"]
    assert saved.status == "approved" and saved.category == "programme"
    found = web_client.get("/api/terms", query_string={"q": "產業扶貧"}).get_json()
    assert found["items"][0]["id"] == "acc-001"
    again = web_client.post(f"/api/suggestions/{suggestion['id']}/accept", headers=auth())
    assert_error(again, 409, "already_decided")


def test_accepting_into_an_existing_file_continues_its_id_sequence(web_client, web_config):
    suggestion = web_client.post("/api/suggestions", json=TERM).get_json()
    response = web_client.post(
        f"/api/suggestions/{suggestion['id']}/accept", headers=auth(), json={"file": "terms.tsv"}
    )
    assert response.get_json()["entry"]["id"] == "pov-015"
    text = (web_config.paths.glossary_dir / "terms.tsv").read_text(encoding="utf-8")
    assert text.splitlines()[-1].startswith("pov-015\t产业扶贫\t")


def test_a_conflicting_proposal_is_refused_with_the_problems_and_nothing_written(
    web_client, web_config
):
    glossary_dir = web_config.paths.glossary_dir
    before = {p.name: p.read_bytes() for p in glossary_dir.iterdir()}
    duplicate = {"kind": "term", "zh": "精準扶貧", "en": "precision aid", "source": "x"}
    suggestion = web_client.post("/api/suggestions", json=duplicate).get_json()
    response = web_client.post(
        f"/api/suggestions/{suggestion['id']}/accept", headers=auth(), json={"file": "terms.tsv"}
    )
    error = assert_error(response, 409, "glossary_conflict")
    assert any("pov-001" in problem and "terms.tsv" in problem for problem in error["details"])
    assert {p.name: p.read_bytes() for p in glossary_dir.iterdir()} == before
    assert web_client.get(f"/api/suggestions/{suggestion['id']}").get_json()["status"] == "pending"


def test_an_approved_term_without_a_source_is_refused_until_the_curator_adds_one(web_client):
    suggestion = web_client.post(
        "/api/suggestions", json={"kind": "term", "zh": "扶志扶智", "en": "boost morale and skills"}
    ).get_json()
    url = f"/api/suggestions/{suggestion['id']}/accept"
    error = assert_error(web_client.post(url, headers=auth()), 409, "glossary_conflict")
    assert any("source" in problem for problem in error["details"])
    response = web_client.post(url, headers=auth(), json={"status": "proposed"})
    assert response.status_code == 200
    assert response.get_json()["entry"]["status"] == "proposed"


@pytest.mark.parametrize(
    ("as_", "expected_en", "expected_alternatives"),
    [
        ("alternative", "first secretary", ["first Party secretary", "village first secretary"]),
        ("preferred", "village first secretary", ["first secretary", "first Party secretary"]),
    ],
)
def test_accepting_a_rendering_updates_the_entry(
    web_client, web_config, as_, expected_en, expected_alternatives
):
    proposal = {"kind": "rendering", "entry_id": "pov-011", "en": "village first secretary"}
    suggestion = web_client.post("/api/suggestions", json=proposal).get_json()
    response = web_client.post(
        f"/api/suggestions/{suggestion['id']}/accept", headers=auth(), json={"as": as_}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["action"] == as_
    entry = load_glossary(web_config.paths.glossary_dir).get("pov-011")
    assert entry.en == expected_en
    assert entry.en_alternatives == expected_alternatives
    assert web_client.get("/api/terms/pov-011").get_json()["en"] == expected_en


def test_rejecting_keeps_the_glossary_and_records_the_reason(web_client, web_config):
    glossary_dir = web_config.paths.glossary_dir
    before = (glossary_dir / "terms.tsv").read_bytes()
    suggestion = web_client.post("/api/suggestions", json=TERM).get_json()
    response = web_client.post(
        f"/api/suggestions/{suggestion['id']}/reject",
        headers=auth(),
        json={"reason": "covered by pov-001"},
    )
    assert response.status_code == 200
    assert response.get_json()["decision"] == {"reason": "covered by pov-001"}
    assert (glossary_dir / "terms.tsv").read_bytes() == before
    assert not (glossary_dir / "accepted.tsv").exists()
    assert_error(
        web_client.post(f"/api/suggestions/{suggestion['id']}/accept", headers=auth()),
        409,
        "already_decided",
    )


def test_health_reports_the_glossary_and_the_queue(web_client):
    web_client.post("/api/suggestions", json=TERM)
    body = web_client.get("/api/health").get_json()
    assert body["status"] == "ok"
    assert body["glossary"]["entries"] == 9 and body["glossary"]["error"] is None
    assert body["suggestions"] == {"pending": 1, "accepted": 0, "rejected": 0}
    assert web_client.get("/healthz").get_json() == {"status": "ok"}


# -- the curator token ---------------------------------------------------------------


def test_without_a_configured_token_one_is_generated_private_and_kept(tmp_path):
    config = make_config(tmp_path, curator_token="")
    token = curator_token(config)
    path = token_file(config)
    assert len(token) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert curator_token(config) == token
    web_app = create_app(config)
    suggestion = web_app.test_client().post("/api/suggestions", json=TERM).get_json()
    url = f"/api/suggestions/{suggestion['id']}/reject"
    assert web_app.test_client().post(url, headers=auth(TOKEN)).status_code == 401
    assert web_app.test_client().post(url, headers=auth(token)).status_code == 200


def test_a_configured_token_wins_over_the_stored_one(tmp_path):
    generated = curator_token(make_config(tmp_path, curator_token=""))
    assert curator_token(make_config(tmp_path, curator_token="from-config")) == "from-config"
    assert generated != "from-config"


def test_proposals_from_several_processes_at_once_are_all_stored(tmp_path):
    script = (
        "import sys\n"
        "from workbench.web.suggestions import SuggestionStore\n"
        "store = SuggestionStore(sys.argv[1])\n"
        "for n in range(40):\n"
        "    store.add('term', {'kind': 'term', 'zh': f'术语{sys.argv[2]}-{n}', 'en': 'x'})\n"
    )
    path = tmp_path / "service" / "suggestions.sqlite3"
    SuggestionStore(path)
    workers = [
        subprocess.Popen([sys.executable, "-c", script, str(path), str(w)]) for w in range(4)
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0, 0, 0]
    items, total = SuggestionStore(path).list(limit=1000)
    assert total == 160
    assert len({item.proposal["zh"] for item in items}) == 160


def test_the_proposal_database_is_private_to_its_owner(tmp_path):
    old_umask = os.umask(0o022)  # a usual login umask: new files 0644 unless made private
    folder = tmp_path / "work" / "service"
    try:
        web_app = create_app(make_config(tmp_path))
        # a reader holding the database open keeps the -wal and -shm files in place
        with closing(sqlite3.connect(folder / "suggestions.sqlite3")) as reader:
            reader.execute("SELECT COUNT(*) FROM suggestions").fetchone()
            assert web_app.test_client().post("/api/suggestions", json=TERM).status_code == 201
            files = sorted(folder.glob("suggestions.sqlite3*"))
            modes = {f.name: stat.S_IMODE(f.stat().st_mode) for f in files}
    finally:
        os.umask(old_umask)
    assert set(modes) == {
        "suggestions.sqlite3",
        "suggestions.sqlite3-wal",
        "suggestions.sqlite3-shm",
    }
    assert set(modes.values()) == {0o600}, modes
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_existing_world_readable_database_is_narrowed(tmp_path):
    path = tmp_path / "service" / "suggestions.sqlite3"
    SuggestionStore(path)
    os.chmod(path, 0o644)
    SuggestionStore(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

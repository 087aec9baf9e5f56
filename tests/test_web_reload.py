"""Glossary hot reload: edits are served without a restart, broken edits are not applied,
and readers never see a half-loaded glossary while files change under them."""

from __future__ import annotations

import os
import threading

from test_web_helpers import auth, make_config

from workbench.web.app import create_app
from workbench.web.reload import GlossaryReloader

pytest_plugins = ["test_web_helpers"]

NEW_ROW = (
    "pov-020\t扶贫车间\t\tpoverty alleviation workshop\t\t\tinstitution\t"
    "Factories set up in villages.\tXinhua, 2019\t\tapproved\n"
)
BROKEN_ROW = "pov-021\t扶贫小额信贷\t\tmicrocredit\t\t\tnot-a-category\t\t\t\tapproved\n"


def glossary_file(config):
    return config.paths.glossary_dir / "terms.tsv"


def append(path, row: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(row)


def test_an_edited_glossary_file_is_served_without_a_restart(web_config, web_client):
    before = web_client.get("/api/health").get_json()["glossary"]
    assert web_client.get("/api/terms", query_string={"q": "扶贫车间"}).get_json()["total"] == 0
    append(glossary_file(web_config), NEW_ROW)
    found = web_client.get("/api/terms", query_string={"q": "扶貧車間"}).get_json()
    assert [e["id"] for e in found["items"]] == ["pov-020"]
    assert found["glossary_version"] != before["version"]
    matches = web_client.post("/api/annotate", json={"text": "建设扶贫车间。"}).get_json()[
        "matches"
    ]
    assert [m["entry_id"] for m in matches] == ["pov-020"]
    after = web_client.get("/api/health").get_json()["glossary"]
    assert after["reloads"] == 1 and after["entries"] == before["entries"] + 1


def test_a_broken_edit_keeps_the_last_good_glossary_and_reports_the_problem(web_config, web_client):
    version = web_client.get("/api/health").get_json()["glossary"]["version"]
    path = glossary_file(web_config)
    good = path.read_text(encoding="utf-8")
    append(path, BROKEN_ROW)
    health = web_client.get("/api/health").get_json()
    assert health["status"] == "degraded"
    assert health["glossary"]["version"] == version
    problems = health["glossary"]["error"]["problems"]
    assert any("terms.tsv:11" in p and "category" in p for p in problems), problems
    assert web_client.get("/api/terms/pov-003").status_code == 200
    page = web_client.get("/").get_data(as_text=True)
    assert "could not be loaded" in page and "not-a-category" in page
    path.write_text(good + NEW_ROW, encoding="utf-8")
    health = web_client.get("/api/health").get_json()
    assert health["status"] == "ok" and health["glossary"]["error"] is None
    assert web_client.get("/api/terms/pov-020").status_code == 200


def test_a_removed_file_is_noticed(web_config, web_client):
    config_dir = web_config.paths.glossary_dir
    extra = config_dir / "extra.tsv"
    header = glossary_file(web_config).read_text(encoding="utf-8").splitlines()[0]
    extra.write_text(header + "\n" + NEW_ROW, encoding="utf-8")
    assert web_client.get("/api/terms/pov-020").status_code == 200
    extra.unlink()
    assert web_client.get("/api/terms/pov-020").status_code == 404


def test_unchanged_files_are_not_reloaded(web_config):
    web_app = create_app(web_config)
    local = web_app.test_client()
    for _ in range(20):
        local.get("/api/terms", query_string={"q": "扶贫"})
    assert local.get("/api/health").get_json()["glossary"]["reloads"] == 0


def test_files_are_checked_at_most_once_per_interval(web_config):
    now = [0.0]
    reloader = GlossaryReloader(web_config.paths.glossary_dir, interval=5.0, clock=lambda: now[0])
    first = reloader.current()
    append(glossary_file(web_config), NEW_ROW)
    now[0] = 4.9
    assert reloader.current() is first
    now[0] = 5.0
    assert reloader.current() is not first
    assert reloader.current().glossary.get("pov-020") is not None


def test_readers_always_see_one_whole_glossary_version_during_edits(tmp_path):
    config = make_config(tmp_path)
    web_app = create_app(config)
    path = glossary_file(config)
    without = path.read_text(encoding="utf-8")
    versions: dict[str, bool] = {}  # glossary version -> has pov-020
    for text, has_term in ((without + NEW_ROW, True), (without, False)):
        path.write_text(text, encoding="utf-8")
        health = web_app.test_client().get("/api/health").get_json()
        versions[health["glossary"]["version"]] = has_term
    stop = threading.Event()
    failures: list[str] = []
    seen: set[str] = set()

    def read() -> None:
        local = web_app.test_client()
        # A pause between requests: four threads in a tight loop starve the editing thread
        # of the GIL (each of its file operations waits behind them), which once made this
        # test take many minutes; the readers still overlap every reload.
        while not stop.wait(0.001):
            response = local.post("/api/annotate", json={"text": "建设扶贫车间，坚持精准扶贫。"})
            if response.status_code != 200:
                failures.append(f"{response.status_code}: {response.get_data(as_text=True)}")
                continue
            body = response.get_json()
            ids = [m["entry_id"] for m in body["matches"]]
            version = body["glossary_version"]
            seen.add(version)
            if (
                version not in versions
                or ("pov-020" in ids) != versions[version]
                or ("pov-001" not in ids)
            ):
                failures.append(f"version {version} answered {ids}")

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    try:
        for n in range(30):
            # Replace the file whole (as editors and add_entry do) or break it for a moment.
            text = (without + NEW_ROW) if n % 2 == 0 else without
            if n % 5 == 4:
                text = without + BROKEN_ROW
            tmp = path.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
            web_app.extensions["workbench"].glossary.check_now()
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert failures == []
    assert seen == set(versions)  # both versions were served while editing


# -- an edit that drops many entries is held until a curator confirms it ---------------

EXTRA_ROWS = [
    f"ext-{n:03d}\t扶贫附加术语{n}\t\textra term {n}\t\t\tconcept\t\t\t\tproposed\n"
    for n in range(30)
]


def with_extra_file(config):
    """Add a second file of 30 entries (39 in all) and return its path."""
    header = glossary_file(config).read_text(encoding="utf-8").splitlines()[0]
    extra = config.paths.glossary_dir / "extra.tsv"
    extra.write_text(header + "\n" + "".join(EXTRA_ROWS), encoding="utf-8")
    return extra


def test_deleting_a_whole_file_is_held_as_degraded_and_the_old_glossary_served(web_config):
    extra = with_extra_file(web_config)
    web_client = create_app(web_config).test_client()
    before = web_client.get("/api/health").get_json()["glossary"]
    assert before["entries"] == 39
    extra.unlink()
    health = web_client.get("/api/health").get_json()
    assert health["status"] == "degraded"
    held = health["glossary"]["held"]
    assert held["dropped"] == 30 and held["entries"] == 9
    assert held["dropped_ids"][:2] == ["ext-000", "ext-001"]
    assert health["glossary"]["version"] == before["version"]
    assert web_client.get("/api/terms/ext-007").status_code == 200  # still served
    page = web_client.get("/").get_data(as_text=True)
    assert "A glossary edit is held" in page and "ext-000" in page


def test_the_curator_confirms_the_held_version_through_the_api(web_config):
    extra = with_extra_file(web_config)
    web_client = create_app(web_config).test_client()
    web_client.get("/api/health")
    extra.unlink()
    held = web_client.get("/api/health").get_json()["glossary"]["held"]
    url = "/api/glossary/confirm"
    assert web_client.post(url, json={"version": held["version"]}).status_code == 401
    wrong = web_client.post(url, json={"version": "0" * 12}, headers=auth())
    assert wrong.status_code == 409 and wrong.get_json()["error"]["code"] == "nothing_held"
    assert web_client.get("/api/terms/ext-007").status_code == 200
    done = web_client.post(url, json={"version": held["version"]}, headers=auth())
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json()["status"] == "ok"
    assert done.get_json()["glossary"]["version"] == held["version"]
    assert web_client.get("/api/terms/ext-007").status_code == 404


def test_restoring_the_file_clears_the_hold(web_config):
    extra = with_extra_file(web_config)
    text = extra.read_text(encoding="utf-8")
    web_client = create_app(web_config).test_client()
    web_client.get("/api/health")
    extra.unlink()
    assert web_client.get("/api/health").get_json()["glossary"]["held"] is not None
    extra.write_text(text, encoding="utf-8")
    health = web_client.get("/api/health").get_json()
    assert health["status"] == "ok" and health["glossary"]["held"] is None
    assert health["glossary"]["entries"] == 39


def test_a_small_removal_is_applied_at_once(web_config):
    extra = with_extra_file(web_config)
    web_client = create_app(web_config).test_client()
    web_client.get("/api/health")
    header = glossary_file(web_config).read_text(encoding="utf-8").splitlines()[0]
    extra.write_text(header + "\n" + "".join(EXTRA_ROWS[:27]), encoding="utf-8")  # 3 of 39
    health = web_client.get("/api/health").get_json()
    assert health["status"] == "ok" and health["glossary"]["entries"] == 36


def test_the_drop_share_is_a_setting(tmp_path):
    config = make_config(tmp_path, reload_max_drop=1.0)
    extra = with_extra_file(config)
    web_client = create_app(config).test_client()
    web_client.get("/api/health")
    extra.unlink()
    assert web_client.get("/api/health").get_json()["glossary"]["entries"] == 9

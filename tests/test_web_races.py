"""Curators racing on the real served app: one lock around every glossary write.

Two ``workbench serve`` processes share one work folder and one glossary (as two
curators' terminals would); accepts and rejects of the same proposal are fired at both
at the same instant from many threads. Whatever the interleaving, a proposal ends up
decided once, and a rejected proposal's term is never in the files nor served.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import requests
from test_web_helpers import TOKEN, make_config, serve_process

from workbench.glossary import load_glossary
from workbench.glossary.termbase import glossary_lock
from workbench.web.curation import accept_suggestion
from workbench.web.suggestions import SuggestionStore, store_path

pytest_plugins = ["test_web_helpers"]

pytestmark = pytest.mark.slow

PROPOSALS = 12
RACERS = 4  # accepts and as many rejects per proposal


def served(base: str, zh: str) -> bool:
    """Whether a server serves ``zh`` (it checks the files on a request once per 0.2 s)."""
    return bool(requests.get(f"{base}/api/terms", params={"q": zh}, timeout=10).json()["total"])


def test_racing_accepts_and_rejects_never_serve_a_rejected_term(tmp_path):
    config = make_config(tmp_path)
    glossary_dir = config.paths.glossary_dir
    with (
        serve_process(config, tmp_path / "a.log") as first,
        serve_process(config, tmp_path / "b.log") as second,
    ):
        ids = []
        for n in range(PROPOSALS):
            body = {"kind": "term", "zh": f"竞态术语{n}号", "en": f"race term {n}", "source": "t"}
            ids.append(
                requests.post(f"{first}/api/suggestions", json=body, timeout=10).json()["id"]
            )
        outcomes: dict[int, list[tuple[str, int]]] = {i: [] for i in ids}
        barrier = threading.Barrier(2 * RACERS)

        def race(action: str, base: str) -> None:
            headers = {"Authorization": f"Bearer {TOKEN}"}
            with requests.Session() as session:
                for suggestion_id in ids:
                    barrier.wait(timeout=60)
                    response = session.post(
                        f"{base}/api/suggestions/{suggestion_id}/{action}",
                        json={"reason": "race"} if action == "reject" else {},
                        headers=headers,
                        timeout=60,
                    )
                    outcomes[suggestion_id].append((action, response.status_code))

        threads = [
            threading.Thread(target=race, args=(action, base))
            for action in ("accept", "reject")
            for base in (first, second) * (RACERS // 2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)

        time.sleep(0.5)  # past the reload interval of both servers
        glossary = load_glossary(glossary_dir)
        decided = {"accepted": 0, "rejected": 0}
        for n, suggestion_id in enumerate(ids):
            statuses = [status for _, status in outcomes[suggestion_id]]
            assert len(statuses) == 2 * RACERS
            # exactly one request won; every other one was told it came too late
            assert statuses.count(200) == 1, outcomes[suggestion_id]
            assert statuses.count(409) == 2 * RACERS - 1, outcomes[suggestion_id]
            state = requests.get(f"{second}/api/suggestions/{suggestion_id}", timeout=10).json()
            decided[state["status"]] += 1
            in_files = glossary.by_zh(f"竞态术语{n}号") is not None
            for base in (first, second):
                assert served(base, f"竞态术语{n}号") == (state["status"] == "accepted"), state
            assert in_files == (state["status"] == "accepted"), state
    # with four of each racing, both kinds of outcome really occurred
    assert decided["accepted"] and decided["rejected"], decided


def test_the_service_waits_for_the_lock_glossary_import_holds(tmp_path):
    """``glossary import`` and the service take the same folder lock (across processes)."""
    config = make_config(tmp_path)
    glossary_dir = config.paths.glossary_dir
    with serve_process(config, tmp_path / "serve.log") as url:
        body = {"kind": "term", "zh": "锁定术语", "en": "locked term", "source": "t"}
        suggestion_id = requests.post(f"{url}/api/suggestions", json=body, timeout=10).json()["id"]
        answers: list[int] = []

        def accept() -> None:
            response = requests.post(
                f"{url}/api/suggestions/{suggestion_id}/accept",
                headers={"Authorization": f"Bearer {TOKEN}"},
                json={},
                timeout=60,
            )
            answers.append(response.status_code)

        with glossary_lock(glossary_dir):  # what `workbench glossary import` holds
            worker = threading.Thread(target=accept)
            worker.start()
            worker.join(timeout=3)
            # the accept waits for the lock: nothing written, nothing decided yet
            assert answers == []
            state = requests.get(f"{url}/api/suggestions/{suggestion_id}", timeout=10).json()
            assert state["status"] == "pending"
            assert load_glossary(glossary_dir).by_zh("锁定术语") is None
        worker.join(timeout=60)
        assert answers == [200]
        assert load_glossary(glossary_dir).by_zh("锁定术语") is not None


def test_a_failure_to_record_the_acceptance_puts_the_files_back(tmp_path, monkeypatch):
    config = make_config(tmp_path)
    glossary_dir = config.paths.glossary_dir
    store = SuggestionStore(store_path(config.work_dir))
    term = store.add("term", {"kind": "term", "zh": "回滚术语", "en": "rolled back", "source": "t"})
    rendering = store.add("rendering", {"kind": "rendering", "entry_id": "pov-011", "en": "x y"})
    before = {p.name: p.read_bytes() for p in glossary_dir.iterdir()}

    def fail(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store, "decide", fail)
    for suggestion in (term, rendering):
        with pytest.raises(sqlite3.OperationalError):
            accept_suggestion(store, glossary_dir, suggestion.id, {}, "accepted.tsv")
        assert {p.name: p.read_bytes() for p in glossary_dir.iterdir()} == before
        assert store.get(suggestion.id).status == "pending"

"""Cross-site request forgery: every state-changing form and endpoint is protected.

Through Flask's test client: foreign Origin/Referer refused, forms without the session's
token refused, the curator cookie is a server-side session (never the token) that signing
out ends. In a real headless Chromium: a page served from another 127.0.0.1 port tries to
accept and reject proposals for a signed-in curator, and fails.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
from test_web_helpers import TOKEN, form_token, make_config, post_form, serve_process

from workbench.glossary import load_glossary

pytest_plugins = ["test_web_helpers"]

TERM = {"kind": "term", "zh": "光伏扶贫", "en": "photovoltaic poverty alleviation", "source": "NEA"}


def signed_in(client) -> None:
    response = post_form(client, "/curator/sign-in", {"token": TOKEN})
    assert response.status_code == 303


def propose(client) -> int:
    return client.post("/api/suggestions", json=TERM).get_json()["id"]


def status_of(client, suggestion_id: int) -> str:
    return client.get(f"/api/suggestions/{suggestion_id}").get_json()["status"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": "null"},
        {"Referer": "http://127.0.0.1:9999/attack.html"},
        {"Origin": "http://evil.example", "Referer": "http://localhost/suggestions"},
    ],
)
def test_a_curator_form_from_another_origin_is_refused(web_client, headers):
    signed_in(web_client)
    suggestion_id = propose(web_client)
    token = form_token(web_client)
    response = web_client.post(
        f"/suggestions/{suggestion_id}/accept",
        data={"csrf_token": token},
        headers=headers,
        base_url="http://localhost",
    )
    assert response.status_code == 403
    assert "may not change anything" in response.get_data(as_text=True)
    assert status_of(web_client, suggestion_id) == "pending"


def test_a_form_from_the_service_itself_is_accepted(web_client):
    signed_in(web_client)
    suggestion_id = propose(web_client)
    response = web_client.post(
        f"/suggestions/{suggestion_id}/reject",
        data={"csrf_token": form_token(web_client), "reason": "dup"},
        headers={"Origin": "http://localhost"},
        base_url="http://localhost",
    )
    assert response.status_code == 303
    assert status_of(web_client, suggestion_id) == "rejected"


@pytest.mark.parametrize("token", [None, "", "guessed"])
def test_a_form_without_the_sessions_token_is_refused(web_client, token):
    signed_in(web_client)
    suggestion_id = propose(web_client)
    data = {} if token is None else {"csrf_token": token}
    response = web_client.post(f"/suggestions/{suggestion_id}/accept", data=data)
    assert response.status_code == 403
    assert "reload the page" in response.get_data(as_text=True)
    assert status_of(web_client, suggestion_id) == "pending"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/suggestions", {"kind": "term", "zh": "产业扶贫", "en": "industry aid"}),
        ("/curator/sign-in", {"token": TOKEN}),
        ("/curator/sign-out", {}),
        ("/glossary/confirm", {"version": "x"}),
    ],
)
def test_every_page_form_needs_the_token(web_client, path, data):
    assert web_client.post(path, data=data).status_code == 403


def test_a_foreign_origin_cannot_post_to_the_api_either(web_client):
    response = web_client.post(
        "/api/suggestions", json=TERM, headers={"Origin": "http://127.0.0.1:9999"}
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden_origin"
    assert web_client.get("/api/suggestions").get_json()["total"] == 0
    assert web_client.post("/api/suggestions", json=TERM).status_code == 201  # curl: no Origin


def test_the_curator_cookie_is_a_session_not_the_token_and_sign_out_ends_it(web_app):
    browser = web_app.test_client()
    signed_in(browser)
    cookie = browser.get_cookie("workbench_curator")
    assert cookie is not None and TOKEN not in cookie.value and cookie.http_only
    suggestion_id = propose(browser)
    # a second client replaying the stolen cookie value is a curator while the session lives
    thief = web_app.test_client()
    thief.set_cookie("workbench_curator", cookie.value)
    assert "Signed in as curator" in thief.get("/suggestions").get_data(as_text=True)
    assert post_form(browser, "/curator/sign-out").status_code == 303
    assert "Sign in to accept" in browser.get("/suggestions").get_data(as_text=True)
    # ... and after sign-out the same value opens nothing
    replay = web_app.test_client()
    replay.set_cookie("workbench_curator", cookie.value)
    assert "Sign in to accept" in replay.get("/suggestions").get_data(as_text=True)
    assert post_form(replay, f"/suggestions/{suggestion_id}/accept").status_code == 401
    assert status_of(replay, suggestion_id) == "pending"


# -- a real browser and a hostile page on another port -----------------------------------

ATTACK_PAGE = """<!doctype html><html><body>
<h1>Totally unrelated page</h1>
<iframe name="sink" style="display:none"></iframe>
<form id="accept" method="post" target="sink" action="{base}/suggestions/{first}/accept">
  <input name="id" value="pwn-001"><input name="csrf_token" value="">
</form>
<form id="reject" method="post" target="sink" action="{base}/suggestions/{second}/reject">
  <input name="reason" value="rejected by a forged form">
</form>
<script>
  document.getElementById('accept').submit();
  setTimeout(() => document.getElementById('reject').submit(), 300);
  fetch('{base}/api/suggestions', {{method: 'POST', mode: 'no-cors', credentials: 'include',
        headers: {{'Content-Type': 'text/plain'}},
        body: JSON.stringify({{kind: 'term', zh: '伪造术语', en: 'forged'}})}});
  setTimeout(() => {{ document.title = 'done'; }}, 1200);
</script>
</body></html>"""


@contextmanager
def attacker_site(html: str) -> Iterator[str]:
    """Serve one hostile page from another loopback port; yield its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/attack.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.mark.browser
@pytest.mark.slow
def test_a_page_on_another_port_cannot_act_for_a_signed_in_curator(tmp_path, page, artifacts_dir):
    config = make_config(tmp_path)
    with serve_process(config, tmp_path / "serve.log") as base:
        first, second = (
            requests.post(f"{base}/api/suggestions", json=TERM | {"zh": zh}, timeout=10).json()[
                "id"
            ]
            for zh in ("光伏扶贫", "产业扶贫")
        )
        page.goto(f"{base}/suggestions")
        page.fill("form.signin input[name=token]", TOKEN)
        page.click("form.signin button")
        page.wait_for_selector("text=Signed in as curator")
        cookies = {c["name"]: c for c in page.context.cookies()}
        assert TOKEN not in cookies["workbench_curator"]["value"]
        assert cookies["workbench_curator"]["httpOnly"]

        with attacker_site(ATTACK_PAGE.format(base=base, first=first, second=second)) as evil:
            page.goto(evil)
            page.wait_for_function("document.title === 'done'", timeout=15000)
            page.screenshot(path=str(artifacts_dir / "web-csrf-attack.png"), full_page=True)

        for suggestion_id in (first, second):
            state = requests.get(f"{base}/api/suggestions/{suggestion_id}", timeout=10).json()
            assert state["status"] == "pending", state
        assert requests.get(f"{base}/api/suggestions", timeout=10).json()["total"] == 2
        assert load_glossary(config.paths.glossary_dir).get("pwn-001") is None

        # the same browser, on the service's own page, still can: the session was live
        page.goto(f"{base}/suggestions")
        page.locator(f"#s{first}").locator("button:has-text('Accept')").click()
        page.wait_for_selector(f"text=Proposal {first} accepted as")
        assert requests.get(f"{base}/api/suggestions/{first}", timeout=10).json()["status"] == (
            "accepted"
        )

"""The OpenAPI document is valid, covers every route, and survives schemathesis fuzzing."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.config import SchemathesisConfig
from test_web_helpers import TOKEN, auth, make_config

from workbench.web.app import create_app
from workbench.web.openapi import SPEC_FILE

pytest_plugins = ["test_web_helpers"]


def test_the_served_openapi_document_is_valid_openapi_3_1(web_client):
    response = web_client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)
    assert document == json.loads(SPEC_FILE.read_text(encoding="utf-8"))


def test_every_api_route_is_in_the_openapi_document(web_app, web_client):
    documented = set(web_client.get("/api/openapi.json").get_json()["paths"])
    routes = set()
    for rule in web_app.url_map.iter_rules():
        if rule.rule.startswith("/api") or rule.rule == "/healthz":
            path = rule.rule.replace("<path:entry_id>", "{entry_id}")
            path = path.replace("<int(signed=True):suggestion_id>", "{suggestion_id}")
            routes.add(path)
    assert routes == documented


class LateBoundApp:
    """A WSGI app whose target is set by a fixture: schemathesis's own follow-up requests
    (stateful checks) then reach the same isolated app as the generated ones."""

    target = None

    def __call__(self, environ, start_response):
        return self.target(environ, start_response)


FUZZED = LateBoundApp()


@pytest.fixture(scope="module", autouse=True)
def fuzzed_app(tmp_path_factory):
    FUZZED.target = create_app(make_config(tmp_path_factory.mktemp("fuzz")))
    yield FUZZED.target
    FUZZED.target = None


# 413 is how an oversize body is rejected; it counts as rejecting schema-violating data.
FUZZ_CONFIG = SchemathesisConfig.from_str(
    """
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422"]
"""
)
# Loaded from the file the app serves (checked equal above): collecting tests needs no app.
schema = schemathesis.openapi.from_path(SPEC_FILE, config=FUZZ_CONFIG)
schema.app = FUZZED

FUZZ_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@pytest.mark.slow
@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzzed_requests_get_documented_answers_and_never_a_5xx(case):
    case.call_and_validate()


@pytest.mark.slow
@schema.include(path_regex="/accept$|/reject$").parametrize()
@FUZZ_SETTINGS
def test_fuzzed_curation_with_the_token_never_gets_a_5xx(case):
    case.call_and_validate(headers=auth(TOKEN))


APIWorkflow = schema.as_state_machine()


@pytest.mark.slow
class TestStatefulAPIWorkflows(APIWorkflow.TestCase):
    """Sequences of calls following the document's links (create → fetch a proposal)."""

    settings = settings(
        max_examples=25,
        stateful_step_count=6,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )

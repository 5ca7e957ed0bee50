"""Schemathesis against /api/schema/: every operation, as a pupil and as a teacher.

Each test is one operation × one persona: Hypothesis generates `MAX_EXAMPLES` requests (plus
schemathesis' explicit examples and coverage cases), each sent in-process to the WSGI app with
the persona's DRF token. Checks: no 5xx, and every documented response matches its schema.
Path parameters and id-carrying body fields are drawn half of the time from the ids of a real
world (tests/fuzz/world.py), so requests reach past the 404s into the services.

CI (CI=true) runs 200 examples per operation; elsewhere the default is 25 for a quick local
run. REELEARN_FUZZ_EXAMPLES overrides both. REELEARN_FUZZ_STATUS_CODES=1 adds
status_code_conformance (off by default: the schema documents only success codes, see
tests/fuzz/README.md).
"""

from __future__ import annotations

import os
from functools import partial

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from reelearn.wsgi import application

from .conftest import WORLD, isolated_case
from .world import PERSONAS


def _max_examples() -> int:
    if os.environ.get("REELEARN_FUZZ_EXAMPLES"):
        return int(os.environ["REELEARN_FUZZ_EXAMPLES"])
    return 200 if os.environ.get("CI", "").lower() in ("1", "true", "yes") else 25


MAX_EXAMPLES = _max_examples()
CHECKS = [not_a_server_error, response_schema_conformance]
if os.environ.get("REELEARN_FUZZ_STATUS_CODES") == "1":
    CHECKS.append(status_code_conformance)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

# /{id}/ means a different thing under each prefix.
ID_KIND = {"/api/v1/attempts/": "attempt_id", "/api/v1/packs/": "pack_id",
           "/api/v1/quizzes/": "quiz_id"}


def _known(pool_name: str, index: int):
    pool = WORLD["ids"].get(pool_name) or WORLD["fields"].get(pool_name) or [1]
    return pool[index % len(pool)]


def _known_strategy(pool_name: str):
    return st.integers(min_value=0, max_value=15).map(partial(_known, pool_name))


@schema.hook
def before_generate_path_parameters(context, strategy):
    path = context.operation.path
    kind = next((k for prefix, k in ID_KIND.items() if path.startswith(prefix)), "id")

    def mix(params):
        if not isinstance(params, dict) or not params:
            return st.just(params)
        return st.fixed_dictionaries({
            name: st.one_of(st.just(value), _known_strategy(kind if name == "id" else name))
            for name, value in params.items()})

    return strategy.flatmap(mix)


@schema.hook
def before_generate_body(context, strategy):
    def mix(body):
        if not isinstance(body, dict):
            return st.just(body)
        known = {}
        for name, value in body.items():
            if name not in WORLD["fields"]:
                continue
            if isinstance(value, list):
                real = st.lists(_known_strategy(name), max_size=3)
            else:
                real = _known_strategy(name)
            known[name] = st.one_of(st.just(value), real)
        if not known:
            return st.just(body)
        return st.fixed_dictionaries(known).map(lambda new: {**body, **new})

    return strategy.flatmap(mix)


@pytest.mark.parametrize("persona", PERSONAS)
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck), print_blob=False)
def test_api(case, persona, fuzz_world, server_errors, db):
    server_errors.clear()
    with isolated_case():
        response = case.call(headers={"Authorization": f"Token {fuzz_world['tokens'][persona]}"})
    try:
        case.validate_response(response, checks=CHECKS)
    except BaseException as failure:
        for trace in server_errors:
            failure.add_note(f"Server traceback ({persona}):\n{trace}")
        raise

"""Schemathesis against /api/schema/: every operation, as a pupil and as a teacher.

Each test is one operation × one persona. Schemathesis sends its explicit examples and
coverage cases (boundary and invalid values), then Hypothesis generates `MAX_EXAMPLES` more
requests (positive and negative), each in-process through the WSGI application with the
persona's DRF token. Checks: no 5xx, and every documented response matches its schema.
Path parameters and id-carrying body fields are taken from a real world (tests/fuzz/world.py)
half of the time, so requests get past the 404s into the services.

`make fuzz` (run by CI after `make test`) generates 200 examples per operation and persona;
`make test` (bin/test) runs the same tests at 10, so a broken operation still shows there.
REELEARN_FUZZ_EXAMPLES sets the count; without it, 200 with CI=true and 25 elsewhere.
REELEARN_FUZZ_STATUS_CODES=1 adds status_code_conformance, which is off by default because
the schema documents only the success codes (every 400/403/404/409 would be reported).

Runs are reproducible (derandomize=True, no example database). A failure prints the request
as a curl command and, for a 500, the server traceback.
"""

from __future__ import annotations

import os
from functools import partial

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import TestPhase
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
ID_KIND = {
    "/api/v1/attempts/": "attempt_id",
    "/api/v1/packs/": "pack_id",
    "/api/v1/quizzes/": "quiz_id",
}


# Body fields holding ids (the world also knows names and codes for a few string fields).
ID_FIELDS = ("page", "assignment", "assignment_pupil", "groups", "pupils")


def _known(pool_name: str, index: int):
    pool = WORLD["ids"].get(pool_name) or WORLD["fields"].get(pool_name) or [1]
    return pool[index % len(pool)]


def _known_strategy(pool_name: str):
    return st.integers(min_value=0, max_value=15).map(partial(_known, pool_name))


def _pool(path: str, name: str) -> str:
    if name != "id":
        return name
    return next((kind for prefix, kind in ID_KIND.items() if path.startswith(prefix)), name)


@schema.hook
def before_generate_path_parameters(context, strategy):
    """Half of the fuzzing cases: every path parameter is the id of something in the world."""
    path = context.operation.path
    names = [parameter.name for parameter in context.operation.path_parameters]
    if not names:
        return strategy
    return st.one_of(
        strategy,
        st.fixed_dictionaries({name: _known_strategy(_pool(path, name)) for name in names}),
    )


def _real_path_for_fixed_cases(case) -> None:
    """Schemathesis' coverage and examples phases bypass the generation hooks and put made-up
    ids in the path, so their carefully chosen bodies and queries would all stop at a 404.
    Unless the case is about the path itself, point it at the persona's own objects."""
    meta = case.meta
    if meta is None or meta.phase.name == TestPhase.FUZZING:
        return
    if getattr(meta.phase.data, "parameter_location", None) == ParameterLocation.PATH:
        return
    for name in case.path_parameters:
        case.path_parameters[name] = _known(_pool(case.operation.path, name), 0)
    if meta.generation.mode.is_positive and isinstance(case.body, dict):
        # Valid bodies of made-up ids stop at "no such page"; use real ones, keep the rest.
        for name, value in case.body.items():
            if name in ID_FIELDS and isinstance(value, list) and value:
                case.body[name] = [_known(name, 0)]
            elif name in ID_FIELDS and isinstance(value, int) and not isinstance(value, bool):
                case.body[name] = _known(name, 0)


def _with_known_ids(drawn) -> object:
    """Swap id-carrying fields of a generated body for real ids, or leave them (picks < 0)."""
    body, picks = drawn
    if not isinstance(body, dict):
        return body
    names = [name for name in body if name in WORLD["fields"]]
    if not names:
        return body
    body = dict(body)
    for name, pick in zip(names, picks, strict=False):
        if pick < 0:
            continue
        if isinstance(body[name], list):
            body[name] = [_known(name, pick + n) for n in range(pick % 3)]
        else:
            body[name] = _known(name, pick)
    return body


@schema.hook
def before_generate_body(context, strategy):
    picks = st.lists(st.integers(min_value=-8, max_value=15), min_size=4, max_size=4)
    return st.tuples(strategy, picks).map(_with_known_ids)


@pytest.mark.parametrize("persona", PERSONAS)
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)
def test_api(case, persona, fuzz_world, server_errors, db):
    server_errors.clear()
    _real_path_for_fixed_cases(case)
    with isolated_case():
        response = case.call(headers={"Authorization": f"Token {fuzz_world['tokens'][persona]}"})
    try:
        case.validate_response(response, checks=CHECKS)
    except BaseException as failure:
        for trace in server_errors:
            failure.add_note(f"Server traceback ({persona}):\n{trace}")
        raise

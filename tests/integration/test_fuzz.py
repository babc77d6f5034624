"""Schemathesis fuzzes every operation of the OpenAPI schema against the ASGI app (in-process, real engine with a
small indexed store of its own, so random uploads and deletes never touch the shared corpus): no 5xx, and
responses that conform to the schema.

Driven through schemathesis' Python API (one Hypothesis run per operation and generation mode) rather than its
pytest plugin, whose lazy fixture loader does not run on this pytest version.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from indexing.engine import Engine
from indexing.settings import Settings
from service.app import create_app
from tests.integration.records import shared_records

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EXAMPLES_PER_OPERATION = 12
# Authentication on, as in production: the fuzzer calls with the admin key, and its own check sends requests
# without it and expects 401.
ADMIN = "clave-admin-del-fuzzing-0123456789"


@pytest.fixture(scope="module")
def fuzz_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    data_dir: Path = tmp_path_factory.mktemp("fuzz_store")
    # The fuzzer sends random keys from one address on purpose: the failed-attempts throttle (tested in
    # test_auth.py) gets a limit above them, or the generated calls would meet 429 instead of the route.
    settings = Settings(  # type: ignore[call-arg]
        data_dir=data_dir, max_upload_mb=1, admin_api_key=ADMIN, auth_failures_max=10000, _env_file=None
    )
    engine = Engine.open(settings)
    for name, data, meta in shared_records()[:2]:
        engine.indexer.ingest(data, name, meta)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def api_schema(fuzz_engine: Engine) -> Any:
    # Invalid data must be refused with a 4xx; 413 (a fuzzed body over MAX_JSON_BODY_KB) is one of ours.
    rejections = [400, 401, 403, 404, 405, 409, 413, 415, 422, 429]
    config = schemathesis.config.SchemathesisConfig.from_dict(
        {"checks": {"negative_data_rejection": {"expected-statuses": rejections}}}
    )
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(engine=fuzz_engine), config=config)


def operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    labels = sorted(op.label for op in operations(api_schema))
    assert "POST /v1/documents" in labels
    assert "POST /v1/ask" in labels
    assert len(labels) >= 14


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
def test_no_server_error_and_conforming_responses(api_schema: Any, mode: GenerationMode) -> None:
    failures: list[str] = []
    unsatisfiable: set[str] = set()
    statuses: Counter[tuple[str, int]] = Counter()
    for operation in operations(api_schema):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            # A schema-valid upload may still be refused for its content (empty, not a PDF, no text): 4xx by design.
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {ADMIN}"}, excluded_checks=[positive_data_acceptance]
            )
            statuses[(case.operation.label, response.status_code)] += 1

        try:
            run()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, operation.label  # nothing to make invalid (no parameters)
            unsatisfiable.add(operation.label)
        except BaseExceptionGroup as exc:  # collect every operation's failures, then report them all
            failures.append(f"{operation.label}: {exc}")
        except Exception as exc:
            failures.append(f"{operation.label}: {exc}")
    assert failures == [], "\n\n".join(failures)
    assert not [key for key in statuses if key[1] >= 500]
    # The fuzzer really reached the routes: every operation answered, and (schema-valid) searches succeeded.
    assert {label for label, _ in statuses} | unsatisfiable == {op.label for op in operations(api_schema)}
    if mode is GenerationMode.POSITIVE:
        assert statuses[("POST /v1/search", 200)] > 0
        assert statuses[("POST /v1/ask", 200)] > 0
    print(sorted(statuses.items()))  # noqa: T201 - shown with -s: what the fuzzer got

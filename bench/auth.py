"""Cost of authentication: `python -m bench.auth [--requests N]`.

1. Key verification alone: a first (uncached) verification pays one scrypt hash; later ones hit the cache.
2. A cheap route (GET /v1/documents on an empty store) through the real app, with authentication off, with a
   cached key in `Authorization: Bearer`, and with the bootstrap ADMIN_API_KEY.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import indexing  # noqa: F401
from indexing.keys import KeyRing
from indexing.settings import Settings
from indexing.store import open_store

ADMIN = "bench-admin-key-0123456789abcdef"


def ms(xs: list[float]) -> str:
    return f"median {statistics.median(xs):8.3f} ms  max {max(xs):8.3f} ms"


def verification(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Settings(data_dir=Path(tmp), _env_file=None))  # type: ignore[call-arg]
        store.open_access_collections()
        ring = KeyRing(store)
        _, key = ring.create("bench", "write")
        cold, warm = [], []
        for _ in range(10):
            ring._cache.clear()
            t0 = time.perf_counter()
            ring.authenticate(key)
            cold.append((time.perf_counter() - t0) * 1000)
        for _ in range(n):
            t0 = time.perf_counter()
            ring.authenticate(key)
            warm.append((time.perf_counter() - t0) * 1000)
        store.close()
    print(f"verify, uncached (scrypt):  {ms(cold)}")
    print(f"verify, cached:             {ms(warm)}")


def http(n: int) -> None:
    from fastapi.testclient import TestClient

    from indexing.engine import Engine
    from indexing.settings import Settings
    from service.app import create_app

    for label, admin_key, make_headers in (
        ("auth off", None, lambda _k: {}),
        ("stored key (cached)", ADMIN, lambda k: {"Authorization": f"Bearer {k}"}),
        ("ADMIN_API_KEY", ADMIN, lambda _k: {"Authorization": f"Bearer {ADMIN}"}),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            engine = Engine.open(Settings(data_dir=Path(tmp), admin_api_key=admin_key, _env_file=None))  # type: ignore[call-arg]
            try:
                with TestClient(create_app(engine=engine)) as c:
                    key = ""
                    if admin_key:
                        r = c.post("/v1/keys", json={"name": "bench", "scope": "read"}, headers={"X-API-Key": ADMIN})
                        key = r.json()["key"]
                    headers = make_headers(key)
                    assert c.get("/v1/documents", headers=headers).status_code == 200
                    times = []
                    for _ in range(n):
                        t0 = time.perf_counter()
                        c.get("/v1/documents", headers=headers)
                        times.append((time.perf_counter() - t0) * 1000)
            finally:
                engine.close()
        print(f"GET /v1/documents, {label + ':':21s}{ms(times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    verification(args.requests)
    http(args.requests)


if __name__ == "__main__":
    main()

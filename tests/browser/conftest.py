"""Browser tests: the real service on a real port (real embedded store, real model) driven by Playwright in
Debian's Chromium (`executable_path`; Playwright's own browser download cannot work offline).

Screenshots go to `tests/artifacts/screenshots/` (ignored by git) so a person can look at every page.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
# Chromium as root in a sandbox-less container, with nothing that phones out (the machine's network is closed).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
START_TIMEOUT = 180.0


def chromium_path() -> str:
    """Path of the Chromium binary (CHROMIUM_PATH, or `chromium` / `chromium-browser` on PATH).

    :raises pytest.fail.Exception: none is installed (the README says how to install it).
    """
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium no está instalado: `apt-get install chromium` (lo hace `make install` como root).")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveService:
    """`python -m service` running as a subprocess on a free loopback port."""

    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveService:
        """Start the service and wait until /readyz answers 200.

        :raises RuntimeError: it exited or did not become ready in time (its log is in the message).
        """
        env = {**os.environ, "HAYSTACK_TELEMETRY_ENABLED": "False", "OPENBLAS_NUM_THREADS": "1", **self.env}
        self.log_path = self.data_dir.parent / f"service-{self.port}.log"
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service", "--host", "127.0.0.1", "--port", str(self.port), "--data-dir",
             str(self.data_dir)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"el servicio terminó al arrancar:\n{self.log_path.read_text(errors='replace')}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"el servicio no quedó listo:\n{self.log_path.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def screenshot() -> object:
    """`screenshot(page, "name")` saves a full-page PNG under tests/artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: object, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path

    return take


def index_corpus(data_dir: Path) -> None:
    """Index the sample corpus (corpus/records with its manifest) into `data_dir` with the real CLI."""
    env = {**os.environ, "HAYSTACK_TELEMETRY_ENABLED": "False", "OPENBLAS_NUM_THREADS": "1"}
    subprocess.run(
        [sys.executable, "-m", "indexing", "ingest", "corpus/records", "--manifest", "corpus/manifest.json",
         "--data-dir", str(data_dir)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )


@pytest.fixture(scope="session")
def corpus_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    """The service with the sample corpus indexed (as `make run` serves it), authentication off."""
    data_dir = tmp_path_factory.mktemp("web-corpus") / "data"
    index_corpus(data_dir)
    service = LiveService(data_dir).start()
    yield service
    service.stop()

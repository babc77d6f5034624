"""`/healthz`, search and ask latency while uploads are ingested or rejected: `python -m bench.healthz [--json]`.

Starts the real service (`python -m service --port P --data-dir TMP`) as a subprocess on a free port with a temporary
data directory, indexes a few corpus records so that search and ask have something to find, then, in each case, polls
`/healthz` every 20 ms (one persistent client) and runs search and ask alternately (another client) while the case's
uploads run on a third client:

- idle: no upload (a fixed duration);
- single_line_2mib: a 2 MiB plain-text record on one line (over MAX_RECORD_CHARS: expected 413 too_many_chars);
- dots_50kb: a sentence followed by 50 KB of dots;
- dos_50kb: 50 KB of "dos dos dos ...";
- multi_record: a normal ingest of several records one after the other (every corpus PDF, and a long text record of
  about 60 passages).
- job_long_report: the long report uploaded as a job (`Prefer: respond-async`: 202, then `GET /v1/jobs/{id}` every
  250 ms until it ends), with the progress stages the job went through.

Prints, per case, median / p95 / max of `/healthz`, search and ask (ms), and each upload's status code, error code
and duration. Bounded: each case ends with its uploads (each with a 600 s client timeout), the service is stopped
at the end. On a shared machine the figures include whatever else runs: say so when reporting them.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "corpus" / "records"
POLL_S = 0.02
IDLE_S = 6.0
QUERIES = (
    "¿A cuánto ascendió el total anunciado en la conferencia virtual de donantes de mayo de 2020?",
    "¿Qué parte de lo anunciado en 2020 correspondió a donaciones y qué parte a préstamos?",
    "¿Quiénes convocaron la Conferencia Internacional de Donantes de 2020?",
    "compromisos de la Unión Europea con Colombia",
)
SEED_RECORDS = (
    "comunicado_conjunto_espana_ue_2020.txt",
    "nota_prensa_conferencia_donantes_2020.txt",
    "comunicado_conjunto_bruselas_2019.txt",
)


@dataclass
class Stats:
    n: int = 0
    median: float = 0.0
    p95: float = 0.0
    max: float = 0.0

    @classmethod
    def of(cls, ms: list[float]) -> Stats:
        if not ms:
            return cls()
        s = sorted(ms)
        return cls(len(s), statistics.median(s), s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))], s[-1])

    def line(self) -> str:
        return f"n {self.n:4d}  p50 {self.median:7.1f}  p95 {self.p95:7.1f}  max {self.max:7.1f}"


@dataclass
class Upload:
    filename: str
    size: int
    status: int
    code: str | None
    seconds: float
    # An upload made as a job: its final status and the progress stages seen, in order, with the last done/total.
    job_status: str | None = None
    stages: list[str] = field(default_factory=list)
    last_progress: dict[str, Any] | None = None


@dataclass
class Case:
    name: str
    healthz: Stats
    search: Stats
    ask: Stats
    uploads: list[Upload] = field(default_factory=list)
    seconds: float = 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sentence_text() -> str:
    """Ordinary Spanish prose from the corpus, on one line."""
    texts = sorted(RECORDS.glob("*.txt"))
    return " ".join(" ".join(p.read_text(encoding="utf-8", errors="replace").split()) for p in texts[:12])


def single_line_record(size: int = 2 * 1024 * 1024) -> bytes:
    """A plain-text record of `size` bytes on a single line (ordinary prose, no line breaks)."""
    unit = _sentence_text().encode()
    data = (unit + b" ") * (size // (len(unit) + 1) + 1)
    cut = data[:size]
    return cut.decode("utf-8", errors="ignore").encode()


def dots_record(size: int = 50 * 1024) -> bytes:
    return ("Acta de la reunión." + "." * size).encode()


def dos_record(size: int = 50 * 1024) -> bytes:
    return ("dos " * (size // 4)).encode()


def long_record() -> bytes:
    """A long record (about 60 passages) built from the corpus texts."""
    texts = sorted(RECORDS.glob("*.txt"))
    body = "\n\n".join(p.read_text(encoding="utf-8", errors="replace") for p in texts[:12])
    return f"Informe consolidado del banco de pruebas\n\n{body}".encode()


class Service:
    """The real service in a subprocess, on a free port, with a temporary data directory.

    :param source: the source tree the service runs from (default: this one; another commit's tree, with its
        `models/` folder, for a before/after comparison).
    """

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, source: Path = ROOT) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (data_dir / "service.log").open("wb")
        child_env = {**os.environ, "HAYSTACK_TELEMETRY_ENABLED": "False", "PYTHONPATH": str(source), **(env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "service", "--port", str(self.port), "--data-dir", str(data_dir / "store")],
            cwd=source,
            env=child_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 300.0) -> None:
        end = time.monotonic() + timeout
        with httpx.Client(base_url=self.url, timeout=5) as c:
            while time.monotonic() < end:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"the service exited with {self.proc.returncode}; see {self.log.name}")
                try:
                    if c.get("/readyz").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
        raise TimeoutError("the service did not become ready")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def _upload(client: httpx.Client, filename: str, data: bytes) -> Upload:
    t0 = time.perf_counter()
    r = client.post("/v1/documents", files={"file": (filename, data)})
    seconds = time.perf_counter() - t0
    code = None
    if r.status_code >= 400:
        try:
            code = r.json().get("code")
        except ValueError:
            code = None
    return Upload(filename, len(data), r.status_code, code, seconds)


def _upload_job(client: httpx.Client, filename: str, data: bytes, timeout: float = 600.0) -> Upload:
    """Upload as a job and follow it to its end (the returned seconds include the wait)."""
    t0 = time.perf_counter()
    r = client.post("/v1/documents", files={"file": (filename, data)}, headers={"Prefer": "respond-async"})
    if r.status_code != 202:
        return Upload(filename, len(data), r.status_code, r.json().get("code"), time.perf_counter() - t0)
    location = r.headers["location"]
    stages: list[str] = []
    job: dict[str, Any] = r.json()["job"]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        progress = job.get("progress") or {}
        if progress.get("stage") and (not stages or stages[-1] != progress["stage"]):
            stages.append(progress["stage"])
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.25)
        job = client.get(location).json()["job"]
    code = (job.get("error") or {}).get("code")
    return Upload(
        filename, len(data), 202, code, time.perf_counter() - t0, job["status"], stages, job.get("progress")
    )


def run_case(url: str, name: str, uploads: list[tuple[str, bytes]], duration: float = IDLE_S) -> Case:
    """Poll /healthz and run search/ask while `uploads` are posted one after the other (or for `duration` s)."""
    stop = threading.Event()
    health_ms: list[float] = []
    search_ms: list[float] = []
    ask_ms: list[float] = []

    def poll_health() -> None:
        with httpx.Client(base_url=url, timeout=30) as c:
            c.get("/healthz")
            while not stop.is_set():
                t0 = time.perf_counter()
                c.get("/healthz")
                health_ms.append((time.perf_counter() - t0) * 1000)
                stop.wait(POLL_S)

    def poll_queries() -> None:
        with httpx.Client(base_url=url, timeout=60) as c:
            i = 0
            while not stop.is_set():
                q = QUERIES[i % len(QUERIES)]
                t0 = time.perf_counter()
                c.post("/v1/search", json={"query": q, "top_k": 10})
                search_ms.append((time.perf_counter() - t0) * 1000)
                if stop.is_set():
                    break
                t0 = time.perf_counter()
                c.post("/v1/ask", json={"question": q})
                ask_ms.append((time.perf_counter() - t0) * 1000)
                i += 1
                stop.wait(POLL_S)

    pollers = [threading.Thread(target=poll_health), threading.Thread(target=poll_queries)]
    for t in pollers:
        t.start()
    time.sleep(0.3)  # both pollers running before the uploads start
    done: list[Upload] = []
    t0 = time.perf_counter()
    try:
        if uploads:
            with httpx.Client(base_url=url, timeout=600) as c:
                send = _upload_job if name.startswith("job_") else _upload
                done = [send(c, fn, data) for fn, data in uploads]
        else:
            time.sleep(duration)
    finally:
        stop.set()
        for t in pollers:
            t.join()
    return Case(name, Stats.of(health_ms), Stats.of(search_ms), Stats.of(ask_ms), done, time.perf_counter() - t0)


def _check_routes(url: str) -> None:
    with httpx.Client(base_url=url, timeout=60) as c:
        r = c.post("/v1/search", json={"query": QUERIES[0], "top_k": 10})
        r.raise_for_status()
        r = c.post("/v1/ask", json={"question": QUERIES[0]})
        r.raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.healthz")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument(
        "--cases",
        nargs="*",
        default=["idle", "single_line_2mib", "dots_50kb", "dos_50kb", "multi_record", "job_long_report"],
        help="cases to run, in order",
    )
    parser.add_argument(
        "--source", type=Path, default=ROOT, help="source tree the service runs from (default: this one)"
    )
    args = parser.parse_args()
    pdfs = sorted(RECORDS.glob("*.pdf"))
    cases_input: dict[str, list[tuple[str, bytes]]] = {
        "idle": [],
        "single_line_2mib": [("una_linea.txt", single_line_record())],
        "dots_50kb": [("puntos.txt", dots_record())],
        "dos_50kb": [("dos.txt", dos_record())],
        "multi_record": [*[(p.name, p.read_bytes()) for p in pdfs], ("informe_consolidado.txt", long_record())],
        # Not the multi_record text (a duplicate would be answered at once): the same report, another heading.
        "job_long_report": [
            ("informe_consolidado_tarea.txt", long_record().replace(b"del banco", b"(tarea) del banco", 1))
        ],
    }
    with tempfile.TemporaryDirectory(prefix="bench-healthz-") as tmp:
        service = Service(Path(tmp), source=args.source.resolve())
        try:
            service.wait_ready()
            with httpx.Client(base_url=service.url, timeout=600) as c:
                for name in SEED_RECORDS:
                    _upload(c, name, (RECORDS / name).read_bytes())
            _check_routes(service.url)
            results = [run_case(service.url, name, cases_input[name]) for name in args.cases]
        finally:
            service.stop()
    load = os.getloadavg()
    if args.json:
        out: dict[str, Any] = {
            "source": str(args.source),
            "cpus": os.cpu_count(),
            "loadavg": load,
            "cases": [asdict(r) for r in results],
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    sys.stdout.write(
        f"service from {args.source}; {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        " at the end; times in ms\n"
    )
    for r in results:
        sys.stdout.write(f"{r.name} ({r.seconds:.1f} s)\n")
        sys.stdout.write(f"  healthz  {r.healthz.line()}\n")
        sys.stdout.write(f"  search   {r.search.line()}\n")
        sys.stdout.write(f"  ask      {r.ask.line()}\n")
        for u in r.uploads:
            sys.stdout.write(
                f"  upload {u.filename} ({u.size / 1024:.0f} KB): {u.status} {u.code or ''} in {u.seconds:.2f} s\n"
            )
            if u.job_status is not None:
                sys.stdout.write(f"    job {u.job_status}; stages {' → '.join(u.stages)}; last {u.last_progress}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

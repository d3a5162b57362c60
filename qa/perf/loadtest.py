"""A bounded load test of the page's API: many clients at once, answers checked, latency.

It only ever talks to a loopback address, so it cannot be pointed at someone else's
server. First one client asks every question once; those answers are the reference. Then
`clients` threads, each with its own connection, ask the questions round-robin for
`seconds` (and at most `max_requests` in all); every answer must equal the reference
apart from its timing, and every request must succeed.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from qa.eval import question_sets

__all__ = ["LoadReport", "check_loopback", "load_questions", "run_load", "served"]

API = "/ask"
MAX_REQUESTS = 100_000  # a bound on the count as well as the time
REQUEST_TIMEOUT = 120.0  # s; a request slower than this counts as an error
START_TIMEOUT = 180.0  # s for `qa serve` to load the index and listen


@dataclass
class LoadReport:
    url: str
    clients: int
    seconds: float  # how long the load phase really ran
    questions: int  # distinct questions asked
    requests: int = 0
    errors: int = 0
    mismatches: int = 0  # answers that differ from the single-client reference
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    single_ms: list[float] = field(default_factory=list, repr=False)  # the reference pass
    samples: list[str] = field(default_factory=list)  # the first few errors and mismatches

    @property
    def identical(self) -> bool:
        return self.requests > 0 and self.mismatches == 0

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.identical

    def percentile(self, p: int, *, single: bool = False) -> float | None:
        values = self.single_ms if single else self.latencies_ms
        if len(values) < 2:
            return values[0] if values else None
        return statistics.quantiles(values, n=100, method="inclusive")[p - 1]

    def to_json(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k not in ("latencies_ms", "single_ms")}
        return {**out, "identical": self.identical, "ok": self.ok,
                "p50_ms": self.percentile(50), "p95_ms": self.percentile(95),
                "single_p50_ms": self.percentile(50, single=True),
                "max_ms": max(self.latencies_ms, default=None),
                "per_second": self.requests / self.seconds if self.seconds else 0.0}

    def summary(self) -> str:
        d = self.to_json()

        def ms(value: float | None) -> str:
            return "—" if value is None else f"{value:.0f} ms"

        lines = [
            f"{self.clients} clients for {self.seconds:.1f} s against {self.url} "
            f"({self.questions} questions)",
            f"  requests   {self.requests} ({d['per_second']:.1f}/s)",
            f"  errors     {self.errors}",
            f"  identical  {'yes' if self.identical else 'NO'} to the single-client answers"
            + (f" ({self.mismatches} differ)" if self.mismatches else ""),
            f"  latency    p50 {ms(d['p50_ms'])}, p95 {ms(d['p95_ms'])}, max {ms(d['max_ms'])}"
            f" (one client alone: p50 {ms(d['single_p50_ms'])})",
        ]
        lines += [f"  ! {s}" for s in self.samples]
        return "\n".join(lines)


def check_loopback(url: str) -> str:
    """`url` if its host is a loopback address; else ValueError. Names other than
    localhost are refused without a lookup, so no DNS answer can send the load elsewhere."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"not an http URL: {url}")
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError(f"the load test only runs against 127.0.0.1 (or localhost), "
                             f"not {host}")
    return url


def load_questions(path: Path) -> list[str]:
    """The distinct questions of a question set (read as `qa eval` reads it), in file order;
    QuestionsError, naming the line, for a set that cannot be used."""
    return list(dict.fromkeys(q.question for q in question_sets.load_questions(path)))


def _client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False)


def _without_timing(payload: Any) -> Any:
    return {k: v for k, v in payload.items() if k != "took_ms"} if isinstance(payload, dict) \
        else payload


def _ask(client, question: str) -> dict[str, Any]:
    return client.submit(question, api_name=API).result(timeout=REQUEST_TIMEOUT)


def run_load(url: str, questions: Sequence[str], *, clients: int = 32, seconds: float = 60.0,
             max_requests: int = MAX_REQUESTS) -> LoadReport:
    """Run the test against the app at `url` (loopback only) and report."""
    check_loopback(url)
    if not questions:
        raise ValueError("no questions to ask")
    if clients < 1 or seconds <= 0 or max_requests < 1:
        raise ValueError("clients, seconds and max_requests must be positive")
    single: list[float] = []
    try:
        reference_client = _client(url)
        reference = {}
        for question in questions:
            began = time.perf_counter()
            reference[question] = _without_timing(_ask(reference_client, question))
            single.append((time.perf_counter() - began) * 1000)
    except Exception as exc:  # no answer at all: nothing to compare the load against
        raise RuntimeError(f"the single-client pass failed against {url}: "
                           f"{exc.__class__.__name__}: {exc}"[:300]) from None

    report = LoadReport(url, clients, 0.0, len(questions), single_ms=single)
    lock = threading.Lock()
    connections = [_client(url) for _ in range(clients)]  # not timed: set-up, not load
    start = threading.Barrier(clients + 1)
    deadline = 0.0

    def record(latency_ms: float, problem: str | None, error: bool) -> None:
        with lock:
            report.latencies_ms.append(latency_ms)
            report.errors += error
            report.mismatches += problem is not None and not error
            if problem and len(report.samples) < 5:
                report.samples.append(problem)

    def claim() -> bool:
        with lock:
            if report.requests >= max_requests or time.monotonic() >= deadline:
                return False
            report.requests += 1
            return True

    def worker(n: int) -> None:
        client, turn = connections[n], n  # clients start at different questions
        start.wait()
        while claim():
            question = questions[turn % len(questions)]
            turn += 1
            began = time.perf_counter()
            try:
                got = _without_timing(_ask(client, question))
            except Exception as exc:  # every failure is a finding, never a crash of the test
                took = (time.perf_counter() - began) * 1000
                record(took, f"{question!r}: {exc.__class__.__name__}: {exc}"[:300], True)
                continue
            took = (time.perf_counter() - began) * 1000
            same = got == reference[question]
            record(took, None if same else f"{question!r}: answer differs", False)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline = began + seconds
    start.wait()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT + 30)
    report.seconds = time.monotonic() - began
    return report


@contextlib.contextmanager
def served(index_dir: Path, *, concurrency: int | None = None) -> Iterator[str]:
    """`qa serve` on a free port of 127.0.0.1 in its own process, stopped afterwards; a
    separate process, so the clients do not share its interpreter lock."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    cmd = [sys.executable, "-m", "qa.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--index-dir", str(index_dir), "--no-uploads"]
    if concurrency:
        cmd += ["--concurrency", str(concurrency)]
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(cmd, stdout=log, stderr=log, env=env)
        try:
            _wait_until_up(url, server, log)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_up(url: str, server: subprocess.Popen, log) -> None:
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            tail = log.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            raise RuntimeError(f"qa serve stopped (status {server.returncode}): "
                               f"{tail[0] if tail else 'no output'}")
        with contextlib.suppress(OSError), direct.open(url + "config", timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"qa serve did not answer on {url} within {START_TIMEOUT:.0f} s")

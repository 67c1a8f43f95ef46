"""`make bench`: the key pages against a production-like server on loopback.

    python -m scale.bench.run [--factor 1] [--small-factor 0.1] [--requests 200]

1. Two PostgreSQL databases (created if missing, migrated) hold the data set at
   `--small-factor` and `--factor`; each is generated when empty (or generated at
   another size).
2. The SQL query count of each key page is taken in-process at both sizes
   (`manage.py bench_probe queries`, django.test.Client, production settings).
3. gunicorn (production settings, `--workers` sync workers, Redis db 9 as broker)
   serves the large database on a free loopback port; sessions for the personas are
   written straight into the database; each page gets `--requests` GETs from
   `--concurrency` keep-alive clients (http.client) after a warm-up, the trivial
   logged-in page first, in the same run.
4. The monthly study reminder fan-out and the daily sweeps run twice in-process.
5. The table goes to stdout, bench/results.md and bench/results.json.

gunicorn is stopped at the end, also on an error or Ctrl-C. No Django import here:
the runner only starts processes and talks HTTP.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import math
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
TARGET_RATIO = 5.0


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- databases and in-process steps ---------------------------------------------------


def ensure_database(server_url: str, name: str) -> None:
    import psycopg2  # the project's own driver, from the venv

    conn = psycopg2.connect(server_url + "postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def manage(env: dict[str, str], *args: str) -> str:
    """Run manage.py; returns its stdout (stderr passes through to the terminal)."""
    completed = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return completed.stdout


def probe(env: dict[str, str], step: str, *extra: str) -> dict:
    output = manage(env, "bench_probe", step, *extra).strip().splitlines()
    return json.loads(output[-1])


# --- gunicorn -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log_path = Path(tempfile.mkdtemp(prefix="bench-")) / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        gunicorn = Path(PYTHON).with_name("gunicorn")
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
            [
                str(gunicorn),
                "supplychain_party.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "300",
                "--graceful-timeout",
                "10",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        log(
            f"gunicorn pid {self.process.pid} on 127.0.0.1:{self.port} "
            f"({self.workers} workers, log {self.log_path})"
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer /healthz; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            log(f"stopping gunicorn pid {self.process.pid}")
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


# --- the load -------------------------------------------------------------------------


def hammer(
    port: int,
    path: str,
    session: str,
    *,
    requests: int,
    concurrency: int,
    warmup: int,
    budget: float,
    at_least: int = 20,
) -> dict:
    """GET `path` `requests` times from `concurrency` keep-alive clients; latencies
    in milliseconds, from sending the request to reading the whole body.

    A very slow page stops after `budget` seconds once `at_least` requests are
    measured (the table shows how many were), so one page cannot hold the run for
    an hour."""
    headers = {
        "Host": f"127.0.0.1:{port}",
        # Production cookies are Secure; the load talks plain HTTP on loopback, so it
        # sets the Cookie header itself.
        "Cookie": f"sessionid={session}",
        "Accept-Language": "zh-hans",
    }
    lock = threading.Lock()
    remaining = [warmup + requests]
    latencies: list[float] = []
    errors: list[str] = []

    stop_after = time.perf_counter() + budget

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while True:
            with lock:
                if remaining[0] <= 0:
                    break
                if time.perf_counter() > stop_after and len(latencies) >= at_least:
                    break
                remaining[0] -= 1
                warm = remaining[0] >= requests
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                with lock:
                    errors.append(repr(error))
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if response.getheader("Connection", "").lower() == "close":
                conn.close()  # sync workers close; http.client reopens on the next request
            with lock:
                if response.status != 200:
                    errors.append(f"HTTP {response.status}")
                elif not warm:
                    latencies.append(elapsed)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "median_ms": statistics.median(latencies) if latencies else math.nan,
        "p95_ms": latencies[max(0, math.ceil(0.95 * len(latencies)) - 1)]
        if latencies
        else math.nan,
        "wall_s": time.perf_counter() - wall,
    }


# --- report ---------------------------------------------------------------------------


def table(results: dict) -> str:
    small, large = results["small_factor"], results["factor"]
    lines = [
        f"| page | requests | median ms | p95 ms | p95 / trivial p95 | queries F={small} "
        f"| queries F={large} | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    trivial_p95 = results["pages"][0]["p95_ms"]
    for page in results["pages"]:
        ratio = page["p95_ms"] / trivial_p95 if trivial_p95 else math.nan
        page["ratio"] = ratio
        same = page["queries_small"] == page["queries_large"]
        ok = (ratio <= TARGET_RATIO or page is results["pages"][0]) and same and not page["errors"]
        verdict = (
            "met"
            if ok
            else "MISSED: "
            + ", ".join(
                reason
                for reason, bad in (
                    (f"p95 {ratio:.1f}x trivial", ratio > TARGET_RATIO),
                    ("query counts differ", not same),
                    (f"{page['errors']} errors", page["errors"]),
                )
                if bad
            )
        )
        lines.append(
            f"| {page['name']} | {page['requests']} | {page['median_ms']:.1f} | "
            f"{page['p95_ms']:.1f} | "
            f"{ratio:.2f} | {page['queries_small']} | {page['queries_large']} | {verdict} |"
        )
    lines += ["", "| job | run | seconds | created |", "|---|---:|---:|---:|"]
    for job in results["jobs"]:
        lines.append(f"| {job['job']} | {job['run']} | {job['seconds']:.2f} | {job['created']} |")
    flagged = [check for check in results.get("admin", []) if check["problems"]]
    if results.get("admin"):
        lines += [
            "",
            f"Admin pages opened: {len(results['admin'])}; not usable at this size: "
            f"{len(flagged)}.",
        ]
        if flagged:
            lines += ["", "| admin page | ms | queries | problem |", "|---|---:|---:|---|"]
            lines += [
                f"| {c['url']} | {c['ms']:.0f} | {c['queries']} | {'; '.join(c['problems'])} |"
                for c in flagged
            ]
    return "\n".join(lines)


def write_results(results: dict, out_dir: Path) -> str:
    out_dir.mkdir(exist_ok=True)
    body = table(results)
    sizes = ", ".join(f"{k} {v:,}" for k, v in results["sizes"].items())
    header = (
        f"# Benchmark results\n\n"
        f"Run {results['started']} on {results['cpus']} CPUs: gunicorn "
        f"{results['workers']} sync workers, production settings, PostgreSQL and Redis on "
        f"loopback; {results['requests']} requests per page from {results['concurrency']} "
        f"keep-alive clients after a warm-up.\n\n"
        f"Data set at factor {results['factor']} ({results['generated_with']}): {sizes}.\n"
        f"Query counts at factor {results['small_factor']} and {results['factor']}.\n\n"
    )
    (out_dir / "results.md").write_text(header + body + "\n", encoding="utf-8")
    (out_dir / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return header + body


# --- main -----------------------------------------------------------------------------


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=float, default=float(os.environ.get("BENCH_FACTOR", 1)))
    parser.add_argument(
        "--small-factor", type=float, default=float(os.environ.get("BENCH_SMALL_FACTOR", 0.1))
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--budget",
        type=float,
        default=180.0,
        help="seconds per page after which a slow page stops (at least 20 requests are measured)",
    )
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_DATABASE_SERVER", "postgres://party:party@127.0.0.1:5432/"),
        help="PostgreSQL server URL ending in /; the database names are appended",
    )
    parser.add_argument("--small-db", default="party_scale_small")
    parser.add_argument("--large-db", default="party_scale_large")
    parser.add_argument("--out", type=Path, default=BASE_DIR / "bench")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also write bench/results-explain.md: each page's SQL/Python split and "
        "EXPLAIN ANALYZE of its slowest queries",
    )
    parser.add_argument(
        "--skip-admin", action="store_true", help="skip opening every admin changelist and add form"
    )
    args = parser.parse_args(argv)

    # A SIGTERM (e.g. from make being stopped) unwinds like Ctrl-C, through the
    # `with Server` block that stops gunicorn.
    signal.signal(signal.SIGTERM, _interrupt)

    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "supplychain_party.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "CELERY_BROKER_URL": redis,  # nothing consumes it: the jobs run in-process
        "CELERY_RESULT_BACKEND": redis,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    envs = {}
    for label, name, factor in (
        ("small", args.small_db, args.small_factor),
        ("large", args.large_db, args.factor),
    ):
        ensure_database(args.server, name)
        env = {**base_env, "DATABASE_URL": args.server + name}
        envs[label] = env
        log(f"{name}: migrate")
        manage(env, "migrate", "--noinput", "-v", "0")
        log(f"{name}: data set at factor {factor} (generated only when missing)")
        generated = probe(env, "generate", "--factor", str(factor), "--seed", str(args.seed))
        if generated["generated"]:
            log(f"{name}: generated in {generated['seconds']:.0f} s")
        else:
            # A data set from an earlier run: bring its maintained summaries up to date
            # (new summaries after an upgrade too), as the hourly jobs would.
            log(f"{name}: refresh the maintained summaries")
            manage(env, "refresh_summaries")
    log("collectstatic (production serves hashed static files)")
    manage(envs["large"], "collectstatic", "--noinput", "-v", "0")

    queries = {label: probe(envs[label], "queries")["queries"] for label in ("small", "large")}
    setup = probe(envs["large"], "pages")
    results = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "workers": args.workers,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "factor": args.factor,
        "small_factor": args.small_factor,
        "sizes": setup["sizes"],
        "generated_with": setup["generated_with"],
        "pages": [],
        "jobs": [],
        "admin": [],
    }
    with Server(envs["large"], args.workers) as server:
        for page in setup["pages"]:
            log(f"{page['name']}: {page['path']} as {page['persona']}")
            measured = hammer(
                server.port,
                page["path"],
                setup["sessions"][page["persona"]],
                requests=args.requests,
                concurrency=args.concurrency,
                warmup=2 * args.concurrency,
                budget=args.budget,
            )
            if measured["errors"]:
                log(f"  {measured['errors']} errors, first: {measured['first_error']}")
            results["pages"].append(
                {
                    **page,
                    **measured,
                    "queries_small": queries["small"][page["name"]],
                    "queries_large": queries["large"][page["name"]],
                }
            )
    if not args.skip_jobs:
        log("jobs: the monthly fan-out and the daily sweeps, twice each")
        results["jobs"] = probe(envs["large"], "jobs")["jobs"]
    if not args.skip_admin:
        log("admin: every changelist and add form, as the superuser")
        results["admin"] = probe(envs["large"], "admin")["admin"]
    print(write_results(results, args.out))
    if args.explain:
        explained = probe(envs["large"], "explain")["explain"]
        (args.out / "results-explain.md").write_text(explained, encoding="utf-8")
        log(f"query plans written to {args.out / 'results-explain.md'}")
    log(f"written to {args.out / 'results.md'} and results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A private PostgreSQL cluster for a test: initdb into a temporary directory, on a free
loopback port, so a test may stop and restart it without touching the machine's shared
server (other people's tests run against that one).

    with PrivateCluster() as cluster:
        cluster.createdb("party")
        url = cluster.url("party")       # postgres://party@127.0.0.1:<port>/party
        cluster.restart()                # pg_ctl restart -m fast, waits until it is back

The cluster runs Debian's binaries (/usr/lib/postgresql/<newest>/bin, or PG_BIN_DIR); as
root it runs as the `postgres` user (initdb refuses root), owning its directory. Trust
authentication on loopback only; fsync off: a crash loses nothing a test needs.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "party"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin_dir() -> Path | None:
    """Where initdb and pg_ctl are, or None when PostgreSQL's server is not installed."""
    if os.environ.get("PG_BIN_DIR"):
        return Path(os.environ["PG_BIN_DIR"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.parent.name)],
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PrivateCluster:
    def __init__(self) -> None:
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        self.bin = bin_dir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.user = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    self.user = pwd.getpwnam(name)
                    break
                except KeyError:
                    continue
            if self.user is None:
                raise RuntimeError("running as root, and no postgres or nobody user to run as")
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        kwargs = {}
        if self.user is not None:
            kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        return subprocess.run(  # noqa: S603 - PostgreSQL's own programs, fixed arguments
            [str(self.bin / args[0]), *args[1:]],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
            **kwargs,
        )

    def __enter__(self) -> PrivateCluster:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(subprocess.SubprocessError):
            self._run("pg_ctl", "-D", str(self.data), "stop", "-m", "immediate", "-w")
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def options(self) -> str:
        return (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c shared_buffers=32MB -c max_connections=60"
        )

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            self.options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def restart(self, mode: str = "fast") -> float:
        """pg_ctl restart: every connection is cut; returns the seconds it took until the
        server accepts connections again."""
        started = time.monotonic()
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            self.options,
            "-m",
            mode,
            "-w",
            "-t",
            "60",
            "restart",
        )
        return time.monotonic() - started

    def url(self, dbname: str = "postgres") -> str:
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def createdb(self, name: str) -> str:
        import psycopg2

        conn = psycopg2.connect(self.url("postgres"))
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return self.url(name)

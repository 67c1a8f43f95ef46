#!/usr/bin/env bash
# `make bench`: the key pages under load on a production-like server (gunicorn, PostgreSQL,
# Redis) on loopback, at BENCH_FACTOR (default 1), with SQL query counts at BENCH_SMALL_FACTOR
# (default 0.1) and BENCH_FACTOR. Sets up .venv and the services first, then runs
# scale/bench/run.py, which creates and migrates the databases party_scale_small and
# party_scale_large, generates the data sets when missing (a few minutes at factor 1), and
# writes bench/results.md and bench/results.json (see README.md, "Benchmark").
#
#   BENCH_FACTOR=0.3 make bench              # a smaller data set
#   BENCH_ARGS="--requests 50" make bench    # more options: python -m scale.bench.run --help
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

DATABASE_URL="${DATABASE_URL:-postgres://party:party@127.0.0.1:5432/party}"
export DATABASE_URL
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/services.sh"

# The same server and role as DATABASE_URL; the bench databases are named by the runner.
export BENCH_DATABASE_SERVER="${DATABASE_URL%/*}/"
say "benchmark at factor ${BENCH_FACTOR:-1} (query counts also at ${BENCH_SMALL_FACTOR:-0.1})"
# shellcheck disable=SC2086 # BENCH_ARGS is a list of options
exec "$PY" -m scale.bench.run --factor "${BENCH_FACTOR:-1}" \
    --small-factor "${BENCH_SMALL_FACTOR:-0.1}" ${BENCH_ARGS:-}

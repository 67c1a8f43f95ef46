#!/usr/bin/env bash
# The zero-set-up demo: SQLite and a file-system Celery broker, so no PostgreSQL or Redis.
# Sets up .venv and node_modules (scripts/setup.sh), migrates db.sqlite3, loads the demo
# organisation and logins (manage.py load_demo), then runs the web server on
# http://$HOST:$PORT/ and, beside it, one Celery worker with an embedded beat (schedules from
# the database, as in production). Stopping the server (Ctrl-C) stops the worker too.
#
#   PORT=8001 scripts/demo.sh      # another port (default 8000)
#   HOST=0.0.0.0 scripts/demo.sh   # listen on every interface (default 127.0.0.1)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
CELERY_DIR="$ROOT/.celery"
WORKER_LOG="$CELERY_DIR/worker.log"

"$ROOT/scripts/setup.sh"

url_host="$HOST"
case "$HOST" in 0.0.0.0 | '::' | '[::]') url_host=127.0.0.1 ;; esac

# The demo always runs on the local settings with SQLite and the file-system broker, whatever a
# .env file or the shell says (settings/base.py reads .env for anything not set here).
export DJANGO_SETTINGS_MODULE=supplychain_party.settings.local
export DJANGO_DEBUG=True
case "$HOST" in
127.0.0.1 | localhost) export DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1,[::1]" ;;
*) export DJANGO_ALLOWED_HOSTS="*" ;; # reached by this machine's name or address
esac
export PORTAL_BASE_URL="http://$url_host:$PORT"
export DATABASE_URL="sqlite:///$ROOT/db.sqlite3"
export CELERY_BROKER_URL="filesystem://"
export CELERY_RESULT_BACKEND="file://$CELERY_DIR/results"
export PYTHONUNBUFFERED=1

say "migrating the demo database (db.sqlite3)"
"$PY" manage.py migrate --noinput
say "loading the demo organisation and logins (manage.py load_demo)"
"$PY" manage.py load_demo

WORKER_PID=""
SERVER_PID=""
cleanup() {
    trap - EXIT INT TERM
    [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null || true
    if [ -n "$WORKER_PID" ] && kill -0 "$WORKER_PID" 2>/dev/null; then
        say "stopping the Celery worker"
        # The worker leads its own process group (setsid), with the embedded beat in it.
        kill -TERM -- "-$WORKER_PID" 2>/dev/null || true
        for _ in $(seq 1 30); do
            kill -0 "$WORKER_PID" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$WORKER_PID" 2>/dev/null; then
            warn "the worker did not stop within 15 s: killing it"
            kill -KILL -- "-$WORKER_PID" 2>/dev/null || true
        fi
    fi
    wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$CELERY_DIR"
say "starting the Celery worker with embedded beat (log: $WORKER_LOG)"
setsid "$PY" -m celery -A supplychain_party worker -B -P solo -c 1 \
    --without-mingle --without-gossip \
    -S django_celery_beat.schedulers:DatabaseScheduler \
    -l INFO --logfile "$WORKER_LOG" </dev/null &
WORKER_PID=$!

say "starting the web server on http://$HOST:$PORT/"
# --noreload: one process, so stopping it really frees the port.
"$PY" manage.py runserver --noreload "$HOST:$PORT" </dev/null &
SERVER_PID=$!

up() { "$PY" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
    "http://$url_host:$PORT/login/" >/dev/null 2>&1; }
for _ in $(seq 1 120); do
    up && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
done
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    rc=0
    wait "$SERVER_PID" || rc=$?
    SERVER_PID=""
    die "the web server did not start (exit $rc, see above); is port $PORT in use? Try PORT=8001 make demo"
fi
up || warn "the web server has not answered http://$url_host:$PORT/login/ within 60 s"
cat <<BANNER

  ────────────────────────────────────────────────────────────────────────
    The demo portal is running:  http://$url_host:$PORT/
    Log in with any of these; the password of all is  Dangjian@2026
      admin      superuser (also the admin site, /admin/)
      dangwei    company party committee secretary (物资公司党委)
      zongzhi    secretary of the general branch 采购供应党总支
      qianduan   secretary of the front-end branch 计划招标党支部
      zhongduan  secretary of the middle branch 采购合同党支部
      dangyuan   a member of the front-end branch
    Background jobs: a Celery worker with beat, log in .celery/worker.log
    Press Ctrl-C to stop.
  ────────────────────────────────────────────────────────────────────────

BANNER

# The demo ends when the web server stops; the trap then stops the worker. A worker that dies
# early is reported, and the web server keeps running.
while kill -0 "$WORKER_PID" 2>/dev/null; do
    wait -n "$SERVER_PID" "$WORKER_PID" 2>/dev/null || true
    kill -0 "$SERVER_PID" 2>/dev/null || break
done
if kill -0 "$SERVER_PID" 2>/dev/null; then
    warn "the Celery worker stopped; see $WORKER_LOG. The web server keeps running."
fi
rc=0
wait "$SERVER_PID" || rc=$?
SERVER_PID=""
exit "$rc"

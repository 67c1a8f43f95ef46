#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis that the test suite uses are installed, running and
# reachable, or fails loudly saying why.
#
#   DATABASE_URL  default postgres://party:party@127.0.0.1:5432/party
#   REDIS_URL     default redis://127.0.0.1:6379 (the suite uses databases 14 and 15)
#
# For a server on this machine (127.0.0.1/localhost) it installs the Debian packages when they
# are missing (apt-get, as root), starts the server by hand when it is not running (no systemd
# needed), and creates the login role (password, CREATEDB: pytest-django creates test_<name>)
# and the database. It only checks a server on another host. Idempotent; well under a second
# when both servers are up.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DATABASE_URL="${DATABASE_URL:-postgres://party:party@127.0.0.1:5432/party}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

is_local() { case "$1" in 127.0.0.1 | localhost | ::1 | '[::1]') return 0 ;; *) return 1 ;; esac; }

# --- PostgreSQL ------------------------------------------------------------------------
re='^postgres(ql)?://([^:@/]+)(:([^@/]*))?@([^:/]+)(:([0-9]+))?/([^?/]+)'
[[ "$DATABASE_URL" =~ $re ]] ||
    die "DATABASE_URL=$DATABASE_URL is not a postgres://user:password@host:port/name URL"
DB_USER="${BASH_REMATCH[2]}"
DB_PASS="${BASH_REMATCH[4]}"
DB_HOST="${BASH_REMATCH[5]}"
DB_PORT="${BASH_REMATCH[7]:-5432}"
DB_NAME="${BASH_REMATCH[8]}"
for v in "$DB_USER" "$DB_PASS" "$DB_NAME"; do
    [[ "$v" =~ ^[A-Za-z0-9_]+$ ]] ||
        die "services.sh handles plain role, password and database names only (letters, digits, _); got '$v'"
done

pg_ok() {
    command -v psql >/dev/null 2>&1 &&
        PGPASSWORD="$DB_PASS" PGCONNECT_TIMEOUT=3 psql -X -qAt \
            "host=$DB_HOST port=$DB_PORT user=$DB_USER dbname=$DB_NAME" -c 'select 1' >/dev/null 2>&1
}

pg_fail() {
    die "PostgreSQL is not usable at $DB_HOST:$DB_PORT (role $DB_USER, database $DB_NAME): $1
The tests need it (DATABASE_URL=$DATABASE_URL).${2:+
$2}"
}

as_postgres_psql() {
    # Through the local socket as the postgres superuser (peer authentication).
    (cd /tmp && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$DB_PORT")
}

ensure_postgres() {
    if pg_ok; then
        say "PostgreSQL is up at $DB_HOST:$DB_PORT (database $DB_NAME)"
        return
    fi
    if ! is_local "$DB_HOST"; then
        pg_fail "cannot connect to the remote server" "Start it, or point DATABASE_URL elsewhere."
    fi
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then
        apt_install postgresql
    fi

    # Find the cluster on DB_PORT; Debian picks 5433 when something already listens on 5432.
    local ver="" name="" status="" line
    while read -r line; do
        # shellcheck disable=SC2086 # split the line into its fields
        set -- $line
        if [ "$3" = "$DB_PORT" ]; then ver="$1" name="$2" status="$4"; fi
    done < <(pg_lsclusters -h 2>/dev/null || true)
    if [ -z "$ver" ]; then
        if [ -n "$(pg_lsclusters -h 2>/dev/null || true)" ]; then
            pg_fail "no PostgreSQL cluster of this machine is set to port $DB_PORT" \
                "Clusters (pg_lsclusters):
$(pg_lsclusters)
Set DATABASE_URL to the port of a cluster, or make one: pg_createcluster --port $DB_PORT <version> <name>"
        fi
        ver="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
        name=main
        say "creating PostgreSQL $ver cluster '$name' on port $DB_PORT"
        pg_createcluster --port "$DB_PORT" "$ver" "$name" >/dev/null ||
            pg_fail "pg_createcluster $ver $name failed"
        status=down
    fi
    if [ "$status" != "online" ]; then
        say "starting PostgreSQL $ver/$name on port $DB_PORT"
        local rc=0
        pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start || rc=$?
        # 2 means "already running".
        [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] ||
            pg_fail "pg_ctlcluster $ver $name start exited $rc" \
                "Log: /var/log/postgresql/postgresql-$ver-$name.log"
    fi
    wait_for 30 pg_isready -q -h "$DB_HOST" -p "$DB_PORT" ||
        pg_fail "the server does not accept connections after 30 s" \
            "Log: /var/log/postgresql/postgresql-$ver-$name.log"

    if ! pg_ok; then
        [ "$(id -u)" -eq 0 ] ||
            pg_fail "role or database missing, and creating them needs root (runuser -u postgres)"
        say "creating PostgreSQL role $DB_USER (CREATEDB) and database $DB_NAME"
        as_postgres_psql <<SQL || pg_fail "could not create the role and the database (see above)"
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASS';
    ELSE
        ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASS';
    END IF;
END
\$\$;
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_USER'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME')\gexec
SQL
    fi
    pg_ok || pg_fail "cannot log in as $DB_USER with the password of DATABASE_URL" \
        "Check pg_hba.conf of cluster $ver/$name."
    say "PostgreSQL is up at $DB_HOST:$DB_PORT (database $DB_NAME)"
}

# --- Redis -----------------------------------------------------------------------------
re='^rediss?://([^@/]*@)?([^:/]+)(:([0-9]+))?'
[[ "$REDIS_URL" =~ $re ]] || die "REDIS_URL=$REDIS_URL is not a redis://host:port URL"
REDIS_HOST="${BASH_REMATCH[2]}"
REDIS_PORT="${BASH_REMATCH[4]:-6379}"
REDIS_LOG=/var/log/redis/ci.log

redis_ok() {
    command -v redis-cli >/dev/null 2>&1 &&
        [ "$(timeout 5 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}

redis_fail() {
    die "Redis is not usable at $REDIS_HOST:$REDIS_PORT: $1
The tests need it (Celery broker and result backend).${2:+
$2}"
}

ensure_redis() {
    if redis_ok; then
        say "Redis is up at $REDIS_HOST:$REDIS_PORT"
        return
    fi
    is_local "$REDIS_HOST" || redis_fail "no answer to PING from the remote server"
    if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
        apt_install redis-server
    fi
    if ! redis_ok; then
        say "starting Redis on 127.0.0.1:$REDIS_PORT (no persistence; log $REDIS_LOG)"
        mkdir -p /var/lib/redis "$(dirname "$REDIS_LOG")"
        redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" \
            --appendonly no --dir /var/lib/redis --logfile "$REDIS_LOG" ||
            redis_fail "redis-server did not start" "Log: $REDIS_LOG"
    fi
    wait_for 15 redis_ok ||
        redis_fail "no answer to PING after 15 s" "Log: $REDIS_LOG"
    say "Redis is up at $REDIS_HOST:$REDIS_PORT"
}

ensure_postgres
ensure_redis

#!/bin/sh
# Entry point of the production image (Dockerfile). The first argument picks the process:
#   web     migrate, the committee admin group, collectstatic, then gunicorn on :8000
#   worker  the Celery worker
#   beat    Celery beat, schedules from the database (django-celery-beat)
#   anything else runs as given, e.g. `docker compose run --rm web python manage.py shell`
set -eu

case "${1:-web}" in
web)
    python manage.py migrate --noinput
    # The committee's admin group (党委管理员) with the permissions of the current models.
    python manage.py shell --verbosity 0 -c "from members.permissions import ensure_committee_admin_group; ensure_committee_admin_group()"
    python manage.py collectstatic --noinput --verbosity 0
    exec gunicorn supplychain_party.wsgi:application \
        --bind 0.0.0.0:8000 \
        --workers "${GUNICORN_WORKERS:-3}" \
        --timeout "${GUNICORN_TIMEOUT:-60}" \
        --access-logfile -
    ;;
worker)
    exec celery -A supplychain_party worker --loglevel INFO \
        --concurrency "${CELERY_WORKER_CONCURRENCY:-2}"
    ;;
beat)
    exec celery -A supplychain_party beat --loglevel INFO \
        --scheduler django_celery_beat.schedulers:DatabaseScheduler \
        --pidfile /tmp/celerybeat.pid
    ;;
*)
    exec "$@"
    ;;
esac

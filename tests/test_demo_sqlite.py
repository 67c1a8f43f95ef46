"""`make demo` runs on SQLite with no server: every migration and the whole demo load
must work there too, not only on PostgreSQL (a PostgreSQL-only migration once broke it).

Runs `manage.py migrate` and `load_demo` in a subprocess with the demo's own settings
against a fresh SQLite file, then reads what a demo user would see.
"""

import sqlite3

from tests.test_deploy import base_env, manage


def test_the_demo_migrates_and_loads_on_sqlite(tmp_path):
    database = tmp_path / "demo.sqlite3"
    env = {
        **base_env(),
        "DJANGO_SETTINGS_MODULE": "supplychain_party.settings.local",
        "DJANGO_DEBUG": "True",
        "DATABASE_URL": f"sqlite:///{database}",
        "CELERY_BROKER_URL": "filesystem://",
    }
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    loaded = manage("load_demo", env=env)
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert "qianduan" in loaded.stdout

    with sqlite3.connect(database) as db:
        (logins,) = db.execute("select count(*) from auth_user").fetchone()
        (paid,) = db.execute("select count(*) from dues_payment").fetchone()
        # The dues ledger stays append-only on SQLite too.
        try:
            db.execute("delete from dues_payment")
            deleted = True
        except sqlite3.DatabaseError as error:
            deleted = False
            assert "append-only" in str(error)
    assert logins == 6 and paid > 0 and not deleted

"""Logins: guessing is locked out, passwords follow the policy, idle sessions end."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import LoginThrottle
from tests.factories import UserFactory

PASSWORD = "Dangjian@2026"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def user(db):
    user = UserFactory(username="clerk")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_right_password_logs_in(user, client):
    response = attempt(client, "clerk", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == user


def test_five_wrong_passwords_lock_the_login_even_against_the_right_one(user, client, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = attempt(client, "clerk", "wrong-password")
        assert "Please enter a correct username and password" in response.content.decode()
    response = attempt(client, "clerk", "wrong-password")
    assert "this account is locked until" in response.content.decode()

    response = attempt(client, "clerk", PASSWORD)
    assert response.status_code == 200
    assert "this account is locked until" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_lockout(user, client, settings):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)):
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            attempt(client, "clerk", "wrong-password")
    later = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC) + settings.LOGIN_LOCKOUT
    with time_machine.travel(later + datetime.timedelta(seconds=1)):
        assert attempt(client, "clerk", PASSWORD).status_code == 302
    assert not LoginThrottle.objects.filter(username="clerk").exists()


def test_failures_spread_beyond_the_window_do_not_lock(user, client, settings):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    for i in range(settings.LOGIN_FAILURE_LIMIT + 2):
        step = settings.LOGIN_FAILURE_WINDOW * i / 2 + datetime.timedelta(seconds=i)
        with time_machine.travel(start + step):
            attempt(client, "clerk", "wrong-password")
    assert not LoginThrottle.objects.get(username="clerk").is_locked


def test_unknown_usernames_lock_too_so_the_lock_reveals_nothing(db, client, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attempt(client, "Nobody", "wrong-password")
    assert LoginThrottle.objects.get(username="nobody").is_locked


def test_a_success_forgets_earlier_failures(user, client, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        attempt(client, "clerk", "wrong-password")
    assert attempt(client, "clerk", PASSWORD).status_code == 302
    Client().post(reverse("login"), {"username": "clerk", "password": "wrong-password"})
    assert LoginThrottle.objects.get(username="clerk").failures == 1


def test_the_committee_admin_unlocks_a_login(user, superuser, settings):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attempt(client, "clerk", "wrong-password")
    throttle = LoginThrottle.objects.get(username="clerk")
    response = superuser.post(
        reverse("admin:accounts_loginthrottle_changelist"),
        {"action": "unlock", "_selected_action": [throttle.pk]},
        follow=True,
    )
    assert "1 login unlocked." in response.content.decode()
    assert attempt(client, "clerk", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "password, ok",
    [
        ("Dangjian@2026", True),
        ("dangjian2026!", True),  # lower, digits, symbol
        ("dangjian2026", False),  # two kinds only
        ("Dj@2026", False),  # too short
        ("DANGJIANBRANCH", False),  # one kind
    ],
)
def test_the_password_policy(db, password, ok):
    user = get_user_model()(username="policy")
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


@override_settings(SESSION_IDLE_TIMEOUT=datetime.timedelta(minutes=30))
def test_an_idle_session_ends_and_an_active_one_does_not(user):
    client = Client()
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(user)
    with time_machine.travel(start + datetime.timedelta(minutes=25), tick=False):
        assert client.get(reverse("home")).status_code == 200
    # 25 minutes after the last request, not after the login: still in.
    with time_machine.travel(start + datetime.timedelta(minutes=50), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=81), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session

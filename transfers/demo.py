"""The membership transfers demo (called at the end of `members.demo.load()`).

Two letters, keyed by letter number, so a second load creates nothing:
- confirmed, within the tree: a member of 处置质监党支部 moved to 仓储配送党支部. It took
  effect on the demo's start date, the day every demo membership begins, so the demo
  keeps its rule that everyone's membership starts that day (the transfer then corrects
  the first membership in place instead of adding a second row);
- issued and waiting: a member of 综合管理党支部 on the way to 采购合同党支部, for
  zhongduan (its secretary) to receive and confirm.
Everything goes through `transfers.services`.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from branches.models import Organisation
from members.demo.tree import START
from members.models import Person

from . import services
from .models import Transfer
from .services import TransferData

CONFIRMED_NO = "质监转〔2022〕1号"
WAITING_NO = "综管转〔{year}〕1号"


def _branch(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name, kind=Organisation.Kind.BRANCH).first()


def _rank_and_file(branch: Organisation, *, last: bool = False) -> Person | None:
    """A full member of the branch without any post (the same one on every fresh load).

    The one moved is the branch's last by employee number, so it lands last in the
    other branch too: demos that pick "the n-th full member" pick the same people on
    every load."""
    people = (
        Person.objects.filter(
            branch=branch, status=Person.Status.FULL, posts__isnull=True, user__isnull=True
        )
        .exclude(transfers__isnull=False)
        .order_by("employee_no")
    )
    return people.last() if last else people.first()


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def load(report) -> None:
    """Add the demo transfers that are missing; count them in the report."""
    report.created["transfers"] += 0
    back, end = _branch("仓储配送党支部"), _branch("处置质监党支部")
    functional, middle = _branch("综合管理党支部"), _branch("采购合同党支部")
    if None in (back, end, functional, middle):
        return
    if not Transfer.objects.filter(letter_year=START.year - 1, letter_no=CONFIRMED_NO).exists():
        person = _rank_and_file(end, last=True)
        if person is not None:
            transfer = services.transfer_issue(
                data=TransferData(
                    person=person,
                    direction=Transfer.Direction.WITHIN,
                    letter_no=CONFIRMED_NO,
                    issued_on=START - datetime.timedelta(days=12),
                    effective_on=START,
                    from_branch=end,
                    to_branch=back,
                    reason="工作调动：调入仓储管理中心",
                ),
                by=_user("zongzhi"),
            )
            services.transfer_receive(
                transfer=transfer, on=START - datetime.timedelta(days=5), by=_user("zongzhi")
            )
            services.transfer_confirm(transfer=transfer, on=START, by=_user("zongzhi"))
            report.created["transfers"] += 1
    today = timezone.localdate()
    issued_on = today.replace(day=1)
    waiting_no = WAITING_NO.format(year=issued_on.year)
    if (
        not Transfer.objects.filter(
            person__branch=functional, direction="within", to_branch=middle
        ).exists()
        and not Transfer.objects.filter(letter_year=issued_on.year, letter_no=waiting_no).exists()
    ):
        person = _rank_and_file(functional)
        if person is not None:
            services.transfer_issue(
                data=TransferData(
                    person=person,
                    direction=Transfer.Direction.WITHIN,
                    letter_no=waiting_no,
                    issued_on=issued_on,
                    effective_on=issued_on + datetime.timedelta(days=14),
                    from_branch=functional,
                    to_branch=middle,
                    reason="工作调动：调入合同管理部",
                ),
                by=None,
            )
            report.created["transfers"] += 1

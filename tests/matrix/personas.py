"""The matrix's roles on the demo data, each with a client logged in once per module.

The target is 计划招标党支部 (机关党总支 → 物资公司党委): its secretary `qianduan`, its
member `dangyuan` (no post, the target person), a secretary whose scope does not cover
it (`zhongduan`, 采购合同党支部, a sibling under 机关党总支), the general branch above it
(机关党总支 has no demo login: 杨秀英 holds its only post that is not also a committee
post, so the matrix gives her a login), the general branch of the other subtree
(`zongzhi`, 采购供应党总支: refused wherever the other secretary is), the committee
(`dangwei`, staff in the committee admin group) and the superuser (`admin`); and a
login that is nobody in the register.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client

from members.models import Person

ANONYMOUS = "anonymous"
MEMBER = "member"
OTHER_SECRETARY = "other_secretary"
SECRETARY = "secretary"
GENERAL = "general"
OTHER_GENERAL = "other_general"
UNLINKED = "unlinked"  # a login with no person in the register
COMMITTEE = "committee"
SUPERUSER = "superuser"

ROLES = (
    ANONYMOUS,
    UNLINKED,
    MEMBER,
    OTHER_SECRETARY,
    SECRETARY,
    GENERAL,
    OTHER_GENERAL,
    COMMITTEE,
    SUPERUSER,
)

USERNAMES = {
    UNLINKED: "matrix_unlinked",
    MEMBER: "dangyuan",
    OTHER_SECRETARY: "zhongduan",
    SECRETARY: "qianduan",
    GENERAL: "matrix_general",
    OTHER_GENERAL: "zongzhi",
    COMMITTEE: "dangwei",
    SUPERUSER: "admin",
}
GENERAL_PERSON = "杨秀英"  # propaganda member of 机关党总支's committee, no other post


def general_branch_login():
    """A login for the general branch's committee member (created inside the module's
    demo transaction, so it goes when the demo does)."""
    person = Person.objects.get(name=GENERAL_PERSON)
    if person.user_id:
        return person.user
    user = get_user_model().objects.create_user(USERNAMES[GENERAL], password="x")
    person.user = user
    person.save(update_fields=["user"])
    return user


def make_clients() -> dict[str, Client]:
    general_branch_login()
    get_user_model().objects.create_user(USERNAMES[UNLINKED], password="x")
    users = get_user_model().objects.in_bulk(list(USERNAMES.values()), field_name="username")
    clients = {ANONYMOUS: Client()}
    for role, username in USERNAMES.items():
        client = Client()
        client.force_login(users[username])
        clients[role] = client
    return clients

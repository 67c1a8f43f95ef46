"""The committee's admin for people, memberships and posts.

Memberships: `Person.branch` and `Person.group` are a copy of the person's open
membership, kept by `members.services.membership_start/membership_end` so that
scoping a list of people is one join. The admin therefore never edits them
directly: they are read-only on the person's page, a membership's dates and places
are read-only once it exists (it is dated history), and a new membership, whether
added in the person's inline or on the membership page, is saved by
`membership_start`, which closes the open one and moves the person. Ending a
membership is an action that calls `membership_end`. One write path, whichever
page the committee uses.

Posts are added through `post_assign` the same way (it refuses a second secretary
and a group leader outside a group), and ended by an action calling `post_end`.
"""

from . import dated, memberships, people, posts, write_path
from .dated import StateFilter
from .memberships import MembershipAdmin, MembershipForm, MembershipInline, save_membership_formset
from .people import PersonAdmin
from .posts import (
    PersonPostInline,
    PostAdmin,
    PostForm,
    PostInline,
    PostInlineForm,
    save_post_formset,
)
from .write_path import InlineConstraintsMixin, ServiceRefusalMixin, dry_run

__all__ = [
    "InlineConstraintsMixin",
    "MembershipAdmin",
    "MembershipForm",
    "MembershipInline",
    "PersonAdmin",
    "PersonPostInline",
    "PostAdmin",
    "PostForm",
    "PostInline",
    "PostInlineForm",
    "ServiceRefusalMixin",
    "StateFilter",
    "dated",
    "dry_run",
    "memberships",
    "people",
    "posts",
    "save_membership_formset",
    "save_post_formset",
    "write_path",
]

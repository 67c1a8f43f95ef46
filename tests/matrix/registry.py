"""Every named portal URL: its access class and how to build its kwargs.

Access classes (who gets the page; everyone else is refused: 404, or 403 where the
portal refuses a whole list to people without a post):

- PUBLIC: anyone, logged in or not.
- ANY_LOGIN: every logged-in user (their own view of it; an empty state when idle).
- PERSON: every logged-in user who is in the register (a login without one: 404).
- SELF: only the target person (a page about their own inbox, quiz, ...).
- OWN: the target person's records: the person and those above in the tree.
- LEADERS: every user who leads an organisation (a member without a post: refused).
- BRANCH: the target branch's secretary and above (general branch, committee).
- COMMITTEE: the committee and the superuser only.
- ADMIN: staff with the model permission (committee admin group, superuser): the
  admin's pages, listed from the admin site itself in `admin_urls.py`.

`roles=`: the allowed roles spelled out where no class fits (a rule of the app, or
who the demo's object concerns), each with a comment saying why.

`post=True`: the view takes POST only (or changes state); the matrix GETs it and only
checks that a refused role does not get 200 and that nothing answers 500.
Kwargs: `org_pk` is the target branch, `person_pk` the target person, `year` the
target branch's assessment year; `pk("meeting")` is the pk of `Targets().meeting`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .personas import COMMITTEE as COMMITTEE_ROLE
from .personas import GENERAL, MEMBER, OTHER_GENERAL, OTHER_SECRETARY, SECRETARY, SUPERUSER
from .targets import Targets

PUBLIC = "public"
ANY_LOGIN = "any_login"
PERSON = "person"  # every logged-in user with a record in the register (not `admin`)
SELF = "self"
OWN = "own"
LEADERS = "leaders"
BRANCH = "branch"
COMMITTEE = "committee"
ADMIN = "admin"


@dataclass(frozen=True)
class Entry:
    access: str
    kwargs: Callable[[Targets], dict] | None = None
    post: bool = False
    # A refused role may get 200 with an empty body (an htmx panel with nothing to show).
    empty_if_refused: bool = False
    roles: frozenset[str] | None = None  # the allowed roles, when no class fits


def pk(attr: str) -> Callable[[Targets], dict]:
    return lambda t: {"pk": getattr(t, attr).pk}


def org(t: Targets) -> dict:
    return {"org_pk": t.branch.pk}


def person(t: Targets) -> dict:
    return {"person_pk": t.person.pk}


def person_as_pk(t: Targets) -> dict:
    return {"pk": t.person.pk}


def org_as_pk(t: Targets) -> dict:
    return {"pk": t.branch.pk}


def org_year(t: Targets) -> dict:
    return {"org_pk": t.branch.pk, "year": t.assessment.scheme.year}


def appraisal_year(t: Targets) -> dict:
    return {"org_pk": t.branch.pk, "year": t.appraisal.scheme.year}


def my_year(t: Targets) -> dict:
    return {"year": t.appraisal.scheme.year}


def sign_in_token(t: Targets) -> dict:
    from meetings.services import sign_in_token as token

    return {"token": token(t.meeting)}


# Who enters the weekly supply statuses: members of an active service team and the
# leaders of a team's organisation. The demo's one team is the committee's, with
# dangyuan and zhongduan on it (qianduan and the general branch are not).
STATUS_ENTRY = frozenset({MEMBER, OTHER_SECRETARY, COMMITTEE_ROLE, SUPERUSER})
# Who has an entry in the target branch's member appraisal: its party members
# (dangyuan and its secretary qianduan); everyone else: 404.
APPRAISED = frozenset({MEMBER, SECRETARY})
# The committee's team is seen by its members, its organisation's leaders and the
# leaders of its members' branches: people of every persona's branch are on it.
TEAM_VIEWERS = frozenset(
    {MEMBER, OTHER_SECRETARY, SECRETARY, GENERAL, OTHER_GENERAL, COMMITTEE_ROLE, SUPERUSER}
)
# A service record is edited by its author (the demo's first one is zhongduan's) and
# the team's leaders.
RECORD_EDITORS = frozenset({OTHER_SECRETARY, COMMITTEE_ROLE, SUPERUSER})
# The demo's campaign is 机关党总支's: the general branch and above open its page.
GENERAL_UP = frozenset({GENERAL, COMMITTEE_ROLE, SUPERUSER})
# The demo's joint projects belong to 采购供应党总支's pairing: its general branch and
# the committee open them, the target branch's people do not.
PAIRING = frozenset({OTHER_GENERAL, COMMITTEE_ROLE, SUPERUSER})
# The demo's quiz material is assigned to 机关党总支: its subtree, the committee and the
# superuser open it; 采购供应党总支 is outside the audience (404).
AUDIENCE = frozenset({MEMBER, OTHER_SECRETARY, SECRETARY, GENERAL, COMMITTEE_ROLE, SUPERUSER})
# The credit ranking as Excel: whoever has a ranking to show (a branch, or a subtree led
# or seen); a login without a person has none, so its page is an empty state and its
# export a 404.
RANKED = frozenset(
    {MEMBER, OTHER_SECRETARY, SECRETARY, GENERAL, OTHER_GENERAL, COMMITTEE_ROLE, SUPERUSER}
)
# An import batch is seen only by the user who uploaded it (the matrix's: dangwei).
UPLOADER = frozenset({COMMITTEE_ROLE})
# Everyone in the register, and the superuser (sees all): the overview's landing page
# redirects them; the unlinked login has no organisation and no figures of its own.
OVERVIEW_LANDING = frozenset(
    {MEMBER, OTHER_SECRETARY, SECRETARY, GENERAL, OTHER_GENERAL, COMMITTEE_ROLE, SUPERUSER}
)


def roster_import(t: Targets) -> dict:
    """The target branch's roster import, done by its secretary (qianduan). The demo has
    none: made here, inside the test's savepoint. Its record is read by the branch's
    leaders and those above (BRANCH); confirm and discard answer its uploader only."""
    from django.contrib.auth import get_user_model

    from members.models import RosterImport

    batch = RosterImport.objects.filter(organisation=t.branch).order_by("pk").first()
    if batch is None:
        batch = RosterImport.objects.create(
            organisation=t.branch,
            filename="matrix.xlsx",
            content=b"",
            status=RosterImport.Status.IMPORTED,
            uploaded_by=get_user_model().objects.get(username="qianduan"),
        )
    return {"pk": batch.pk}


E = Entry
REGISTRY: dict[str, Entry] = {
    # -- the site ---------------------------------------------------------------------
    "home": E(ANY_LOGIN),
    "login": E(PUBLIC),
    "logout": E(PUBLIC, post=True),
    "set_language": E(PUBLIC, post=True),
    "healthz": E(PUBLIC),
    # -- branches, members ------------------------------------------------------------
    "branches:organisation_list": E(LEADERS),
    "branches:organisation_export": E(LEADERS),
    "branches:organisation_detail": E(BRANCH, org_as_pk),
    "branches:supply_chain": E(ANY_LOGIN),
    "members:person_list": E(LEADERS),
    "members:person_export": E(LEADERS),
    "members:person_detail": E(OWN, person_as_pk),
    # The roster import: whoever leads a branch, a general branch or the committee (a
    # member without a post: 403, as the register).
    "members:roster_import_upload": E(LEADERS),
    "members:roster_template": E(LEADERS),
    "members:roster_import_list": E(LEADERS),
    "members:roster_import_detail": E(BRANCH, roster_import),
    "members:roster_import_confirm": E(BRANCH, roster_import, post=True),
    "members:roster_import_discard": E(BRANCH, roster_import, post=True),
    # -- meetings ---------------------------------------------------------------------
    "meetings:meeting_list": E(BRANCH, org),
    "meetings:meeting_create": E(BRANCH, org),
    "meetings:compliance": E(BRANCH, org),
    "meetings:calendar": E(BRANCH, org),
    "meetings:ledger_export": E(BRANCH, org),
    "meetings:meeting_list_export": E(BRANCH, org),
    "meetings:meeting_detail": E(BRANCH, pk("meeting")),
    "meetings:meeting_edit": E(BRANCH, pk("meeting")),
    "meetings:meeting_submit": E(BRANCH, pk("meeting"), post=True),
    "meetings:attachment_upload": E(BRANCH, pk("meeting"), post=True),
    "meetings:attachment_download": E(
        BRANCH,
        lambda t: {"pk": t.meeting_attachment.meeting_id, "attachment_pk": t.meeting_attachment.pk},
    ),
    "meetings:meeting_qr": E(BRANCH, pk("meeting")),
    "meetings:sign_in": E(ANY_LOGIN, sign_in_token, post=True),
    "meetings:my_attendance": E(ANY_LOGIN),
    "meetings:makeup_done": E(OWN, pk("attendance"), post=True),
    # -- liaison ----------------------------------------------------------------------
    "liaison:my_visits": E(PERSON),
    "liaison:visit_create": E(PERSON),
    "liaison:visit_edit": E(SELF, pk("visit")),  # only its author edits a visit
    "liaison:visit_review": E(BRANCH, pk("visit"), post=True),
    "liaison:my_problems": E(PERSON),
    "liaison:problem_detail": E(BRANCH, pk("problem")),
    "liaison:problem_move": E(BRANCH, lambda t: {"pk": t.problem.pk, "action": "start"}, post=True),
    "liaison:problem_register": E(BRANCH, lambda t: {"opinion_pk": t.opinion.pk}, post=True),
    "liaison:campaign_detail": E(BRANCH, pk("campaign"), roles=GENERAL_UP),
    "liaison:handbook": E(OWN, person),
    "liaison:visit_review_list": E(BRANCH, org),
    "liaison:visits_export": E(BRANCH, org),
    "liaison:opinion_list": E(BRANCH, org),
    "liaison:opinions_export": E(BRANCH, org),
    "liaison:campaign_list": E(BRANCH, org),
    "liaison:campaigns_export": E(BRANCH, org),
    "liaison:problem_list": E(BRANCH, org),
    "liaison:problems_export": E(BRANCH, org),
    "liaison:figures": E(BRANCH, org),
    "liaison:member_panel": E(PERSON),
    "liaison:organisation_panel": E(BRANCH, org),
    # -- notifications ----------------------------------------------------------------
    "notifications:list": E(ANY_LOGIN),
    "notifications:open": E(SELF, pk("notification"), post=True),
    "notifications:read_all": E(ANY_LOGIN, post=True),
    # -- assessments ------------------------------------------------------------------
    "assessments:current": E(BRANCH, org),
    "assessments:detail": E(BRANCH, org_year),
    "assessments:scores_enter": E(BRANCH, org_year, post=True),
    "assessments:submit": E(BRANCH, org_year, post=True),
    "assessments:branch_panel": E(BRANCH, org),
    "assessments:branch_appraisal": E(BRANCH, appraisal_year),
    "assessments:branch_appraisal_export": E(BRANCH, appraisal_year),
    "assessments:branch_appraisal_open": E(BRANCH, appraisal_year, post=True),
    "assessments:branch_appraisal_grades": E(BRANCH, appraisal_year, post=True),
    "assessments:branch_appraisal_decide": E(BRANCH, appraisal_year, post=True),
    "assessments:my_appraisal_current": E(ANY_LOGIN, roles=APPRAISED),
    "assessments:my_appraisal": E(ANY_LOGIN, my_year, roles=APPRAISED),
    "assessments:my_appraisal_vote": E(ANY_LOGIN, my_year, roles=APPRAISED, post=True),
    "assessments:appraisal_tally": E(LEADERS, my_year),  # each leader's own branches
    "assessments:appraisal_tally_export": E(LEADERS, my_year),
    "assessments:member_stars": E(OWN, person_as_pk),
    "assessments:score_attachment": E(BRANCH, pk("score_with_attachment")),
    # -- development ------------------------------------------------------------------
    "development:index": E(ANY_LOGIN),
    "development:candidacy_detail": E(BRANCH, pk("candidacy")),
    "development:candidacy_step": E(
        BRANCH, lambda t: {"pk": t.candidacy.pk, "step": "talk"}, post=True
    ),
    "development:pipeline": E(BRANCH, org),
    "development:pipeline_export": E(BRANCH, org),
    "development:candidacy_open": E(BRANCH, org, post=True),
    "development:figures": E(BRANCH, org),
    "development:mentoring": E(BRANCH, org),
    "development:mentoring_export": E(BRANCH, org),
    "development:mentor_pair_close": E(BRANCH, pk("mentor_pair"), post=True),
    "development:organisation_panel": E(BRANCH, org),
    "development:person_panel": E(OWN, person),
    "development:overview_panel": E(LEADERS, empty_if_refused=True),
    # -- vanguard ---------------------------------------------------------------------
    "vanguard:index": E(ANY_LOGIN),
    "vanguard:pledge_mine": E(ANY_LOGIN),
    "vanguard:card": E(OWN, person_as_pk),
    "vanguard:pledge_list": E(BRANCH, org),
    "vanguard:pledges_export": E(BRANCH, org),
    "vanguard:pledge_approve": E(BRANCH, pk("pledge"), post=True),
    "vanguard:pledge_return": E(BRANCH, pk("pledge"), post=True),
    "vanguard:designation_list": E(BRANCH, org),
    "vanguard:designations_export": E(BRANCH, org),
    "vanguard:designation_create": E(BRANCH, org),
    "vanguard:designation_edit": E(BRANCH, pk("designation")),
    "vanguard:designation_revoke": E(BRANCH, pk("designation"), post=True),
    "vanguard:person_panel": E(OWN, person_as_pk),
    "vanguard:organisation_panel": E(BRANCH, org),
    # -- activities -------------------------------------------------------------------
    "activities:index": E(ANY_LOGIN),
    "activities:activities_export": E(ANY_LOGIN),
    "activities:activity_create": E(BRANCH, org),
    # Decision: a member sees their own branch's activities (they attend them).
    "activities:activity_detail": E(OWN, pk("activity")),
    "activities:activity_edit": E(BRANCH, pk("activity")),
    "activities:project_list": E(ANY_LOGIN),
    "activities:projects_export": E(ANY_LOGIN),
    "activities:project_detail": E(COMMITTEE, pk("joint_project"), roles=PAIRING),
    "activities:progress_create": E(LEADERS, pk("joint_project"), post=True),
    "activities:document_list": E(ANY_LOGIN),
    "activities:documents_export": E(ANY_LOGIN),
    "activities:document_create": E(LEADERS),
    "activities:document_detail": E(ANY_LOGIN, pk("document")),
    "activities:version_upload": E(LEADERS, pk("document"), post=True),
    "activities:version_download": E(
        ANY_LOGIN, lambda t: {"pk": t.document.pk, "number": t.document.current_number}
    ),
    "activities:organisation_panel": E(BRANCH, org),
    "activities:person_panel": E(OWN, person_as_pk),
    # -- service teams ----------------------------------------------------------------
    "serviceteam:index": E(ANY_LOGIN),
    "serviceteam:team_detail": E(ANY_LOGIN, pk("team"), roles=TEAM_VIEWERS),
    "serviceteam:log_export": E(ANY_LOGIN, pk("team"), roles=TEAM_VIEWERS),
    "serviceteam:member_add": E(BRANCH, pk("team"), post=True),
    "serviceteam:member_leave": E(BRANCH, pk("team_member"), post=True),
    "serviceteam:record_create": E(BRANCH, pk("team"), roles=STATUS_ENTRY),  # may_log
    "serviceteam:record_edit": E(BRANCH, pk("service_record"), roles=RECORD_EDITORS),
    "serviceteam:board": E(ANY_LOGIN),
    "serviceteam:board_export": E(ANY_LOGIN),
    "serviceteam:template_download": E(COMMITTEE, roles=STATUS_ENTRY),
    "serviceteam:project_detail": E(ANY_LOGIN, pk("key_project")),
    "serviceteam:import_upload": E(COMMITTEE, roles=STATUS_ENTRY),
    "serviceteam:import_preview": E(COMMITTEE, pk("import_batch"), roles=UPLOADER),
    "serviceteam:import_confirm": E(COMMITTEE, pk("import_batch"), roles=UPLOADER, post=True),
    "serviceteam:import_discard": E(COMMITTEE, pk("import_batch"), roles=UPLOADER, post=True),
    "serviceteam:overview_panel": E(ANY_LOGIN),  # the board is published company-wide
    "serviceteam:organisation_panel": E(BRANCH, org),
    "serviceteam:person_panel": E(OWN, person),
    # -- dues -------------------------------------------------------------------------
    "dues:index": E(ANY_LOGIN),
    "dues:mine": E(ANY_LOGIN),
    "dues:ledger": E(BRANCH, org),
    "dues:ledger_export": E(BRANCH, org),
    "dues:pay_all": E(BRANCH, org, post=True),
    "dues:arrears": E(BRANCH, org),
    "dues:arrears_export": E(BRANCH, org),
    "dues:totals": E(BRANCH, org),
    "dues:totals_export": E(BRANCH, org),
    "dues:member": E(OWN, person),
    "dues:declare": E(OWN, person),  # the member declares their own base, or a leader
    "dues:payment_create": E(BRANCH, person),
    "dues:payment_correct": E(BRANCH, pk("payment")),
    "dues:person_panel": E(OWN, person),
    "dues:organisation_panel": E(BRANCH, org),
    "dues:overview_panel": E(LEADERS, empty_if_refused=True),
    # -- study ------------------------------------------------------------------------
    "study:index": E(ANY_LOGIN),
    "study:unread": E(ANY_LOGIN),
    "study:material_detail": E(ANY_LOGIN, pk("material"), roles=AUDIENCE),
    "study:material_read": E(ANY_LOGIN, pk("material"), post=True),
    "study:material_file": E(ANY_LOGIN, pk("material"), roles=AUDIENCE),
    "study:quiz_start": E(ANY_LOGIN, pk("material"), post=True),
    "study:material_assign": E(LEADERS, pk("material"), roles=AUDIENCE - {MEMBER}),
    "study:attempt": E(SELF, lambda t: {"token": t.quiz_attempt.token}),
    "study:my_credits": E(ANY_LOGIN),
    "study:ranking": E(ANY_LOGIN),
    "study:ranking_export": E(ANY_LOGIN, roles=RANKED),
    "study:material_list": E(LEADERS),
    "study:materials_export": E(LEADERS),
    "study:material_create": E(LEADERS),
    "study:completion": E(BRANCH, org),
    "study:completion_export": E(BRANCH, org),
    "study:person_panel": E(OWN, person_as_pk),
    "study:organisation_panel": E(BRANCH, org_as_pk),
    "study:overview_panel": E(LEADERS, empty_if_refused=True),
    # -- elections --------------------------------------------------------------------
    "elections:index": E(ANY_LOGIN),
    "elections:terms": E(BRANCH, org),
    "elections:terms_export": E(BRANCH, org),
    "elections:organisation": E(BRANCH, org),
    "elections:term_create": E(BRANCH, org, post=True),
    "elections:organisation_panel": E(BRANCH, org),
    "elections:election_create": E(BRANCH, org),
    "elections:overview_panel": E(LEADERS, empty_if_refused=True),
    "elections:election_detail": E(BRANCH, pk("election")),
    "elections:election_edit": E(BRANCH, pk("election")),
    "elections:candidate_add": E(BRANCH, pk("election"), post=True),
    "elections:candidate_remove": E(
        BRANCH, lambda t: {"pk": t.election.pk, "candidate_pk": t.candidate.pk}, post=True
    ),
    "elections:approve": E(BRANCH, pk("election"), post=True),
    "elections:vote": E(BRANCH, pk("election")),
    "elections:confirm": E(BRANCH, pk("election"), post=True),
    # -- transfers --------------------------------------------------------------------
    "transfers:index": E(ANY_LOGIN),
    "transfers:ledger": E(BRANCH, org),
    "transfers:export": E(BRANCH, org),
    "transfers:create": E(BRANCH, org),
    "transfers:organisation_panel": E(BRANCH, org),
    "transfers:person_panel": E(OWN, person_as_pk),
    "transfers:detail": E(BRANCH, pk("transfer")),
    "transfers:receive": E(BRANCH, pk("transfer"), post=True),
    "transfers:confirm": E(BRANCH, pk("transfer"), post=True),
    "transfers:cancel": E(BRANCH, pk("transfer"), post=True),
    # -- notices ----------------------------------------------------------------------
    "notices:index": E(ANY_LOGIN),
    "notices:sent_list": E(BRANCH, org),
    "notices:sent_export": E(BRANCH, org),
    "notices:create": E(BRANCH, org),
    # Decision: the branch's members are addressed by its notice and read it.
    "notices:detail": E(OWN, pk("notice")),
    "notices:edit": E(BRANCH, pk("notice")),
    "notices:publish": E(BRANCH, pk("notice"), post=True),
    "notices:withdraw": E(BRANCH, pk("notice"), post=True),
    "notices:delete": E(BRANCH, pk("notice"), post=True),
    "notices:receipts": E(BRANCH, pk("notice")),
    "notices:unread_export": E(BRANCH, pk("notice")),
    "notices:attachment_download": E(
        OWN,
        lambda t: {"pk": t.notice_attachment.notice_id, "attachment_pk": t.notice_attachment.pk},
    ),
    "notices:attachment_remove": E(
        BRANCH,
        lambda t: {"pk": t.notice_attachment.notice_id, "attachment_pk": t.notice_attachment.pk},
        post=True,
    ),
    "notices:person_panel": E(OWN, person_as_pk),
    "notices:organisation_panel": E(BRANCH, org),
    # Without a post a user manages no notice: the panel shows its empty state.
    "notices:overview_panel": E(ANY_LOGIN),
    # -- overview ---------------------------------------------------------------------
    # The landing page redirects each user to what they may see: a leader to the widest
    # organisation they lead, a member to their own figures, the superuser to the root;
    # a login with nobody in the register has neither (404).
    "overview:index": E(ANY_LOGIN, roles=OVERVIEW_LANDING),
    # An organisation's dashboard and its segments: its subtree's leaders (the scope
    # layer's rule, as for every organisation page).
    "overview:dashboard": E(BRANCH, org),
    "overview:segments": E(BRANCH, org),
    # The member level: the person and those above them (a colleague: 404).
    "overview:person": E(OWN, person),
    # -- audit ------------------------------------------------------------------------
    "audit:download_list": E(COMMITTEE),
    "audit:download_export": E(COMMITTEE),
    "audit:change_list": E(COMMITTEE),
}

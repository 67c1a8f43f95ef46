"""Loading the demo: create whatever is missing through the services, in one transaction."""

from __future__ import annotations

from importlib import import_module

from django.contrib.auth import get_user_model
from django.db import transaction

from branches.models import BusinessNode, ExternalOrganisation, Organisation, Partnership, Segment
from branches.services import organisation_create

from ..models import Membership, Person, Post
from ..permissions import ensure_committee_admin_group
from ..services import membership_start, post_assign
from .report import Report
from .roster import DEMO_PASSWORD, LOGINS, LoginSpec, PersonRow, Role, people
from .tree import ORGANISATIONS, PARTNER, PARTNERSHIP, START, Kind


class _Loader:
    def __init__(self) -> None:
        self.report = Report()
        self.created = self.report.created
        for what in ("organisations", "people", "memberships", "posts", "logins",
                     "outside organisations", "pairings"):
            self.created[what] = 0

    def run(self) -> Report:
        admin_group = ensure_committee_admin_group()
        orgs = self.organisations()
        users = {spec.username: self.user(spec, admin_group) for spec in LOGINS}
        nodes = {node.code: node for node in BusinessNode.objects.all()}
        for row in people():
            self.person(row, orgs, nodes, users)
        self.pairing(orgs)
        self.summarise()
        return self.report

    def organisations(self) -> dict[str, Organisation]:
        segments = {segment.code: segment for segment in Segment.objects.all()}
        nodes = {node.code: node for node in BusinessNode.objects.all()}
        pks: dict[str, int] = {}
        for spec in ORGANISATIONS:
            # Fetch the parent afresh: adding a sibling sorted by name may have moved it.
            parent = Organisation.objects.get(pk=pks[spec.parent]) if spec.parent else None
            siblings = (
                Organisation.objects.get_children(parent)
                if parent
                else Organisation.objects.get_root_nodes()
            )
            organisation = siblings.filter(name=spec.name, kind=spec.kind).first()
            if organisation is None:
                organisation = organisation_create(
                    name=spec.name,
                    kind=spec.kind,
                    parent=parent,
                    segment=segments.get(spec.segment) if spec.segment else None,
                    nodes=[nodes[code] for code in spec.nodes if code in nodes],
                    unit=spec.unit,
                    established_on=spec.established_on,
                    description=spec.description,
                )
                self.created["organisations"] += 1
            pks[spec.key] = organisation.pk
        # Reload once the tree is complete, so every path is current.
        by_pk = Organisation.objects.in_bulk(pks.values())
        return {key: by_pk[pk] for key, pk in pks.items()}

    def user(self, spec: LoginSpec, admin_group):
        User = get_user_model()
        user = User.objects.filter(username=spec.username).first()
        if user is not None:
            return user
        user = User.objects.create_user(
            spec.username,
            password=DEMO_PASSWORD,
            is_staff=spec.is_staff,
            is_superuser=spec.is_superuser,
        )
        if spec.committee_admin:
            user.groups.add(admin_group)
        self.created["logins"] += 1
        return user

    def person(self, row: PersonRow, orgs, nodes, users) -> None:
        person = Person.objects.filter(employee_no=row.employee_no).first()
        user = users.get(row.username) if row.username else None
        if person is None:
            if user is not None and Person.objects.filter(user=user).exists():
                self.report.notes.append(
                    f"login {user.username} already belongs to someone else; "
                    f"{row.name} was created without it."
                )
                user = None
            person = Person.objects.create(
                employee_no=row.employee_no,
                name=row.name,
                gender=row.gender,
                birth_date=row.birth_date,
                phone=row.phone,
                department=row.department,
                node=nodes.get(row.node) if row.node else None,
                job_title=row.job_title,
                status=row.status,
                joined_party_on=row.joined_party_on,
                full_member_on=row.full_member_on,
                user=user,
            )
            self.created["people"] += 1
        # A person with any membership, open or closed, has been placed (perhaps moved
        # by hand since): leave them where they are.
        if not Membership.objects.filter(person=person).exists():
            membership_start(
                person=person,
                branch=orgs[row.branch],
                group=orgs[row.group] if row.group else None,
                on=START,
            )
            self.created["memberships"] += 1
        for org_key, role in row.posts:
            self.post(person, orgs[org_key], role, row.job_title)

    def post(self, person: Person, organisation: Organisation, role: str, job: str) -> None:
        # Any such post, even one ended since, means it was loaded before.
        if Post.objects.filter(person=person, organisation=organisation, role=role).exists():
            return
        if role == Role.SECRETARY and Post.objects.filter(
            organisation=organisation, role=role, ended_on__isnull=True
        ).exists():
            self.report.notes.append(
                f"{organisation} already has a secretary; {person} was not made secretary."
            )
            return
        leads = role in (Role.SECRETARY, Role.DEPUTY_SECRETARY)
        post_assign(
            person=person,
            organisation=organisation,
            role=role,
            on=START,
            # Part-time secretaries keep their business post: one post, two duties.
            business_post=job if leads else "",
        )
        self.created["posts"] += 1

    def pairing(self, orgs) -> None:
        partner, made = ExternalOrganisation.objects.get_or_create(
            name=PARTNER["name"],
            defaults={"superior": PARTNER["superior"], "contact": PARTNER["contact"]},
        )
        self.created["outside organisations"] += int(made)
        organisation = orgs[PARTNERSHIP["organisation"]]
        if not Partnership.objects.filter(organisation=organisation, partner=partner).exists():
            Partnership.objects.create(
                organisation=organisation,
                partner=partner,
                title=PARTNERSHIP["title"],
                started_on=PARTNERSHIP["started_on"],
            )
            self.created["pairings"] += 1

    def summarise(self) -> None:
        totals = self.report.totals
        for value, label in Kind.choices:
            totals[f"organisations, {label}"] = Organisation.objects.filter(kind=value).count()
        for value, label in Person.Status.choices:
            totals[f"people, {label}"] = Person.objects.filter(status=value).count()
        totals["memberships (open)"] = Membership.objects.filter(ended_on__isnull=True).count()
        totals["posts (open)"] = Post.objects.filter(ended_on__isnull=True).count()
        totals["pairings"] = Partnership.objects.count()
        usernames = [spec.username for spec in LOGINS]
        people_by_user = {p.user_id: p for p in Person.objects.filter(user__username__in=usernames)}
        User = get_user_model()
        for spec in LOGINS:
            user = User.objects.filter(username=spec.username).first()
            person = people_by_user.get(user.pk) if user else None
            self.report.logins.append(
                (spec.username, person.name if person else "—", spec.description)
            )


@transaction.atomic
def load() -> Report:
    """Load the demo organisation; create what is missing, change nothing else."""
    report = _Loader().run()
    # Then the liaison app's rows (visits, campaign, problem ledger), which need the people.
    from liaison import demo as liaison_demo

    liaison_demo.load(report)
    # Then a year of party life (meetings with attendance), which needs the posts.
    from meetings import demo as meetings_demo

    meetings_demo.load(report)
    # Then this year's assessments, which read the meetings and visits above.
    from assessments import demo as assessments_demo

    assessments_demo.load(report)
    # Then the apps built on all of the above, each adding what it is missing.
    # The overview last: it sums what every app above loaded.
    for app in ("development", "vanguard", "activities", "serviceteam", "dues", "study",
                "elections", "transfers", "notices", "overview"):
        import_module(f"{app}.demo").load(report)
    # Last, the maintained summaries over everything loaded.
    from meetings import summary as compliance_summary

    compliance_summary.refresh_all()
    return report

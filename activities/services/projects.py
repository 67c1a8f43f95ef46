"""Joint research topics of a pairing and their append-only progress."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Partnership
from members.access import scope_for
from members.models import Person

from ..models import JointProject, ProjectProgress


@transaction.atomic
def project_create(
    *,
    partnership: Partnership,
    topic: str,
    lead: Person,
    members: list[Person],
    started_on: datetime.date,
    due_on: datetime.date,
    by: AbstractBaseUser | None,
) -> JointProject:
    """Open a joint research topic on a pairing of an organisation the user leads
    (`by=None`: the demo loader)."""
    topic = (topic or "").strip()
    errors = []
    if by is not None and not scope_for(by).covers(partnership.organisation):
        errors.append(
            _("You do not lead %(org)s, so you cannot open its joint projects.")
            % {"org": partnership.organisation.name}
        )
    if partnership.ended_on is not None:
        errors.append(_("This pairing has ended."))
    if not topic:
        errors.append(_("Name the topic."))
    if due_on < started_on:
        errors.append(_("A project cannot be due before it starts."))
    path = partnership.organisation.path
    for person in [lead, *members]:
        if not (person.branch and person.branch.path.startswith(path)):
            errors.append(
                _("%(name)s is not in %(org)s.")
                % {"name": person.name, "org": partnership.organisation.name}
            )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            project = JointProject.objects.create(
                partnership=partnership,
                topic=topic,
                lead=lead,
                started_on=started_on,
                due_on=due_on,
            )
    except IntegrityError:
        raise ValidationError(_("This pairing already has a project on this topic.")) from None
    project.members.set(members)
    return project


def may_report(project: JointProject, by: AbstractBaseUser | None) -> bool:
    """The pairing's leaders, the project's lead and its members report progress
    (`by=None`: the demo loader)."""
    if by is None:
        return True
    if not by.is_authenticated:
        return False
    scope = scope_for(by)
    if scope.covers(project.partnership.organisation):
        return True
    person = scope.person
    if person is None:
        return False
    return project.lead_id == person.pk or project.members.filter(pk=person.pk).exists()


@transaction.atomic
def progress_add(
    *,
    project: JointProject,
    on: datetime.date,
    percent: int,
    text: str,
    by: AbstractBaseUser | None,
) -> ProjectProgress:
    """Append a dated progress entry (entries are never edited); the project shows the
    percent of its latest entry, and is completed at 100%."""
    project = (
        JointProject.objects.select_for_update()
        .select_related("partnership__organisation")
        .get(pk=project.pk)
    )
    text = (text or "").strip()
    errors = []
    if not may_report(project, by):
        errors.append(
            _("Only the project's lead, its members and the pairing's leaders report progress.")
        )
    if project.status != JointProject.Status.ACTIVE:
        errors.append(
            _("The project is %(status)s; no more progress is recorded.")
            % {"status": project.get_status_display()}
        )
    if percent is None or not 0 <= percent <= 100:
        errors.append(_("Progress is a percentage from 0 to 100."))
    if not text:
        errors.append(_("Say what was done."))
    if on > timezone.localdate():
        errors.append(_("Progress is recorded for a day that has come."))
    if on < project.started_on:
        errors.append(
            _("The project started on %(date)s; progress comes after.")
            % {"date": project.started_on.isoformat()}
        )
    last = project.progress.order_by("-on", "-pk").first()
    if last is not None and on < last.on:
        errors.append(
            _("The last entry is dated %(date)s; a new entry cannot come before it.")
            % {"date": last.on.isoformat()}
        )
    if errors:
        raise ValidationError(errors)
    if last is not None and (last.on, last.percent, last.text) == (on, percent, text):
        return last  # the same entry submitted twice
    entry = ProjectProgress.objects.create(
        project=project, on=on, percent=percent, text=text, by=by
    )
    project.percent = percent
    if percent == 100:
        project.status = JointProject.Status.COMPLETED
    project.save()
    return entry

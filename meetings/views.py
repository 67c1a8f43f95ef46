"""Pages for logging meetings and following party life. Thin: access through
`members.access`, reads through `selectors`, writes through `services`."""

from __future__ import annotations

import calendar
import datetime
import uuid
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import get_organisation_or_404, scope_for
from supplychain_party.exports import ledger_response, xlsx_response

from . import selectors, services, summary
from .exports import MEETING_COLUMNS, ledger_workbook
from .forms import (
    AttachmentForm,
    AttendanceFormSet,
    MeetingForm,
    attendance_entries,
    attendance_initial,
    names_of,
    posted_person,
)
from .models import Attendance, Meeting, MeetingKind


def get_meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, or 404 when its organisation is outside the user's scope."""
    meetings = Meeting.objects.select_related("organisation", "host", "recorder", "lecturer")
    try:
        return scope_for(request.user).within(meetings, "organisation__path").get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


def _parse_month(value: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        datetime.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


def _filtered_meetings(request: HttpRequest, queryset):
    """The meeting list's filters (kind, year): its page, its export and the ledger."""
    kind = request.GET.get("kind", "")
    if kind in MeetingKind.values:
        queryset = queryset.filter(kind=kind)
    year = request.GET.get("year", "")
    if year.isdigit():
        queryset = queryset.filter(held_at__year=int(year))
    return queryset, kind, year


@login_required
def meeting_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    """An organisation's meetings, newest first, filtered by kind and year."""
    organisation = get_organisation_or_404(request, org_pk)
    queryset, kind, year = _filtered_meetings(request, selectors.meetings_for_list(organisation))
    page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    years = [
        d.year
        for d in Meeting.objects.filter(organisation=organisation).dates(
            "held_at", "year", order="DESC"
        )
    ]
    kinds = [(value, MeetingKind(value).label) for value in selectors.kinds_for(organisation)]
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "organisation": organisation,
            "page": page,
            "kind": kind,
            "year": year,
            "kinds": kinds,
            "years": years,
            "all_kinds": MeetingKind.choices,
            "columns": MEETING_COLUMNS,
        },
    )


@login_required
def meeting_list_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The meeting list as Excel: its columns and filters, every page."""
    organisation = get_organisation_or_404(request, org_pk)
    meetings, _kind, _year = _filtered_meetings(request, selectors.meetings_for_list(organisation))
    return ledger_response(meetings, MEETING_COLUMNS, filename=f"{organisation.name}会议记录")


def _meeting_form_page(request, *, organisation, kind, meeting=None):
    """The create and edit page: the meeting form and one attendance row per
    expected member."""
    if request.method == "POST":
        form = MeetingForm(
            request.POST,
            instance=meeting,
            organisation=organisation,
            kind=kind,
            version=None if meeting is None else "",
        )  # the token is posted
        formset = AttendanceFormSet(request.POST, prefix="att")
        if form.is_valid() and formset.is_valid():
            try:
                if meeting is None:
                    meeting = services.meeting_create(
                        organisation=organisation,
                        kind=kind,
                        data=form.meeting_data(),
                        attendance=attendance_entries(formset),
                        by=request.user,
                        form_token=form.cleaned_data.get("form_token"),
                    )
                else:
                    services.meeting_update(
                        meeting=meeting,
                        data=form.meeting_data(),
                        attendance=attendance_entries(formset),
                        by=request.user,
                        version=form.version,
                    )
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("The meeting was saved."))
                return redirect("meetings:meeting_detail", pk=meeting.pk)
        people = [posted_person(f) for f in formset.forms]
        names = names_of(people)
        rows = [
            (f, names.get(person, "?")) for f, person in zip(formset.forms, people, strict=True)
        ]
    else:
        existing = {}
        if meeting is not None:
            existing = {a.person_id: a for a in meeting.attendances.select_related("person")}
        initial = attendance_initial(
            selectors.expected_attendees(organisation, kind).order_by("name", "pk"), existing
        )
        form = MeetingForm(
            instance=meeting,
            organisation=organisation,
            kind=kind,
            initial={"form_token": uuid.uuid4()},
            version=services.meeting_version(meeting) if meeting else None,
        )
        formset = AttendanceFormSet(initial=initial, prefix="att")
        rows = [(f, row["name"]) for f, row in zip(formset.forms, initial, strict=True)]
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "organisation": organisation,
            "kind": kind,
            "kind_label": MeetingKind(kind).label,
            "form": form,
            "formset": formset,
            "rows": rows,
            "meeting": meeting,
        },
    )


@login_required
def meeting_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Log a new meeting; without a kind, first choose one."""
    organisation = get_organisation_or_404(request, org_pk)
    kinds = selectors.kinds_for(organisation)
    kind = request.POST.get("kind") or request.GET.get("kind", "")
    if kind not in kinds:
        return render(
            request,
            "meetings/meeting_kind_choice.html",
            {
                "organisation": organisation,
                "kinds": [(value, MeetingKind(value).label) for value in kinds],
            },
        )
    return _meeting_form_page(request, organisation=organisation, kind=kind)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_or_404(request, pk)
    return _meeting_form_page(
        request, organisation=meeting.organisation, kind=meeting.kind, meeting=meeting
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_or_404(request, pk)
    attendances = list(meeting.attendances.select_related("person").order_by("person__name"))
    counts = dict.fromkeys(Attendance.Status.values, 0)
    for row in attendances:
        counts[row.status] += 1
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "organisation": meeting.organisation,
            # A draft shows the quorum its attendance would give; a submitted meeting the
            # one recorded when it was submitted.
            "quorum": None if meeting.is_submitted else selectors.quorum_of(meeting),
            "quorum_message": services.quorum_message(meeting),
            "attendances": attendances,
            "counts": counts,
            "rate": counts["present"] / len(attendances) if attendances else None,
            "attachments": meeting.attachments.all(),
            "attachment_form": AttachmentForm(),
            "history": meeting.history.select_related("history_user")[:10],
        },
    )


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """An attachment, for those who may see its meeting; media is never served raw."""
    meeting = get_meeting_or_404(request, pk)
    attachment = get_object_or_404(meeting.attachments, pk=attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def meeting_submit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_or_404(request, pk)
    try:
        meeting = services.meeting_submit(meeting=meeting, by=request.user)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        if meeting.is_quorate:
            messages.success(
                request,
                _("The meeting was submitted; it now counts for the organisation's obligations."),
            )
        else:
            messages.warning(request, services.quorum_message(meeting))
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file and its kind."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    try:
        services.attachment_add(
            meeting=meeting,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            by=request.user,
        )
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The file was attached."))
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@login_required
def meeting_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's screen: a QR code members scan to sign in (valid two hours)."""
    meeting = get_meeting_or_404(request, pk)
    if meeting.is_submitted:
        messages.info(request, _("The meeting is submitted; sign-in is closed."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    url = request.build_absolute_uri(
        reverse("meetings:sign_in", args=[services.sign_in_token(meeting)])
    )
    return render(
        request,
        "meetings/meeting_qr.html",
        {
            "meeting": meeting,
            "organisation": meeting.organisation,
            "url": url,
            "qr": segno.make(url, error="m").svg_inline(scale=6),
            "valid_minutes": settings.MEETINGS_SIGN_IN_MAX_AGE // 60,
            "signed_in": meeting.attendances.filter(signed_in_at__isnull=False).count(),
        },
    )


@login_required
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """Scanning the QR code lands here (after login): the member is marked present.

    A GET changes state on purpose: the phone's camera opens a link, and the signed,
    short-lived, single-meeting token is what authorises the change; signing in
    twice changes nothing.
    """
    person = scope_for(request.user).person
    meeting = None
    try:
        meeting_id = services.meeting_id_from_token(token)
        meeting = get_object_or_404(Meeting.objects.select_related("organisation"), pk=meeting_id)
        if person is None:
            raise ValidationError(_("Your login is not linked to anyone in the register."))
        services.attendance_sign_in(meeting=meeting, person=person)
    except ValidationError as error:
        return render(
            request,
            "meetings/sign_in.html",
            {"meeting": meeting, "errors": _errors(error)},
            status=400,
        )
    return render(request, "meetings/sign_in.html", {"meeting": meeting, "person": person})


@login_required
def my_attendance(request: HttpRequest) -> HttpResponse:
    """A member's own attendance and the make-up study still open."""
    person = scope_for(request.user).person
    if person is None:
        return render(request, "members/unlinked.html")
    page = Paginator(selectors.my_attendance(person), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pending = Attendance.objects.filter(person=person).makeup_pending().count()
    return render(
        request, "meetings/my_attendance.html", {"person": person, "page": page, "pending": pending}
    )


@login_required
@require_POST
def makeup_done(request: HttpRequest, pk: int) -> HttpResponse:
    person = scope_for(request.user).person
    attendance = get_object_or_404(Attendance, pk=pk, person=person) if person else None
    if attendance is None:
        raise Http404
    try:
        services.makeup_mark_done(attendance=attendance, person=person)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Make-up study marked as done."))
    return redirect("meetings:my_attendance")


# Each organisation is a card with its obligations table: twenty make a long page already.
COMPLIANCE_PAGE_SIZE = 20


@dataclass(frozen=True)
class UncountedPage:
    """A page of a list that is never counted: a provincial roll-up has ten thousand
    rows, and counting them would cost more than the page itself. One row more than
    shown tells whether there is a next page."""

    number: int
    object_list: list
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def uncounted_page(queryset, number: str | None, size: int) -> UncountedPage:
    """The page `number` of `queryset`: the first when `number` is not a page number,
    the last when it is past the end (then, and only then, counting the rows)."""
    page = int(number) if number and number.isdigit() and int(number) > 0 else 1
    rows = list(queryset[(page - 1) * size : page * size + 1])
    if not rows and page > 1:
        page = max(-(-queryset.count() // size), 1)
        rows = list(queryset[(page - 1) * size : page * size + 1])
    return UncountedPage(page, rows[:size], has_next=len(rows) > size)


@login_required
def compliance(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Obligations over the organisation's subtree as of a month, worst first, a page
    at a time: read from the maintained summary (`meetings.summary`), so the page
    costs the same for a branch and for a provincial committee."""
    organisation = get_organisation_or_404(request, org_pk)
    year, month = _parse_month(request.GET.get("month"))
    today = timezone.localdate()
    first = datetime.date(year, month, 1)
    on = summary.as_of(first, today)
    organisations = selectors.subtree(organisation)
    summary.ensure(organisations, month=first)
    page = uncounted_page(
        summary.rows_for(organisations, month=first), request.GET.get("page"), COMPLIANCE_PAGE_SIZE
    )
    computed_at = max((row.computed_at for row in page.object_list), default=None)
    return render(
        request,
        "meetings/compliance.html",
        {
            "organisation": organisation,
            "results": summary.compliance_of(page.object_list),
            "page": page,
            "on": on,
            "today": today,
            "month": f"{year:04d}-{month:02d}",
            "computed_at": computed_at,
        },
    )


@login_required
def meeting_calendar(request: HttpRequest, org_pk: int) -> HttpResponse:
    """A month of the organisation's (and its sub-units') meetings, and what falls due."""
    organisation = get_organisation_or_404(request, org_pk)
    year, month = _parse_month(request.GET.get("month"))
    organisations = list(selectors.subtree(organisation).filter(is_active=True))
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    meetings = (
        Meeting.objects.filter(
            organisation__in=organisations, held_at__date__gte=first, held_at__date__lte=last
        )
        .select_related("organisation")
        .order_by("held_at")
    )
    by_day: dict[datetime.date, list] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localdate(meeting.held_at), []).append(meeting)
    due = selectors.due_in_month(organisations, year=year, month=month)
    weeks = [
        [
            (day, day.month == month, by_day.get(day, []), [o for o in due if o.due == day])
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    previous = first - datetime.timedelta(days=1)
    following = last + datetime.timedelta(days=1)
    return render(
        request,
        "meetings/calendar.html",
        {
            "organisation": organisation,
            "weeks": weeks,
            "first": first,
            "due": due,
            "previous": f"{previous:%Y-%m}",
            "next": f"{following:%Y-%m}",
            "today": timezone.localdate(),
        },
    )


@login_required
def ledger_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The yearly 三会一课 ledger of an organisation as an Excel workbook."""
    organisation = get_organisation_or_404(request, org_pk)
    year_param = request.GET.get("year", "")
    year = int(year_param) if year_param.isdigit() else timezone.localdate().year
    # The list's kind filter applies too: a ledger of party lessons only, say.
    meetings, _kind, _year = _filtered_meetings(request, selectors.meetings_for_list(organisation))
    meetings = meetings.submitted().filter(held_at__year=year).order_by("held_at", "pk")
    return xlsx_response(
        ledger_workbook(organisation=organisation, year=year, meetings=meetings),
        f"{organisation.name}{year}年三会一课台账.xlsx",
    )

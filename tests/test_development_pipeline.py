"""The development pipeline's rules: order (no skipping), minimum durations, dated
boundaries, required items (contacts, assessments, training, exactly two full-member
introducers), and refusals that leave nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from development.models import Candidacy, DevelopmentRule, Event, Introducer, Stage
from development.rules import Rules
from development.selectors import Step, next_step
from development.services import (
    Decision,
    candidacy_open,
    candidacy_record,
    development_advance,
)
from members.models import Person
from tests.factories import make_member

D = datetime.date
TODAY = D(2026, 5, 10)
Status = Person.Status


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def applicant(world, **fields) -> Person:
    fields.setdefault("birth_date", D(1998, 3, 1))
    return make_member(
        world.branch, status=Status.MASSES, name=fields.pop("name", "钱申请"), **fields
    )


def advance(candidacy, step, **data):
    return development_advance(candidacy=candidacy, step=step, today=TODAY, **data)


def to_activist(world, person=None):
    person = person or applicant(world)
    c = candidacy_open(person=person, branch=world.branch, applied_on=D(2024, 1, 10), today=TODAY)
    advance(c, "talk", on=D(2024, 1, 20))
    return advance(c, "activist", on=D(2024, 2, 1), filed_on=D(2024, 2, 5), contacts=[world.member])


def to_candidate(world):
    c = to_activist(world)
    advance(c, "assess", on=D(2024, 8, 1), conclusion="表现良好")
    advance(c, "assess", on=D(2025, 2, 1), conclusion="表现良好")
    return advance(c, "candidate", on=D(2025, 2, 1))


def ready_for_admission(world):
    c = to_candidate(world)
    advance(c, "review", on=D(2025, 2, 10), conclusion="政治审查合格")
    advance(c, "train", start=D(2025, 3, 1), end=D(2025, 3, 3), days=3, hours=0)
    return advance(c, "introducers", people=[world.member, world.secretary], on=D(2025, 3, 5))


def to_probationary(world):
    c = ready_for_admission(world)
    return advance(c, "admit", on=D(2025, 3, 10))


def refused(call, *fragments):
    with pytest.raises(ValidationError) as error:
        call()
    text = " ".join(error.value.messages)
    for fragment in fragments:
        assert fragment in text, text
    return text


def test_it_walks_an_applicant_to_full_member_setting_the_status_at_each_stage(world):
    person = applicant(world)
    c = candidacy_open(person=person, branch=world.branch, applied_on=D(2024, 1, 10), today=TODAY)
    person.refresh_from_db()
    assert (c.stage, person.status) == (Stage.APPLICANT, Status.APPLICANT)
    c = to_probationary(world) if False else c
    advance(c, "talk", on=D(2024, 1, 20))
    advance(c, "activist", on=D(2024, 2, 1), filed_on=D(2024, 2, 5), contacts=[world.member])
    person.refresh_from_db()
    assert person.status == Status.ACTIVIST
    advance(c, "assess", on=D(2024, 8, 1), conclusion="良好")
    advance(c, "assess", on=D(2025, 2, 1), conclusion="良好")
    advance(c, "candidate", on=D(2025, 2, 1))
    person.refresh_from_db()
    assert person.status == Status.CANDIDATE
    advance(c, "review", on=D(2025, 2, 10), conclusion="合格")
    advance(c, "train", start=D(2025, 3, 1), end=D(2025, 3, 3), days=3, hours=0)
    advance(c, "introducers", people=[world.member], on=D(2025, 3, 5))
    advance(c, "introducers", people=[world.secretary], on=D(2025, 3, 6))
    c = advance(c, "admit", on=D(2025, 3, 10))
    person.refresh_from_db()
    assert (person.status, person.joined_party_on) == (Status.PROBATIONARY, D(2025, 3, 10))
    assert c.probation_ends_on == D(2026, 3, 10)
    advance(c, "approve", on=D(2025, 5, 1))
    c = advance(c, "conclude", decision=Decision.FULL, on=D(2026, 3, 12))
    person.refresh_from_db()
    assert (c.stage, person.status, person.full_member_on) == (
        Stage.FULL,
        Status.FULL,
        D(2026, 3, 10),
    )
    kinds = list(c.events.values_list("kind", flat=True))
    assert kinds == [
        "applied",
        "talked",
        "activist",
        "assessed",
        "assessed",
        "candidate",
        "reviewed",
        "trained",
        "introducer",
        "introducer",
        "admitted",
        "approved",
        "full",
    ]


@pytest.mark.parametrize(
    ("stage_of", "step", "data", "message"),
    [
        (
            "applicant",
            "activist",
            {"on": D(2024, 2, 1), "filed_on": D(2024, 2, 1)},
            "Record the talk with the applicant first",
        ),
        ("applicant", "candidate", {"on": D(2025, 6, 1)}, "only an activist"),
        ("activist", "admit", {"on": D(2025, 6, 1)}, "admits a development candidate"),
        (
            "activist",
            "review",
            {"on": D(2025, 6, 1), "conclusion": "合格"},
            "political review is of a development candidate",
        ),
        ("candidate", "approve", {"on": D(2025, 6, 1)}, "higher committee approves"),
        (
            "candidate",
            "conclude",
            {"on": D(2026, 4, 1), "decision": "full"},
            "about a probationary member",
        ),
    ],
)
def test_it_refuses_to_skip_a_stage_and_saves_nothing(world, stage_of, step, data, message):
    if stage_of == "applicant":
        c = candidacy_open(
            person=applicant(world), branch=world.branch, applied_on=D(2024, 1, 10), today=TODAY
        )
        if step == "activist":
            data = {**data, "contacts": [world.member]}
    elif stage_of == "activist":
        c = to_activist(world)
    else:
        c = to_candidate(world)
    before = (
        Candidacy.objects.get(pk=c.pk).stage,
        Event.objects.count(),
        Person.objects.get(pk=c.person_id).status,
    )
    refused(lambda: advance(c, step, **data), message)
    after = (
        Candidacy.objects.get(pk=c.pk).stage,
        Event.objects.count(),
        Person.objects.get(pk=c.person_id).status,
    )
    assert after == before


def test_an_activist_becomes_a_candidate_after_one_year_not_a_day_earlier(world):
    c = to_activist(world)
    advance(c, "assess", on=D(2024, 8, 1), conclusion="良好")
    advance(c, "assess", on=D(2025, 1, 20), conclusion="良好")
    refused(
        lambda: advance(c, "candidate", on=D(2025, 1, 31)),
        "at least 12 months as an activist",
        "the earliest date is",
    )
    assert Person.objects.get(pk=c.person_id).status == Status.ACTIVIST
    c = advance(c, "candidate", on=D(2025, 2, 1))
    assert c.stage == Stage.CANDIDATE


def test_an_activist_needs_the_half_yearly_assessments(world):
    c = to_activist(world)
    advance(c, "assess", on=D(2024, 8, 1), conclusion="良好")
    refused(
        lambda: advance(c, "candidate", on=D(2025, 2, 1)),
        "1 half-yearly assessments are recorded; 2 are needed",
    )


def test_the_minimum_time_as_activist_is_a_rule_the_committee_edits(world):
    DevelopmentRule.objects.filter(code="activist_min").update(value=18)
    c = to_activist(world)
    for on in (D(2024, 8, 1), D(2025, 2, 1), D(2025, 8, 1)):
        advance(c, "assess", on=on, conclusion="良好")
    refused(lambda: advance(c, "candidate", on=D(2025, 2, 1)), "18 months")
    assert advance(c, "candidate", on=D(2025, 8, 1)).stage == Stage.CANDIDATE


@pytest.mark.parametrize(("birth", "ok"), [(D(2006, 1, 11), False), (D(2006, 1, 10), True)])
def test_an_applicant_is_at_least_18_on_the_day_of_application(world, birth, ok):
    person = applicant(world, birth_date=birth)

    def call():
        return candidacy_open(
            person=person,
            branch=world.branch,
            applied_on=D(2024, 1, 10),
            today=TODAY,
        )

    if ok:
        assert call().stage == Stage.APPLICANT
    else:
        refused(call, "was 17 when applying", "at least 18")
        assert not Candidacy.objects.exists()
        assert Person.objects.get(pk=person.pk).status == Status.MASSES


def test_an_applicant_without_a_birth_date_is_refused(world):
    person = applicant(world, birth_date=None)
    refused(
        lambda: candidacy_open(
            person=person, branch=world.branch, applied_on=D(2024, 1, 10), today=TODAY
        ),
        "date of birth",
    )


def test_one_open_record_per_person_and_none_for_a_member(world):
    c = to_activist(world)
    refused(
        lambda: candidacy_open(
            person=c.person, branch=world.branch, applied_on=D(2024, 3, 1), today=TODAY
        ),
        "already has an open development record",
    )
    refused(
        lambda: candidacy_open(
            person=world.member, branch=world.branch, applied_on=D(2024, 3, 1), today=TODAY
        ),
        "already a party member",
    )


def test_a_step_in_the_future_is_refused(world):
    c = candidacy_open(
        person=applicant(world), branch=world.branch, applied_on=D(2026, 5, 1), today=TODAY
    )
    refused(lambda: advance(c, "talk", on=D(2026, 5, 11)), "in the future")
    refused(lambda: advance(c, "talk", on=D(2026, 4, 30)), "cannot come before")
    advance(c, "talk", on=D(2026, 5, 10))
    refused(lambda: advance(c, "talk", on=D(2026, 5, 10)), "already recorded")


@pytest.mark.parametrize("contacts", [0, 3])
def test_one_or_two_cultivating_contacts(world, contacts):
    c = candidacy_open(
        person=applicant(world), branch=world.branch, applied_on=D(2024, 1, 10), today=TODAY
    )
    advance(c, "talk", on=D(2024, 1, 20))
    people = [make_member(world.branch) for _ in range(contacts)]
    refused(
        lambda: advance(c, "activist", on=D(2024, 2, 1), filed_on=D(2024, 2, 1), contacts=people),
        "Name 1 to 2 full members",
    )
    assert Candidacy.objects.get(pk=c.pk).stage == Stage.APPLICANT


def test_a_cultivating_contact_is_a_full_member_and_nothing_is_half_saved(world):
    c = candidacy_open(
        person=applicant(world), branch=world.branch, applied_on=D(2024, 1, 10), today=TODAY
    )
    advance(c, "talk", on=D(2024, 1, 20))
    probationary = make_member(world.branch, status=Status.PROBATIONARY, name="孙预备")
    refused(
        lambda: advance(
            c,
            "activist",
            on=D(2024, 2, 1),
            filed_on=D(2024, 2, 1),
            contacts=[world.member, probationary],
        ),
        "孙预备 is a Probationary member, not a full member",
    )
    c.refresh_from_db()
    assert (c.stage, c.activist_on, c.contacts.count()) == (Stage.APPLICANT, None, 0)


@pytest.mark.parametrize(("days", "hours", "ok"), [(2, 20, False), (2, 24, True), (3, 0, True)])
def test_training_of_three_days_or_24_class_hours(world, days, hours, ok):
    c = to_candidate(world)

    def call():
        return advance(
            c,
            "train",
            start=D(2025, 3, 1),
            end=D(2025, 3, 3),
            days=days,
            hours=hours,
        )

    if ok:
        assert call().training_to == D(2025, 3, 3)
    else:
        refused(call, "at least 3 days or 24 class hours")
        assert Candidacy.objects.get(pk=c.pk).training_to is None


def test_a_third_introducer_is_refused_together_or_one_by_one(world):
    c = to_candidate(world)
    third = make_member(world.branch, name="第三人")
    refused(
        lambda: advance(
            c, "introducers", people=[world.member, world.secretary, third], on=D(2025, 3, 5)
        ),
        "exactly 2 introducers",
    )
    assert not Introducer.objects.exists()
    advance(c, "introducers", people=[world.member, world.secretary], on=D(2025, 3, 5))
    refused(
        lambda: advance(c, "introducers", people=[third], on=D(2025, 3, 6)),
        "exactly 2 introducers",
        "A further introducer is refused",
    )
    assert Introducer.objects.filter(candidacy=c).count() == 2


def test_an_introducer_must_be_a_full_member_not_the_candidate(world):
    c = to_candidate(world)
    probationary = make_member(world.branch, status=Status.PROBATIONARY, name="孙预备")
    refused(
        lambda: advance(c, "introducers", people=[world.member, probationary], on=D(2025, 3, 5)),
        "not a full member",
    )
    refused(
        lambda: advance(c, "introducers", people=[c.person], on=D(2025, 3, 5)),
        "their own introducer",
    )
    assert not Introducer.objects.exists()


def test_admission_needs_review_training_and_both_introducers(world):
    c = to_candidate(world)
    refused(
        lambda: advance(c, "admit", on=D(2025, 4, 1)),
        "the political review",
        "the training",
        "2 introducers (0 named)",
    )
    assert Person.objects.get(pk=c.person_id).joined_party_on is None


def test_the_probation_ends_after_a_year_and_is_decided_at_its_end(world):
    c = to_probationary(world)
    refused(
        lambda: advance(c, "conclude", decision="full", on=D(2026, 3, 12)),
        "approval of the admission first",
    )
    advance(c, "approve", on=D(2025, 5, 1))
    refused(lambda: advance(c, "conclude", decision="full", on=D(2026, 3, 9)), "decides at its end")
    assert Person.objects.get(pk=c.person_id).status == Status.PROBATIONARY


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (12, True), (13, False)])
def test_an_extension_is_six_to_twelve_months_and_only_once(world, months, ok):
    c = to_probationary(world)
    advance(c, "approve", on=D(2025, 5, 1))

    def call():
        return advance(
            c,
            "conclude",
            decision="extend",
            on=D(2026, 3, 10),
            months=months,
        )

    if not ok:
        refused(call, "at least 6 and at most 12 months")
        return
    c = call()
    assert c.probation_ends_on == D(2026, 3, 10) + __import__(
        "dateutil.relativedelta"
    ).relativedelta.relativedelta(months=months)
    refused(
        lambda: advance(c, "conclude", decision="extend", on=D(2026, 3, 10), months=6),
        "already extended",
    )


def test_a_cancelled_probation_returns_the_person_to_the_masses(world):
    c = to_probationary(world)
    advance(c, "approve", on=D(2025, 5, 1))
    c = advance(c, "conclude", decision="cancel", on=D(2026, 3, 10))
    person = Person.objects.get(pk=c.person_id)
    assert (c.stage, person.status, person.joined_party_on) == (
        Stage.CANCELLED,
        Status.MASSES,
        None,
    )


def test_the_next_step_and_its_due_date(world):
    rules = Rules.load()
    c = candidacy_open(
        person=applicant(world), branch=world.branch, applied_on=D(2026, 3, 1), today=TODAY
    )
    step = next_step(c, rules, TODAY)
    assert (step.step, step.due, step.overdue) == (Step.TALK, D(2026, 4, 1), True)
    c = ready_for_admission(world) if False else to_probationary(world)
    step = next_step(c, rules, TODAY)
    assert (step.step, step.due) == (Step.APPROVE, D(2025, 6, 10))


def test_a_paper_record_of_a_member_developed_earlier(world):
    member = make_member(
        world.branch,
        birth_date=D(1990, 1, 1),
        name="老党员",
        joined_party_on=D(2023, 3, 1),
        full_member_on=D(2024, 3, 1),
    )
    c = candidacy_record(
        person=member,
        branch=world.branch,
        applied_on=D(2021, 1, 5),
        today=TODAY,
        steps=[
            ("talk", {"on": D(2021, 1, 20)}),
            (
                "activist",
                {"on": D(2021, 3, 1), "filed_on": D(2021, 3, 5), "contacts": [world.member]},
            ),
            ("assess", {"on": D(2021, 9, 1), "conclusion": "良好"}),
            ("assess", {"on": D(2022, 3, 1), "conclusion": "良好"}),
            ("candidate", {"on": D(2022, 3, 1)}),
            ("review", {"on": D(2022, 3, 10), "conclusion": "合格"}),
            ("train", {"start": D(2022, 4, 1), "end": D(2022, 4, 3), "days": 3, "hours": 24}),
            ("introducers", {"people": [world.member, world.secretary], "on": D(2022, 4, 5)}),
            ("admit", {"on": D(2023, 3, 1)}),
            ("approve", {"on": D(2023, 4, 1)}),
            ("conclude", {"decision": "full", "on": D(2024, 3, 1)}),
        ],
    )
    member.refresh_from_db()
    assert (c.stage, member.status, member.joined_party_on, member.full_member_on) == (
        Stage.FULL,
        Status.FULL,
        D(2023, 3, 1),
        D(2024, 3, 1),
    )

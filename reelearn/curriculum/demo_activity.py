"""The demo class's past: pupils who read, answered, turned in late or not at all, and a teacher
who marked some of it. Used by `seed_demo` once, when it sets an assignment.

Everything goes through the services a pupil's or teacher's clicks call (lesson progress,
attempts, marking), so the rows are what the real app writes. The services stamp the present
where they take no `now`; `_backdate` then moves those stamps to the day the plan gives, so a
result page reads like a class a week into a module, relative to today.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import F

from lessons.models import LessonPage
from reelearn.classroom import services as classroom_services
from reelearn.classroom.models import Assignment, AssignmentPupil, Classroom, LessonProgress
from reelearn.classroom.selectors import pupil_assignment
from reelearn.quizzes.attempts import attempt_answers_save, attempt_start, attempt_submit
from reelearn.quizzes.cache import quiz_questions
from reelearn.quizzes.marking import answer_mark
from reelearn.quizzes.models import Answer, Question, format_decimal
from reelearn.quizzes.pages import quizzes_for_pages

Kind = Question.Kind

# What a 14-year-old writes for an open question: a few believable answers of mixed quality.
OPEN_ANSWERS = {
    "honest": [
        "They measure different things. The review counts mid-to-heavy rare earths from clays, "
        "Reuters counts heavy rare earths mined in Kachin. Ore from Myanmar is processed in "
        "China, so it can be counted under China too.",
        "The dates are different (the review is older than 2025) and so is what they count.",
        "Both could be right because nobody measures it directly, they use import data.",
        "One of them must be wrong because 80% and half can't both be true.",
    ],
    "zero emission": [
        "Not fully fair. There is no exhaust, but mining the neodymium for the motor polluted "
        "rivers in Kachin (Global Witness). Recycling is below 5%, so most metal is newly mined.",
        "Yes, because electric cars don't burn petrol so they make no emissions when driving.",
        "Partly. The car is cleaner to drive, but the battery and magnet metals are mined and "
        "processed with a lot of energy, so over its life it is not zero.",
        "No because the electricity can come from coal.",
    ],
}
GENERIC_ANSWERS = [
    "Rare earths are spread thinly, so a lot of rock is dug and processed for a little metal.",
    "I think it depends on who is counting and which year, so both sides have a point.",
    "Because the magnets need them and there is not much recycling yet.",
]
COMMENTS = {
    4: "Excellent: you explained both sources without calling either one wrong.",
    3: "Good reasoning. Name your sources to get the last mark.",
    2: "Two good points. What else could make the figures differ?",
    1: "A start. Look again at the years and at what each source counts.",
    0: "Let's talk about this one in class.",
}


@dataclass(frozen=True)
class Plan:
    """What one pupil did with one assignment, in days relative to today (negative = ago)."""

    lessons_read: int | str = 0  # a number, or "all"
    read_day: float = 0
    quiz: str = ""  # "", "started" (some answers saved) or "submitted"
    quiz_day: float = 0
    marked_day: float | None = None  # the teacher marked the open answers
    returned_day: float | None = None


def past_plans(n: int) -> list[Plan]:
    """An assignment due six days ago: most turned in on time and were marked (the first
    six returned), three late and waiting to be marked, three partly done, the rest nothing."""
    plans = []
    for i in range(n):
        if i < 14:  # on time; the last two are not marked yet
            day = -8 - i % 4
            plans.append(
                Plan(
                    "all",
                    day - 3,
                    "submitted",
                    day,
                    marked_day=-4 if i < 12 else None,
                    returned_day=-3 if i < 6 else None,
                )
            )
        elif i < 17:  # late, and waiting to be marked
            plans.append(Plan("all", -5, "submitted", -4 + (i - 14)))
        elif i < 20:  # partly done: a lesson read, a few answers saved, never turned in
            plans.append(Plan(1, -12, "started", -11))
        else:
            plans.append(Plan())
    return plans


def current_plans(n: int) -> list[Plan]:
    """An assignment due in five days: six done early (open answers waiting to be marked),
    seven partly through, the rest not started."""
    plans = []
    for i in range(n):
        if i < 6:
            plans.append(Plan("all", -3, "submitted", -1 - i % 2 * 0.5))
        elif i < 13:
            plans.append(Plan(1 + i % 2, -2, "started" if i < 9 else "", -1))
        else:
            plans.append(Plan())
    return plans


def _day(now: datetime, day: float) -> datetime:
    """A school-day time `day` days from now (at 10:00, 14:00 … so times look human)."""
    when = now + timedelta(days=day)
    return when.replace(hour=9 + int(abs(day) * 5) % 7, minute=int(abs(day) * 37) % 60)


def class_activity(
    *, assignment: Assignment, plans: list[Plan], teacher, rng: random.Random, now: datetime
) -> None:
    """Replay `plans` (one per pupil, in the class's order) on a freshly assigned assignment."""
    links = {
        link.pupil_id: link
        for link in AssignmentPupil.objects.filter(assignment=assignment).select_related(
            "assignment", "pupil"
        )
    }
    page = assignment.page.specific
    lessons = list(LessonPage.objects.child_of(page).live().public().order_by("path"))
    quizzes = quizzes_for_pages([page], with_totals=False).get(page.pk, [])
    pupil_ids = assignment.classroom.memberships.order_by("pk").values_list("pupil_id", flat=True)
    for pupil_id, plan in zip(pupil_ids, plans, strict=False):
        link = links.get(pupil_id)
        if link is None:
            continue
        _pupil_activity(
            link=link,
            plan=plan,
            lessons=lessons,
            parent_path=page.path,
            quizzes=quizzes,
            teacher=teacher,
            rng=rng,
            now=now,
        )
    Classroom.objects.filter(pk=assignment.classroom_id).update(last_activity_at=now)


def _pupil_activity(*, link, plan: Plan, lessons, parent_path, quizzes, teacher, rng, now):
    pupil = link.pupil
    read = lessons if plan.lessons_read == "all" else lessons[: plan.lessons_read]
    for n, lesson in enumerate(read):
        if plan.quiz == "submitted" or n < len(read) - 1:
            classroom_services.lesson_progress_complete(
                pupil=pupil, page_id=lesson.pk, parent_path=parent_path
            )
        else:  # the last lesson of unfinished work is opened, not finished
            classroom_services.lesson_progress_open(
                pupil=pupil, page_id=lesson.pk, parent_path=parent_path
            )
    ability = rng.uniform(0.45, 0.95)
    for quiz in quizzes[:1] if plan.quiz else []:
        _quiz_attempt(link=link, quiz=quiz, plan=plan, ability=ability, rng=rng, now=now)
    turned_in = plan.quiz == "submitted"
    if turned_in:  # as the pupil's "Turn in" does, with what was done recorded
        item = pupil_assignment(pupil=pupil, link_id=link.pk, now=now)
        classroom_services.assignment_pupil_turn_in(link=link, work=item.work_summary())
    if plan.marked_day is not None:
        _mark(link=link, teacher=teacher, rng=rng, when=_day(now, plan.marked_day))
    if plan.returned_day is not None:
        classroom_services.assignment_pupil_return(link=link)
    _backdate(link=link, plan=plan, pages=[p.pk for p in read], turned_in=turned_in, now=now)


def _quiz_attempt(*, link, quiz, plan: Plan, ability: float, rng, now) -> None:
    if plan.quiz == "started" and quiz.time_limit_minutes:
        return  # an open timed attempt from days ago would be closed by the sweep at once
    started = _day(now, plan.quiz_day) - timedelta(minutes=rng.randint(12, 25))
    attempt, _created = attempt_start(quiz=quiz, pupil=link.pupil, link=link, now=started)
    questions = list(quiz_questions(quiz))
    if plan.quiz == "started":
        questions = questions[: max(1, len(questions) // 3)]
    answers = [(q, response(q, right=rng.random() < ability, rng=rng)) for q in questions]
    attempt_answers_save(attempt=attempt, answers=answers, now=started + timedelta(minutes=8))
    if plan.quiz == "submitted":
        attempt_submit(attempt=attempt, now=_day(now, plan.quiz_day))


def _mark(*, link, teacher, rng, when) -> None:
    waiting = Answer.objects.filter(
        attempt__assignment_pupil=link, question__kind=Kind.OPEN, marked_at__isnull=True
    ).select_related("question")
    for answer in waiting:
        points = answer.question.points
        score = min(points, rng.randint(max(0, points - 3), points))
        comment = COMMENTS.get(round(Decimal(score) * 4 / points), "")
        answer_mark(answer=answer, teacher=teacher, score=score, comment=comment, now=when)


def _backdate(*, link, plan: Plan, pages: list[int], turned_in: bool, now) -> None:
    """Move the stamps the services wrote "now" to the plan's days."""
    if not pages and not plan.quiz:
        return
    read_at = _day(now, plan.read_day)
    LessonProgress.objects.filter(pupil=link.pupil, page_id__in=pages).update(opened_at=read_at)
    LessonProgress.objects.filter(
        pupil=link.pupil, page_id__in=pages, completed_at__isnull=False
    ).update(completed_at=F("opened_at") + timedelta(minutes=35))
    stamps = {"started_at": read_at}
    if turned_in:
        stamps["turned_in_at"] = _day(now, plan.quiz_day)
    if plan.returned_day is not None:
        stamps["returned_at"] = _day(now, plan.returned_day)
    AssignmentPupil.objects.filter(pk=link.pk).update(**stamps)


def response(question: Question, *, right: bool, rng: random.Random) -> dict:
    """A stored-shape answer to `question`: right, or a typical slip (partly right where the
    question gives partial credit)."""
    choices = question.live_choices()
    kind = question.kind
    if kind == Kind.SINGLE:
        pool = [c for c in choices if c.is_correct == right] or choices
        return {"choice": rng.choice(pool).pk}
    if kind == Kind.MULTIPLE:
        picked = {c.pk for c in choices if c.is_correct}
        wrong = [c.pk for c in choices if not c.is_correct]
        if not right and wrong:
            picked.add(rng.choice(wrong))
        return {"choices": sorted(picked)}
    if kind == Kind.TRUE_FALSE:
        return {"value": bool(question.answer_bool) == right}
    if kind == Kind.SHORT_TEXT:
        accepted = question.accepted_list()
        return {"text": accepted[0] if right and accepted else "not sure"}
    if kind == Kind.NUMERIC:
        value = question.numeric_answer or Decimal(0)
        if not right:
            value += max(abs(value) / 2, (question.numeric_tolerance or 0) * 2, Decimal(1))
        return {"value": format_decimal(Decimal(value))}
    ids = [c.pk for c in choices]
    if not right and len(ids) > 2:
        ids[0], ids[1] = ids[1], ids[0]
    if kind == Kind.ORDERING:
        return {"order": ids}
    if kind == Kind.MATCHING:
        return {"pairs": {str(c.pk): pk for c, pk in zip(choices, ids, strict=True)}}
    if kind == Kind.OPEN:
        prompt = question.prompt.lower()
        pool = next((a for key, a in OPEN_ANSWERS.items() if key in prompt), GENERIC_ANSWERS)
        return {"text": rng.choice(pool)}
    return {}

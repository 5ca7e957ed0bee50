"""Query counts stay constant as rows grow: quiz page, submit, gradebook (40 pupils × 30 quizzes).

Big data is built with bulk_create so the test stays fast.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reelearn.classroom.models import Assignment, AssignmentPupil, Membership
from reelearn.quizzes import attempts
from reelearn.quizzes.models import Attempt, Choice, Question, Quiz
from tests.factories import PupilFactory

from .factories import assign, make_class, make_quiz, right_answers
from .test_pupil_views import ALL_RIGHT, form_data

Kind = Question.Kind


def count_queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(ctx.captured_queries)


def bulk_quiz(page, n_questions: int) -> Quiz:
    quiz = Quiz.objects.create(
        page=page, title=f"Quiz on {page.title}", attempts_allowed=0, open_for_practice=True
    )
    questions = Question.objects.bulk_create(
        [
            Question(
                quiz=quiz,
                kind=Kind.SINGLE,
                sort_order=i,
                prompt=f"<p>Q{i}</p>",
                locale_id=quiz.locale_id,
            )
            for i in range(n_questions)
        ]
    )
    Choice.objects.bulk_create(
        [
            Choice(
                question=q,
                sort_order=j,
                text=f"choice {j}",
                is_correct=j == 0,
                locale_id=quiz.locale_id,
            )
            for q in questions
            for j in range(3)
        ]
    )
    return quiz


@pytest.fixture
def pages(curriculum):
    """30 lessons under one module-tier, added cheaply."""
    from lessons.models import LessonPage

    tier_page = curriculum["tier_pages"]["t1"]
    lessons = list(curriculum["lessons"]["t1"])
    for n in range(len(lessons), 30):
        lesson = LessonPage(
            title=f"Extra lesson {n}",
            slug=f"extra-{n}",
            outcome="I can.",
            key_points=[("point", "a"), ("point", "b"), ("point", "c")],
        )
        tier_page.add_child(instance=lesson)
        lessons.append(lesson)
    return lessons


def test_quiz_page_and_submit_queries_do_not_grow_with_questions(client, pupil, pages):
    small, big = bulk_quiz(pages[0], 3), bulk_quiz(pages[1], 30)
    client.force_login(pupil)
    client.get(reverse("quizzes:quiz", args=[small.pk]))  # warm the site-root cache
    counts = {}
    for quiz in (small, big):
        attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
        take_url = reverse("quizzes:attempt", args=[attempt.pk])
        detail = count_queries(client, "get", reverse("quizzes:quiz", args=[quiz.pk]))
        page = count_queries(client, "get", take_url)
        questions = list(quiz.questions.all())
        data = form_data(attempt, {q: "choice 0" for q in questions}, action="save")
        save = count_queries(client, "post", take_url, data)
        data["action"] = "submit"
        submit = count_queries(client, "post", take_url, data)
        result = count_queries(client, "get", reverse("quizzes:result", args=[attempt.pk]))
        counts[quiz.pk] = (detail, page, save, submit, result)
    assert counts[small.pk] == counts[big.pk], counts
    # quiz page: session, user, quiz, pupil's links, attempts, open attempt, question count,
    #   site (page URL), and whether practice is open (the pupil's classes' assignments)
    # Questions and choices come from the per-process cache (reelearn.quizzes.cache), filled
    # when the attempt started.
    # attempt page: session, user, attempt (+quiz, link), answers
    # save: session, user, attempt, answers, savepoint, lock, answers, one bulk insert/update,
    #   release
    # submit: the same up to the lock, answers, bulk update, answers, bulk grade, close, release
    # result: session, user, attempt, answers, attempts in this context
    assert counts[small.pk] == (9, 4, 9, 12, 5)


def test_gradebook_of_40_pupils_and_30_quizzes_is_constant(
    client, teacher, pages, django_assert_num_queries
):
    small_pupils = PupilFactory.create_batch(3)
    small_class = make_class(teacher, small_pupils, name="Small")
    for page in pages[:3]:
        make_quiz(page, kinds=[Kind.TRUE_FALSE], attempts_allowed=0)
        assign(small_class, page, small_pupils)
    quizzes = list(Quiz.objects.order_by("pk"))
    for quiz, pupil in zip(quizzes, small_pupils, strict=True):
        attempt, _ = attempts.attempt_start(
            quiz=quiz,
            pupil=pupil,
            link=AssignmentPupil.objects.select_related("assignment__page").get(
                pupil=pupil, assignment__page=quiz.page
            ),
        )
        attempts.attempt_submit(attempt=attempt)

    big_class, links = big_gradebook(teacher, pages)
    client.force_login(teacher)
    url_small = reverse("quizzes:gradebook", args=[small_class.pk])
    url_big = reverse("quizzes:gradebook", args=[big_class.pk])
    small = count_queries(client, "get", url_small)
    # session, user, class, teacher link, memberships+pupils, assignments+pages,
    # quizzes with point totals, links, attempts
    with django_assert_num_queries(small):
        response = client.get(url_big)
    book = response.context["book"]
    assert len(book.rows) == 40 and len(book.columns) == 30
    assert sum(c.status == "submitted" for _p, cells in book.rows for c in cells) == links
    assert small == 9
    api_small = count_queries(client, "get", f"/api/v1/classes/{small_class.pk}/gradebook/")
    with django_assert_num_queries(api_small):
        assert client.get(f"/api/v1/classes/{big_class.pk}/gradebook/").status_code == 200
    csv_small = len_csv_queries(client, reverse("quizzes:gradebook-csv", args=[small_class.pk]))
    assert (
        len_csv_queries(client, reverse("quizzes:gradebook-csv", args=[big_class.pk])) == csv_small
    )


def len_csv_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        b"".join(client.get(url).streaming_content)
    return len(ctx.captured_queries)


def big_gradebook(teacher, pages):
    pupils = PupilFactory.create_batch(40)
    classroom = make_class(teacher, [], name="Big")
    Membership.objects.bulk_create([Membership(classroom=classroom, pupil=p) for p in pupils])
    now = timezone.now()
    quizzes = {q.page_id: q for q in Quiz.objects.all()}
    for page in pages:
        if page.pk not in quizzes:
            quizzes[page.pk] = bulk_quiz(page, 3)
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                classroom=classroom,
                page=page,
                tier="t1",
                title=f"A {page.title}",
                status=Assignment.Status.ASSIGNED,
                open_at=now - timezone.timedelta(days=1),
            )
            for page in pages
        ]
    )
    links = AssignmentPupil.objects.bulk_create(
        [AssignmentPupil(assignment=a, pupil=p) for a in assignments for p in pupils]
    )
    Attempt.objects.bulk_create(
        [
            Attempt(
                quiz=quizzes[link.assignment.page_id],
                pupil=link.pupil,
                assignment_pupil=link,
                status=Attempt.Status.SUBMITTED,
                submitted_at=now,
                score=Decimal(2),
                max_score=Decimal(3),
            )
            for link in links[::2]
        ]
    )
    return classroom, len(links[::2])


def test_teacher_quiz_pages_are_constant(client, teacher, pages):
    from .test_teacher_views import take

    counts = []
    for size in (3, 12):
        pupils = PupilFactory.create_batch(size)
        classroom = make_class(teacher, pupils, name=f"Class {size}")
        page = pages[size]
        quiz = make_quiz(page, kinds=[Kind.SINGLE, Kind.OPEN, Kind.SHORT_TEXT], attempts_allowed=0)
        assignment = assign(classroom, page, pupils)
        for p in pupils:
            take(
                quiz,
                p,
                AssignmentPupil.objects.select_related("assignment__page").get(
                    assignment=assignment, pupil=p
                ),
                {},
            )
        client.force_login(teacher)
        counts.append(
            tuple(
                count_queries(client, "get", reverse(name, args=[classroom.pk, quiz.pk]))
                for name in ("quizzes:results", "quizzes:analysis", "quizzes:marking")
            )
        )
    assert counts[0] == counts[1], counts


def test_right_answers_helper_covers_every_kind(pupil, lesson):
    quiz = make_quiz(lesson)
    attempt, _ = attempts.attempt_start(quiz=quiz, pupil=pupil)
    assert len(right_answers(attempt)) == len(ALL_RIGHT)

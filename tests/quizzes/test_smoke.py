from reelearn.quizzes.selectors import quiz_for_page


def test_quiz_for_lesson(quiz, lesson):
    assert quiz_for_page(lesson) == quiz
    assert quiz.questions.count() == 8

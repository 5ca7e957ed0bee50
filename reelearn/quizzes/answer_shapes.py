"""Answers as pupils send them (API JSON or an HTML form) ⇄ answers as they are stored.

Client shapes (API), one per question type:

    single      {"choice": "t3f…"}              multiple   {"choices": ["t3f…", "t9a…"]}
    true_false  {"value": true}                 short_text {"text": "neodymium"}
    numeric     {"value": "1,200"}              open       {"text": "..."}
    ordering    {"order": ["t3f…", "t9a…"]}     matching   {"pairs": {"t1b…": "t4c…"}}
                or {"places": {"t3f…": 2, "t9a…": 1}}

Choices, items and pairs travel as per-attempt tokens (`choice_token`), never as ids: ids
follow the authored order, and authors often write the correct choice (or the correct order)
first. The right-hand side of a pair has tokens of its own, so a pair's two sides never share a
value. Stored responses use choice ids. A value of null or an empty shape clears the answer.
An ordering is a permutation of every item: repeated or missing places are refused, never
completed or reordered from the key. Bad shapes raise ValidationError naming "response".
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reelearn.core.text import text_problem

from .models import MAX_TEXT_ANSWER, RIGHT, Question, choice_token
from .scoring import parse_number

MAX_ITEMS = 100
Kind = Question.Kind


def _error(message: str) -> ValidationError:
    return ValidationError({"response": [message]})


def _text(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _error(_("Send the answer as text."))
    if len(value) > MAX_TEXT_ANSWER:
        raise _error(
            _("An answer can be at most %(n)s characters long.") % {"n": f"{MAX_TEXT_ANSWER:,}"}
        )
    if problem := text_problem(value):  # NUL or a lone surrogate: it would break every read
        raise _error(problem)
    return value


def _choice_id(value, tokens: dict[str, int]) -> int:
    if not isinstance(value, str) or value not in tokens:
        raise _error(_("Choose one of the choices given."))
    return tokens[value]


def tokens_for(question: Question, choices: list, seed: int, side: str = "") -> dict[str, int]:
    """Token → choice id for the choices a pupil is shown (retired ones left out)."""
    return {choice_token(seed, c.pk, side): c.pk for c in choices if not c.retired}


def response_from_client(question: Question, data, *, seed: int, choices: list) -> dict:
    """Validate a client response and return the stored shape ({} when cleared)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _error(_("Send the answer as an object."))
    kind = question.kind
    tokens = tokens_for(question, choices, seed)
    if kind == Kind.SINGLE:
        value = data.get("choice")
        return {} if value in (None, "") else {"choice": _choice_id(value, tokens)}
    if kind == Kind.MULTIPLE:
        values = data.get("choices") or []
        if not isinstance(values, list) or len(values) > MAX_ITEMS:
            raise _error(_("Send the chosen choices as a list."))
        picked = sorted({_choice_id(v, tokens) for v in values})
        return {"choices": picked} if picked else {}
    if kind == Kind.TRUE_FALSE:
        value = data.get("value")
        if value is None or value == "":
            return {}
        if isinstance(value, str) and value.lower() in ("true", "false"):
            value = value.lower() == "true"
        if not isinstance(value, bool):
            raise _error(_("Answer true or false."))
        return {"value": value}
    if kind in (Kind.SHORT_TEXT, Kind.OPEN):
        text = _text(data.get("text"))
        return {"text": text} if text.strip() else {}
    if kind == Kind.NUMERIC:
        return _numeric(question, data.get("value"))
    if kind == Kind.ORDERING:
        if "places" in data:
            return _ordering_places(question, data.get("places"), seed=seed, choices=choices)
        return _ordering(question, data.get("order"), seed=seed, choices=choices)
    if kind == Kind.MATCHING:
        return _matching(question, data.get("pairs"), seed=seed, choices=choices)
    raise _error(_("This question cannot be answered."))


def _numeric(question: Question, value) -> dict:
    if value is None or (isinstance(value, str) and not value.strip()):
        return {}
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _error(_("Enter a number."))
    raw = str(value)
    if len(raw) > 100:
        raise _error(_("Enter a number."))
    if parse_number(raw, question.unit) is None:
        raise _error(_("Enter a number, like 120 or 0.5."))
    return {"value": raw.strip()}


def _ordering(question: Question, order, *, seed: int, choices: list) -> dict:
    if not order:
        return {}
    if not isinstance(order, list) or len(order) > MAX_ITEMS:
        raise _error(_("Send the items as a list, first to last."))
    tokens = tokens_for(question, choices, seed)
    if any(not isinstance(t, str) or t not in tokens for t in order):
        raise _error(_("Put only the items given in order."))
    if len(set(order)) != len(order):
        raise _error(_("Each item can appear only once."))
    if len(order) != len(tokens):
        raise _error(
            _("Give every item a place: %(n)s items, from 1 to %(n)s.") % {"n": len(tokens)}
        )
    return {"order": [tokens[t] for t in order]}


def _ordering_places(question: Question, places, *, seed: int, choices: list) -> dict:
    """{"places": {token: place}}, as typed in a form: every item a different place from 1
    to n, else a message; empty places everywhere clear the answer."""
    if not places:
        return {}
    if not isinstance(places, dict) or len(places) > MAX_ITEMS:
        raise _error(_("Send the places as an object."))
    tokens = tokens_for(question, choices, seed)
    if any(t not in tokens for t in places):
        raise _error(_("Put only the items given in order."))
    given = {}
    for token, raw in places.items():
        text = "" if raw is None else str(raw).strip()
        if text:
            if not text.isdecimal() or len(text) > 3:
                raise _error(_("Choose a place for each item."))
            given[token] = int(text)
    if not given:
        return {}
    n = len(tokens)
    if len(given) != n or sorted(given.values()) != list(range(1, n + 1)):
        raise _error(
            _(
                "Give each item a different place, from 1 to %(n)s: a place can be "
                "used only once, and every item needs one."
            )
            % {"n": n}
        )
    return {"order": [tokens[t] for t in sorted(given, key=given.get)]}


def _matching(question: Question, pairs, *, seed: int, choices: list) -> dict:
    if not pairs:
        return {}
    if not isinstance(pairs, dict) or len(pairs) > MAX_ITEMS:
        raise _error(_("Send the pairs as an object."))
    lefts = tokens_for(question, choices, seed)
    rights = tokens_for(question, choices, seed, RIGHT)
    stored = {}
    for left, right in pairs.items():
        if left not in lefts:
            raise _error(_("Match only the items given."))
        if right in (None, ""):
            continue
        if not isinstance(right, str) or right not in rights:
            raise _error(_("Match only the items given."))
        stored[str(lefts[left])] = rights[right]
    return {"pairs": stored} if stored else {}


def response_to_client(question: Question, stored: dict | None, *, seed: int) -> dict | None:
    """The stored shape back in client terms (tokens for ordering and matching)."""
    if not stored:
        return None
    if question.kind == Kind.SINGLE:
        return {"choice": choice_token(seed, stored["choice"])} if "choice" in stored else None
    if question.kind == Kind.MULTIPLE:
        return {"choices": [choice_token(seed, pk) for pk in stored.get("choices", [])]}
    if question.kind == Kind.ORDERING:
        return {"order": [choice_token(seed, pk) for pk in stored.get("order", [])]}
    if question.kind == Kind.MATCHING:
        return {
            "pairs": {
                choice_token(seed, int(left)): choice_token(seed, right, RIGHT)
                for left, right in stored.get("pairs", {}).items()
            }
        }
    return dict(stored)


def client_response_from_form(question: Question, post, *, choices: list, seed: int):
    """Read one question's fields from an HTML form into the client shape."""
    name = f"q{question.pk}"
    kind = question.kind
    if kind == Kind.SINGLE:
        return {"choice": post.get(name) or None}
    if kind == Kind.MULTIPLE:
        return {"choices": post.getlist(name)}
    if kind == Kind.TRUE_FALSE:
        return {"value": post.get(name) or None}
    if kind in (Kind.SHORT_TEXT, Kind.OPEN):
        return {"text": post.get(name, "")}
    if kind == Kind.NUMERIC:
        return {"value": post.get(name, "")}
    if kind == Kind.ORDERING:  # the places as typed: validated, never completed or sorted
        tokens = [choice_token(seed, c.pk) for c in choices if not c.retired]
        return {"places": {t: post.get(f"{name}-{t}", "").strip()[:3] for t in tokens}}
    if kind == Kind.MATCHING:
        pairs = {}
        for choice in choices:
            if choice.retired:
                continue
            token = choice_token(seed, choice.pk)
            pairs[token] = post.get(f"{name}-{token}") or None
        return {"pairs": pairs}
    return None


def response_display(question: Question, stored: dict | None, choices: list) -> str:
    """A stored response in words, for teachers' reports and CSV exports."""
    if not stored:
        return ""
    by_id = {c.pk: c for c in choices}
    kind = question.kind
    if stored.get("paper"):
        return _("(paper)")
    if kind == Kind.SINGLE:
        choice = by_id.get(stored.get("choice"))
        return choice.text if choice else ""
    if kind == Kind.MULTIPLE:
        return "; ".join(by_id[pk].text for pk in stored.get("choices", []) if pk in by_id)
    if kind == Kind.TRUE_FALSE:
        return str(_("True") if stored.get("value") else _("False"))
    if kind in (Kind.SHORT_TEXT, Kind.OPEN):
        return stored.get("text", "")
    if kind == Kind.NUMERIC:
        return f"{stored.get('value', '')} {question.unit}".strip()
    if kind == Kind.ORDERING:
        return " → ".join(by_id[pk].text for pk in stored.get("order", []) if pk in by_id)
    if kind == Kind.MATCHING:
        pairs = stored.get("pairs", {})
        return "; ".join(
            f"{by_id[int(left)].text} – {by_id[right].match_text}"
            for left, right in pairs.items()
            if int(left) in by_id and right in by_id
        )
    return ""

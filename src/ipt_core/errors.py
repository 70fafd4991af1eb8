"""The library's errors: few, specific, and never carrying a value from the input.

Every problem is reported as a JSON path (``$.sessions[3].date``) and a stable code. A value from
the input may be a diagnosis or a name, so no message, ``repr``, note or chained exception of
these errors ever holds one.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "ArgumentKindError",
    "Problem",
    "ProblemCode",
    "TransitionError",
    "UnknownIdError",
    "ValidationError",
]


class ProblemCode:
    """The stable codes a :class:`Problem` may carry (strings, so a front end can map them)."""

    INVALID_JSON = "invalid_json"
    """The bytes are not UTF-8 JSON (or hold NaN, Infinity or a duplicate key)."""
    TOO_LARGE = "too_large"
    """The document is larger than the configured size limit."""
    TOO_DEEP = "too_deep"
    """The document nests deeper than the configured depth limit."""
    WRONG_KIND = "wrong_kind"
    """The document's ``kind`` is not the one asked for."""
    UNSUPPORTED_VERSION = "unsupported_version"
    """The document's ``schema_version`` is newer than this library knows, or not a version."""
    MISSING = "missing"
    """A required field is absent."""
    UNKNOWN_KEY = "unknown_key"
    """A key the schema does not define (typos and injected fields are refused)."""
    WRONG_TYPE = "wrong_type"
    """A value of the wrong JSON type."""
    INVALID_VALUE = "invalid_value"
    """A value of the right type that the field does not accept (e.g. a date that does not exist)."""
    NOT_ALLOWED = "not_allowed"
    """A value outside a closed set (an enum member, a tag of a union)."""
    OUT_OF_RANGE = "out_of_range"
    """A number outside its range."""
    TOO_SHORT = "too_short"
    """A text or list shorter than allowed."""
    TOO_LONG = "too_long"
    """A text or list longer than allowed."""
    PATTERN = "pattern"
    """A text that does not match the required form (an id, a date)."""
    DUPLICATE_ID = "duplicate_id"
    """An id used twice where ids must be unique."""
    DANGLING_REFERENCE = "dangling_reference"
    """A reference to a person, event or problem area that does not exist."""
    ORDER = "order"
    """Session numbers that do not strictly increase, or dates that go backwards."""
    INCONSISTENT = "inconsistent"
    """Fields that contradict each other (a grief focus on someone alive, an agreement before
    the formulation was presented, ...)."""
    NOT_ALLOWED_BY_PROTOCOL = "not_allowed_by_protocol"
    """Something the case's protocol does not allow (a problem area, homework, ...)."""
    TOO_MANY_PROBLEMS = "too_many_problems"
    """The last problem of a list cut at the reporting limit: how many more were found, or that
    checking stopped there (a document is refused whatever the count)."""


@attrs.frozen
class Problem:
    """One thing wrong with an input: where it is and what kind of wrong, never the value.

    ``message`` says what to fix in words; ``expected``, ``allowed``, ``line`` and ``column`` give
    the same in structured form for a front end (problems compare by path, code and message).
    """

    path: str
    """A JSON path into the document, ``$`` being its root."""
    code: str
    """A stable code from :class:`ProblemCode`."""
    message: str = ""
    """A short explanation written by the library (it never quotes the input): what is expected."""
    expected: str = attrs.field(default="", eq=False)
    """What the place expects, in words (``7 answers, each 0-3``); empty where the message says it."""
    allowed: tuple[str, ...] = attrs.field(default=(), eq=False)
    """The values or keys allowed here, where the set is closed (an enum's values, a record's keys,
    the known instrument ids); empty otherwise."""
    line: int | None = attrs.field(default=None, eq=False)
    """For a JSON syntax error: the line (1-based) where the parser stopped."""
    column: int | None = attrs.field(default=None, eq=False)
    """For a JSON syntax error: the column (1-based) where the parser stopped."""

    def __str__(self) -> str:
        text = f"{self.code} @ {self.path}"
        return f"{text}: {self.message}" if self.message else text

    def under(self, prefix: str) -> Problem:
        """The same problem, its path placed below ``prefix`` (a path itself)."""
        if self.path == "$":
            return attrs.evolve(self, path=prefix)
        return attrs.evolve(self, path=prefix + self.path[1:])


class UnknownIdError(KeyError):
    """An id that names nothing known (a protocol, an instrument): the message lists the known ids.

    A :class:`KeyError`, so ``except KeyError`` keeps working; ``known`` holds the ids.
    """

    known: tuple[str, ...]

    def __init__(self, message: str, known: Iterable[str]) -> None:
        super().__init__(message)
        self.known = tuple(known)

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[type[UnknownIdError], tuple[str, tuple[str, ...]]]:
        # Pickled (a worker process, a copy) from what it was made of, not from ``args`` alone.
        return type(self), (str(self.args[0]), self.known)


def capped(problems: list[Problem], most: int, *, stopped: bool = False) -> list[Problem]:
    """``problems`` cut to ``most``, then one ``too_many_problems`` problem if any were left out
    (``stopped``: checking itself stopped at the limit, so the count left out is a lower bound)."""
    shown = [p for p in problems if p.code != ProblemCode.TOO_MANY_PROBLEMS]
    stopped = stopped or len(shown) != len(problems)
    if len(shown) <= most and not stopped:
        return shown
    extra = max(len(shown) - most, 0)
    listed = min(len(shown), most)
    if not stopped:
        message = f"and {extra} more"
    elif extra:  # found before checking stopped: a lower bound
        message = f"and at least {extra} more: checking stopped at the problem limit ({listed} listed)"
    else:
        message = f"and more: checking stopped at the problem limit ({listed} listed)"
    return [*shown[:most], Problem("$", ProblemCode.TOO_MANY_PROBLEMS, message)]


def _summary(what: str, problems: tuple[Problem, ...]) -> str:
    shown = "; ".join(str(p) for p in problems[:20])
    more = f"; and {len(problems) - 20} more" if len(problems) > 20 else ""
    noun = "problem" if len(problems) == 1 else "problems"
    return f"{what}: {len(problems)} {noun}: {shown}{more}"


class ValidationError(ValueError):
    """Invalid input, whatever it was: bad JSON, wrong types, unknown keys or broken invariants.

    ``problems`` lists each one with its JSON path and code. The message and ``repr`` are built
    from those alone.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems) or (Problem("$", ProblemCode.INVALID_VALUE),)
        super().__init__(_summary("invalid input", self.problems))

    def __repr__(self) -> str:
        return f"ValidationError({[str(p) for p in self.problems]!r})"

    def __reduce__(self) -> tuple[type[ValidationError], tuple[tuple[Problem, ...]]]:
        # Pickled (a worker process, a copy) from its problems: ``args`` holds only the message.
        return type(self), (self.problems,)

    @property
    def codes(self) -> frozenset[str]:
        """The distinct codes of the problems (handy in tests and in front ends)."""
        return frozenset(p.code for p in self.problems)

    def under(self, prefix: str) -> ValidationError:
        """The same error with each problem's path placed below ``prefix`` (a path itself): a part
        checked on its own, such as a case's inventory, reported where it sits in the document."""
        return ValidationError(p.under(prefix) for p in self.problems)

    @classmethod
    def single(cls, path: str, code: str, message: str = "") -> ValidationError:
        """An error with one problem."""
        return cls([Problem(path, code, message)])


class ArgumentKindError(ValidationError, TypeError):
    """An argument of the wrong kind passed to a function (settings, a policy, a protocol or a record
    where something else was given): a caller's mistake, so a ``TypeError``, and a refusal, so a
    :class:`ValidationError` with one problem, code ``wrong_type``, at ``$.`` and the parameter's name.
    Either ``except`` catches it. The message names the parameter, what to pass and the type given,
    never the value."""

    def __init__(self, name: str, expected: str, given: str) -> None:
        super().__init__([Problem(f"$.{name}", ProblemCode.WRONG_TYPE, expected)])
        self.name, self.expected, self.given = name, expected, given
        self.args = (f"{name} must be {expected}, not {given}",)

    def __repr__(self) -> str:
        return f"ArgumentKindError({self.args[0]!r})"

    def __reduce__(self) -> tuple[type[ArgumentKindError], tuple[str, str, str]]:  # type: ignore[override]
        return type(self), (self.name, self.expected, self.given)


class TransitionError(ValueError):
    """A phase transition that is not allowed now: ``unmet`` lists each blocking requirement.

    Each entry is a :class:`Problem` whose path names the task or rule (``$.tasks.formulation_agreed``)
    and whose code is the requirement's stable id.
    """

    unmet: tuple[Problem, ...]

    def __init__(self, unmet: Iterable[Problem]) -> None:
        self.unmet = tuple(unmet) or (Problem("$", "transition_not_allowed"),)
        super().__init__(_summary("transition not allowed", self.unmet))

    def __repr__(self) -> str:
        return f"TransitionError({[str(p) for p in self.unmet]!r})"

    def __reduce__(self) -> tuple[type[TransitionError], tuple[tuple[Problem, ...]]]:
        # Pickled (a worker process, a copy) from its unmet requirements, as ValidationError is.
        return type(self), (self.unmet,)

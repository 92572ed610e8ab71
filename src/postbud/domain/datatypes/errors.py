"""`DataTypeInvalid` and the translation of pydantic validation errors into (field path, rule) pairs.

Paths start with the datatype's kind and join the core's field names with ``/``; list items carry a
1-based index as in XPath, e.g. ``proof/info[3]/title``. (A dialect renames the fields in its own
words before it shows the path to its client.) Rules are short and stable, named after the
XSD facet that expresses them where there is one:

``required`` · ``unexpected`` · ``maxLength=N`` · ``pattern=RE`` · ``enumeration=A|B`` · ``maxOccurs=N`` ·
``minOccurs=N`` · ``minInclusive=N`` · ``maxInclusive=N`` · ``type=T`` · ``scheme=http|https`` ·
``requiredOneOf=A|B`` · ``unknown-datatype`` · ``namespace=URI``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pydantic import ValidationError
from pydantic_core import ErrorDetails

FieldError = tuple[str, str]
"""(field path, rule)."""


class DataTypeInvalid(ValueError):
    """A datatype broke one or more rules; `errors` lists every (field path, rule) found."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors: list[FieldError] = list(errors)
        super().__init__("invalid datatype: " + "; ".join(f"{path}: {rule}" for path, rule in self.errors))


_SKIPPED = frozenset({"default_factory_not_called"})
_SIMPLE_RULES = {
    "missing": "required",
    "extra_forbidden": "unexpected",
    "finite_number": "type=finite",
    "int_from_float": "type=int",
}
_TYPE_PREFIXES = (
    ("datetime", "type=dateTime"),
    ("date", "type=date"),
    ("decimal", "type=decimal"),
    ("int", "type=int"),
    ("float", "type=double"),
    ("bool", "type=boolean"),
    ("string", "type=string"),
    ("tuple", "type=list"),
    ("list", "type=list"),
    ("model", "type=object"),
    ("dict", "type=object"),
)
_BOUND_RULES = {
    "string_too_long": ("maxLength", "max_length"),
    "string_too_short": ("minLength", "min_length"),
    "too_long": ("maxOccurs", "max_length"),
    "too_short": ("minOccurs", "min_length"),
    "greater_than_equal": ("minInclusive", "ge"),
    "less_than_equal": ("maxInclusive", "le"),
    "greater_than": ("minExclusive", "gt"),
    "less_than": ("maxExclusive", "lt"),
}


def field_path(root: str, loc: Sequence[str | int]) -> str:
    path = root
    for part in loc:
        path += f"[{part + 1}]" if isinstance(part, int) else f"/{part}"
    return path


def rule_for(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if "rule" in ctx:
        return str(ctx["rule"])
    if kind in _SIMPLE_RULES:
        return _SIMPLE_RULES[kind]
    if kind in _BOUND_RULES:
        facet, key = _BOUND_RULES[kind]
        return f"{facet}={ctx.get(key)}"
    if kind == "string_pattern_mismatch":
        return "pattern=" + str(ctx.get("pattern", "")).removeprefix("^").removesuffix("$")
    if kind in ("enum", "literal_error"):
        return "enumeration=" + "|".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
    for prefix, rule in _TYPE_PREFIXES:
        if kind.startswith(prefix):
            return rule
    return kind


def field_errors(root: str, error: ValidationError) -> list[FieldError]:
    return [
        (field_path(root, detail["loc"]), rule_for(detail))
        for detail in error.errors(include_url=False, include_input=False)
        if detail["type"] not in _SKIPPED
    ]

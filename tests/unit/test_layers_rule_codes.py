"""Every error the code raises names its rule code, so no dialect has to read its words.

``FieldError(field, rule, code)``, ``ValidationFailed.of(field, rule, code)``, ``Conflict(field,
rule, code)`` and ``NotPermitted(rule, code)`` default their code, which would let a new raise site
slip through as INVALID or DUPLICATE. This test reads the source and fails on a call without one.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "postbud"

NEEDS_CODE = {"FieldError": 3, "Conflict": 3, "NotPermitted": 2, "ValidationFailed.of": 3}
"""Constructor → the number of arguments with the code."""

NOT_RAISING = {"platform_api/errors.py": "renders a Conflict as a field error for the problem body"}
STILL_WITHOUT_CODES: dict[str, str] = {
    # file (from src/postbud) -> its owner; the list may only shrink (it is empty now: keep it so).
}


def _constructor(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id in NEEDS_CODE:
        return func.id
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "of"
        and isinstance(func.value, ast.Name)
        and func.value.id == "ValidationFailed"
    ):
        return "ValidationFailed.of"
    return None


def without_code(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and (name := _constructor(node)) is not None:
            given = len(node.args) + len(node.keywords)
            if given < NEEDS_CODE[name] and "code" not in {k.arg for k in node.keywords}:
                found.append((node.lineno, name))
    return sorted(found)


def test_every_raise_site_names_its_rule_code() -> None:
    missing = {}
    for path in sorted(SOURCE.rglob("*.py")):
        name = path.relative_to(SOURCE).as_posix()
        if name in NOT_RAISING or name in STILL_WITHOUT_CODES:
            continue
        if found := without_code(path.read_text(encoding="utf-8")):
            missing[name] = found
    assert missing == {}, "give each a RuleCode, ConflictCode or PermissionCode (domain/errors.py)"


def test_the_check_tells_a_coded_call_from_one_without() -> None:
    source = (
        "FieldError('a', 'b')\n"
        "FieldError('a', 'b', RuleCode.REQUIRED)\n"
        "ValidationFailed.of('a', 'b')\n"
        "ValidationFailed.of('a', 'b', code=RuleCode.EMPTY)\n"
        "Conflict('a', 'b')\n"
        "NotPermitted('no')\n"
        "NotPermitted('no', PermissionCode.NOT_OWNER)\n"
    )
    assert without_code(source) == [
        (1, "FieldError"),
        (3, "ValidationFailed.of"),
        (5, "Conflict"),
        (6, "NotPermitted"),
    ]

"""The pytest plugin for integrators (pytest-postbud): the example test file of
docs/sdk/pytest-plugin.md, run as a project of its own in a fresh folder, in a pytest of its own
that finds the plugin through its ``pytest11`` entry point and starts Postbud as a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "sdk" / "pytest-plugin.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
RUN_TIMEOUT_S = 600


def _example() -> str:
    (code,) = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    return code


def test_the_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    found = {e.name: e.value for e in entry_points(group="pytest11")}
    assert found.get("postbud") == "postbud.testing.plugin"


@pytest.mark.slow
def test_the_documented_example_passes_in_a_project_of_its_own(tmp_path: Path) -> None:
    project = tmp_path / "integrator"
    project.mkdir()
    (project / "test_with_postbud.py").write_text(_example(), encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("POSTBUD_", "PYTEST_"))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-rA"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "6 passed" in report, report

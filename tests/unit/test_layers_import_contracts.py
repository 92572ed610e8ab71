"""The import contracts in pyproject.toml cover every part of Postbud, and each one can fail.

``lint-imports`` runs them over the real code in scripts/test.sh. Here they are checked against
themselves: every top-level module of ``postbud`` is placed, and in a copy of the contracts over a
throwaway package with one forbidden import per contract, every contract reports it as broken.
"""

from __future__ import annotations

import os
import re
import subprocess
import sysconfig
import tomllib
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "src" / "postbud"
WIRING = {"app", "bootstrap", "plugins"}
OUTER = {"dialects", "platform_api", "cli", "web", "http"}


def _config() -> dict[str, Any]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def _contract(contract_id: str) -> dict[str, Any]:
    return next(c for c in _config()["contracts"] if c["id"] == contract_id)


def _top_level() -> set[str]:
    names = {p.stem for p in SOURCE.glob("*.py") if p.stem != "__init__"}
    return names | {p.parent.name for p in SOURCE.glob("*/__init__.py")}


def _named(modules: list[str]) -> set[str]:
    return {m.removeprefix("postbud.") for m in modules}


def test_the_domain_and_storage_may_import_nothing_that_is_not_named_theirs() -> None:
    top = _top_level()
    assert _named(_contract("domain")["forbidden_modules"]) == top - {"domain"}
    assert _named(_contract("storage")["forbidden_modules"]) == top - {"domain", "storage"}


def test_the_core_is_kept_from_every_outer_layer_and_the_wiring() -> None:
    assert _named(_contract("core")["source_modules"]) == {"services", "channels", "jobs", "webhooks"}
    assert OUTER | WIRING | {"sdk"} <= _named(_contract("core")["forbidden_modules"])
    assert _named(_contract("outer")["source_modules"]) == OUTER
    assert _contract("dialects")["modules"] == ["postbud.dialects.*"]


def test_ci_runs_the_contracts() -> None:
    script = (REPO / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert re.search(r'^\s*run_check "lint-imports" lint-imports\b', script, re.MULTILINE)


# One forbidden import per contract, in a package shaped like Postbud.
VIOLATIONS = {
    "domain": ("domain/rules.py", "import fakebud.storage.repo"),
    "storage": ("storage/repo.py", "import fakebud.services.use_case"),
    "core": ("services/use_case.py", "import fakebud.web.page"),
    "channels": ("channels/mail.py", "import fakebud.services.use_case"),
    "dialects": ("dialects/one/api.py", "import fakebud.dialects.two.api"),
    "outer": ("web/page.py", "import fakebud.storage.repo"),
    "http": ("http/problems.py", "import fakebud.services.use_case"),
    "sdk": ("sdk/client.py", "import fakebud.storage.repo"),
}


def _fake_package(root: Path, config: dict[str, Any], violate: bool) -> None:
    """Every module the contracts name, as packages; the violating modules as plain files."""
    files = {
        "fakebud." + path.removesuffix(".py").replace("/", "."): (path, line)
        for path, line in VIOLATIONS.values()
    }
    modules: set[str] = {line.removeprefix("import ") for _, line in VIOLATIONS.values()}
    for contract in config["contracts"]:
        for key in ("source_modules", "forbidden_modules", "modules"):
            modules.update(
                m.replace("postbud", "fakebud", 1).replace(".*", ".one") for m in contract.get(key, [])
            )
    for module in sorted(modules | {m.rsplit(".", 1)[0] for m in files}):
        if module in files:
            continue
        parts = module.split(".")
        for depth in range(1, len(parts) + 1):
            package = root.joinpath(*parts[:depth])
            package.mkdir(exist_ok=True)
            (package / "__init__.py").touch()
    for path, line in files.values():
        (root / "fakebud" / path).write_text(line + "\n" if violate else "", encoding="utf-8")


def _lint(tmp_path: Path, violate: bool) -> str:
    config = _config()
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    section = text[text.index("[tool.importlinter]") : text.index("[tool.mypy]")]
    (tmp_path / "contracts.toml").write_text(section.replace("postbud", "fakebud"), encoding="utf-8")
    packages = tmp_path / "src"
    packages.mkdir()
    _fake_package(packages, config, violate)
    lint = Path(sysconfig.get_path("scripts")) / "lint-imports"
    if not lint.exists():
        pytest.fail(f"{lint} is missing: install the test extra (pip install -e '.[test]')")
    result = subprocess.run(
        [str(lint), "--config", str(tmp_path / "contracts.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(packages)},
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    return result.stdout + result.stderr + f"\nexit {result.returncode}"


def test_every_contract_fails_on_its_forbidden_import(tmp_path: Path) -> None:
    output = _lint(tmp_path, violate=True)
    for contract in _config()["contracts"]:
        name = " ".join(contract["name"].split())
        assert re.search(re.escape(name).replace(r"\ ", r"\s+") + r"\s+BROKEN", output), (name, output)
    assert output.endswith("exit 1")


def test_the_same_contracts_keep_a_package_without_those_imports(tmp_path: Path) -> None:
    output = _lint(tmp_path, violate=False)
    assert "BROKEN" not in output, output
    assert output.endswith("exit 0"), output

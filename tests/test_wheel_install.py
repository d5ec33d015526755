"""The wheel: built from a clean copy of the project, installed into a fresh venv, run elsewhere.

By default the fresh venv borrows the third-party dependencies of the
running environment (a ``.pth`` line, ``pip install --no-deps``) so the test
needs no network for installing; ``pip check`` then proves the wheel's
declared requirements are met. With ``SELFCHECK_WHEEL_FULL=1`` the wheel is
installed with its dependencies from the package index, as a user would.
Building uses ``python -m build`` (isolated, so it needs the index for
setuptools) and falls back to the running environment's setuptools.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ["pyproject.toml", "README.md"]
PROJECT_DIRS = ["selfcheck", "checklists", "templates"]


def _run(*cmd: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _clean_copy(target: Path) -> None:
    """The project without caches, build leftovers or other people's scratch files."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, target / name)
    for name in PROJECT_DIRS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name, ignore=ignore)


def _build_wheel(source: Path, out: Path) -> Path:
    attempts = [[], ["--no-isolation", "--skip-dependency-check"]]
    errors = []
    for extra in attempts:
        result = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), *extra, str(source)],
            capture_output=True,
            text=True,
            timeout=600,
            stdin=subprocess.DEVNULL,
        )
        wheels = sorted(out.glob("selfcheck-*.whl"))
        if result.returncode == 0 and wheels:
            return wheels[-1]
        errors.append(result.stdout[-2000:] + result.stderr[-2000:])
    raise AssertionError("could not build the wheel:\n" + "\n----\n".join(errors))


def _bin(env_dir: Path, name: str) -> Path:
    folder = env_dir / ("Scripts" if os.name == "nt" else "bin")
    return folder / (name + (".exe" if os.name == "nt" else ""))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(fresh venv, wheel) with the wheel installed."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "src"
    source.mkdir()
    _clean_copy(source)
    wheel = _build_wheel(source, root / "dist")
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=False, clear=True).create(env_dir)
    python = _bin(env_dir, "python")
    # The running environment's pip installs into the fresh venv (pip --python).
    pip = [sys.executable, "-m", "pip", "--python", python]
    if os.environ.get("SELFCHECK_WHEEL_FULL") == "1":
        _run(*pip, "install", "--quiet", wheel)
    else:
        purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        site = Path(_run(python, "-c", purelib).strip())
        borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
        (site / "zz_borrowed_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")
        # --ignore-installed: the borrowed folder may itself hold an installed selfcheck
        # (CI installs the project non-editable); the wheel must land in the fresh venv,
        # whose own site-packages comes before the borrowed folder on sys.path.
        _run(*pip, "install", "--quiet", "--no-deps", "--no-index", "--ignore-installed", wheel)
    _run(*pip, "check")
    return env_dir, wheel


def test_wheel_ships_the_built_in_checklists_and_templates(installed: tuple[Path, Path]) -> None:
    _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (REPO / "checklists").glob("*.yaml"):
        assert f"selfcheck/checklists/{path.name}" in names
    templates = [
        p for p in (REPO / "templates").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ]
    assert templates, "the project has report templates"
    for path in templates:
        assert f"selfcheck/templates/{path.relative_to(REPO / 'templates').as_posix()}" in names
    assert "selfcheck/py.typed" in names
    assert not any(name.startswith(("tests/", "checklists/", "templates/")) for name in names)


def test_installed_selfcheck_lists_both_built_in_checklists_from_elsewhere(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    env_dir, _ = installed
    output = _run(
        _bin(env_dir, "selfcheck"), "checklist", "list", cwd=tmp_path, env={"COLUMNS": "400"}
    )
    assert "zuofeng-2008" in output and "liuxing-jiguan" in output
    assert str(REPO) not in output  # found inside the installed package, not in this checkout
    assert "无法读取" not in output


def test_installed_package_is_the_wheel_with_its_resources(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    env_dir, _ = installed
    probe = (
        "import selfcheck, selfcheck.paths as p;"
        "print(selfcheck.__file__);"
        "print(p.builtin_checklists_dir());"
        "print(len(list(p.builtin_templates_dir().iterdir())))"
    )
    module, checklists, template_count = _run(
        _bin(env_dir, "python"), "-c", probe, cwd=tmp_path
    ).split("\n")[:3]
    assert Path(module).resolve().is_relative_to(env_dir.resolve())
    assert Path(checklists).resolve().is_relative_to(env_dir.resolve())
    assert int(template_count) > 0


def test_installed_entry_points_run(installed: tuple[Path, Path], tmp_path: Path) -> None:
    env_dir, _ = installed
    version = _run(_bin(env_dir, "selfcheck"), "--version", cwd=tmp_path)
    assert version.startswith("selfcheck ")
    assert _run(_bin(env_dir, "python"), "-m", "selfcheck", "--version", cwd=tmp_path) == version
    validated = _run(
        _bin(env_dir, "selfcheck"), "checklist", "validate", "zuofeng-2008", cwd=tmp_path
    )
    assert validated.startswith("✓")

"""Build each assignment's Gradescope autograder zip and its student bundle.

    python -m autograder.delivery.package [--out dist] [--assignment NAME ...]

``<assignment>-autograder.zip`` is what an instructor uploads: ``setup.sh`` and
``run_autograder`` at its root (templates in ``gradescope/``), the grader, the reference (with
its extra tests), the dataset loaders, the provided files and the stubs (a notebook's plain
cells are graded on them). ``<assignment>-student.zip`` is what students get: the stubs and
provided files, the data the assignment uses, a README and ``check.py``, which runs the
visible tests (``autograder/delivery/selfcheck.py``). It holds no mistake catalogue, and a
bundle in which any reference solution block appears (say, in a test case) is refused.
Zips are deterministic (sorted entries, fixed dates and modes): same sources, same bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from autograder.assignment import (CASES_FILE, DEFINITION, PACKAGE_DIR, ROOT, Assignment,
                                   available, load_assignment)
from autograder.delivery import dependencies
from autograder.delivery.selfcheck import write_expected
from autograder.stubs import BEGIN, END

TEMPLATES = ROOT / "gradescope"
DATASETS = ROOT / "datasets"
EXECUTABLES = {"setup.sh", "run_autograder"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

Files = dict[str, bytes]  # path in the zip -> content
SOLUTION_BLOCK = re.compile(rf"^[ \t]*{BEGIN}\n(.*?)^[ \t]*{END}", re.S | re.M)


class LeakError(Exception):
    """A student bundle would contain reference solution code."""


def fill(template: str, **values: str) -> str:
    """``template`` with each ``@KEY@`` replaced by ``values[key]``."""
    for key, value in values.items():
        template = template.replace(f"@{key.upper()}@", value)
    left = re.search(r"@[A-Z_]+@", template)
    if left:
        raise ValueError(f"placeholder {left.group()} was not filled")
    return template


def _folder(folder: Path, prefix: str) -> Files:
    """Every file under ``folder`` (no caches), under ``prefix`` in the zip."""
    return {f"{prefix}{path.relative_to(folder).as_posix()}": path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and "__pycache__" not in path.relative_to(folder).parts}


def grader_package(prefix: str = "") -> Files:
    """The ``autograder`` package (the engine: no assignment content)."""
    return _folder(PACKAGE_DIR, f"{prefix}autograder/")


def definition_files(assignment: Assignment, prefix: str = "") -> Files:
    """What the self-check needs of ``solutions/<name>/``: the definition and the cases."""
    return {f"{prefix}solutions/{assignment.name}/{f}": (assignment.solution_dir / f).read_bytes()
            for f in (DEFINITION, CASES_FILE)}


def data_files(name: str, prefix: str = "", data: bool = True) -> Files:
    """The ``datasets`` package: its loaders and, with ``data``, the data files the assignment
    lists under ``"data"`` (paths inside datasets/; every bundled file when it lists none)."""
    files = _folder(DATASETS, f"{prefix}datasets/")
    wanted = load_assignment(name).data
    return {k: v for k, v in files.items() if k.endswith(".py") or data and (
        wanted is None or k.removeprefix(f"{prefix}datasets/") in wanted)}


def autograder_files(assignment: Assignment) -> Files:
    """Contents of the autograder zip; unpacked by Gradescope into /autograder/source."""
    name = assignment.name
    files = {
        "setup.sh": (TEMPLATES / "setup.sh").read_bytes(),
        "run_autograder": fill((TEMPLATES / "run_autograder").read_text(),
                               assignment=name).encode(),
        "requirements.txt": dependencies.PLATFORM_LOCK.read_bytes(),
        **grader_package(),
        **_folder(ROOT / "solutions" / name, f"solutions/{name}/"),
        **data_files(name, data=False),  # the loaders, which extra tests may use
    }
    # The provided files, and the stubs from which a notebook's plain cells make graded files.
    for handed_out in (*assignment.provided, *assignment.files):
        files[f"assignments/{name}/{handed_out}"] = (
            assignment.student_dir / handed_out).read_bytes()
    return files


def _normalized(text: str) -> str:
    return " ".join(text.split())


def solution_bodies() -> list[str]:
    """Every reference solution block (the lines between the markers), whitespace-normalized."""
    return [_normalized(body) for path in sorted((ROOT / "solutions").rglob("*.py"))
            for body in SOLUTION_BLOCK.findall(path.read_text(encoding="utf-8")) if body.strip()]


def leaks(files: Files) -> dict[str, str]:
    """File -> the first solution block found in it, whatever its whitespace."""
    bodies = solution_bodies()
    found = {}
    for name, data in files.items():
        text = _normalized(data.decode("utf-8", "replace"))
        hit = next((body for body in bodies if body in text), None)
        if hit:
            found[name] = hit
    return found


def student_files(assignment: Assignment) -> Files:
    """Contents of the student bundle, in a folder named after the assignment."""
    name, top = assignment.name, f"{assignment.name}/"
    check = f"{top}selfcheck/"
    files = {
        f"{top}README.md": student_readme(assignment).encode(),
        f"{top}check.py": fill((TEMPLATES / "check.py").read_text(), assignment=name).encode(),
        # what the self-check imports, and what training and the notebooks need
        f"{top}requirements.txt": dependencies.requirements(
            dependencies.pinned("student")).encode(),
        **_folder(assignment.student_dir, top),
        **data_files(name, top),
        **grader_package(check),
        **definition_files(assignment, check),
    }
    # the originals, which the self-check always uses: the provided files, and the stubs
    for handed_out in (*assignment.provided, *assignment.files):
        files[f"{check}assignments/{name}/{handed_out}"] = (
            assignment.student_dir / handed_out).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        write_expected(assignment, Path(tmp))
        files.update(_folder(Path(tmp), f"{check}expected/{name}/"))
    found = leaks(files)
    if found:
        raise LeakError(f"{name}: not writing the student bundle, it would contain solution "
                        "code: " + "; ".join(f"{f} has {body[:60]!r}" for f, body in found.items()))
    return files


def student_readme(assignment: Assignment) -> str:
    graded = ", ".join(f"`{f}`" for f in assignment.files)
    provided = ", ".join(f"`{f}`" for f in assignment.provided)
    hidden = sum(assignment.parts[c.part].points / len(assignment.cases_of(c.part))
                 for c in assignment.cases if not c.visible)
    extra = [p for p in assignment.parts.values() if p.tests]
    return fill(
        (TEMPLATES / "student_README.md").read_text(),
        title=assignment.title, files=graded, torch=dependencies.pinned()["torch"],
        provided=(f"{provided} {'is' if len(assignment.provided) == 1 else 'are'} provided: "
                  "Gradescope always uses the original." if provided else ""),
        parts="\n".join(f"| {p.id} | {p.title} | `{p.file}` | {p.points:g} |"
                        for p in assignment.parts.values()),
        hidden=f"{hidden:.2f}", total=f"{sum(p.points for p in assignment.parts.values()):g}",
        extra="".join(f"- part {p.id} ({p.title}, {p.points:g} points) is graded by unit tests "
                      "that run on Gradescope only;\n" for p in extra))


def write_zip(path: Path, files: Files) -> Path:
    """Write ``files`` to ``path``: sorted, fixed date, mode 755 for the scripts, else 644."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            mode = 0o755 if name.rsplit("/", 1)[-1] in EXECUTABLES else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name])
    return path


def build(name: str, out: Path) -> list[Path]:
    """Write ``out/<name>-autograder.zip``, then ``out/<name>-student.zip`` (or raise
    :class:`LeakError`)."""
    assignment = load_assignment(name)
    grader = write_zip(out / f"{name}-autograder.zip", autograder_files(assignment))
    student = out / f"{name}-student.zip"
    student.unlink(missing_ok=True)  # never leave an older bundle behind a refused one
    return [grader, write_zip(student, student_files(assignment))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.delivery.package", description=__doc__
                                     .split("\n\n")[0])
    parser.add_argument("--assignment", action="append", choices=available(),
                        help="default: every assignment")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    status = 0
    for name in args.assignment or available():
        try:
            for path in build(name, args.out):
                print(path)
        except LeakError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())

"""Our pinned dependencies, read from ``pyproject.toml``, where they are declared once.

``[project] dependencies`` is what the engine imports (grading and the students' self-check);
the extras are ``grader`` (the sandbox's network filter), ``student`` (training, figures,
notebooks) and ``dev`` (everything, and our test tools). Every entry is ``name==version``,
or this project with extras (``dgm-autograder[grader,student]``). The files that pip reads
elsewhere derive from it: the student bundle's requirements.txt here; the platform's,
``gradescope/requirements.txt``, is the grader set pinned for the platform's CPython 3.10 and
is checked against it (tests/test_platform_deps.py). Reading needs Python 3.11 (tomllib):
this runs where the zips are built, never on the platform.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from autograder.assignment import ROOT

PYPROJECT = ROOT / "pyproject.toml"
# What grading needs, pinned for the platform's Python: Ubuntu 22.04's python3, CPython 3.10.
PLATFORM_LOCK = ROOT / "gradescope" / "requirements.txt"
SELF = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)\[(?P<extras>[A-Za-z0-9._,\s-]+)\]$")


def canonical(name: str) -> str:
    """A package's name as pip compares names (PEP 503): ``Foo_Bar.baz`` is ``foo-bar-baz``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pin(entry: str, where: str) -> tuple[str, str]:
    name, pinned, version = entry.partition("==")
    if not (pinned and name.strip() and re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", version.strip())):
        raise ValueError(f"{where}: {entry!r} is not pinned as name==version")
    return canonical(name.strip()), version.strip()


def pinned(*extras: str, path: Path = PYPROJECT) -> dict[str, str]:
    """Canonical name -> version: the project's dependencies and those of ``extras``."""
    project = tomllib.loads(path.read_text())["project"]
    declared = project.get("optional-dependencies", {})
    found = dict(_pin(e, f"{path.name} dependencies") for e in project.get("dependencies", []))
    wanted, seen = list(extras), set()
    while wanted:
        extra = wanted.pop()
        if extra in seen:
            continue
        if extra not in declared:
            raise ValueError(f"{path.name} declares no extra {extra!r}")
        seen.add(extra)
        for entry in declared[extra]:
            own = SELF.match(entry)
            if own and canonical(own["name"]) == canonical(project["name"]):
                wanted += [e.strip() for e in own["extras"].split(",")]
            else:
                name, version = _pin(entry, f"{path.name} extra {extra}")
                if found.setdefault(name, version) != version:
                    raise ValueError(f"{path.name} pins {name} twice: {found[name]}, {version}")
    return found


def lock(path: Path = PLATFORM_LOCK) -> dict[str, str]:
    """Canonical name -> version, from a requirements file of ``name==version`` lines."""
    found = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split("#")[0].strip()
        if line:
            name, version = _pin(line, f"{path}:{number}")
            found[name] = version
    return found


def requirements(pins: dict[str, str]) -> str:
    """A requirements file of ``pins``, one ``name==version`` a line."""
    return "".join(f"{name}=={version}\n" for name, version in pins.items())

"""The submissions in a class folder: one folder or zip per student, or a Gradescope export.

A Gradescope "Export Submissions" download holds ``submission_<id>/`` folders and a
``submission_metadata.yml`` naming the students of each; the submission id is then the
Gradescope id (the one Gradescope's own runs seed hidden tests with), otherwise the folder or
zip name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

METADATA = "submission_metadata.yml"
SKIPPED = {"__MACOSX"}
_FIELD = re.compile(r":?(\w+):(?:\s+(.*))?$")


@dataclass(frozen=True)
class Submission:
    id: str
    path: Path
    name: str = ""  # several submitters (a group) are joined with "; "
    email: str = ""
    sid: str = ""


def find_submissions(folder: Path) -> list[Submission]:
    """Every submission in ``folder``, sorted by id; students named when an export says who."""
    metadata = folder / METADATA
    people = read_metadata(metadata.read_text(errors="replace")) if metadata.is_file() else {}
    found: dict[str, Submission] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name in SKIPPED:
            continue
        if not (path.is_dir() or path.suffix.lower() == ".zip"):
            continue
        sid = path.name if path.is_dir() else path.stem
        if path.name in people:
            sid = path.name.removeprefix("submission_")
        if sid in found:  # alice/ and alice.zip
            sid = path.name
        who = people.get(path.name, [])
        found[sid] = Submission(sid, path, *("; ".join(p[k] for p in who if p.get(k))
                                             for k in ("name", "email", "sid")))
    return [found[k] for k in sorted(found)]


def read_metadata(text: str) -> dict[str, list[dict[str, str]]]:
    """Submission folder name -> the ``:submitters:`` of Gradescope's ``submission_metadata.yml``.

    Reads only the block layout that file uses (Ruby-symbol keys such as ``:name:``); every
    other key, however nested or tagged, is skipped.
    """
    people: dict[str, list[dict[str, str]]] = {}
    current: list[dict[str, str]] = []
    level = in_block = item_indent = None
    item: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "---", "...")):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if indent == 0:
            current = people.setdefault(_unquote(line.rstrip(":").strip()), [])
            level = in_block = item_indent = None
            continue
        level = indent if level is None else level
        if indent <= level and not line.startswith("- "):
            in_block, item_indent = line == ":submitters:", None
            continue
        if not in_block:
            continue
        if line.startswith("- ") and item_indent in (None, indent):
            item_indent, item = indent, {}
            current.append(item)
            line, indent = line[2:].strip(), indent + 2
        match = _FIELD.match(line)
        if match and item_indent is not None and indent == item_indent + 2:
            value = _unquote((match.group(2) or "").strip())
            if value and value not in ("~", "null"):
                item[match.group(1)] = value
    return people


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"')
    return value

"""Grade the bundled example submissions and print one row per submission, one column per part.

The examples are made, not stored: the reference, the stubs, and the realistic mistakes
marked ``example=True`` in ``solutions/<assignment>/mistakes.py``. Each is written to
``grading/examples/<assignment>/<name>/`` with its ``results.json``, for a TA to open.

    python scripts/grade_examples.py [ASSIGNMENT ...]
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder import results  # noqa: E402
from autograder.assignment import available, load_assignment, write_submission  # noqa: E402
from autograder.sandbox import Sandbox  # noqa: E402

OUT = ROOT / "grading" / "examples"


def examples(assignment: str, dest: Path) -> dict[str, Path]:
    """Example name -> folder holding that submission."""
    found = {"reference": ROOT / "solutions" / assignment,
             "stubs (untouched)": ROOT / "assignments" / assignment}
    a = load_assignment(assignment)
    for m in a.mistakes:
        if m.example:
            folder = dest / m.name.replace(" ", "_").replace("/", "_")
            shutil.rmtree(folder, ignore_errors=True)
            found[f"mistake: {m.name}"] = write_submission(a, [m], folder)
    return found


def main(names: list[str]) -> int:
    names = names or available()
    for name in names:
        load_assignment(name)
    with Sandbox() as sandbox:  # forked before the reference is imported
        from autograder.grade import grade

        for name in names:
            assignment = load_assignment(name)
            parts = list(assignment.parts.values())
            width = 34
            print(f"\n{name}: {assignment.title}")
            print(f"{'submission':<{width}}" + "".join(f"{p.id:>7}" for p in parts) + "   total")
            for label, folder in examples(name, OUT / name).items():
                data = grade(assignment, [folder], sandbox)
                safe = label.split(": ")[-1].replace(" ", "_").replace("(", "").replace(")", "")
                results.write(OUT / name / f"{safe}.results.json", data)
                scores = data["extra_data"]["parts"]
                print(f"{label[:width - 1]:<{width}}"
                      + "".join(f"{scores[p.id]['score']:>7.2f}" for p in parts)
                      + f"   {data['score']:.2f} / {sum(p.points for p in parts):g}")
    print(f"\nSubmissions and their results.json: {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

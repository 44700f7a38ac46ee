"""The engine's support for assignments laid out as a Python package: module names from
paths, package aliases, what each part's process sees, and the stand-ins."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autograder.assignment import ROOT, available, load_assignment
from autograder.modules import UNDERLAY, attribute_name, module_name
from autograder.submission import part_folder, stage

PACKAGED = [a for a in available() if load_assignment(a).package]


@pytest.mark.parametrize("file, name, attribute", [
    ("gan.py", "gan", "gan"),
    ("submission/models/vae.py", "submission.models.vae", "vae"),
    ("submission/__init__.py", "submission", "submission"),
    ("submission/models/__init__.py", "submission.models", "models"),
])
def test_module_names_follow_paths(file, name, attribute):
    assert module_name(file) == name
    assert attribute_name(file) == attribute


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, text=True,
                          capture_output=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"})


def test_an_alias_is_the_same_package_not_a_copy(tmp_path):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "sub" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "sub" / "things.py").write_text("class Thing: pass\n")
    (tmp_path / "user.py").write_text("from old.sub.things import Thing\nimport old.sub\n")
    done = _python("""
        import sys
        sys.path.insert(0, '.')
        from autograder.modules import alias_package
        alias_package(['old'], 'pkg')
        import user, pkg.sub.things
        assert user.Thing is pkg.sub.things.Thing
        assert sys.modules['old.sub'] is sys.modules['pkg.sub']
        assert pkg.sub.things.__spec__.name == 'pkg.sub.things'
        print('ok')
    """, tmp_path)
    assert done.stdout.strip() == "ok", done.stderr


@pytest.mark.parametrize("assignment", PACKAGED)
def test_each_part_sees_its_own_file_the_shared_reference_and_stubs(assignment, tmp_path):
    a = load_assignment(assignment)
    staged = tmp_path / "staged"
    submission = tmp_path / "submission"
    for name in a.files:
        (submission / name).parent.mkdir(parents=True, exist_ok=True)
        (submission / name).write_text(f"# the student's {name}\n")
    stage(a, [submission], staged)
    for part in a.parts.values():
        view = part_folder(a, part.file, staged, tmp_path / "views" / part.id)
        for name in a.files:
            text = (view / name).read_text()
            if name == part.file:
                assert text == f"# the student's {name}\n"
            elif name in a.shared:
                assert text == (a.solution_dir / name).read_text()
            else:
                assert text == (a.student_dir / name).read_text()
            underlay = view / UNDERLAY / name
            assert (underlay.read_text() == f"# the student's {name}\n" if name != part.file
                    else not underlay.exists())
        for name in (*a.provided, *(f"{s}/__init__.py" for s in a.stand_ins)):
            assert (view / name).is_file(), name


@pytest.mark.parametrize("theirs, helper", [
    ("def helper():\n    return 'theirs'\ndef graded():\n    return 'their mistake'\n", "theirs"),
    ("def graded():\n    return 'their mistake'\ndef helper():\n    return graded()\n", "ours"),
    ("def graded():\n    return 'their mistake'\nhelper = graded\n", "ours"),
    ("import math\nmath.pi = 3\ndef helper():\n    return str(math.pi)[:4]\n", "3.14"),
    ("def helper():\n    return 'theirs'\nraise SystemExit(1)\n", "theirs"),
    ("import time\ndef helper():\n    return 'theirs'\ntime.sleep(60)\n", "theirs"),
    ("def helper(:\n", None),
])
def test_a_file_ours_covers_keeps_only_the_students_own_names(tmp_path, theirs, helper):
    """Ours is the module; the student's copy adds its other names, whatever happens to it,
    and changes nothing of ours, nor of torch, numpy or math."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "mod.py").write_text("def graded():\n    return 'ours'\n")
    (tmp_path / UNDERLAY / "pkg").mkdir(parents=True)
    (tmp_path / UNDERLAY / "pkg" / "mod.py").write_text(theirs)
    done = _python("""
        import sys, time
        sys.path.insert(0, '.')
        from pathlib import Path
        from autograder import modules
        modules.UNDERLAY_SECONDS = 0.5
        modules.layer(Path('.'), ['pkg/mod.py'])
        start = time.monotonic()
        from pkg import mod
        assert time.monotonic() - start < 5
        print(mod.graded(), getattr(mod, 'helper', lambda: None)())
    """, tmp_path)
    assert done.stdout.split() == ["ours", str(helper)], done.stderr


def test_stand_ins_import_and_do_nothing_harmful(tmp_path):
    from autograder import stand_ins
    stand_ins.copy_into(("torchvision", "matplotlib"), tmp_path)
    done = _python("""
        import sys
        sys.path.insert(0, '.')
        from torchvision import datasets, transforms
        from torchvision.utils import save_image
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(1, 2)
        ax.plot([1, 2]); plt.savefig('x.png'); plt.close(fig)
        try:
            datasets.SVHN('.', download=True)
        except RuntimeError as exc:
            print('raised:', exc)
    """, tmp_path)
    assert "raised: torchvision.datasets.SVHN is not available" in done.stdout, done.stderr
    assert not (tmp_path / "x.png").exists()


def test_the_students_copies_share_one_time_limit_however_they_import_each_other(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    for name in ("a", "b"):
        (tmp_path / "pkg" / f"{name}.py").write_text(f"def graded():\n    return 'ours {name}'\n")
    (tmp_path / UNDERLAY / "pkg").mkdir(parents=True)
    (tmp_path / UNDERLAY / "pkg" / "a.py").write_text(
        "import pkg.b\npkg.b.helper  # b's copy runs now\nwhile True:\n    pass\n")
    (tmp_path / UNDERLAY / "pkg" / "b.py").write_text("def helper():\n    return 'theirs b'\n")
    done = _python("""
        import sys, time
        sys.path.insert(0, '.')
        from pathlib import Path
        from autograder import modules
        modules.UNDERLAY_SECONDS = 0.5
        modules.layer(Path('.'), ['pkg/a.py', 'pkg/b.py'])
        start = time.monotonic()
        from pkg import a, b
        assert time.monotonic() - start < 5
        print(a.graded(), getattr(a, 'nothing', '(none)'), '|', b.graded(), '|', b.helper())
        assert time.monotonic() - start < 5
    """, tmp_path)
    assert done.stdout.strip() == "ours a (none) | ours b | theirs b", done.stderr

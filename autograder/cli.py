"""Command line: ``python -m autograder grade|stubs|audit ...``."""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from autograder import results
from autograder.assignment import available, load_assignment
from autograder.budget import (DEFAULT_SECONDS, ENV as BUDGET_ENV, TimeBudget, parse_seconds,
                               seconds_from_env)


def submission_id_from(metadata: Path | None) -> str | None:
    """The submission id in a Gradescope ``submission_metadata.json``, if there is one."""
    if metadata is None or not metadata.is_file():
        return None
    try:
        value = json.loads(metadata.read_text()).get("id")
    except (ValueError, OSError, AttributeError):
        return None
    return str(value) if value is not None else None


def format_table(data: dict[str, Any], assignment_name: str) -> str:
    assignment = load_assignment(assignment_name)
    parts = data.get("extra_data", {}).get("parts", {})
    width = max(len(p.title) for p in assignment.parts.values())
    rows = [f"{'part':<5} {'title':<{width}}  score"]
    for part in assignment.parts.values():
        score = parts.get(part.id, {}).get("score", 0.0)
        rows.append(f"{part.id:<5} {part.title:<{width}}  {score:6.2f} / {part.points:g}")
    total = sum(p.points for p in assignment.parts.values())
    rows.append(f"{'total':<5} {'':<{width}}  {data.get('score', 0.0):6.2f} / {total:g}")
    return "\n".join(rows)


def batch_command(args: argparse.Namespace) -> int:
    from autograder.batch import grade_batch

    if len(args.paths) != 1 or not args.paths[0].is_dir() or args.out or args.metadata \
            or args.submission_id:
        print("--batch grades the submissions in one folder; --out, --metadata and "
              "--submission-id do not apply", file=sys.stderr)
        return 2
    try:
        time_budget = args.time_budget or seconds_from_env()
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    summary = grade_batch(args.assignment, args.paths[0], args.batch, jobs=args.jobs,
                          force=args.force, timeout_scale=args.timeout_scale, user=args.user,
                          time_budget=time_budget,
                          progress=not args.quiet)
    if not args.quiet:
        print(summary)
    if not summary.submissions:
        print(f"no submission (a folder or a .zip) in {args.paths[0]}", file=sys.stderr)
    return 2 if summary.statuses["error"] or not summary.submissions else 0


def grade_command(args: argparse.Namespace) -> int:
    if args.batch:
        return batch_command(args)
    start = args.started
    try:
        budget = TimeBudget.starting_at(start, args.time_budget or seconds_from_env())
        assignment = load_assignment(args.assignment)
        from autograder.sandbox import Sandbox  # noqa: PLC0415 - fork before the reference loads

        with Sandbox(user=args.user) as sandbox:
            from autograder.grade import grade

            data = grade(assignment, args.paths, sandbox,
                         submission_id=args.submission_id or submission_id_from(args.metadata),
                         timeout_scale=args.timeout_scale, budget=budget)
        status = 0
    except Exception as exc:  # noqa: BLE001 - results.json must exist whatever happened
        traceback.print_exc()
        data, status = results.fallback(f"{type(exc).__name__}: {exc}", time.monotonic() - start), 2
    if args.out:
        results.write(args.out, data)
    if not args.quiet:
        print(f"{args.assignment}: {' '.join(str(p) for p in args.paths)}")
        print(format_table(data, args.assignment) if status == 0 else data["output"])
        if args.verbose:
            for test in data["tests"]:
                print(f"\n[{test['status']}] {test['number']} {test['name']}\n{test['output']}")
    return status


def stubs_command(args: argparse.Namespace) -> int:
    from autograder.stubs import stale_stubs, write_stubs

    names = [args.assignment] if args.assignment else available()
    if args.check:
        stale = {name: stale_stubs(name) for name in names}
        for name, files in stale.items():
            for f in files:
                print(f"stale: assignments/{name}/{f} (run `make stubs`)")
        return 1 if any(stale.values()) else 0
    for name in names:
        print(f"assignments/{name}: {', '.join(write_stubs(name))}")
    return 0


def new_command(args: argparse.Namespace) -> int:
    from autograder.authoring import new_assignment

    return _scaffold(new_assignment, args.name, args.title)


def new_part_command(args: argparse.Namespace) -> int:
    from autograder.authoring import NewPart, new_part

    return _scaffold(new_part, args.name, NewPart(args.part_id, args.file, args.function,
                                                   args.title or args.function, args.points))


def _scaffold(write: Any, name: str, *details: Any) -> int:
    """``write(name, *details)``, the files it wrote, and what to do next."""
    from autograder.assignment import AssignmentError
    from autograder.authoring import AuthoringError

    try:
        written = write(name, *details)
    except (AuthoringError, AssignmentError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    print(f"next: make stubs, then `python -m autograder lint {name}`")
    return 0


def lint_command(args: argparse.Namespace) -> int:
    from autograder.lint import lint

    unknown = sorted(set(args.names) - set(available()))
    if unknown:
        print(f"unknown assignment(s): {', '.join(unknown)}; available: "
              f"{', '.join(available())}", file=sys.stderr)
        return 2
    failed = False
    for name in args.names or available():
        problems = lint(name)
        for problem in problems:
            print(f"{name}: {problem}")
        if not problems:
            print(f"{name}: ok")
        failed = failed or bool(problems)
    return 1 if failed else 0


def _points(text: str) -> float:
    """A whole number of points stays one in assignment.json."""
    value = float(text)
    return int(value) if value.is_integer() else value


def _authoring_parsers(sub: Any) -> None:
    n = sub.add_parser("new", help="scaffold solutions/NAME/ with one example part")
    n.add_argument("name", metavar="NAME", help="letters, digits and _")
    n.add_argument("--title", help="the assignment's title (default: its name)")
    n.set_defaults(run=new_command)

    p = sub.add_parser("new-part", help="add a part (a reference function, a visible and a "
                       "hidden case, a mistake) to solutions/NAME/")
    p.add_argument("name", metavar="NAME")
    p.add_argument("part_id", metavar="PART_ID", help="e.g. 2.1 or 3b")
    p.add_argument("--file", required=True, help="the graded file (created if need be)")
    p.add_argument("--function", required=True, help="the function the student writes")
    p.add_argument("--points", type=_points, default=1, help="default: 1")
    p.add_argument("--title", help="the part's title (default: the function's name)")
    p.set_defaults(run=new_part_command)

    lt = sub.add_parser("lint", help="check assignments: cases, mistakes, alternatives, stubs; "
                        "one line per problem, exit status 1 if any")
    lt.add_argument("names", nargs="*", metavar="NAME", help="default: every assignment")
    lt.set_defaults(run=lint_command)


def audit_command(args: argparse.Namespace) -> int:
    from autograder.audit import audit, write
    from autograder.batch import default_jobs

    try:
        result = audit(args.assignment, jobs=args.jobs or default_jobs(),
                       parts=set(args.part) if args.part else None, limit=args.limit,
                       progress=not args.quiet)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.out:
        write(result, args.out)
    if not args.quiet:
        print(result.markdown())
    return 0


def _seconds(text: str) -> float:
    try:
        return parse_seconds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None, started: float | None = None) -> int:
    """``started``: when the process started (``time.monotonic()``); the budget counts from it."""
    parser = argparse.ArgumentParser(prog="python -m autograder")
    sub = parser.add_subparsers(dest="command", required=True)

    g = sub.add_parser("grade", help="grade one submission (a folder, a .zip or files)")
    g.add_argument("--assignment", required=True, choices=available())
    g.add_argument("paths", nargs="+", type=Path)
    g.add_argument("--out", type=Path, help="where to write results.json")
    g.add_argument("--submission-id", help="seeds the hidden tests (default: from --metadata, "
                   "else a hash of the submitted files)")
    g.add_argument("--metadata", type=Path, help="Gradescope submission_metadata.json")
    g.add_argument("--user", help="run student code as this unprivileged user (needs root)")
    g.add_argument("--timeout-scale", type=float, default=1.0,
                   help="multiply every part's timeout (slow machines)")
    g.add_argument("--time-budget", type=_seconds, metavar="SECONDS",
                   help="all parts of a submission share this many seconds, from the start; "
                   f"parts not reached score zero (default: ${BUDGET_ENV}, "
                   f"else {DEFAULT_SECONDS:g}); with --batch, each submission's own")
    g.add_argument("--batch", type=Path, metavar="OUT_DIR",
                   help="grade every submission in the one folder given (a folder or zip per "
                   "student, or a Gradescope export) into OUT_DIR: results, gradebook, report")
    g.add_argument("--jobs", type=int, help="--batch: parallel workers (default: every core)")
    g.add_argument("--force", action="store_true",
                   help="--batch: regrade submissions whose results are up to date")
    g.add_argument("--quiet", action="store_true", help="print nothing")
    g.add_argument("-v", "--verbose", action="store_true", help="print every test's feedback")
    g.set_defaults(run=grade_command)

    s = sub.add_parser("stubs", help="generate assignments/ from solutions/")
    s.add_argument("--assignment", choices=available())
    s.add_argument("--check", action="store_true", help="fail if the committed stubs are stale")
    s.set_defaults(run=stubs_command)
    _authoring_parsers(sub)

    a = sub.add_parser("audit", help="mutation testing of an assignment's tests: how many "
                       "small edits of the reference they catch, per part")
    a.add_argument("assignment", choices=available())
    a.add_argument("--jobs", type=int, help="worker processes (default: every core)")
    a.add_argument("--out", type=Path, help="also write the report: FILE.md, or FILE.json")
    a.add_argument("--part", action="append", help="audit only this part (repeatable)")
    a.add_argument("--limit", type=int, help="at most this many mutants per part")
    a.add_argument("--quiet", action="store_true", help="print nothing")
    a.set_defaults(run=audit_command)

    args = parser.parse_args(argv)
    args.started = time.monotonic() if started is None else started
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())

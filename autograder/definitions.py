"""A graded file built from a notebook's plain code cells, by definition name, running none.

Students often write their functions in ordinary cells rather than in a ``%%writefile``
cell. The graded file is then the stub (its provided code, and a stub of every function the
student writes) followed by the notebook's last definition of each of those functions and,
transitively, the top-level statements they need, in notebook order: the imports binding a
name they use, the helper functions and classes they call, and constants. Nothing else is
taken, so training loops, plots and data loading never run. A constant is an assignment to
names whose value calls only built-in types and functions of imported modules
(``LOG2PI = math.log(2 * math.pi)``, ``device = torch.device("cpu")``).

Names are resolved as when the notebook runs from top to bottom: what a statement reads
while it runs (a class's bases, a decorator, a constant's value) is the name's last binding
before it; what a function reads when it is called is the name's last binding anywhere.
"""

from __future__ import annotations

import ast
import builtins
import re
import symtable
from dataclasses import dataclass

BUILTINS = frozenset(dir(builtins))
BUILTIN_TYPES = frozenset(n for n in BUILTINS if isinstance(getattr(builtins, n), type))
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
COMPREHENSIONS = {"listcomp", "setcomp", "dictcomp", "genexpr"}  # run where they are written
PYTHON_CELL_MAGICS = {"time", "timeit", "capture"}  # cell magics whose body is Python
CELL_MAGIC = re.compile(r"\s*%%(\w*)")
# %line magic, !shell, `x = !shell` or `x = %magic`; `?obj`, `obj?`, `obj??` (help)
IPYTHON_LINE = re.compile(r"\s*(?:[%!]|[\w.]+\s*=\s*[%!]|\?+[\w.%]+\s*$|[\w.%]+\?+\s*$)")


@dataclass(frozen=True)
class Statement:
    cell: int
    text: str
    binds: frozenset[str]
    # "definition", "import", "star" (import *), "constant" (an assignment to names, taken
    # when its value is pure) or "other" (never taken)
    kind: str
    at_run: frozenset[str]  # names it reads while it runs
    at_call: frozenset[str]  # global names its functions read when called
    defines: str = ""  # definitions: the function or class
    call_roots: frozenset[str] | None = None  # constants: see _call_roots


@dataclass(frozen=True)
class Untaken:
    """A name a taken statement needs, bound in the notebook only by a statement not taken."""
    name: str
    cell: int
    user: str  # the student's function that needs it, directly or through a helper


@dataclass(frozen=True)
class Built:
    content: str | None  # None when the cells define none of the student's functions
    found: dict[str, int]  # student function -> the cell of its (last) definition
    missing: list[str]  # student functions the cells do not define
    broken: list[tuple[int, int, str]]  # (cell, line, message) of cells that are not Python
    untaken: list[Untaken]


def student_names(stub: str) -> list[str]:
    """The top-level functions and classes of ``stub`` that the student writes: those holding
    a ``raise NotImplementedError`` statement, as ``make stubs`` leaves for a solution block."""
    return [node.name for node in ast.parse(stub).body if isinstance(node, DEFINITIONS)
            and any(isinstance(n, ast.Raise) and isinstance(n.exc, ast.Name)
                    and n.exc.id == "NotImplementedError" for n in ast.walk(node))]


def python_code(source: str) -> str | None:
    """The Python of a code cell, its IPython syntax (magics, shell and help lines) turned
    into ``pass``; None for a cell magic whose body is not Python (``%%bash``)."""
    lines = source.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    magic = CELL_MAGIC.match(lines[first]) if first is not None else None
    if magic:
        if magic.group(1) not in PYTHON_CELL_MAGICS:
            return None
        lines[first] = ""
    code = "\n".join(lines)
    try:
        ast.parse(code)
        return code  # plain Python: leave even a `%` line inside a string alone
    except (SyntaxError, ValueError):
        pass
    out, continued = [], False
    for line in lines:
        if continued or IPYTHON_LINE.match(line):
            out.append("" if continued else line[:len(line) - len(line.lstrip())] + "pass")
            continued = line.rstrip().endswith("\\")
        else:
            out.append(line)
    return "\n".join(out)


def _names(table: symtable.SymbolTable, running: bool, at_run: set[str],
           at_call: set[str]) -> None:
    """Collect the global names read in ``table`` and its children, split by when."""
    for symbol in table.get_symbols():
        if symbol.is_referenced() and symbol.is_global():
            (at_run if running else at_call).add(symbol.get_name())
    for child in table.get_children():
        runs_now = child.get_type() == "class" or child.get_name() in COMPREHENSIONS
        _names(child, running and runs_now, at_run, at_call)


def _call_roots(value: ast.expr) -> frozenset[str] | None:
    """The root name of every call in ``value`` (``torch`` for ``torch.nn.Linear(2, 3)`` and
    for ``torch.ones(2).sum()``); None when some callee is rooted elsewhere (``"a".upper()``,
    ``fs[0](x)``)."""
    roots = set()
    for node in ast.walk(value):
        if isinstance(node, ast.Call):
            func = node.func
            while isinstance(func, (ast.Attribute, ast.Call)):
                func = func.value if isinstance(func, ast.Attribute) else func.func
            if not isinstance(func, ast.Name):
                return None
            roots.add(func.id)
    return frozenset(roots)


def _only_names(target: ast.expr) -> bool:
    if isinstance(target, (ast.Tuple, ast.List)):
        return all(_only_names(t) for t in target.elts)
    if isinstance(target, ast.Starred):
        return _only_names(target.value)
    return isinstance(target, ast.Name)


def _statement(cell: int, text: str, kind: str, **fields: object) -> Statement:
    table = symtable.symtable(text, f"cell {cell}", "exec")
    binds = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    at_run: set[str] = set()
    at_call: set[str] = set()
    _names(table, True, at_run, at_call)
    return Statement(cell, text, frozenset(binds), kind, frozenset(at_run), frozenset(at_call),
                     **fields)


def _imports(cell: int, node: ast.Import | ast.ImportFrom,
             own_modules: set[str]) -> list[Statement]:
    """One statement per imported name, so that only the names needed are imported. Imports
    of the graded file itself (the stub and these cells provide its names) and relative
    imports are not taken."""
    out = []
    for alias in node.names:
        if isinstance(node, ast.Import):
            one: ast.stmt = ast.Import(names=[alias])
            module = alias.name
        else:
            one = ast.ImportFrom(module=node.module, names=[alias], level=node.level)
            module = node.module or ""
        taken = not getattr(one, "level", 0) and module.partition(".")[0] not in own_modules
        kind = ("star" if alias.name == "*" else "import") if taken else "other"
        out.append(_statement(cell, ast.unparse(one), kind))
    return out


def _cell_statements(cell: int, code: str, tree: ast.Module,
                     own_modules: set[str]) -> list[Statement]:
    lines = code.splitlines(keepends=True)
    out = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.extend(_imports(cell, node, own_modules))
            continue
        text = ast.get_source_segment(code, node) or ""
        if isinstance(node, DEFINITIONS):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            decorators = "".join(lines[first - 1:node.lineno - 1])
            out.append(_statement(cell, decorators + text, "definition", defines=node.name))
        elif (isinstance(node, ast.Assign) and all(_only_names(t) for t in node.targets)
              or isinstance(node, ast.AnnAssign) and node.value and _only_names(node.target)):
            out.append(_statement(cell, text, "constant", call_roots=_call_roots(node.value)))
        else:
            out.append(_statement(cell, text, "other"))
    return out


def statements(cells: list[tuple[int, str]], own_modules: set[str]
               ) -> tuple[list[Statement], list[tuple[int, int, str]]]:
    """The top-level statements of the code ``cells`` ((number, source), in notebook order),
    and (cell, line, message) for each cell that is not valid Python (it is skipped)."""
    out, broken = [], []
    for number, source in cells:
        code = python_code(source)
        if code is None:
            continue
        try:
            tree = ast.parse(code)
            compile(tree, f"cell {number}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        except SyntaxError as exc:
            broken.append((number, exc.lineno or 0, exc.msg))
            continue
        except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, deep nesting
            broken.append((number, 0, type(exc).__name__))
            continue
        out.extend(_cell_statements(number, code, tree, own_modules))
    return out, broken


class _Resolver:
    """Which statement binds a name, among those that may be taken; memoized."""

    def __init__(self, stmts: list[Statement], stub: str) -> None:
        self.statements = stmts
        table = symtable.symtable(stub, "stub", "exec")
        self.stub_names = {s.get_name() for s in table.get_symbols()
                           if s.is_assigned() or s.is_imported()}
        self.stub_imports = {s.get_name() for s in table.get_symbols() if s.is_imported()}
        self._takeable: dict[int, bool] = {}

    def binding(self, name: str, before: int) -> int | None:
        """The last statement before index ``before`` that binds ``name`` and may be taken."""
        return next((i for i in reversed(range(before))
                     if name in self.statements[i].binds and self.takeable(i)), None)

    def known(self, name: str, before: int) -> bool:
        return (self.binding(name, before) is not None or name in self.stub_names
                or name in BUILTINS)

    def is_module_or_type(self, name: str, before: int) -> bool:
        i = self.binding(name, before)
        if i is not None:
            return self.statements[i].kind == "import"
        return name in self.stub_imports or name in BUILTIN_TYPES

    def takeable(self, i: int) -> bool:
        if i not in self._takeable:
            s = self.statements[i]
            self._takeable[i] = s.kind in ("definition", "import") or (
                s.kind == "constant" and s.call_roots is not None
                and all(self.is_module_or_type(n, i) for n in s.call_roots)
                and all(self.known(n, i) for n in s.at_run))
        return self._takeable[i]


def build(stub: str, cells: list[tuple[int, str]], own_modules: set[str]) -> Built:
    """The graded file made of ``stub`` and what ``cells`` define of its student functions.

    ``own_modules``: the graded file's module names (``vae``, ``q1_solution``); the cells'
    imports from them are not taken, the file itself provides those names.
    """
    wanted = student_names(stub)
    stmts, broken = statements(cells, own_modules)
    last = {s.defines: i for i, s in enumerate(stmts) if s.kind == "definition"}
    chosen = {name: last[name] for name in wanted if name in last}
    missing = [name for name in wanted if name not in chosen]
    if not chosen:
        return Built(None, {}, missing, broken, [])
    resolver = _Resolver(stmts, stub)
    taken = {i: name for name, i in chosen.items()}  # statement -> the function it serves
    todo, untaken = list(taken), set()

    def take(k: int, user: str) -> None:
        if k not in taken:
            taken[k] = user
            todo.append(k)

    while todo:
        i = todo.pop()
        needs = [(n, i) for n in stmts[i].at_run] + [(n, len(stmts)) for n in stmts[i].at_call]
        for name, before in sorted(needs):
            if name in wanted:  # the student's own functions: their definition, or the stub's
                continue
            j = resolver.binding(name, before)
            if j is not None:
                take(j, taken[i])
            elif not resolver.known(name, before):
                stars = [k for k in range(before) if stmts[k].kind == "star"]
                for k in stars:  # the name may come from any of them
                    take(k, taken[i])
                bound = [k for k in range(before) if name in stmts[k].binds]
                if bound and not stars:
                    untaken.add(Untaken(name, stmts[bound[-1]].cell, taken[i]))
    blocks = [f"# cell {stmts[i].cell}\n{stmts[i].text}" for i in sorted(taken)]
    content = (stub.rstrip("\n") + "\n\n\n# Taken from the notebook's code cells by the grader\n"
               + "\n\n\n".join(blocks) + "\n")
    return Built(content, {name: stmts[i].cell for name, i in chosen.items()}, missing,
                 broken, sorted(untaken, key=lambda u: (u.cell, u.name, u.user)))

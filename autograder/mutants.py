"""Mutants of a reference's solution blocks: one small edit of its syntax tree at a time.

Each operator (see :data:`OPERATORS`) lists, for one node of the code between the solution
markers, the nodes that could replace it: ``a - b`` becomes ``a + b``, ``a``, ``-b`` and
``b - a``; ``x.mean(dim=1)`` becomes ``x.sum(dim=1)``, ``x.mean(dim=0)`` and
``x.mean(dim=1, keepdim=True)``; and so on. A mutant is the definition holding the block with
that one node replaced (the rest of its text untouched, comments included), so that it
applies like any :class:`~autograder.variants.Change`.
"""

from __future__ import annotations

import ast
import copy
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from autograder.markers import BEGIN, END
from autograder.variants import Change

BINOP_SWAPS: dict[type, tuple[type, ...]] = {
    ast.Add: (ast.Sub,), ast.Sub: (ast.Add,), ast.Mult: (ast.Div,), ast.Div: (ast.Mult,),
    ast.Pow: (ast.Mult,), ast.MatMult: (ast.Mult,), ast.FloorDiv: (ast.Div,),
    ast.Mod: (ast.FloorDiv,),
}
COMPARE_SWAPS: dict[type, tuple[type, ...]] = {
    ast.Lt: (ast.LtE, ast.Gt), ast.LtE: (ast.Lt, ast.GtE), ast.Gt: (ast.GtE, ast.Lt),
    ast.GtE: (ast.Gt, ast.LtE), ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,),
    ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,), ast.In: (ast.NotIn,), ast.NotIn: (ast.In,),
}
NON_COMMUTATIVE = (ast.Sub, ast.Div, ast.Pow, ast.MatMult)
REDUCTION_SWAPS = {"mean": "sum", "sum": "mean", "max": "min", "min": "max",
                   "amax": "amin", "amin": "amax"}
FUNCTION_SWAPS = {"exp": "log", "log": "exp", "log1p": "log", "tanh": "sigmoid",
                  "sigmoid": "tanh", "logsigmoid": "sigmoid", "zeros": "ones", "ones": "zeros",
                  "zeros_like": "ones_like", "ones_like": "zeros_like", "new_zeros": "new_ones",
                  "rand": "randn", "randn": "rand", "randn_like": "rand_like"}
REDUCTIONS = frozenset({"sum", "mean", "max", "min", "amax", "amin", "norm", "prod",
                        "logsumexp"})
TENSOR_ARGUMENTS = frozenset({"dim", "keepdim"})  # keywords the "dim" operators change


@dataclass(frozen=True)
class Mutant:
    file: str  # a graded file, e.g. "flow_network.py"
    function: str  # the definition holding the solution block, e.g. "MADE.inverse"
    line: int  # where the edit is, in the reference file
    operator: str  # a key of OPERATORS
    before: str
    after: str
    source: str  # the whole mutated definition

    @property
    def description(self) -> str:
        """One line: ``flow_network.py:MADE.inverse line 112: `x - mu` -> `x + mu```."""
        return f"{self.file}:{self.function} line {self.line}: `{self.before}` -> `{self.after}`"

    def change(self, part: str) -> Change:
        return Change(f"{self.operator} at {self.file}:{self.line}", part=part, file=self.file,
                      function=self.function, source=self.source)


Replacement = ast.AST | list[ast.stmt]


FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _bound(node: ast.AST) -> list[str]:
    """The names ``node`` binds where it stands (parameters, assignments, loops, ``as``)."""
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, DEFINITIONS):
        return [node.name]
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.withitem,
                         ast.comprehension)):
        targets = (node.targets if isinstance(node, ast.Assign) else
                   [node.optional_vars] if isinstance(node, ast.withitem) else [node.target])
        return [n.id for t in targets if t is not None for n in ast.walk(t)
                if isinstance(n, ast.Name)]
    return []


@dataclass(frozen=True)
class Scope:
    """What the operators know of the definition a node is in."""

    parents: dict[ast.AST, ast.AST]
    bound_in: dict[ast.AST, frozenset[str]]  # each function: the local names it binds
    bindings: dict[str, int]  # how many parameters and statements bind each name
    attributes: frozenset[str]  # the attributes of self it reads
    callables: frozenset[str]  # the names and attributes of self it calls or defines

    @classmethod
    def of(cls, definition: ast.AST) -> "Scope":
        parents = {child: node for node in ast.walk(definition)
                   for child in ast.iter_child_nodes(node)}
        bound_in: dict[ast.AST, set[str]] = {}
        bindings: dict[str, int] = {}
        for node in ast.walk(definition):
            if node is definition:
                continue
            names = [n for n in _bound(node) if n not in ("self", "_")]
            owner = _enclosing_function(node, parents)
            for name in names:
                bindings[name] = bindings.get(name, 0) + 1
                bound_in.setdefault(owner, set()).add(name)
        attributes = frozenset(n.attr for n in ast.walk(definition) if _of_self(n))
        called = {n.func.id if isinstance(n.func, ast.Name) else n.func.attr
                  for n in ast.walk(definition) if isinstance(n, ast.Call)
                  and (isinstance(n.func, ast.Name) or _of_self(n.func))}
        defined = {n.name for n in ast.walk(definition) if isinstance(n, DEFINITIONS)}
        return cls(parents, {f: frozenset(v) for f, v in bound_in.items()}, bindings,
                   attributes, frozenset(called | defined))

    def visible(self, node: ast.AST) -> frozenset[str]:
        """The local names ``node`` can read: those of the functions around it."""
        names: set[str] = set()
        while node in self.parents:
            node = self.parents[node]
            names |= self.bound_in.get(node, frozenset())
        return frozenset(names)


def _enclosing_function(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST | None:
    """The innermost function whose scope a binding by ``node`` lands in."""
    node = parents.get(node)
    while node is not None and not isinstance(node, FUNCTIONS):
        node = parents.get(node)
    return node


Operator = Callable[[ast.AST, Scope], Iterator[Replacement]]


def _of_self(node: ast.AST) -> bool:
    """``self.<attribute>``, read."""
    return (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load)
            and isinstance(node.value, ast.Name) and node.value.id == "self")


def _called(node: ast.AST, scope: Scope) -> bool:
    parent = scope.parents.get(node)
    return isinstance(parent, ast.Call) and parent.func is node


def _copy(node: ast.AST, **fields: object) -> ast.AST:
    new = copy.deepcopy(node)
    for name, value in fields.items():
        setattr(new, name, value)
    return new


def _arithmetic(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    if isinstance(node, (ast.BinOp, ast.AugAssign)):
        for op in BINOP_SWAPS.get(type(node.op), ()):
            yield _copy(node, op=op())


def _drop_term(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        yield copy.deepcopy(node.left)
        right = copy.deepcopy(node.right)
        yield ast.UnaryOp(ast.USub(), right) if isinstance(node.op, ast.Sub) else right


def _swap_operands(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, NON_COMMUTATIVE):
        yield _copy(node, left=copy.deepcopy(node.right), right=copy.deepcopy(node.left))


def _comparison(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        for op in COMPARE_SWAPS.get(type(node.ops[0]), ()):
            yield _copy(node, ops=[op()])


def _boolean(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    if isinstance(node, ast.BoolOp):
        yield _copy(node, op=ast.Or() if isinstance(node.op, ast.And) else ast.And())
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield copy.deepcopy(node.operand)


def _returned(node: ast.AST) -> list[int | None]:
    """The positions of the returned values (None: the value itself, not a tuple's item)."""
    if not isinstance(node, ast.Return) or node.value is None:
        return []
    if isinstance(node.value, ast.Tuple):
        return list(range(len(node.value.elts)))
    return [None]


def _wrap_returned(node: ast.Return, wrap: Callable[[ast.expr], ast.expr]) -> Iterator[ast.AST]:
    for i in _returned(node):
        new = copy.deepcopy(node)
        if i is None:
            new.value = wrap(new.value)
        else:
            new.value.elts[i] = wrap(new.value.elts[i])
        yield new


def _sign(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield copy.deepcopy(node.operand)
    elif isinstance(node, ast.Return):
        yield from _wrap_returned(node, lambda e: ast.UnaryOp(ast.USub(), e))


def _detach(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    def detached(e: ast.expr) -> ast.expr:
        return ast.Call(ast.Attribute(e, "detach", ast.Load()), [], [])

    if isinstance(node, ast.Return):
        yield from _wrap_returned(node, detached)
    elif isinstance(node, ast.Assign):
        yield _copy(node, value=detached(copy.deepcopy(node.value)))


def _constant(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    parent = scope.parents.get(node)
    if not isinstance(node, ast.Constant) or (
            isinstance(parent, ast.keyword) and parent.arg in TENSOR_ARGUMENTS):
        return
    value = node.value
    if isinstance(value, bool):
        yield ast.Constant(not value)
    elif isinstance(value, int):
        yield ast.Constant(value + 1)
    elif isinstance(value, float):
        yield ast.Constant(2 * value if value else 1.0)


def _called_name(node: ast.Call) -> str | None:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _renamed(node: ast.Call, name: str) -> ast.Call:
    new = copy.deepcopy(node)
    if isinstance(new.func, ast.Attribute):
        new.func.attr = name
    else:
        new.func.id = name
    return new


def _swapped(table: dict[str, str]) -> Operator:
    def operator(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
        if isinstance(node, ast.Call) and _called_name(node) in table:
            yield _renamed(node, table[_called_name(node)])

    return operator


def _dim(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    """``dim=k`` becomes the neighbouring dimension (k - 1, or 1 for 0)."""
    if not isinstance(node, ast.Call):
        return
    for i, kw in enumerate(node.keywords):
        if kw.arg == "dim" and isinstance(kw.value, ast.Constant) and type(kw.value.value) is int:
            k = kw.value.value
            new = copy.deepcopy(node)
            new.keywords[i].value = ast.Constant(k - 1 if k else 1)
            yield new


def _keepdim(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    """``keepdim`` flipped, or ``keepdim=True`` added to a reduction over a ``dim``."""
    if not isinstance(node, ast.Call):
        return
    names = [kw.arg for kw in node.keywords]
    if "keepdim" in names:
        i = names.index("keepdim")
        if isinstance(node.keywords[i].value, ast.Constant):
            new = copy.deepcopy(node)
            new.keywords[i].value = ast.Constant(not node.keywords[i].value.value)
            yield new
    elif "dim" in names and _called_name(node) in REDUCTIONS:
        yield _copy(node, keywords=[*copy.deepcopy(node.keywords),
                                    ast.keyword("keepdim", ast.Constant(True))])


def _swap_arguments(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    if not isinstance(node, ast.Call):
        return
    for i in range(len(node.args) - 1):
        a, b = node.args[i], node.args[i + 1]
        if isinstance(a, ast.Starred) or isinstance(b, ast.Starred) or ast.dump(a) == ast.dump(b):
            continue
        new = copy.deepcopy(node)
        new.args[i], new.args[i + 1] = new.args[i + 1], new.args[i]
        yield new


def _drop_statement(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    """A call made for its effect (``optim.step()``) or an update (``x = layer(x)``, to a
    name bound elsewhere as well) is left out; a ``with`` block runs without its context
    manager (``torch.no_grad()``)."""
    rebinds = isinstance(node, ast.AugAssign) or isinstance(node, ast.Assign) and all(
        isinstance(t, ast.Name) and scope.bindings.get(t.id, 0) > 1 for t in node.targets)
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) or rebinds:
        yield [ast.Pass()]
    elif isinstance(node, ast.With):
        yield copy.deepcopy(node.body)


def _similar(a: str, b: str) -> bool:
    """Names a slip of the keyboard or of the mind confuses: ``p``/``q``, ``mu_q``/``mu_p``,
    ``x_real``/``x_fake`` (one letter apart, or a word of the name in common)."""
    one_letter = len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1
    return a != b and (one_letter or bool(set(a.split("_")) & set(b.split("_")) - {""}))


def _variable(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    """A local variable read in place of a similar one (functions called aside: that
    confusion fails at once, whatever the tests)."""
    if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
        return
    names = scope.visible(node)
    if node.id in names and not _called(node, scope):
        for name in sorted(names - scope.callables):
            if _similar(node.id, name):
                yield ast.Name(name, ast.Load())


def _attribute(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    """Another attribute of self read in place of this one (``self.w`` for ``self.u``);
    methods and submodules called aside."""
    if _of_self(node) and not _called(node, scope):
        for name in sorted(scope.attributes - scope.callables - {node.attr}):
            yield _copy(node, attr=name)


def _drop_keyword(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    """A keyword argument left out (``sum(dim=1)`` becomes ``sum()``); not ``device``:
    grading runs on the CPU, where leaving it out changes nothing."""
    if isinstance(node, ast.Call):
        for i in range(len(node.keywords)):
            if node.keywords[i].arg not in (None, "device"):
                yield _copy(node, keywords=[copy.deepcopy(k) for j, k in enumerate(node.keywords)
                                            if j != i])


def _loop_bound(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    """``range(n)`` one step short or one step long."""
    if isinstance(node, ast.Call) and _called_name(node) == "range" and node.args:
        for op in (ast.Sub(), ast.Add()):
            new = copy.deepcopy(node)
            new.args[-1] = ast.BinOp(new.args[-1], op, ast.Constant(1))
            yield new


def _drop_reduction(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    """A reduction left out: ``losses.mean()`` becomes ``losses``."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in REDUCTIONS):
        yield copy.deepcopy(node.func.value)


def _loop_order(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    """A loop over its items in reverse order (``for layer in self.layers``)."""
    parent = scope.parents.get(node)
    if isinstance(parent, ast.For) and parent.iter is node:
        yield ast.Call(ast.Name("reversed", ast.Load()),
                       [ast.Call(ast.Name("list", ast.Load()), [copy.deepcopy(node)], [])], [])


def _swap_items(node: ast.AST, scope: Scope) -> Iterator[Replacement]:
    """Two neighbouring items of a tuple swapped: ``mu, alpha = ...`` or ``return x, log_det``."""
    if isinstance(node, ast.Tuple):
        for i in range(len(node.elts) - 1):
            if ast.dump(node.elts[i]) != ast.dump(node.elts[i + 1]):
                new = copy.deepcopy(node)
                new.elts[i], new.elts[i + 1] = new.elts[i + 1], new.elts[i]
                yield new


OPERATORS: dict[str, Operator] = {
    "arithmetic": _arithmetic,
    "comparison": _comparison,
    "boolean": _boolean,
    "sign": _sign,
    "constant": _constant,
    "mean/sum": _swapped(REDUCTION_SWAPS),
    "function": _swapped(FUNCTION_SWAPS),
    "dim": _dim,
    "keepdim": _keepdim,
    "drop term": _drop_term,
    "swap operands": _swap_operands,
    "swap arguments": _swap_arguments,
    "detach": _detach,
    "drop statement": _drop_statement,
    "variable": _variable,
    "attribute": _attribute,
    "drop keyword": _drop_keyword,
    "loop bound": _loop_bound,
    "loop order": _loop_order,
    "drop reduction": _drop_reduction,
    "swap items": _swap_items,
}


def solution_blocks(text: str) -> list[tuple[int, int]]:
    """(first, last) line of the code inside each pair of solution markers (1-based)."""
    blocks, start = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == BEGIN:
            start = number + 1
        elif line.strip() == END and start is not None:
            blocks.append((start, number - 1))
            start = None
    return blocks


def _definition_of(tree: ast.Module, line: int) -> tuple[str, ast.AST]:
    """The innermost function holding ``line``, and its qualified name."""
    names: list[str] = []
    found: tuple[str, ast.AST] | None = None
    body = tree.body
    while True:
        node = next((n for n in body if isinstance(n, DEFINITIONS)
                     and n.lineno <= line <= n.end_lineno), None)
        if node is None:
            break
        names.append(node.name)
        if not isinstance(node, ast.ClassDef):
            found = (".".join(names), node)
        body = node.body
    if found is None:
        raise ValueError(f"line {line}: a solution block outside any function")
    return found


def _render(replacement: Replacement, node: ast.AST, indent: str) -> str:
    """Source for ``replacement`` standing where ``node`` stands."""
    if isinstance(replacement, list):  # statements: each line at the statement's indentation
        return ast.unparse(ast.Module(replacement, [])).replace("\n", "\n" + indent)
    text = ast.unparse(replacement)
    if isinstance(replacement, ast.stmt):
        return text.replace("\n", "\n" + indent)
    return f"({text})" if _precedence(replacement) < _precedence(node) else text


# How tightly each kind of expression binds, loosest first (as in Python's grammar).
_BINOP_PRECEDENCE = {ast.BitOr: 5, ast.BitXor: 6, ast.BitAnd: 7, ast.LShift: 8, ast.RShift: 8,
                     ast.Add: 9, ast.Sub: 9, ast.Mult: 10, ast.Div: 10, ast.FloorDiv: 10,
                     ast.Mod: 10, ast.MatMult: 10, ast.Pow: 12}
UNARY, ATOM = 11, 13


def _precedence(node: ast.AST) -> int:
    """An expression may replace another without parentheses when it binds at least as
    tightly: the original's context accepted the original as it was written."""
    if isinstance(node, ast.BinOp):
        return _BINOP_PRECEDENCE[type(node.op)]
    if isinstance(node, ast.UnaryOp):
        return 3 if isinstance(node.op, ast.Not) else UNARY
    if isinstance(node, ast.BoolOp):
        return 2 if isinstance(node.op, ast.And) else 1
    if isinstance(node, ast.Compare):
        return 4
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return UNARY if node.value < 0 else ATOM
    if isinstance(node, (ast.IfExp, ast.Lambda, ast.NamedExpr, ast.Tuple, ast.Starred,
                         ast.Yield, ast.YieldFrom, ast.Await)):
        return 0
    return ATOM


def _splice(lines: list[bytes], node: ast.AST, new: str) -> str:
    """The ``lines`` (UTF-8, offsets as ``ast`` counts them) with ``node`` replaced by ``new``."""
    first, last = node.lineno - 1, node.end_lineno - 1
    head = b"".join(lines[:first]) + lines[first][:node.col_offset]
    tail = lines[last][node.end_col_offset:] + b"".join(lines[last + 1:])
    return (head + new.encode() + tail).decode()


def _in_context(node: ast.AST, replacement: Replacement, scope: Scope,
                least: int = 16) -> tuple[str, str]:
    """The code before and after the edit: the node, or the smallest expression around it
    that reads as at least ``least`` characters (``p`` -> ``q`` says little on its own)."""
    if isinstance(replacement, list):
        return ast.unparse(node), ast.unparse(ast.Module(replacement, [])) or "pass"
    around, path = node, []
    while (len(ast.unparse(around)) < least and not isinstance(around, ast.stmt)
           and isinstance(scope.parents.get(around), ast.expr)):
        parent = scope.parents[around]
        field = next(f for f, v in ast.iter_fields(parent)
                     if v is around or isinstance(v, list) and any(x is around for x in v))
        value = getattr(parent, field)
        path.append((field, None if value is around else next(
            i for i, x in enumerate(value) if x is around)))
        around = parent
    changed = copy.deepcopy(around)
    if not path:
        return ast.unparse(around), ast.unparse(replacement)
    holder = changed
    for field, index in reversed(path[1:]):
        holder = getattr(holder, field) if index is None else getattr(holder, field)[index]
    field, index = path[0]
    if index is None:
        setattr(holder, field, replacement)
    else:
        getattr(holder, field)[index] = replacement
    return ast.unparse(around), ast.unparse(changed)


def _short(text: str) -> str:
    return " ".join(text.split())


def _edit(before: str, after: str, width: int = 60) -> tuple[str, str]:
    """What changed, on one line each: a long text is cut to the words around the change,
    a wrapped one (``-(...)``, ``(...).detach()``) to its first words."""
    before, after = _short(before), _short(after)
    if max(len(before), len(after)) <= width:
        return before, after
    n = min(len(before), len(after))
    start = next((i for i in range(n) if before[i] != after[i]), n)
    for lead in (0, *(i + 1 for i in range(start) if before[i] == " ")):
        inner = before[lead:]
        if inner in after[lead:]:
            at = after.index(inner, lead)
            cut = inner[:inner.rfind(" ", 0, 24) + 1 or 24] + "…"
            return before[:lead] + cut, after[:at] + cut + after[at + len(inner):]
    end = next((i for i in range(n - start) if before[-1 - i] != after[-1 - i]), n - start)
    changed = max(len(before), len(after)) - start - end
    pad = max((width - changed) // 2, 12)  # characters of context on either side
    left = before.rfind(" ", 0, start - pad + 1) + 1 if start > pad else 0
    tail = before[len(before) - end:]
    cut = tail.find(" ", min(pad, len(tail)))
    keep = tail if cut < 0 else tail[:cut]
    lead, trail = ("…" if left else ""), ("…" if len(keep) < len(tail) else "")
    return (lead + before[left:len(before) - end] + keep + trail,
            lead + after[left:len(after) - end] + keep + trail)


def mutants_of(text: str, file: str) -> list[Mutant]:
    """Every mutant of the solution blocks in ``text``, the content of reference ``file``,
    in source order, without duplicates (two edits giving the same code count once)."""
    tree = ast.parse(text)
    lines = text.encode().splitlines(keepends=True)
    found, seen = [], set()
    for first, last in solution_blocks(text):
        function, definition = _definition_of(tree, first)
        start = min([definition.lineno, *(d.lineno for d in definition.decorator_list)])
        original = ast.dump(definition)
        seen.add((function, original))
        scope = Scope.of(definition)
        sites = sorted((n for n in ast.walk(definition) if hasattr(n, "end_lineno")
                        and first <= n.lineno and n.end_lineno <= last),
                       key=lambda n: (n.lineno, n.col_offset, -n.end_lineno, -n.end_col_offset))
        for node in sites:
            indent = lines[node.lineno - 1][:node.col_offset].decode()
            for operator, alternatives in OPERATORS.items():
                for replacement in alternatives(node, scope):
                    new_text = _splice(lines, node, _render(replacement, node, indent))
                    new_lines = new_text.splitlines(keepends=True)
                    grown = len(new_lines) - len(text.splitlines(keepends=True))
                    source = "".join(new_lines[start - 1:definition.end_lineno + grown])
                    try:
                        mutated = ast.parse(textwrap.dedent(source)).body[0]
                    except SyntaxError as exc:
                        raise ValueError(f"{file}:{node.lineno}: the {operator!r} mutant does "
                                         f"not parse ({exc.msg}): a bug in the mutants") from None
                    key = (function, ast.dump(mutated))
                    if key in seen:
                        continue
                    seen.add(key)
                    before, after = _edit(*_in_context(node, replacement, scope))
                    found.append(Mutant(file, function, node.lineno, operator, before, after,
                                        source))
    return found


def assignment_mutants(solution_dir: Path, files: list[str]) -> list[Mutant]:
    """Every mutant of the graded ``files`` of a reference folder, file by file."""
    return [m for file in files for m in mutants_of((solution_dir / file).read_text(), file)]

"""Every regex that meets untrusted text runs in linear time on adversarial input.

The patterns are found by parsing every module of dashboard/, eomer_client/, components/,
pages/ and deps/ for calls that take one (`re.compile`, `re.sub`..., pandas' `.str.match`,
`.str.replace(..., regex=True)`...). A literal or a module-level name is read from the module;
anything built at run time must be listed in DYNAMIC with the patterns it can be, or this test
fails naming the call. Each pattern then meets its attacks (tests/regex_attacks.py) in the
modes its module uses it (`NAME.match(...)`: match; `.sub`, `.str.extract`: search at every
position; all four when the use cannot be told), each within BUDGET_SECONDS of CPU time (the
thread's own, so a busy machine does not count).
"""

from __future__ import annotations

import ast
import importlib
import re
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from dashboard.forecasts.forecast_time_formats import FAMILIES
from eomer_client.bodies import _secret_pattern
from tests.regex_attacks import Attacks

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dashboard", "eomer_client", "components", "pages", "deps")
# Inputs are about 10,000 characters: a linear pattern takes well under a millisecond on them,
# a quadratic one about a second; the budget leaves a slow, busy machine a hundredfold margin.
BUDGET_SECONDS = 0.25
# A pattern still running after this much CPU time is stopped (the regex engine checks signals).
ABANDON_SECONDS = 5.0
MODES = ("fullmatch", "match", "search", "findall")
# How each way of calling a pattern runs it.
_MODE_OF = {"fullmatch": "fullmatch", "match": "match", "search": "search"}
_MODE_OF |= dict.fromkeys(("sub", "subn", "split", "findall", "finditer", "extract"), "findall")
_MODE_OF |= dict.fromkeys(("extractall", "count", "contains", "replace", "rsplit"), "findall")
_RE_FUNCTIONS = {"compile", "match", "fullmatch", "search", "sub", "subn", "split", "findall"}
_RE_FUNCTIONS |= {"finditer"}
# pandas string methods that take a regex always, and those that do with regex=True.
_STR_ALWAYS = {"match", "fullmatch", "extract", "extractall", "findall", "count", "contains"}
_STR_WHEN_ASKED = {"replace", "split", "rsplit"}
Site = tuple[str, str]  # (module path, the pattern argument as source)
Used = tuple[re.Pattern[Any], tuple[str, ...]]  # a pattern and the modes it runs in

# Patterns built at run time: the call, and every pattern it can build.
DYNAMIC: dict[Site, Callable[[], list[re.Pattern[Any]]]] = {
    ("dashboard/forecasts/forecast_time_formats.py", "self.pattern"): lambda: [
        re.compile(family.pattern) for family in FAMILIES
    ],
    ("dashboard/forecasts/forecast_time_formats.py", "f'^(?:{self.pattern})$'"): lambda: [
        re.compile(f"^(?:{family.pattern})$") for family in FAMILIES
    ],
    ("eomer_client/bodies.py", "b''.join((_spellings(char) for char in secret))"): lambda: [
        _secret_pattern("Tok-en_1/x.Y~z"),
    ],
}


def _modules() -> Iterator[Path]:
    for package in PACKAGES:
        path = ROOT / package
        yield from [path] if path.is_file() else sorted(path.rglob("*.py"))


def _is_regex_call(call: ast.Call) -> bool:
    function = call.func
    if not isinstance(function, ast.Attribute) or not call.args:
        return False
    owner = function.value
    if isinstance(owner, ast.Name) and owner.id == "re":
        return function.attr in _RE_FUNCTIONS
    if isinstance(owner, ast.Attribute) and owner.attr == "str":
        if function.attr in _STR_ALWAYS:
            return not any(k.arg == "regex" and _false(k.value) for k in call.keywords)
        if function.attr in _STR_WHEN_ASKED:
            return any(k.arg == "regex" and not _false(k.value) for k in call.keywords)
    return False


def _false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and not node.value


def _flags(call: ast.Call, module: Any) -> int:
    for node in [*call.args[1:], *(k.value for k in call.keywords if k.arg == "flags")]:
        try:
            value = eval(compile(ast.Expression(node), "<flags>", "eval"), vars(module))
        except NameError:
            continue
        if isinstance(value, re.RegexFlag):
            return int(value)
    return 0


def _resolved(site: Site, argument: ast.expr, call: ast.Call, module: Any) -> list[re.Pattern[Any]]:
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str | bytes):
        return [re.compile(argument.value, _flags(call, module))]
    if isinstance(argument, ast.Name) and hasattr(module, argument.id):
        value = getattr(module, argument.id)
        return [value if isinstance(value, re.Pattern) else re.compile(value)]
    if site in DYNAMIC:
        return DYNAMIC[site]()
    raise AssertionError(f"{site[0]}: a regex built at run time ({site[1]}): add it to DYNAMIC")


def _modes(call: ast.Call, assigned: str | None, calls: list[ast.Call]) -> tuple[str, ...]:
    """How the module runs the pattern of `call` (all modes when that cannot be told)."""
    assert isinstance(call.func, ast.Attribute)
    if call.func.attr != "compile":
        return (_MODE_OF[call.func.attr],)
    used = {
        _MODE_OF[other.func.attr]
        for other in calls
        if isinstance(other.func, ast.Attribute)
        and isinstance(other.func.value, ast.Name)
        and other.func.value.id == assigned
        and other.func.attr in _MODE_OF
    }
    return tuple(mode for mode in MODES if mode in used) or MODES


def _assigned_names(tree: ast.Module) -> dict[int, str]:
    """id() of each call assigned to a module-level name, and that name."""
    names = {}
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Call):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name):
                names[id(node.value)] = target.id
    return names


def collected_patterns() -> dict[str, Used]:
    """Every pattern of the audited packages and its modes, by where it is written."""
    found: dict[str, Used] = {}
    for path in _modules():
        relative = str(path.relative_to(ROOT))
        name = relative.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
        assigned = _assigned_names(tree)
        for call in filter(_is_regex_call, calls):
            module = importlib.import_module(name)
            site = (relative, ast.unparse(call.args[0]))
            modes = _modes(call, assigned.get(id(call)), calls)
            for index, pattern in enumerate(_resolved(site, call.args[0], call, module)):
                found[f"{relative}:{call.lineno}:{index}"] = (pattern, modes)
    return found


PATTERNS = collected_patterns()


class _Abandoned(Exception):
    pass


def _abandon(signum: int, frame: FrameType | None) -> None:
    raise _Abandoned


def worst_case(pattern: re.Pattern[Any], modes: tuple[str, ...]) -> tuple[float, str, str]:
    """The slowest (CPU seconds, mode, input's start) of the pattern's attacks in `modes`."""
    worst = (0.0, "", "")
    previous = signal.signal(signal.SIGVTALRM, _abandon)
    try:
        for text in Attacks(pattern).inputs():
            for mode in modes:
                signal.setitimer(signal.ITIMER_VIRTUAL, ABANDON_SECONDS)
                started = time.thread_time()
                try:
                    getattr(pattern, mode)(text)
                except _Abandoned:
                    pass
                finally:
                    signal.setitimer(signal.ITIMER_VIRTUAL, 0)
                took = time.thread_time() - started
                if took > worst[0]:
                    worst = (took, mode, repr(text[:24]))
                if took > BUDGET_SECONDS:
                    return worst
    finally:
        signal.signal(signal.SIGVTALRM, previous)
    return worst


def test_the_audit_finds_the_patterns_it_is_known_to_guard() -> None:
    sources = {pattern.pattern for pattern, _ in PATTERNS.values()}
    assert {family.pattern for family in FAMILIES} <= sources
    assert len(PATTERNS) >= 40


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_each_pattern_is_linear_on_adversarial_input(where: str) -> None:
    pattern, modes = PATTERNS[where]
    took, mode, text = worst_case(pattern, modes)
    assert took <= BUDGET_SECONDS, (
        f"{pattern.pattern!r} took {took:.2f} s in {mode} on {text}... (overlapping quantifiers?)"
    )

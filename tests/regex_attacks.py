"""Adversarial inputs for a regular expression: long runs of each quantified class, near-misses.

For every repetition in a pattern (at any depth) the inputs are the shortest text that reaches
it, then the repeated unit pumped to about `length` characters (each member of its class alone,
and all of them mixed), then the shortest rest of the pattern or nothing, then a character that
breaks the match or nothing: the shapes that make a backtracking engine retry each split of a
run, quadratic (`\\s*\\s*x`) or worse.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

# The regex engine's own parser (Python 3.11's re._parser; typeshed does not describe it).
parser: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")

# Characters tried as members (or non-members) of every class: a sample of each kind.
POOL = " \t\n\r\x0baZz09_.,:;-+/\\<>\"'()[]{}%#&=?!*|~`@$^Tqé\u2028\x00\x7f"
# Appended to break a match on its last character.
BREAKERS = ("", "\x00", "!", "a", "0", " ", "-", ":", ">", ")")
# Pumped past this many repetitions at most: enough for a quadratic engine to take seconds.
UNBOUNDED = 64
Node = tuple[Any, Any]

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}
_SINGLE = {sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY, sre.CATEGORY}


class Attacks:
    """The adversarial inputs of one compiled pattern (str or bytes)."""

    def __init__(self, pattern: re.Pattern[Any], length: int = 10_000) -> None:
        self.pattern, self.length = pattern, length
        source = pattern.pattern
        self.is_bytes = isinstance(source, bytes)
        text = source.decode("latin-1") if self.is_bytes else source
        flags = pattern.flags & (re.IGNORECASE | re.DOTALL | re.MULTILINE | re.VERBOSE)
        self.parsed = parser.parse(text, flags)
        self._members: dict[int, tuple[str, ...]] = {}
        self._groups: dict[int, str] = {}

    def inputs(self) -> list[str | bytes]:
        """Every input, without repeats, as the pattern takes them (str or bytes)."""
        middles = dict.fromkeys(self._sequence_attacks(list(self.parsed)))
        texts = dict.fromkeys(text + breaker for text in middles for breaker in BREAKERS)
        if self.is_bytes:
            return [text.encode("latin-1", errors="replace") for text in texts]
        return list(texts)

    def _members_of(self, node: Node) -> tuple[str, ...]:
        """Up to four characters of POOL that one single-character node matches."""
        key = id(node)
        if key not in self._members:
            sub = parser.SubPattern(self.parsed.state, [node])
            compiled = importlib.import_module("re._compiler").compile(sub, 0)
            found = [char for char in POOL if compiled.fullmatch(char)]
            self._members[key] = tuple(found[:4]) or ("a",)
        return self._members[key]

    def minimal(self, sequence: list[Node]) -> str:
        """A shortest text each node of `sequence` matches in turn (assertions left out)."""
        return "".join(self._minimal_node(node) for node in sequence)

    def _minimal_node(self, node: Node) -> str:
        op, av = node
        if op in _SINGLE:
            return self._members_of(node)[0]
        if op in _REPEATS:
            return self.minimal(list(av[2])) * int(av[0])
        if op is sre.SUBPATTERN:
            text = self.minimal(list(av[3]))
            if av[0] is not None:
                self._groups[av[0]] = text
            return text
        if op is sre.ATOMIC_GROUP:
            return self.minimal(list(av))
        if op is sre.BRANCH:
            return self.minimal(list(av[1][0]))
        if op is sre.GROUPREF:
            return self._groups.get(int(av), "")
        if op is sre.GROUPREF_EXISTS:
            return self.minimal(list(av[1]))
        return ""  # AT, ASSERT, ASSERT_NOT: zero-width

    def _units(self, body: list[Node]) -> list[str]:
        """What one repetition of `body` is pumped with: each member alone, then all mixed."""
        if len(body) == 1 and body[0][0] in _SINGLE:
            members = list(self._members_of(body[0]))
            return [*members, "".join(members)] if len(members) > 1 else members
        units = [self.minimal(body)]
        for node in body:
            if node[0] is sre.BRANCH:
                units += [self.minimal(list(alternative)) for alternative in node[1][1]]
        return [unit for unit in dict.fromkeys(units) if unit]

    def _pumped(self, node: Node) -> Iterator[str]:
        """Texts for one node with a repetition inside it pumped."""
        op, av = node
        if op in _REPEATS:
            low, high, body = av[0], av[1], list(av[2])
            if high >= UNBOUNDED:
                for unit in self._units(body):
                    yield unit * max(low, self.length // len(unit))
            for inner in self._sequence_attacks(body):
                yield self.minimal(body) * max(0, low - 1) + inner
        elif op is sre.SUBPATTERN:
            yield from self._sequence_attacks(list(av[3]))
        elif op is sre.ATOMIC_GROUP:
            yield from self._sequence_attacks(list(av))
        elif op is sre.BRANCH:
            for alternative in av[1]:
                yield from self._sequence_attacks(list(alternative))
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from self._sequence_attacks(list(av[1]))

    def _sequence_attacks(self, sequence: list[Node]) -> Iterator[str]:
        for index, node in enumerate(sequence):
            before = self.minimal(sequence[:index])
            after = self.minimal(sequence[index + 1 :])
            for middle in self._pumped(node):
                for rest in dict.fromkeys((after, "")):
                    yield before + middle + rest

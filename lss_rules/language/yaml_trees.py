"""The YAML trees of texts read before, kept for the rest of the process (speed only).

Composing a worked example's YAML with positions is PyYAML's pure-Python loader (:mod:`lss_rules.language.
examples`): about 0.4 s for the bundled 37 files.  One process often reads the same files again —
``mkdocs build`` reads them eight times (``lss-rules check`` in each of the guide's samples, the conformance
suite counted for the vendors' page), ``lss-rules conformance export`` twice — so the tree of a text already
composed is kept and handed out again.  The tree depends on the text alone (the file's name is not in it), and
nothing that reads it changes it.  A text that does not compose (bad YAML, an alias) is never kept: its error is
raised afresh each time.

Only small texts are kept, and only up to a budget of characters in all (the oldest go first): a tree takes
about 50 bytes a character, so the bundled examples (160,000 characters) take 8 MB and the budget bounds the
memory at about 50 MB whatever files a process reads.

>>> trees = TreeMemo(len)
>>> trees("abc"), trees("abc"), trees.composed
(3, 3, 1)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

#: the longest text kept (the longest bundled example file has 25,000 characters)
MAX_TEXT = 1 << 16
#: characters of all texts kept
BUDGET = 1 << 20


class TreeMemo(Generic[T]):
    """``compose(text)``, computed once a text (least recently used texts dropped past :data:`BUDGET`)."""

    def __init__(self, compose: Callable[[str], T], *, max_text: int = MAX_TEXT, budget: int = BUDGET) -> None:
        self._compose = compose
        self._max_text = max_text
        self._budget = budget
        self._kept: OrderedDict[str, T] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # the language server reads examples from more than one thread
        self.composed = 0  # how many times compose ran (for the tests)

    def __call__(self, text: str) -> T:
        with self._lock:
            if text in self._kept:
                self._kept.move_to_end(text)
                return self._kept[text]
        tree = self._compose(text)  # raises before anything is kept
        with self._lock:
            self.composed += 1
            if len(text) <= self._max_text and text not in self._kept:
                self._kept[text] = tree
                self._size += len(text)
                while self._size > self._budget:
                    old, _ = self._kept.popitem(last=False)
                    self._size -= len(old)
        return tree

    @property
    def size(self) -> int:
        """Characters of the texts kept."""
        return self._size

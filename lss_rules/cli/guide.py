"""The sample outputs of a guide, made by running the commands it shows (the docs hook calls this).

A console block in a guide's Markdown that follows a comment ``<!-- lss-utdata … -->`` is filled in at
build time: each ``$ lss-rules …`` line of the block is run on a fresh copy of the installed spec (in a
scratch folder, as ``spec/``, with the same copy as ``release/`` for a comparison), after the edits the
comment names, and what it prints (standard error and output, in order) follows the line; the comment is
left out of the page.  What the source holds after a command line is replaced, so a sample output is never
pasted and never stale: a changed message changes the guide (``tests/docs/test_guide_samples.py``).

The comment names edits one a line, the texts as JSON strings::

    <!-- lss-utdata
    ersätt "    1488 from 2022\\n" med "    1488 from 2022\\n    1600 form 2027\\n" i spec/rules.lss
    -->

``ersätt A med B i FIL`` replaces the first A of FIL (which must hold it: a guide whose edit no longer
applies fails the build, it is never shown with the wrong output); ``lägg till B sist i FIL`` appends
(and makes FIL when it is not there: a submission file a sample reads).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: what marks a sample to be made
MARK = "<!-- lss-utdata"

#: a directive comment and the console block after it
_SAMPLE = re.compile(
    r"(?P<comment><!-- lss-utdata\n(?P<edits>.*?)-->\n)(?P<fence>```console\n)(?P<body>.*?)(?P<end>^```$)",
    re.S | re.M,
)
_TEXT = r'"(?:[^"\\]|\\.)*"'
_EDIT = re.compile(rf"ersätt (?P<old>{_TEXT}) med (?P<new>{_TEXT}) i (?P<file>\S+)")
_APPEND = re.compile(rf"lägg till (?P<new>{_TEXT}) sist i (?P<file>\S+)")


class GuideError(Exception):
    """A sample of the guide cannot be made (its edit no longer applies, a command is not lss-rules)."""


def fill_samples(markdown: str, spec_dir: Path) -> str:
    """``markdown`` with every marked console block's output made by running its commands."""

    def filled(match: re.Match[str]) -> str:
        edits = list(_edits(match.group("edits")))
        commands = [line[2:] for line in match.group("body").split("\n") if line.startswith("$ ")]
        if not commands:
            raise GuideError(f"ett block efter <!-- lss-utdata --> har ingen rad `$ lss-rules …`: {match.group()!r}")
        shown = "".join(f"$ {c}\n{run_sample(c, edits, spec_dir)}" for c in commands)
        return match.group("fence") + shown + match.group("end")  # the directive is for the build only

    return _SAMPLE.sub(filled, markdown)


def _edits(text: str) -> Iterator[tuple[str, str, str]]:
    for line in text.strip().split("\n"):
        if not line.strip():
            continue
        if (found := _EDIT.fullmatch(line.strip())) is not None:
            yield found.group("file"), json.loads(found.group("old")), json.loads(found.group("new"))
        elif (found := _APPEND.fullmatch(line.strip())) is not None:
            yield found.group("file"), "", json.loads(found.group("new"))  # "" : at the end
        else:
            raise GuideError(f"okänd ändring i <!-- lss-utdata -->: {line!r}")


def run_sample(command: str, edits: list[tuple[str, str, str]], spec_dir: Path) -> str:
    """What ``command`` prints in a scratch folder holding ``spec/`` (edited) and ``release/`` (as installed)."""
    from lss_rules.cli import main

    argv = shlex.split(command)
    if not argv or argv[0] != "lss-rules":
        raise GuideError(f"bara lss-rules körs i en guide, inte {command!r}")
    with tempfile.TemporaryDirectory(prefix="lss-guide-") as tmp:
        root = Path(tmp)
        ignore = shutil.ignore_patterns("__pycache__", "*.py")
        shutil.copytree(spec_dir, root / "spec", ignore=ignore)
        shutil.copytree(spec_dir, root / "release", ignore=ignore)
        for file, old, new in edits:
            if Path(file).is_absolute() or ".." in Path(file).parts:
                raise GuideError(f"en guide ändrar bara filer i sin kopia, inte {file!r}")
            path = root / file
            # ``lägg till`` to a file that is not there makes it: a submission file for ``explain --line``
            text = "" if not old and not path.exists() else path.read_text(encoding="utf-8")
            if old and old not in text:
                raise GuideError(f"{file} har inte texten {old!r} som guiden ändrar")
            path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
        out = io.StringIO()
        here = os.getcwd()
        try:
            os.chdir(root)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                main(argv[1:])
        finally:
            os.chdir(here)
    return out.getvalue().replace(str(root) + os.sep, "")

"""The promises of docs/guide/security.md that hold for the package's source as a whole.

No network at run time: no module of the package imports a network library.  No process but the
vendor's: only the conformance runner (``lss_rules/tools/conformance/run.py``, and ``modules.py`` for the one node
process of ``--module X.mjs``) imports ``subprocess``, and no
module calls ``os.system``, ``eval`` or ``exec`` except the validator cache, which executes the module
the compiler generated (``lss_rules/backends/python/cache.py``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import lss_rules

PACKAGE = Path(lss_rules.__file__).resolve().parent
NETWORK = {"socket", "ssl", "urllib", "http", "ftplib", "smtplib", "requests", "httpx", "aiohttp", "xmlrpc"}


def _sources() -> dict[str, ast.Module]:
    return {
        str(p.relative_to(PACKAGE)): ast.parse(p.read_text(encoding="utf-8"))
        for p in sorted(PACKAGE.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def _imports(tree: ast.Module) -> set[str]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


#: The one exception: when the docs are built, the screenshots of the guide are taken of the built site served on
#: the loopback address for Chromium (module workers do not run from file://); it binds 127.0.0.1 and nothing else.
LOOPBACK_ONLY = {"backends/docs/shots.py": {"http"}}


def test_no_module_imports_a_network_library():
    used = {name: _imports(tree) & NETWORK for name, tree in _sources().items()}
    assert {name: mods for name, mods in used.items() if mods} == LOOPBACK_ONLY


def test_the_screenshot_server_binds_the_loopback_address_only():
    """The address the docs build's server binds is the literal 127.0.0.1 in every server it makes."""
    tree = _sources()["backends/docs/shots.py"]
    servers = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and ast.unparse(n.func).endswith("HTTPServer")]
    assert servers and all(ast.unparse(n.args[0]) == "('127.0.0.1', 0)" for n in servers)


def test_only_the_conformance_runner_starts_a_process():
    users = {name for name, tree in _sources().items() if _imports(tree) & {"subprocess", "multiprocessing"}}
    assert users <= {"tools/conformance/run.py", "tools/conformance/modules.py"}  # modules.py: one node (--module)


def test_only_the_validator_cache_executes_code():
    calls = set()
    for name, tree in _sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                if isinstance(f, ast.Name) and f.id in ("eval", "exec", "compile", "__import__"):
                    calls.add((name, f.id))  # the builtins (a method called eval is not one)
                on_os = isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "os"
                if on_os and (f.attr in ("system", "popen") or f.attr.startswith(("exec", "spawn"))):
                    calls.add((name, f"os.{f.attr}"))
    assert calls <= {("backends/python/cache.py", "exec"), ("backends/python/cache.py", "compile")}

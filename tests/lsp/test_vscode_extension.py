"""``scripts/vscode-extension`` writes a .vsix VS Code installs offline: its structure, the grammar, the server."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from lss_rules.cli import COMMANDS

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def vsix(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    tmp = tmp_path_factory.mktemp("vsix")
    modules = tmp / "node_modules" / "vscode-languageclient"  # npm's copy is not fetched in a test
    modules.mkdir(parents=True)
    (modules / "package.json").write_text('{"name": "vscode-languageclient", "version": "9.0.1"}', encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "vscode-extension"),
            "-o",
            str(tmp / "ut"),
            "--node-modules",
            str(tmp / "node_modules"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    (built,) = (tmp / "ut").glob("*.vsix")
    assert str(built) in done.stdout
    return zipfile.ZipFile(built)


def test_the_vsix_has_the_content_types_and_the_manifest(vsix: zipfile.ZipFile) -> None:
    names = set(vsix.namelist())
    assert {"[Content_Types].xml", "extension.vsixmanifest", "extension/package.json"} <= names
    types = ET.fromstring(vsix.read("[Content_Types].xml"))
    extensions = {e.get("Extension") for e in types}
    assert {".json", ".js", ".vsixmanifest"} <= extensions
    ns = {"v": "http://schemas.microsoft.com/developer/vsx-schema/2011"}
    manifest = ET.fromstring(vsix.read("extension.vsixmanifest"))
    identity = manifest.find("v:Metadata/v:Identity", ns)
    pkg = json.loads(vsix.read("extension/package.json"))
    assert identity is not None
    assert (identity.get("Id"), identity.get("Publisher"), identity.get("Version")) == (
        pkg["name"],
        pkg["publisher"],
        pkg["version"],
    )
    asset = manifest.find("v:Assets/v:Asset", ns)
    assert asset is not None and asset.get("Path") == "extension/package.json"


def test_package_json_contributes_the_language_and_the_projects_grammar(vsix: zipfile.ZipFile) -> None:
    pkg = json.loads(vsix.read("extension/package.json"))
    (language,) = pkg["contributes"]["languages"]
    assert language["id"] == "lss" and ".lss" in language["extensions"]
    assert "extension/" + language["configuration"].removeprefix("./") in vsix.namelist()
    (grammar,) = pkg["contributes"]["grammars"]
    assert grammar["language"] == "lss"
    shipped = vsix.read("extension/" + grammar["path"].removeprefix("./"))
    assert shipped == (REPO / "editors" / "lss.tmLanguage.json").read_bytes()
    assert json.loads(shipped)["scopeName"] == grammar["scopeName"]
    assert "onLanguage:lss" in pkg["activationEvents"]
    assert "extension/" + pkg["main"].removeprefix("./") in vsix.namelist()
    assert "extension/node_modules/vscode-languageclient/package.json" in vsix.namelist()


def test_the_extension_starts_lss_rules_lsp(vsix: zipfile.ZipFile, tmp_path: Path) -> None:
    pkg = json.loads(vsix.read("extension/package.json"))
    js = vsix.read("extension/extension.js").decode()
    assert pkg["contributes"]["configuration"]["properties"]["lssRules.command"]["default"] == "lss-rules"
    assert 'const args = ["lsp"' in js and "lsp" in COMMANDS
    assert "transport: TransportKind.stdio" in js
    node = shutil.which("node")
    if node is not None:  # the client is valid JavaScript
        (tmp_path / "extension.js").write_text(js, encoding="utf-8")
        subprocess.run([node, "--check", str(tmp_path / "extension.js")], check=True)

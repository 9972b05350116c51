"""`meshlint server` driven by a real LSP client (pytest-lsp), as VS Code 1.65 (push
diagnostics, UTF-16 positions) and as Neovim 0.11 (pull diagnostics, UTF-8 positions) announce
themselves."""

import asyncio
import pathlib
from typing import Union

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import meshlint_binary

SERVER = ClientServerConfig(server_command=[meshlint_binary(), "server"])
TIMEOUT = 60  # seconds; a debug build checks the project in well under one


def uri(path: pathlib.Path) -> str:
    return path.as_uri()


def initialize_params(project: pathlib.Path, client: str) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=client_capabilities(client),
        workspace_folders=[types.WorkspaceFolder(uri=uri(project), name="project")],
    )


def read_code_actions_with_commands(client: LanguageClient) -> None:
    """lsprotocol reads every code action that has a `command` as a bare Command, dropping
    its edit; a Command is the one whose `command` is a string (the protocol's own test)."""
    converter = client.protocol._converter

    def code_action_or_command(value, _):
        if isinstance(value.get("command"), str):
            return converter.structure(value, types.Command)
        return converter.structure(value, types.CodeAction)

    converter.register_structure_hook(Union[types.Command, types.CodeAction], code_action_or_command)


def accept_registrations(client: LanguageClient) -> None:
    """VS Code registers the file watchers the server asks for; the test client records them."""
    client.registrations = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(client: LanguageClient, params: types.RegistrationParams):
        client.registrations.extend(params.registrations)


@pytest_lsp.fixture(config=SERVER)
async def vscode(lsp_client: LanguageClient, project: pathlib.Path):
    accept_registrations(lsp_client)
    read_code_actions_with_commands(lsp_client)
    await lsp_client.initialize_session(initialize_params(project, "visual-studio-code"))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def neovim(lsp_client: LanguageClient, project: pathlib.Path):
    result = await lsp_client.initialize_session(initialize_params(project, "neovim@v0.11"))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


async def published(client: LanguageClient, path: pathlib.Path, wanted) -> list:
    """Waits until the diagnostics last published for `path` satisfy `wanted`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while True:
        found = client.diagnostics.get(uri(path))
        if found is not None and wanted(found):
            return list(found)
        if loop.time() > deadline:
            pytest.fail(f"no diagnostics as wanted for {path.name}; last: {found!r}")
        await asyncio.sleep(0.02)


def codes(diagnostics) -> list:
    return sorted(d.code for d in diagnostics)


def utf16_column(line: str, index: int) -> int:
    return len(line[:index].encode("utf-16-le")) // 2


def find(text: str, needle: str, encoding: str = "utf-16") -> types.Position:
    """The position of the first `needle` in `text`, counted in `encoding`."""
    at = text.index(needle)
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    prefix = text[start:at]
    column = utf16_column(prefix, len(prefix)) if encoding == "utf-16" else len(prefix.encode())
    return types.Position(line=line, character=column)


def span(text: str, needle: str, encoding: str = "utf-16") -> types.Range:
    start = find(text, needle, encoding)
    width = len(needle.encode("utf-16-le")) // 2 if encoding == "utf-16" else len(needle.encode())
    return types.Range(start=start, end=types.Position(line=start.line, character=start.character + width))


def apply(text: str, edits) -> str:
    """Applies text edits (UTF-16 positions, non-overlapping) the way an editor does."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: position.line])
        units = 0
        for k, char in enumerate(lines[position.line]):
            if units >= position.character:
                return before + k
            units += len(char.encode("utf-16-le")) // 2
        return before + len(lines[position.line])

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def open_file(client: LanguageClient, path: pathlib.Path, language: str) -> str:
    text = path.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri(path), language_id=language, version=1, text=text)
        )
    )
    return text


def change(client: LanguageClient, path: pathlib.Path, version: int, edits) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
            content_changes=edits,
        )
    )


def replace(range_: types.Range, text: str):
    return types.TextDocumentContentChangePartial(range=range_, text=text)


@pytest.mark.asyncio
async def test_diagnostics_follow_edits_in_terraform_and_go(vscode: LanguageClient, project: pathlib.Path):
    web_tf = project / "infra" / "web.tf"
    main_go = project / "services" / "web" / "main.go"
    text = web_tf.read_text()

    # The check of the workspace folder publishes the finding with UTF-16 columns: the 🚀
    # before the span counts as two units.
    found = await published(vscode, web_tf, lambda d: len(d) == 1)
    finding = found[0]
    assert finding.code == "MESH002"
    assert finding.source == "meshlint"
    assert finding.severity == types.DiagnosticSeverity.Error
    port_line = text.splitlines()[finding.range.start.line]
    assert "🚀" in port_line
    column = port_line.index("9090")
    assert finding.range.start.character == utf16_column(port_line, column) == column + 1
    assert finding.range.end.character == finding.range.start.character + 4
    assert finding.code_description.href.endswith("rules/port-not-string.md")
    assert not vscode.diagnostics.get(uri(main_go))
    watched = [w["globPattern"] for r in vscode.registrations for w in r.register_options["watchers"]]
    assert "**/.meshlint.toml" in watched and any(".tf" in glob or "tf," in glob for glob in watched)

    # Typing in the buffer, unsaved: the finding goes when the port becomes a string, and
    # comes back when it is a number again.
    open_file(vscode, web_tf, "terraform")
    number = finding.range
    change(vscode, web_tf, 2, [replace(number, '"9090"')])
    await published(vscode, web_tf, lambda d: len(d) == 0)
    string = types.Range(start=number.start, end=types.Position(line=number.start.line, character=number.start.character + 6))
    change(vscode, web_tf, 3, [replace(string, "9090")])
    again = await published(vscode, web_tf, lambda d: len(d) == 1)
    assert again[0].range == number

    # An app source: listening on every interface is found as it is typed.
    go = open_file(vscode, main_go, "go")
    change(vscode, main_go, 2, [replace(span(go, '"127.0.0.1:9090"'), '":9090"')])
    in_go = await published(vscode, main_go, lambda d: len(d) == 1)
    assert codes(in_go) == ["MESH004"]
    empty_host = find(go, '"127.0.0.1:9090"')
    assert in_go[0].range.start == types.Position(line=empty_host.line, character=empty_host.character + 1)
    # The Terraform finding is untouched by the Go edit.
    assert codes(vscode.diagnostics[uri(web_tf)]) == ["MESH002"]


@pytest.mark.asyncio
async def test_quick_fix_suppression_and_fix_all(vscode: LanguageClient, project: pathlib.Path):
    web_tf = project / "infra" / "web.tf"
    found = await published(vscode, web_tf, lambda d: len(d) == 1)
    text = open_file(vscode, web_tf, "terraform")
    actions = await vscode.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(web_tf)),
            range=found[0].range,
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    titles = [a.title for a in actions]
    fix = actions[0]
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred, titles
    assert fix.diagnostics[0].code == "MESH002"
    fixed = apply(text, fix.edit.changes[uri(web_tf)])
    assert '= /* 🚀 */ "9090"' in fixed

    # Applying the fix as the editor would: the finding is gone.
    vscode.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(web_tf), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    await published(vscode, web_tf, lambda d: len(d) == 0)

    # Back to the mistake; suppress it instead, with the cursor on the reason.
    change(vscode, web_tf, 3, [types.TextDocumentContentChangeWholeDocument(text=text)])
    await published(vscode, web_tf, lambda d: len(d) == 1)
    actions = await vscode.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(web_tf)),
            range=found[0].range,
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    suppress = next(a for a in actions if a.title.startswith("Suppress port-not-string"))
    suppressed = apply(text, suppress.edit.changes[uri(web_tf)])
    assert "  # meshlint-ignore: port-not-string -- reason\n  port " in suppressed
    await vscode.workspace_execute_command_async(
        types.ExecuteCommandParams(command=suppress.command.command, arguments=suppress.command.arguments)
    )
    selection = vscode.shown_documents[-1].selection
    line = suppressed.split("\n")[selection.start.line]
    assert line[selection.start.character : selection.end.character] == "reason"
    change(vscode, web_tf, 4, [types.TextDocumentContentChangeWholeDocument(text=suppressed.replace("reason", "tracked in OPS-12"))])
    await published(vscode, web_tf, lambda d: len(d) == 0)

    # Every safe fix of the file at once.
    change(vscode, web_tf, 5, [types.TextDocumentContentChangeWholeDocument(text=text)])
    await published(vscode, web_tf, lambda d: len(d) == 1)
    actions = await vscode.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(web_tf)),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert [a.kind for a in actions] == ["source.fixAll.meshlint"]
    assert apply(text, actions[0].edit.changes[uri(web_tf)]) == fixed
    # Nothing was written to disk.
    assert web_tf.read_text() == text


@pytest.mark.asyncio
async def test_hover_and_definition_across_languages(vscode: LanguageClient, project: pathlib.Path):
    web_tf = project / "infra" / "web.tf"
    main_go = project / "services" / "web" / "main.go"
    await published(vscode, web_tf, lambda d: len(d) == 1)
    web = web_tf.read_text()
    go = main_go.read_text()

    def at(path, text, needle, shift=1):
        position = find(text, needle)
        return types.TextDocumentPositionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            position=types.Position(line=position.line, character=position.character + shift),
        )

    # From the Go call to the upstream that binds its port.
    hover = await vscode.text_document_hover_async(types.HoverParams(**vars_of(at(main_go, go, "localhost:8080"))))
    assert "upstream `backend`" in hover.contents.value and "mesh task `web`" in hover.contents.value
    targets = await vscode.text_document_definition_async(types.DefinitionParams(**vars_of(at(main_go, go, "localhost:8080"))))
    assert [t.uri for t in targets] == [uri(web_tf)]
    upstream = targets[0].range
    assert "destination_name = \"backend\"" in "\n".join(web.split("\n")[upstream.start.line : upstream.end.line + 1])

    # The same from a container's environment in Terraform.
    targets = await vscode.text_document_definition_async(
        types.DefinitionParams(**vars_of(at(web_tf, web, '"http://localhost:8080"', shift=12)))
    )
    assert [(t.uri, t.range) for t in targets] == [(uri(web_tf), upstream)]

    # On the upstream: what the project's intentions decide for the call, and which one.
    hover = await vscode.text_document_hover_async(types.HoverParams(**vars_of(at(web_tf, web, '"backend"'))))
    assert "`web` → `backend`: **allowed** by `consul_config_entry.backend`" in hover.contents.value
    assert "precedence 9, infra/intentions.tf:14" in hover.contents.value

    # From the upstream's destination to the mesh task that provides it.
    targets = await vscode.text_document_definition_async(
        types.DefinitionParams(**vars_of(at(web_tf, web, '"backend"')))
    )
    backend_tf = project / "infra" / "backend.tf"
    assert [t.uri for t in targets] == [uri(backend_tf)]
    assert backend_tf.read_text().split("\n")[targets[0].range.start.line].startswith('module "backend"')

    # From the task role input to the role.
    targets = await vscode.text_document_definition_async(
        types.DefinitionParams(**vars_of(at(web_tf, web, "aws_iam_role.this_task.arn")))
    )
    iam_tf = project / "infra" / "iam.tf"
    assert [t.uri for t in targets] == [uri(iam_tf)]
    assert iam_tf.read_text().split("\n")[targets[0].range.start.line].startswith('resource "aws_iam_role" "this_task"')

    # A mesh-task input: what meshlint evaluated, and where the value came from.
    hover = await vscode.text_document_hover_async(types.HoverParams(**vars_of(at(web_tf, web, "local.web_family"))))
    assert '`"web"`' in hover.contents.value
    assert "web_family" in hover.contents.value and "infra/web.tf:3" in hover.contents.value

    # A finding: the rule, why it matters, and its documentation.
    hover = await vscode.text_document_hover_async(types.HoverParams(**vars_of(at(web_tf, web, "*/ 9090", shift=4))))
    assert "MESH002 port-not-string" in hover.contents.value
    assert "rules/port-not-string.md" in hover.contents.value


def vars_of(params: types.TextDocumentPositionParams) -> dict:
    return {"text_document": params.text_document, "position": params.position}


@pytest.mark.asyncio
async def test_pull_diagnostics_in_utf8(neovim: LanguageClient, project: pathlib.Path):
    web_tf = project / "infra" / "web.tf"
    text = open_file(neovim, web_tf, "terraform")
    report = await neovim.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri(web_tf)))
    )
    assert [d.code for d in report.items] == ["MESH002"]
    # UTF-8: the 🚀 is four bytes (two UTF-16 units).
    comment = find(text, "*/ 9090", "utf-8")
    assert report.items[0].range.start == types.Position(line=comment.line, character=comment.character + 3)
    assert comment.character == find(text, "*/ 9090", "utf-16").character + 2
    # Open files are pulled, never pushed as well.
    await asyncio.sleep(0.5)
    assert not neovim.diagnostics.get(uri(web_tf))


@pytest.mark.asyncio
async def test_half_typed_input_never_stops_the_server(vscode: LanguageClient, project: pathlib.Path):
    web_tf = project / "infra" / "web.tf"
    await published(vscode, web_tf, lambda d: len(d) == 1)
    text = open_file(vscode, web_tf, "terraform")
    # Cut the file in the middle of a block, then feed it binary-looking garbage.
    change(vscode, web_tf, 2, [types.TextDocumentContentChangeWholeDocument(text=text[: text.index("upstreams")] + "upstreams = [{ destination_name = ")])
    await published(vscode, web_tf, lambda d: "MESH000" in codes(d))
    change(vscode, web_tf, 3, [types.TextDocumentContentChangeWholeDocument(text="\x00\x01 module {{{")])
    change(vscode, web_tf, 4, [types.TextDocumentContentChangeWholeDocument(text=text)])
    await published(vscode, web_tf, lambda d: codes(d) == ["MESH002"])
    hover = await vscode.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(web_tf)),
            position=types.Position(line=10_000, character=10_000),
        )
    )
    assert hover is None


@pytest.mark.asyncio
async def test_configuration_changes_on_disk_are_followed(vscode: LanguageClient, project: pathlib.Path):
    web_tf = project / "infra" / "web.tf"
    config = project / ".meshlint.toml"
    await published(vscode, web_tf, lambda d: codes(d) == ["MESH002"])

    def changed(path: pathlib.Path, kind: types.FileChangeType) -> None:
        vscode.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri(path), type=kind)])
        )

    # The severity changes with the configuration; the finding goes when its rule is ignored.
    config.write_text('[severity]\nport-not-string = "warning"\n')
    changed(config, types.FileChangeType.Changed)
    warned = await published(vscode, web_tf, lambda d: len(d) == 1 and d[0].severity == types.DiagnosticSeverity.Warning)
    assert codes(warned) == ["MESH002"]
    config.write_text('ignore = ["port-not-string"]\n')
    changed(config, types.FileChangeType.Changed)
    await published(vscode, web_tf, lambda d: len(d) == 0)

    # A broken configuration is told as an error message; the last findings stay.
    config.write_text('[severity]\nport-not-string = "warning"\n')
    changed(config, types.FileChangeType.Changed)
    await published(vscode, web_tf, lambda d: codes(d) == ["MESH002"])
    config.write_text('ignore = ["port-not-strin"]\n')
    changed(config, types.FileChangeType.Changed)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while not vscode.messages and loop.time() < deadline:
        await asyncio.sleep(0.02)
    assert "did you mean `port-not-string`" in vscode.messages[-1].message
    # A request is answered after everything the check sent: nothing cleared the finding.
    await vscode.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri(web_tf)), position=types.Position(line=0, character=0))
    )
    assert codes(vscode.diagnostics[uri(web_tf)]) == ["MESH002"]

    # A file deleted on disk takes its findings with it.
    config.unlink()
    changed(config, types.FileChangeType.Deleted)
    await published(vscode, web_tf, lambda d: codes(d) == ["MESH002"])
    web_tf.unlink()
    changed(web_tf, types.FileChangeType.Deleted)
    await published(vscode, web_tf, lambda d: len(d) == 0)

'use strict';

// Plain CommonJS on purpose: the package needs no compile step, so `vsce package` is the build.
const path = require('path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

// The language ids VS Code gives the files meshlint reads. Terraform files are matched by name
// too: without HashiCorp's extension VS Code knows no Terraform language, they open as plain
// text, and the server would never hear of them.
const LANGUAGES = [
  'terraform', 'terraform-vars', 'go', 'python', 'javascript', 'typescript',
  'typescriptreact', 'dockerfile', 'shellscript',
];
const TERRAFORM_FILES = '**/*.{tf,tf.json,tfvars,tfvars.json}';

let client;
let output;
// Restarts are chained so that a settings change arriving during the restart command (or two
// quick edits of settings.json) never leaves two servers running.
let pending = Promise.resolve();

// The extension host's working directory is arbitrary, so a relative setting would name a
// different file on every machine; it is taken relative to the first workspace folder.
function fromWorkspace(file) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  return folder && !path.isAbsolute(file) ? path.join(folder.uri.fsPath, file) : file;
}

async function start() {
  const settings = vscode.workspace.getConfiguration('meshlint');
  let command = settings.get('path') || 'meshlint';
  // A bare name is for PATH lookup; only something like `./target/debug/meshlint` is a file.
  if (command.includes('/') || command.includes('\\')) command = fromWorkspace(command);
  const config = settings.get('config');
  const args = ['server', ...(config ? ['--config', fromWorkspace(config)] : [])];

  const documentSelector = [
    ...LANGUAGES.map((language) => ({ scheme: 'file', language })),
    { scheme: 'file', pattern: TERRAFORM_FILES },
  ];
  // The id `meshlint` makes the client follow `meshlint.trace.server` by itself. One output
  // channel for every client keeps the log of a failed server readable after a restart.
  client = new LanguageClient('meshlint', 'meshlint', { command, args }, {
    documentSelector,
    outputChannel: output,
  });
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    vscode.window.showErrorMessage(
      `meshlint: could not start \`${command} ${args.join(' ')}\` (${error.message || error}). ` +
        'Install meshlint or set `meshlint.path`.',
    );
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}

function restart() {
  // The server options are fixed when a client is made, so a new path or config needs a new
  // client, not `client.restart()`.
  pending = pending.then(stop).catch(() => {}).then(start);
  return pending;
}

function activate(context) {
  output = vscode.window.createOutputChannel('meshlint', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('meshlint.restart', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('meshlint')) restart();
    }),
  );
  return restart();
}

function deactivate() {
  return pending.catch(() => {}).then(stop);
}

module.exports = { activate, deactivate };

//! `meshlint server`: the Language Server Protocol (3.17) over standard input and output.
//!
//! One thread reads messages; every batch of messages that arrived together is handled at
//! once: edits first, then one check of each workspace folder with the open buffers laid over
//! the disk, then the requests. Typing faster than a check runs therefore costs one check,
//! not one per keystroke. Checks keep each file's parse between runs ([`ParseCache`]), so
//! an edit re-parses only the edited file.

mod actions;
mod diagnostics;
mod documents;
mod navigate;
mod position;
mod uri;
mod workspace;

use documents::Documents;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as req, Request as _};
use position::Encoding;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use workspace::Workspace;

/// What the command line says about every check the server runs.
#[derive(Clone, Debug, Default)]
pub struct ServerOptions {
    /// `--config`: this file for every folder instead of the nearest `.meshlint.toml`.
    pub config: Option<PathBuf>,
}

/// Command name of the code action that puts the cursor on a suppression's reason.
const SELECT_REASON: &str = "meshlint.selectReason";

/// Serves one client until it says `exit`.
pub fn run(options: ServerOptions) -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("the client did not initialize: {e}"))?;
    // lsp-types reads `workspace.diagnostic` where the protocol says `workspace.diagnostics`.
    let refreshes_pulled = params
        .pointer("/capabilities/workspace/diagnostics/refreshSupport")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    let init: lsp::InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("bad initialize parameters: {e}"))?;
    let client = Client::from(&init, refreshes_pulled);
    let result = lsp::InitializeResult {
        capabilities: capabilities(&client),
        server_info: Some(lsp::ServerInfo {
            name: "meshlint".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("the client did not finish initializing: {e}"))?;
    let folders = workspace_folders(&init);
    let mut server = Server {
        connection,
        client,
        workspace: Workspace::new(folders, options),
        documents: Documents::default(),
        published: BTreeMap::new(),
        dirty: true,
        edited: BTreeSet::new(),
        next_id: 0,
    };
    server.watch_files();
    let result = server.serve();
    drop(server);
    io_threads.join().map_err(|e| e.to_string())?;
    result
}

/// What the client can do, as far as the server cares.
struct Client {
    encoding: Encoding,
    /// It pulls diagnostics (`textDocument/diagnostic`) for the files it has open.
    pulls: bool,
    refreshes_pulled: bool,
    shows_documents: bool,
    watches_files: bool,
}

impl Client {
    fn from(init: &lsp::InitializeParams, refreshes_pulled: bool) -> Client {
        let caps = &init.capabilities;
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        let workspace = caps.workspace.as_ref();
        Client {
            encoding: Encoding::negotiate(offered),
            pulls: caps
                .text_document
                .as_ref()
                .is_some_and(|t| t.diagnostic.is_some()),
            refreshes_pulled,
            shows_documents: caps
                .window
                .as_ref()
                .and_then(|w| w.show_document.as_ref())
                .is_some_and(|s| s.support),
            watches_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
        }
    }
}

fn capabilities(client: &Client) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(client.encoding.kind()),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        diagnostic_provider: client.pulls.then(|| {
            lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                identifier: Some("meshlint".to_string()),
                // A Terraform edit changes what an app source is told, and the reverse.
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                ..Default::default()
            })
        }),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX, actions::fix_all_kind()]),
                resolve_provider: Some(false),
                ..Default::default()
            },
        )),
        execute_command_provider: Some(lsp::ExecuteCommandOptions {
            commands: vec![SELECT_REASON.to_string()],
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        workspace: Some(lsp::WorkspaceServerCapabilities {
            workspace_folders: Some(lsp::WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lsp::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..Default::default()
    }
}

#[allow(deprecated)] // `root_uri`: clients that predate workspace folders still send only it.
fn workspace_folders(init: &lsp::InitializeParams) -> Vec<PathBuf> {
    match &init.workspace_folders {
        Some(folders) => folders.iter().filter_map(|f| uri::to_path(&f.uri)).collect(),
        None => init.root_uri.iter().filter_map(uri::to_path).collect(),
    }
}

struct Server {
    connection: Connection,
    client: Client,
    workspace: Workspace,
    documents: Documents,
    /// What each file was last told, by path: a check sends only what changed.
    published: BTreeMap<PathBuf, Vec<lsp::Diagnostic>>,
    /// Something changed since the last check.
    dirty: bool,
    /// Buffers opened or edited since the last check.
    edited: BTreeSet<PathBuf>,
    next_id: i32,
}

impl Server {
    fn serve(&mut self) -> Result<(), String> {
        // The first check, before any message: `initialized` was the last one, and the
        // client may well wait for diagnostics before it sends another.
        self.guarded("check", Server::check);
        loop {
            let Ok(first) = self.connection.receiver.recv() else {
                return Ok(());
            };
            let mut batch = vec![first];
            batch.extend(self.connection.receiver.try_iter());
            let mut requests = Vec::new();
            for message in batch {
                match message {
                    Message::Request(request) => {
                        let shutdown = self
                            .connection
                            .handle_shutdown(&request)
                            .map_err(|e| e.to_string())?;
                        if shutdown {
                            return Ok(());
                        }
                        requests.push(request);
                    }
                    Message::Notification(notification) if notification.method == notify::Exit::METHOD => {
                        return Ok(());
                    }
                    Message::Notification(notification) => self.guarded("notification", |server| {
                        server.notification(notification);
                    }),
                    Message::Response(_) => {}
                }
            }
            if self.dirty {
                self.guarded("check", Server::check);
            }
            for request in requests {
                let id = request.id.clone();
                let mut answered = false;
                self.guarded(&request.method.clone(), |server| {
                    server.request(request);
                    answered = true;
                });
                if !answered {
                    self.respond(Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        "meshlint failed on this request; see the output log".to_string(),
                    ));
                }
            }
        }
    }

    /// Runs `work`; a panic is reported to the client's log, and the server goes on.
    fn guarded(&mut self, what: &str, work: impl FnOnce(&mut Server)) {
        let outcome = catch_unwind(AssertUnwindSafe(|| work(self)));
        if let Err(panic) = outcome {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            self.dirty = false;
            self.log(
                lsp::MessageType::ERROR,
                format!("meshlint: internal error in {what}: {reason} (please report it)"),
            );
        }
    }

    fn notification(&mut self, notification: Notification) {
        let encoding = self.client.encoding;
        // Typing changes no file's existence; anything else may (a buffer saved as a new
        // file, a file deleted or renamed, a `.meshlint.toml` added): walk the folders again.
        if notification.method != notify::DidChangeTextDocument::METHOD {
            self.workspace.forget_discovery();
        }
        match notification.method.as_str() {
            notify::DidOpenTextDocument::METHOD => {
                if let Some(params) = parse::<lsp::DidOpenTextDocumentParams>(notification) {
                    let document = params.text_document;
                    if let Some(path) = uri::to_path(&document.uri) {
                        self.documents.open(path.clone(), document.version, document.text);
                        self.edited.insert(path);
                        self.dirty = true;
                    }
                }
            }
            notify::DidChangeTextDocument::METHOD => {
                if let Some(params) = parse::<lsp::DidChangeTextDocumentParams>(notification) {
                    if let Some(path) = uri::to_path(&params.text_document.uri) {
                        let version = params.text_document.version;
                        self.documents
                            .change(&path, version, params.content_changes, encoding);
                        self.edited.insert(path);
                        self.dirty = true;
                    }
                }
            }
            notify::DidCloseTextDocument::METHOD => {
                if let Some(params) = parse::<lsp::DidCloseTextDocumentParams>(notification) {
                    if let Some(path) = uri::to_path(&params.text_document.uri) {
                        self.documents.close(&path);
                        // The file on disk may differ from the buffer that was dropped.
                        self.dirty = true;
                    }
                }
            }
            notify::DidChangeWatchedFiles::METHOD | notify::DidSaveTextDocument::METHOD => {
                // A file appeared, went or changed on disk, a `.meshlint.toml` among them:
                // every check plans its files and configurations afresh.
                self.dirty = true;
            }
            notify::DidChangeWorkspaceFolders::METHOD => {
                if let Some(params) = parse::<lsp::DidChangeWorkspaceFoldersParams>(notification) {
                    let removed = params.event.removed.iter().filter_map(|f| uri::to_path(&f.uri));
                    let added = params.event.added.iter().filter_map(|f| uri::to_path(&f.uri));
                    self.workspace.change_folders(added.collect(), removed.collect());
                    self.dirty = true;
                }
            }
            _ => {}
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        let encoding = self.client.encoding;
        let result = match request.method.as_str() {
            req::DocumentDiagnosticRequest::METHOD => {
                serde_json::from_value::<lsp::DocumentDiagnosticParams>(request.params)
                    .map(|params| self.pulled(&params.text_document.uri))
                    .map_err(|e| e.to_string())
                    .and_then(to_json)
            }
            req::CodeActionRequest::METHOD => serde_json::from_value::<lsp::CodeActionParams>(request.params)
                .map_err(|e| e.to_string())
                .and_then(|params| {
                    let context = actions::Context {
                        workspace: &self.workspace,
                        documents: &self.documents,
                        encoding,
                        select_reason: self.client.shows_documents.then_some(SELECT_REASON),
                    };
                    to_json(actions::code_actions(&context, &params))
                }),
            req::ExecuteCommand::METHOD => {
                serde_json::from_value::<lsp::ExecuteCommandParams>(request.params)
                    .map_err(|e| e.to_string())
                    .map(|params| {
                        if params.command == SELECT_REASON {
                            self.select_reason(params.arguments);
                        }
                        serde_json::Value::Null
                    })
            }
            req::HoverRequest::METHOD => serde_json::from_value::<lsp::HoverParams>(request.params)
                .map_err(|e| e.to_string())
                .and_then(|params| {
                    let at = params.text_document_position_params;
                    to_json(navigate::hover(&self.workspace, &at, encoding))
                }),
            req::GotoDefinition::METHOD => {
                serde_json::from_value::<lsp::GotoDefinitionParams>(request.params)
                    .map_err(|e| e.to_string())
                    .and_then(|params| {
                        let at = params.text_document_position_params;
                        to_json(navigate::definition(&self.workspace, &at, encoding))
                    })
            }
            _ => {
                self.respond(Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("meshlint does not handle {}", request.method),
                ));
                return;
            }
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
        };
        self.respond(response);
    }

    /// Checks every folder (and every open file outside them) and tells the client what
    /// changed.
    fn check(&mut self) {
        self.dirty = false;
        let overlay = self.documents.overlay();
        let open: Vec<PathBuf> = self.documents.paths().cloned().collect();
        let errors = self.workspace.check(&overlay, &open, self.client.encoding);
        for error in errors {
            self.log(lsp::MessageType::ERROR, error.clone());
            self.notify::<notify::ShowMessage>(lsp::ShowMessageParams {
                typ: lsp::MessageType::ERROR,
                message: error,
            });
        }
        let mut now = self.workspace.diagnostics();
        if self.client.pulls {
            // Open files are pulled; pushing them too would show every finding twice.
            for path in self.documents.paths() {
                now.remove(path);
            }
        }
        // Pulled buffers are not pushed (see above); every other edited buffer is told its
        // findings for the new version, even when they did not change.
        let edited: BTreeSet<PathBuf> = std::mem::take(&mut self.edited)
            .into_iter()
            .filter(|path| !self.client.pulls || self.documents.get(path).is_none())
            .collect();
        let paths: BTreeSet<PathBuf> = self
            .published
            .keys()
            .chain(now.keys())
            .chain(&edited)
            .cloned()
            .collect();
        for path in paths {
            let fresh = now.remove(&path).unwrap_or_default();
            let unchanged = self
                .published
                .get(&path)
                .map_or(fresh.is_empty(), |old| *old == fresh);
            if unchanged && !edited.contains(&path) {
                continue;
            }
            let Some(uri) = uri::from_path(&path) else {
                continue;
            };
            let version = self.documents.get(&path).map(|d| d.version);
            self.notify::<notify::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
                uri,
                diagnostics: fresh.clone(),
                version,
            });
            if fresh.is_empty() {
                self.published.remove(&path);
            } else {
                self.published.insert(path, fresh);
            }
        }
        if self.client.pulls && self.client.refreshes_pulled {
            self.send_request::<req::WorkspaceDiagnosticRefresh>(());
        }
    }

    fn pulled(&self, uri: &lsp::Uri) -> lsp::DocumentDiagnosticReportResult {
        let items = uri::to_path(uri)
            .and_then(|path| self.workspace.diagnostics_of(&path))
            .unwrap_or_default();
        lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Full(
            lsp::RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            },
        ))
    }

    /// Asks the client to watch the files whose changes change findings.
    fn watch_files(&mut self) {
        if !self.client.watches_files {
            return;
        }
        let watchers = crate::discover::WATCHED_GLOBS
            .iter()
            .chain(&["**/.meshlint.toml"])
            .map(|glob| lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(glob.to_string()),
                kind: None,
            })
            .collect();
        let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
        self.send_request::<req::RegisterCapability>(lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "meshlint-watched-files".to_string(),
                method: notify::DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        });
    }

    /// After the suppression comment is inserted: selects its placeholder reason, so that
    /// typing replaces it.
    fn select_reason(&mut self, arguments: Vec<serde_json::Value>) {
        let mut arguments = arguments.into_iter();
        let (Some(uri), Some(range)) = (arguments.next(), arguments.next()) else {
            return;
        };
        let (Ok(uri), Ok(range)) = (
            serde_json::from_value::<lsp::Uri>(uri),
            serde_json::from_value::<lsp::Range>(range),
        ) else {
            return;
        };
        self.send_request::<req::ShowDocument>(lsp::ShowDocumentParams {
            uri,
            external: Some(false),
            take_focus: Some(true),
            selection: Some(range),
        });
    }

    fn respond(&self, response: Response) {
        // A closed channel means the client is gone; the loop ends on the next receive.
        let _ = self.connection.sender.send(Message::Response(response));
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        let notification = Notification::new(N::METHOD.to_string(), params);
        let _ = self.connection.sender.send(Message::Notification(notification));
    }

    fn send_request<R: lsp_types::request::Request>(&mut self, params: R::Params) {
        self.next_id += 1;
        let id = RequestId::from(format!("meshlint-{}", self.next_id));
        let request = Request::new(id, R::METHOD.to_string(), params);
        let _ = self.connection.sender.send(Message::Request(request));
    }

    fn log(&self, typ: lsp::MessageType, message: String) {
        self.notify::<notify::LogMessage>(lsp::LogMessageParams { typ, message });
    }
}

fn parse<T: serde::de::DeserializeOwned>(notification: Notification) -> Option<T> {
    serde_json::from_value(notification.params).ok()
}

fn to_json(value: impl serde::Serialize) -> Result<serde_json::Value, String> {
    serde_json::to_value(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(connection: Connection) -> Server {
        Server {
            connection,
            client: Client {
                encoding: Encoding::Utf16,
                pulls: false,
                refreshes_pulled: false,
                shows_documents: false,
                watches_files: false,
            },
            workspace: Workspace::new(Vec::new(), ServerOptions::default()),
            documents: Documents::default(),
            published: BTreeMap::new(),
            dirty: false,
            edited: BTreeSet::new(),
            next_id: 0,
        }
    }

    #[test]
    fn a_panic_is_logged_to_the_client_and_the_server_goes_on() {
        let (ours, client) = Connection::memory();
        let mut server = server(ours);
        // The default hook would print the panic to the test's output; this one is expected.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        server.guarded("hover", |_| panic!("half-typed input"));
        std::panic::set_hook(hook);
        let Ok(Message::Notification(log)) = client.receiver.try_recv() else {
            panic!("the panic was not logged");
        };
        assert_eq!(log.method, notify::LogMessage::METHOD);
        assert!(log.params["message"]
            .as_str()
            .unwrap()
            .contains("half-typed input"));
        // The next request is answered as usual.
        let mut ran = false;
        server.guarded("hover", |_| ran = true);
        assert!(ran);
    }

    #[test]
    fn an_unknown_request_is_answered_with_an_error() {
        let (ours, client) = Connection::memory();
        let mut server = server(ours);
        let request = Request::new(
            RequestId::from(7),
            "textDocument/rename".to_string(),
            serde_json::json!({}),
        );
        server.request(request);
        let Ok(Message::Response(response)) = client.receiver.try_recv() else {
            panic!("no response");
        };
        assert_eq!(
            response.response_result.err().map(|e| e.code),
            Some(ErrorCode::MethodNotFound as i32)
        );
    }
}

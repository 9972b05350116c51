//! What application sources say about networking, as written: where an app listens and
//! which URLs it holds. Every reader of this folder fills them; the model classifies them with
//! [`crate::net`].

use crate::source::{FileId, Span};
use serde::{Deserialize, Serialize};

/// Facts from one application source file.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppFacts {
    pub listens: Vec<Listen>,
    /// String literals that look like URLs or Consul names (contain `://` or `.consul`),
    /// with spans of their contents.
    pub strings: Vec<StringLiteral>,
}

/// One place an application starts listening.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listen {
    /// The whole call or command line, for context.
    pub span: Span,
    /// How users recognise it in a message: `http.ListenAndServe`, `gunicorn --bind`.
    pub api: String,
    pub address: ListenAddress,
}

/// What decides the interface a listener binds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ListenAddress {
    /// `"0.0.0.0:8080"`, `":8080"`, `"[::]:80"`: host and port in one literal (span of the
    /// text inside the quotes).
    HostPort { text: String, span: Span },
    /// `host="0.0.0.0"`: the host alone, the port given elsewhere.
    Host { text: String, span: Span },
    /// No host is given, so the framework default applies.
    Default {
        /// True when that default is every interface (Node's `listen(port)`, Flask's is not).
        all_interfaces: bool,
        /// Where a host argument can be added, and the text that adds `127.0.0.1` there
        /// (e.g. `, "127.0.0.1"` right after the port argument).
        insert: Option<(Span, String)>,
    },
    /// The literal fallback of an environment lookup (`os.environ.get("HOST", "0.0.0.0")`):
    /// where the app listens when `variable` is unset.
    EnvFallback {
        variable: String,
        fallback: Box<ListenAddress>,
    },
    /// Not a literal and not one obvious step away (an environment variable without a
    /// literal fallback, a parameter).
    Unknown,
}

/// A string literal's decoded value and the span of its contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StringLiteral {
    pub value: String,
    pub span: Span,
    /// The environment variable this literal is the fallback of
    /// (`os.getenv("ORDERS_URL", "<this>")`): what the app uses only when it is unset.
    pub env_fallback: Option<String>,
}

/// Moving facts to another file id: the persistent cache keeps them by content, in file 0, and
/// a run gives each file its own id. Every span is listed by destructuring, so a new field with
/// a span cannot be forgotten here without a compile error.
impl AppFacts {
    pub fn in_file(self, file: FileId) -> AppFacts {
        let AppFacts { listens, strings } = self;
        AppFacts {
            listens: listens.into_iter().map(|l| l.in_file(file)).collect(),
            strings: strings.into_iter().map(|s| s.in_file(file)).collect(),
        }
    }
}

impl Listen {
    fn in_file(self, file: FileId) -> Listen {
        let Listen { span, api, address } = self;
        Listen {
            span: span.in_file(file),
            api,
            address: address.in_file(file),
        }
    }
}

impl ListenAddress {
    fn in_file(self, file: FileId) -> ListenAddress {
        match self {
            ListenAddress::HostPort { text, span } => ListenAddress::HostPort {
                text,
                span: span.in_file(file),
            },
            ListenAddress::Host { text, span } => ListenAddress::Host {
                text,
                span: span.in_file(file),
            },
            ListenAddress::Default {
                all_interfaces,
                insert,
            } => ListenAddress::Default {
                all_interfaces,
                insert: insert.map(|(span, text)| (span.in_file(file), text)),
            },
            ListenAddress::EnvFallback { variable, fallback } => ListenAddress::EnvFallback {
                variable,
                fallback: Box::new(fallback.in_file(file)),
            },
            ListenAddress::Unknown => ListenAddress::Unknown,
        }
    }
}

impl StringLiteral {
    fn in_file(self, file: FileId) -> StringLiteral {
        let StringLiteral {
            value,
            span,
            env_fallback,
        } = self;
        StringLiteral {
            value,
            span: span.in_file(file),
            env_fallback,
        }
    }
}

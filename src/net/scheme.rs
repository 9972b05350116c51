//! The URL schemes apps use to call other services, with the default port
//! and TLS each implies.

/// The URL schemes apps use to call other services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
    Grpc,
    Grpcs,
    Ws,
    Wss,
    Tcp,
}

impl Scheme {
    /// Recognises a scheme name, ignoring ASCII case (`HTTP` is `http`).
    pub fn parse(name: &str) -> Option<Self> {
        const ALL: [Scheme; 7] = [
            Scheme::Http,
            Scheme::Https,
            Scheme::Grpc,
            Scheme::Grpcs,
            Scheme::Ws,
            Scheme::Wss,
            Scheme::Tcp,
        ];
        ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(name))
    }

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
            Self::Grpc => "grpc",
            Self::Grpcs => "grpcs",
            Self::Ws => "ws",
            Self::Wss => "wss",
            Self::Tcp => "tcp",
        }
    }

    /// The port a client uses when none is written (80/443 for HTTP and
    /// WebSocket); gRPC and raw TCP have no default.
    pub fn default_port(self) -> Option<u16> {
        match self {
            Self::Http | Self::Ws => Some(80),
            Self::Https | Self::Wss => Some(443),
            Self::Grpc | Self::Grpcs | Self::Tcp => None,
        }
    }

    /// Whether the client speaks TLS itself.
    pub fn is_tls(self) -> bool {
        matches!(self, Self::Https | Self::Grpcs | Self::Wss)
    }

    /// The same protocol without TLS (`https` → `http`). Inside the mesh the
    /// proxies do mTLS between tasks; the app talks plain text to its sidecar.
    pub fn plaintext(self) -> Self {
        match self {
            Self::Https => Self::Http,
            Self::Grpcs => Self::Grpc,
            Self::Wss => Self::Ws,
            other => other,
        }
    }
}

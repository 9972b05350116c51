//! The URL schemes apps use to call other services, with the default port
//! and TLS each implies.

/// The URL schemes apps use to call other services: HTTP and gRPC, and the
/// databases, caches and brokers a mesh upstream commonly fronts (a
/// HashiCups-style `postgres://localhost:5432/…`, `redis://localhost:6379`).
/// JDBC URLs (`jdbc:postgresql://…`) are found by their inner scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
    Grpc,
    Grpcs,
    Ws,
    Wss,
    Tcp,
    Redis,
    Rediss,
    Amqp,
    Amqps,
    Mongodb,
    Nats,
    Postgres,
    Postgresql,
    Mysql,
    Mariadb,
    Sqlserver,
}

impl Scheme {
    const ALL: [Scheme; 18] = [
        Scheme::Http,
        Scheme::Https,
        Scheme::Grpc,
        Scheme::Grpcs,
        Scheme::Ws,
        Scheme::Wss,
        Scheme::Tcp,
        Scheme::Redis,
        Scheme::Rediss,
        Scheme::Amqp,
        Scheme::Amqps,
        Scheme::Mongodb,
        Scheme::Nats,
        Scheme::Postgres,
        Scheme::Postgresql,
        Scheme::Mysql,
        Scheme::Mariadb,
        Scheme::Sqlserver,
    ];

    /// The longest scheme name, in bytes: how far back from `://` a scheme can start.
    pub const LONGEST: usize = 10;

    /// Recognises a scheme name, ignoring ASCII case (`HTTP` is `http`).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
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
            Self::Redis => "redis",
            Self::Rediss => "rediss",
            Self::Amqp => "amqp",
            Self::Amqps => "amqps",
            Self::Mongodb => "mongodb",
            Self::Nats => "nats",
            Self::Postgres => "postgres",
            Self::Postgresql => "postgresql",
            Self::Mysql => "mysql",
            Self::Mariadb => "mariadb",
            Self::Sqlserver => "sqlserver",
        }
    }

    /// The port a client uses when none is written (80/443 for HTTP and
    /// WebSocket, each server's registered port for the others); gRPC and raw
    /// TCP have no default.
    pub fn default_port(self) -> Option<u16> {
        match self {
            Self::Http | Self::Ws => Some(80),
            Self::Https | Self::Wss => Some(443),
            Self::Grpc | Self::Grpcs | Self::Tcp => None,
            Self::Redis | Self::Rediss => Some(6379),
            Self::Amqp => Some(5672),
            Self::Amqps => Some(5671),
            Self::Mongodb => Some(27017),
            Self::Nats => Some(4222),
            Self::Postgres | Self::Postgresql => Some(5432),
            Self::Mysql | Self::Mariadb => Some(3306),
            Self::Sqlserver => Some(1433),
        }
    }

    /// Whether the client speaks TLS itself.
    pub fn is_tls(self) -> bool {
        matches!(
            self,
            Self::Https | Self::Grpcs | Self::Wss | Self::Rediss | Self::Amqps
        )
    }

    /// The same protocol without TLS (`https` → `http`). Inside the mesh the
    /// proxies do mTLS between tasks; the app talks plain text to its sidecar.
    pub fn plaintext(self) -> Self {
        match self {
            Self::Https => Self::Http,
            Self::Grpcs => Self::Grpc,
            Self::Wss => Self::Ws,
            Self::Rediss => Self::Redis,
            Self::Amqps => Self::Amqp,
            other => other,
        }
    }
}

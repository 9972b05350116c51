//! What the name of an environment variable or a command-line flag says about its value:
//! where the app itself listens (`BIND_ADDRESS`, `HTTP_ADDR`, `--listen`), or a host and a
//! port it calls, given apart (`DB_HOST` with `DB_PORT`).
//!
//! Names decide only what a value is *for*; the value still has to parse as an address.

/// Words that, leading a `*_HOST`/`*_ADDR`/`*_PORT` name, say the address is where the app
/// serves its traffic: its servers (`HTTP_ADDR`, `GRPC_PORT`), its framework's settings
/// (`FLASK_RUN_HOST`, `UVICORN_PORT`) or the app itself (`APP_HOST`, `SERVER_PORT`).
const SERVING_PREFIXES: [&str; 11] = [
    "HTTP",
    "HTTPS",
    "GRPC",
    "SERVER",
    "APP",
    "WEB",
    "API_SERVER",
    "FLASK_RUN",
    "UVICORN",
    "NUXT",
    "NITRO",
];

/// Words that, leading such a name, say the address is one of the app's own side listeners:
/// metrics, health and admin endpoints. Prometheus and load balancers reach those from
/// outside the task, around the sidecar, by design: they are where the app listens (never a
/// call), but listening on every interface there is no finding.
const SIDE_PREFIXES: [&str; 9] = [
    "METRICS",
    "ADMIN",
    "HEALTH",
    "HEALTHCHECK",
    "PROMETHEUS",
    "DEBUG",
    "PPROF",
    "STATUS",
    "MANAGEMENT",
];

/// The part of an address a name holds.
const ADDRESS_SUFFIXES: [&str; 4] = ["_HOST", "_ADDR", "_ADDRESS", "_PORT"];

/// A variable whose name says it holds where the app listens: `BIND_ADDRESS`, `LISTEN_ADDR`,
/// `HOST`, `PORT`, `HTTP_ADDR`, `GRPC_PORT`, `FLASK_RUN_HOST`. Its value is a listen fact,
/// never a call.
pub fn names_own_address(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if upper.contains("BIND") || upper.contains("LISTEN") {
        return true;
    }
    if matches!(upper.as_str(), "HOST" | "ADDR" | "ADDRESS" | "PORT") {
        return true;
    }
    prefix_of_address(&upper)
        .is_some_and(|prefix| SERVING_PREFIXES.contains(&prefix) || SIDE_PREFIXES.contains(&prefix))
}

/// `HTTP` of `HTTP_ADDR`: the part before an address suffix.
fn prefix_of_address(upper: &str) -> Option<&str> {
    ADDRESS_SUFFIXES
        .iter()
        .find_map(|suffix| upper.strip_suffix(suffix))
}

/// A variable read as a listen address by bind-all-interfaces: anything with `BIND` or
/// `LISTEN`, `HOST`, `ADDR`, `ADDRESS`, the serving `*_ADDR`/`*_ADDRESS` (`HTTP_ADDR`), and
/// any `*_HOST` (a host alone is far more often where to listen than where to call; a
/// `DB_HOST` next to a `DB_PORT` is taken out by the caller, see [`port_variable_for`]) —
/// except side listeners (`METRICS_ADDRESS`, `ADMIN_HOST`), which are meant to be reached
/// from outside. A port alone (`PORT`, `GRPC_PORT`) holds no host: nothing to say about
/// interfaces.
pub fn names_a_listen_address(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if upper.contains("BIND") || upper.contains("LISTEN") {
        return true;
    }
    if matches!(upper.as_str(), "HOST" | "ADDR" | "ADDRESS") {
        return true;
    }
    match prefix_of_address(&upper) {
        Some(prefix) if SIDE_PREFIXES.contains(&prefix) => false,
        Some(_) if upper.ends_with("_PORT") => false,
        Some(prefix) => upper.ends_with("_HOST") || SERVING_PREFIXES.contains(&prefix),
        None => false,
    }
}

/// For a `<PREFIX>_HOST` variable that names a host to call (`DB_HOST`, not `HTTP_HOST`), the
/// name of the variable that would hold its port (`DB_PORT`), in the same case.
pub fn port_variable_for(host_name: &str) -> Option<String> {
    let upper = host_name.to_ascii_uppercase();
    let prefix = upper.strip_suffix("_HOST")?;
    if prefix.is_empty() || names_own_address(host_name) {
        return None;
    }
    let cut = host_name.len() - "HOST".len();
    let port = if host_name[cut..].starts_with('h') {
        "port"
    } else {
        "PORT"
    };
    Some(format!("{}{port}", &host_name[..cut]))
}

/// A command-line flag (without its dashes) that says where the app listens or serves:
/// `--listen`, `-bind`, `--http-addr`, `--port`, `--metrics-address`. URLs after such a flag
/// are not calls.
pub fn flag_names_own_address(flag: &str) -> bool {
    let upper = flag.to_ascii_uppercase().replace('-', "_");
    if matches!(upper.as_str(), "B" | "L" | "H" | "P") {
        return true;
    }
    names_own_address(&upper) || ["SERVE", "HTTP", "GRPC"].iter().any(|w| upper.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_addresses() {
        for name in [
            "BIND_ADDRESS",
            "LISTEN_ADDR",
            "HOST",
            "PORT",
            "HTTP_ADDR",
            "grpc_port",
            "METRICS_ADDRESS",
            "FLASK_RUN_HOST",
            "SERVER_PORT",
        ] {
            assert!(names_own_address(name), "{name}");
        }
        for name in [
            "DB_HOST",
            "PRODUCT_API_URI",
            "REDIS_ADDR",
            "PAYMENTS_PORT",
            "UPSTREAM_URIS",
        ] {
            assert!(!names_own_address(name), "{name}");
        }
    }

    #[test]
    fn listen_addresses_for_bind_all_interfaces() {
        for name in [
            "BIND_ADDRESS",
            "LISTEN_PORT",
            "HOST",
            "DB_HOST",
            "HTTP_ADDR",
            "ADDRESS",
        ] {
            assert!(names_a_listen_address(name), "{name}");
        }
        for name in ["PORT", "GRPC_PORT", "REDIS_ADDR", "DB_URL"] {
            assert!(!names_a_listen_address(name), "{name}");
        }
    }

    #[test]
    fn host_and_port_pairs() {
        assert_eq!(port_variable_for("DB_HOST").as_deref(), Some("DB_PORT"));
        assert_eq!(port_variable_for("db_host").as_deref(), Some("db_port"));
        assert_eq!(port_variable_for("HTTP_HOST"), None);
        assert_eq!(port_variable_for("HOST"), None);
        assert_eq!(port_variable_for("DB_URL"), None);
    }

    #[test]
    fn listen_flags() {
        for flag in [
            "listen",
            "bind",
            "http-addr",
            "port",
            "metrics-address",
            "serve-on",
            "b",
            "grpc",
        ] {
            assert!(flag_names_own_address(flag), "{flag}");
        }
        for flag in ["upstream", "db", "database-url", "redis-addr", "api"] {
            assert!(!flag_names_own_address(flag), "{flag}");
        }
    }
}

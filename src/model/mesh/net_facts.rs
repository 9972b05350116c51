//! Network facts, classified once: where a mesh task or an application listens, and the URLs
//! it calls — each with where it was written, what it means, the exact spans a message
//! underlines and the edit point a fix needs. Rules filter these facts and word findings;
//! they do not read strings.

use crate::model::mesh::containers::{span_within, Container, EnvVar};
use crate::model::mesh::env_names::{
    flag_names_own_address, names_a_listen_address, names_own_address, port_variable_for,
};
use crate::model::terraform::value::Value;
use crate::net::{
    classify_listen_host, find_urls, parse_listen_address, AddressForm, AllInterfacesSpelling, ListenClass,
    UrlRef,
};
use crate::parse::app::facts::{AppFacts, Listen, ListenAddress};
use crate::source::{FileId, SourceMap, Span};

/// Where a fact is written. A task's facts point at the container and variable they come
/// from (see [`crate::model::mesh::task_network::TaskNetwork::env_var`]) instead of copying its name and
/// provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactSource {
    /// The value of an environment variable of a mesh task's container.
    Env(EnvRef),
    /// A mesh task container's `command`/`entryPoint`: an index into the task's containers.
    Command { container: usize },
    /// An application source file.
    App { file: FileId },
}

/// An environment variable of a mesh task: the container's index among the task's containers,
/// and the variable's index in its `environment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvRef {
    pub container: usize,
    pub var: usize,
}

impl FactSource {
    /// The index of the mesh task container the fact belongs to, when it belongs to one.
    pub fn container(self) -> Option<usize> {
        match self {
            FactSource::Env(EnvRef { container, .. }) | FactSource::Command { container } => Some(container),
            FactSource::App { .. } => None,
        }
    }
}

/// One place a task or app starts listening.
#[derive(Debug, Clone, PartialEq)]
pub struct ListenSite {
    pub source: FactSource,
    /// How users recognise the listener: `http.ListenAndServe`, `gunicorn --bind`; for an
    /// environment variable, its name.
    pub api: String,
    pub binding: Binding,
    /// What a message points at: the host when it has width, else the value or the call.
    pub span: Span,
    /// The edit that makes it listen on `127.0.0.1` only, when one is exact.
    pub to_loopback: Option<LoopbackEdit>,
    /// The environment variable whose fallback the address is, when it is one
    /// (`os.environ.get("HOST", "0.0.0.0")`): where the app listens only when it is unset.
    pub env_fallback: Option<String>,
}

/// Which interfaces a listener takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// Every interface, as written (`0.0.0.0`, `::`, `:8080`).
    AllInterfaces(AllInterfacesSpelling),
    /// No host is given and the framework's default is every interface.
    DefaultAllInterfaces,
    /// Anything else: loopback, one address, a name, unknown.
    Other,
}

impl Binding {
    fn of(class: ListenClass) -> Binding {
        match class {
            ListenClass::AllInterfaces(spelling) => Binding::AllInterfaces(spelling),
            _ => Binding::Other,
        }
    }
}

/// How to make a listener take `127.0.0.1` only.
#[derive(Debug, Clone, PartialEq)]
pub enum LoopbackEdit {
    /// Put `127.0.0.1` in place of the host written there; `empty` when the host is empty
    /// (`:9090`), so the edit adds it.
    ReplaceHost { host: Span, empty: bool },
    /// Insert this text (e.g. `, "127.0.0.1"` after the port argument).
    Insert { at: Span, text: String },
}

/// One URL (or `host:port`) found in a string a task or app holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub source: FactSource,
    /// The whole string the URL was found in, decoded; the URL's ranges point into it.
    pub text: String,
    pub url: UrlRef,
    /// The URL in the file, when the string is written there exactly (no escapes,
    /// no interpolation).
    pub span: Option<Span>,
    /// The host in the file, likewise.
    pub host_span: Option<Span>,
    /// The port number in the file, likewise.
    pub port_span: Option<Span>,
    /// The whole string (value or literal); for a host and port given in two variables, the
    /// host's value.
    pub value_span: Span,
    /// The port's own value, when the port was given in a variable apart from the host
    /// (`DB_PORT` next to `DB_HOST`).
    pub port_value: Option<Span>,
    /// In an application source, the environment variable the string is the fallback of
    /// (`os.getenv("ORDERS_URL", "http://orders:9090")`).
    pub env_fallback: Option<String>,
}

impl Endpoint {
    /// The host as written.
    pub fn host(&self) -> &str {
        self.text.get(self.url.host.clone()).unwrap_or("")
    }

    /// The port number when one is written and valid.
    pub fn port(&self) -> Option<u16> {
        self.url.port.as_ref().and_then(|p| p.number())
    }

    /// Whether the address is one piece of text a URL can replace; not when host and port
    /// are keywords of a connection string or two variables.
    pub fn is_one_url(&self) -> bool {
        self.url.form == AddressForm::Url && self.port_value.is_none()
    }
}

/// What the containers of a mesh task listen on: listen-address environment variables and
/// their commands (read in [`crate::model::mesh::containers::read_commands`]).
pub fn task_listens(containers: &[Container], sources: &SourceMap) -> Vec<ListenSite> {
    let mut sites = Vec::new();
    for (index, container) in containers.iter().enumerate() {
        for listen in &container.command_listens {
            sites.push(from_listen(
                FactSource::Command { container: index },
                listen,
                sources,
            ));
        }
        for (var, env) in container.environment.iter().enumerate() {
            if !names_a_listen_address(&env.name) || paired_port(container, &env.name).is_some() {
                continue;
            }
            let Some(text) = env.value.as_str() else { continue };
            let address = parse_listen_address(text);
            let host = span_within(sources, &env.value, address.host.clone());
            sites.push(ListenSite {
                source: FactSource::Env(EnvRef {
                    container: index,
                    var,
                }),
                api: env.name.clone(),
                binding: Binding::of(address.class),
                // An empty host (`:9090`) has no width to underline: show the value.
                span: host.filter(|h| h.start() < h.end()).unwrap_or(env.value.span),
                to_loopback: host.map(|host| LoopbackEdit::ReplaceHost {
                    host,
                    empty: address.host.is_empty(),
                }),
                env_fallback: None,
            });
        }
    }
    // A task has a few: without this, the first push reserves room for four.
    sites.shrink_to_fit();
    sites
}

/// The URLs in the environment values and commands of a mesh task's containers. A variable
/// or flag whose name says where the app itself listens (`HTTP_ADDR`, `--listen`) holds no
/// call; a host and a port given apart (`DB_HOST` with `DB_PORT`) are one.
pub fn task_endpoints(containers: &[Container], sources: &SourceMap) -> Vec<Endpoint> {
    let mut endpoints = Vec::new();
    for (index, container) in containers.iter().enumerate() {
        for (var, env) in container.environment.iter().enumerate() {
            if names_own_address(&env.name) {
                continue;
            }
            let source = FactSource::Env(EnvRef {
                container: index,
                var,
            });
            if let Some(port_var) = paired_port(container, &env.name) {
                endpoints.extend(host_port_pair(
                    source,
                    env,
                    &container.environment[port_var],
                    sources,
                ));
                continue;
            }
            let Some(text) = env.value.as_str() else { continue };
            endpoints.extend(
                find_urls(text)
                    .into_iter()
                    .map(|url| endpoint_in_value(source, &env.value, text, url, sources)),
            );
        }
        command_endpoints(index, container, sources, &mut endpoints);
    }
    endpoints.shrink_to_fit();
    endpoints
}

/// An endpoint found in a Terraform string value.
fn endpoint_in_value(
    source: FactSource,
    value: &Value,
    text: &str,
    url: UrlRef,
    sources: &SourceMap,
) -> Endpoint {
    let port_span = url
        .port
        .as_ref()
        .and_then(|p| span_within(sources, value, p.range.clone()));
    Endpoint {
        source,
        text: text.to_string(),
        span: span_within(sources, value, url.range.clone()),
        host_span: span_within(sources, value, url.host.clone()),
        port_span,
        url,
        value_span: value.span,
        port_value: None,
        env_fallback: None,
    }
}

/// The index of the `<PREFIX>_PORT` variable next to a `<PREFIX>_HOST` that names a host to
/// call, when the container has one.
fn paired_port(container: &Container, host_name: &str) -> Option<usize> {
    let port_name = port_variable_for(host_name)?;
    container.environment.iter().position(|e| e.name == port_name)
}

/// `DB_HOST = "localhost"` with `DB_PORT = "5432"`: one call to `localhost:5432`. The text is
/// the two values joined by `:`; the host's span is the host value, the port's the port value.
fn host_port_pair(source: FactSource, host: &EnvVar, port: &EnvVar, sources: &SourceMap) -> Option<Endpoint> {
    let host_text = host.value.as_str()?;
    let port_text = port.value.to_template_string()?;
    let text = format!("{host_text}:{}", port_text.trim());
    let url = find_urls(&text).into_iter().next()?;
    // The host value must be a host and nothing more (not a URL of its own).
    if url.range != (0..text.len()) || url.host != (0..host_text.len()) {
        return None;
    }
    let port_span = match port.value.as_str() {
        Some(written) => {
            let lead = written.len() - written.trim_start().len();
            span_within(sources, &port.value, lead..written.trim_end().len().max(lead))
        }
        // A number: its span is the port.
        None => Some(port.value.span),
    };
    Some(Endpoint {
        source,
        span: span_within(sources, &host.value, 0..host_text.len()),
        host_span: span_within(sources, &host.value, 0..host_text.len()),
        port_span,
        url,
        text,
        value_span: host.value.span,
        port_value: Some(port.value.span),
        env_fallback: None,
    })
}

/// URLs and `host:port` values in a container's `command`/`entryPoint` arguments, except
/// those a flag names as where the app listens (`--listen 127.0.0.1:9090`,
/// `-http-addr=:8080`), and listen addresses its command was read to have.
fn command_endpoints(index: usize, container: &Container, sources: &SourceMap, out: &mut Vec<Endpoint>) {
    let mut previous_flag: Option<String> = None;
    for argument in &container.arguments {
        let Some(text) = argument.as_str() else {
            previous_flag = None;
            continue;
        };
        for url in find_urls(text) {
            let flag = flag_before(text, url.range.start).or_else(|| {
                // `--db postgres://…`: the flag is the word before, in this argument or the last.
                (url.range.start == 0).then(|| previous_flag.clone()).flatten()
            });
            if flag.as_deref().is_some_and(flag_names_own_address) {
                continue;
            }
            let endpoint = endpoint_in_value(
                FactSource::Command { container: index },
                argument,
                text,
                url,
                sources,
            );
            // The address a server of the command listens on (`gunicorn --bind …`).
            let listened = container.command_listens.iter().any(|listen| {
                let address = address_span(&listen.address);
                endpoint
                    .span
                    .zip(address)
                    .is_some_and(|(s, a)| a.contains(s) || s.contains(a))
            });
            if !listened {
                out.push(endpoint);
            }
        }
        previous_flag = text
            .trim()
            .strip_prefix('-')
            .map(|f| f.trim_start_matches('-').to_string())
            .filter(|f| !f.contains('=') && !f.contains(' '));
    }
}

/// The flag a value at `at` belongs to, within one argument: `--db=` or `--db ` right before it.
fn flag_before(text: &str, at: usize) -> Option<String> {
    let before = text.get(..at)?.trim_end_matches(['=', ' ', '\'', '"']);
    let word_start = before.rfind(|c: char| c.is_whitespace()).map_or(0, |i| i + 1);
    let word = &before[word_start..];
    let flag = word.strip_prefix('-')?.trim_start_matches('-');
    (!flag.is_empty()).then(|| flag.to_string())
}

/// Every port a task's values name as a port (`…:1234`, or exactly `1234`); `None` when some
/// environment value or command argument is not known.
pub fn mentioned_ports(containers: &[Container]) -> Option<Vec<u16>> {
    // A secret's value is not in the configuration: it may hold the port.
    let known = containers.iter().all(|c| {
        !c.has_unknown_environment
            && c.secret_names.is_empty()
            && c.environment.iter().all(|e| e.value.is_known())
    });
    if !known {
        return None;
    }
    let mut ports = Vec::new();
    for value in containers
        .iter()
        .flat_map(|c| c.environment.iter().map(|e| &e.value).chain(&c.arguments))
    {
        if let Some(text) = value.to_template_string() {
            port_mentions(&text, &mut ports);
        }
    }
    ports.sort_unstable();
    ports.dedup();
    ports.shrink_to_fit();
    Some(ports)
}

/// Ports `text` names: digits right after a `:` (not followed by another digit), the value of
/// a `port=` keyword (libpq's `host=localhost port=5432 …`, also `;port=` and `&port=` in
/// connection strings and query strings), or the whole trimmed text. Written without a
/// leading zero, as a port is.
fn port_mentions(text: &str, out: &mut Vec<u16>) {
    let as_port = |digits: &str| -> Option<u16> {
        let plain =
            !digits.is_empty() && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit());
        plain.then(|| digits.parse().ok()).flatten()
    };
    out.extend(as_port(text.trim()));
    for (colon, _) in text.match_indices(':') {
        let after = &text[colon + 1..];
        let digits = &after[..after.bytes().take_while(u8::is_ascii_digit).count()];
        out.extend(as_port(digits));
    }
    let lower = text.to_ascii_lowercase();
    for (at, key) in lower.match_indices("port") {
        // A whole keyword: `port=`, not `sport=` or `report=`.
        let starts_word = lower[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
        let rest = lower[at + key.len()..].trim_start();
        let Some(value) = rest.strip_prefix('=') else {
            continue;
        };
        if !starts_word {
            continue;
        }
        let value = value.trim_start().trim_start_matches(['\'', '"']);
        let digits = &value[..value.bytes().take_while(u8::is_ascii_digit).count()];
        out.extend(as_port(digits));
    }
}

/// What an application source says: where it listens and the URLs its strings hold.
pub fn app_listens(file: FileId, facts: &AppFacts, sources: &SourceMap) -> Vec<ListenSite> {
    facts
        .listens
        .iter()
        .map(|listen| from_listen(FactSource::App { file }, listen, sources))
        .collect()
}

pub fn app_endpoints(file: FileId, facts: &AppFacts, sources: &SourceMap) -> Vec<Endpoint> {
    // A URL that is where the app listens (ZeroMQ's `sock.bind("tcp://127.0.0.1:5555")`) is
    // no call.
    let listen_addresses: Vec<Span> = facts
        .listens
        .iter()
        .filter_map(|l| address_span(&l.address))
        .collect();
    let mut endpoints = Vec::new();
    for literal in &facts.strings {
        if listen_addresses
            .iter()
            .any(|a| a.contains(literal.span) || literal.span.contains(*a))
        {
            continue;
        }
        for url in find_urls(&literal.value) {
            let port_span = url
                .port
                .as_ref()
                .and_then(|p| sources.subspan(literal.span, &literal.value, p.range.clone()));
            endpoints.push(Endpoint {
                source: FactSource::App { file },
                text: literal.value.clone(),
                span: sources.subspan(literal.span, &literal.value, url.range.clone()),
                host_span: sources.subspan(literal.span, &literal.value, url.host.clone()),
                port_span,
                url,
                value_span: literal.span,
                port_value: None,
                env_fallback: literal.env_fallback.clone(),
            });
        }
    }
    endpoints.shrink_to_fit();
    endpoints
}

/// Where a listen address is written, when it is a literal.
fn address_span(address: &ListenAddress) -> Option<Span> {
    match address {
        ListenAddress::HostPort { span, .. } | ListenAddress::Host { span, .. } => Some(*span),
        ListenAddress::EnvFallback { fallback, .. } => address_span(fallback),
        ListenAddress::Default { .. } | ListenAddress::Unknown => None,
    }
}

/// A listener a reader found (in a source file or a container command), classified.
fn from_listen(source: FactSource, listen: &Listen, sources: &SourceMap) -> ListenSite {
    classify(source, listen, &listen.address, None, sources)
}

fn classify(
    source: FactSource,
    listen: &Listen,
    address: &ListenAddress,
    env_fallback: Option<&str>,
    sources: &SourceMap,
) -> ListenSite {
    let site = |binding, span, to_loopback| ListenSite {
        source,
        api: listen.api.clone(),
        binding,
        span,
        to_loopback,
        env_fallback: env_fallback.map(str::to_string),
    };
    match address {
        ListenAddress::EnvFallback { variable, fallback } => {
            classify(source, listen, fallback, Some(variable), sources)
        }
        ListenAddress::HostPort { text, span } => {
            let address = parse_listen_address(text);
            let host = sources.subspan(*span, text, address.host.clone());
            site(
                Binding::of(address.class),
                host.filter(|h| h.start() < h.end()).unwrap_or(*span),
                host.map(|host| LoopbackEdit::ReplaceHost {
                    host,
                    empty: address.host.is_empty(),
                }),
            )
        }
        ListenAddress::Host { text, span } => {
            let exact = sources.slice(*span) == text;
            site(
                Binding::of(classify_listen_host(text)),
                *span,
                exact.then_some(LoopbackEdit::ReplaceHost {
                    host: *span,
                    empty: false,
                }),
            )
        }
        ListenAddress::Default {
            all_interfaces: true,
            insert,
        } => site(
            Binding::DefaultAllInterfaces,
            listen.span,
            insert.as_ref().map(|(at, text)| LoopbackEdit::Insert {
                at: *at,
                text: text.clone(),
            }),
        ),
        ListenAddress::Default { .. } | ListenAddress::Unknown => site(Binding::Other, listen.span, None),
    }
}

#[cfg(test)]
mod tests {
    use super::port_mentions;

    fn mentions(text: &str) -> Vec<u16> {
        let mut out = Vec::new();
        port_mentions(text, &mut out);
        out
    }

    #[test]
    fn ports_are_digits_after_a_colon_or_the_whole_value() {
        assert_eq!(mentions("http://localhost:1234/x"), [1234]);
        assert_eq!(mentions(" 8080 "), [8080]);
        assert_eq!(mentions("::8080"), [8080]);
        assert!(
            mentions(":80801").is_empty(),
            "a longer number is another port (or none)"
        );
        assert!(
            mentions(":08080").is_empty() && mentions("08080").is_empty(),
            "no leading zero"
        );
        assert!(mentions("+80").is_empty() && mentions(":0").is_empty());
        assert_eq!(mentions("a:1,b:2"), [1, 2]);
    }
}

//! The text that sends a call through the sidecar instead of straight to the
//! service: `http://backend:8080/x` becomes `http://localhost:<port>/x`.

use super::span::slice;
use super::url::UrlRef;

/// Which scheme a sidecar replacement URL uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplacementScheme {
    /// Drop TLS (`https` → `http`, `grpcs` → `grpc`, `wss` → `ws`). Right for
    /// the consul-ecs sidecar: its upstream listener on localhost speaks plain
    /// HTTP/TCP to the app and does mTLS to the other proxy itself, so an
    /// `https://localhost:<port>` call would fail the TLS handshake.
    Plaintext,
    /// Keep the scheme as written (lower-cased), for callers that know the
    /// upstream listener terminates TLS.
    AsWritten,
}

/// The text that replaces `url.range` so the call goes through the sidecar's
/// upstream listener: `[<scheme>://][<userinfo>@]localhost:<local_bind_port><path>`.
///
/// Keeps the userinfo (credentials still go to the service), the path, query
/// and fragment (placeholders in them included); a bare `host:port` stays
/// without a scheme. Uses `localhost`, as the consul-ecs docs do.
/// `text` must be the string `url` was found in.
pub fn sidecar_replacement(
    text: &str,
    url: &UrlRef,
    local_bind_port: u16,
    scheme: ReplacementScheme,
) -> String {
    let mut out = String::new();
    if let Some(written) = url.scheme {
        let chosen = match scheme {
            ReplacementScheme::Plaintext => written.plaintext(),
            ReplacementScheme::AsWritten => written,
        };
        out.push_str(chosen.as_str());
        out.push_str("://");
    }
    if let Some(userinfo) = &url.userinfo {
        out.push_str(slice(text, userinfo));
        out.push('@');
    }
    out.push_str("localhost:");
    out.push_str(&local_bind_port.to_string());
    out.push_str(slice(text, &url.path));
    out
}

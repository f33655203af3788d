//! The HTTP side of `serve`: pretty URLs, the base-url prefix, ETags, HEAD,
//! and the live-reload endpoints. Files come only from the in-memory build,
//! so no request can ever read a file outside the site. Connections and
//! their limits are `connection`'s.

use std::net::TcpListener;
use std::sync::Arc;

use super::connection::{self, Request};
use super::{Broadcaster, Shared, SiteState};

const LIVE_RELOAD_JS: &str = include_str!("live-reload.js");

pub(super) fn bind(host: &str, port: u16) -> Result<TcpListener, String> {
    TcpListener::bind((host, port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            format!("port {port} on {host} is already in use: stop the other server, or pass --port 0 to pick a free one")
        } else {
            format!("cannot listen on {host}:{port}: {e}")
        }
    })
}

/// Serves until the process ends. A server listening on this machine only
/// answers requests addressed to it by a local name (see [`is_local_host`]).
pub(super) fn run(listener: TcpListener, state: Shared, broadcaster: Broadcaster) {
    let local_only = listener.local_addr().is_ok_and(|a| a.ip().is_loopback());
    connection::run(listener, move |request| {
        handle(request, &state, &broadcaster, local_only)
    });
}

fn handle(request: Request, state: &Shared, broadcaster: &Broadcaster, local_only: bool) {
    let site = state.read().expect("state lock").clone();
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        let headers = [("Content-Type", "text/plain"), ("Allow", "GET, HEAD")];
        return request.respond(405, &headers, b"method not allowed");
    }
    if local_only && !is_local_host(request.header("Host")) {
        let body = b"this server only answers requests for localhost";
        return request.respond(403, &[("Content-Type", "text/plain")], body);
    }
    let target = request.target.split('#').next().unwrap_or("/").to_string();
    let (raw_path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_string(), format!("?{query}")),
        None => (target.clone(), String::new()),
    };
    // Serve-mode endpoints answer at the server root and under the base path.
    let special = raw_path
        .strip_prefix(site.base_path.trim_end_matches('/'))
        .unwrap_or(&raw_path);
    match special {
        "/__touchstone/events" => return broadcaster.add(request),
        "/__touchstone/live-reload.js" => {
            return respond(
                request,
                200,
                "text/javascript; charset=utf-8",
                LIVE_RELOAD_JS.as_bytes().into(),
                None,
            );
        }
        "/__touchstone/errors.json" => {
            let json = super::overlay_json(&site.errors);
            return respond(
                request,
                200,
                "application/json",
                json.as_bytes().into(),
                None,
            );
        }
        _ => {}
    }
    let Some(path) = decode_path(&raw_path) else {
        return respond(
            request,
            400,
            "text/plain; charset=utf-8",
            b"bad request path"[..].into(),
            None,
        );
    };
    let Some(rel) = path.strip_prefix(&site.base_path) else {
        if path == "/" || path.is_empty() {
            return redirect(request, &format!("{}{query}", site.base_path));
        }
        return not_found(request, &site);
    };
    if let Some((key, file)) = lookup(&site, rel) {
        if key.ends_with("index.html")
            && !rel.is_empty()
            && !rel.ends_with('/')
            && !rel.ends_with(".html")
        {
            // `/search?q=x` becomes `/search/?q=x`: the query is the search.
            return redirect(request, &format!("{raw_path}/{query}"));
        }
        let etag = file.etag().to_string();
        let status = match request.header("If-None-Match") == Some(etag.as_str()) {
            true => 304,
            false => 200,
        };
        return respond(
            request,
            status,
            content_type(&key),
            file.bytes.clone(),
            Some(&etag),
        );
    }
    not_found(request, &site)
}

/// Whether a `Host` header names this machine. A page on another site can
/// point its own host name at 127.0.0.1 (DNS rebinding) and read the
/// answers; such requests carry that other name, and are refused. Clients
/// that send no `Host` (HTTP/1.0 tools) are not browsers, and are served.
fn is_local_host(host: Option<&str>) -> bool {
    let Some(host) = host else { return true };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Finds `rel` as a file, or as a folder with an `index.html`.
fn lookup<'a>(site: &'a SiteState, rel: &str) -> Option<(String, &'a super::Served)> {
    let trimmed = rel.trim_end_matches('/');
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![crate::output::index_html(rel)]
    } else {
        vec![rel.to_string(), format!("{trimmed}/index.html")]
    };
    candidates
        .into_iter()
        .find_map(|c| site.files.get(&c).map(|f| (c, f)))
}

/// Percent-decodes a request path, refusing traversal, NULs and backslashes.
pub(super) fn decode_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') {
        return None;
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    let unsafe_segment = path.split('/').any(|s| s == ".." || s == ".");
    if unsafe_segment || path.contains('\0') || path.contains('\\') || path.contains("//") {
        return None;
    }
    // An encoded slash must not become a path separator.
    if raw.to_ascii_lowercase().contains("%2f") {
        return None;
    }
    Some(path)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Answers with `body`, shared with the site in memory rather than copied.
fn respond(request: Request, status: u16, content_type: &str, body: Arc<[u8]>, etag: Option<&str>) {
    let mut headers = vec![
        ("Content-Type", content_type),
        ("Cache-Control", "no-cache"),
    ];
    headers.extend(etag.map(|etag| ("ETag", etag)));
    write_response(request, status, &headers, &body);
}

fn redirect(request: Request, to: &str) {
    write_response(request, 302, &[("Location", to)], b"");
}

/// Writes the whole response; the connection closes after it.
fn write_response(request: Request, status: u16, headers: &[(&str, &str)], body: &[u8]) {
    if headers
        .iter()
        .any(|(_, value)| value.contains(['\r', '\n']))
    {
        // Never let a requested path split a header (a redirect's Location).
        return request.respond(400, &[], b"bad request path");
    }
    request.respond(status, headers, body);
}

fn not_found(request: Request, site: &SiteState) {
    match site.files.get("404.html") {
        Some(page) => respond(
            request,
            404,
            "text/html; charset=utf-8",
            page.bytes.clone(),
            None,
        ),
        None => {
            let body = error_page(site);
            respond(
                request,
                404,
                "text/html; charset=utf-8",
                body.as_bytes().into(),
                None,
            )
        }
    }
}

/// Shown when no build has ever succeeded: the errors, and the reload script.
fn error_page(site: &SiteState) -> String {
    let items: String = site
        .errors
        .iter()
        .map(|d| {
            format!(
                "<li><code>{}</code> {}</li>",
                crate::markdown::html_escape(&d.location()),
                crate::markdown::html_escape(&d.message)
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body><main><h1>The site does not build yet</h1><ul>{items}</ul></main><script src=\"/__touchstone/live-reload.js\"></script></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_names_are_local_hosts() {
        for local in [
            None,
            Some("localhost"),
            Some("localhost:3000"),
            Some("127.0.0.1:3000"),
            Some("127.1.2.3"),
            Some("[::1]:3000"),
            Some("docs.localhost:3000"),
        ] {
            assert!(is_local_host(local), "{local:?}");
        }
        for remote in [
            "evil.example:3000",
            "evil.example",
            "10.0.0.5:3000",
            "[::2]",
        ] {
            assert!(!is_local_host(Some(remote)), "{remote}");
        }
    }

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        assert_eq!(decode_path("/roles/a/").as_deref(), Some("/roles/a/"));
        assert_eq!(decode_path("/r%C3%A9f/").as_deref(), Some("/réf/"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/b",
            "/a%2fb",
            "/a%5c..%5cb",
            "/a%00",
            "//etc/passwd",
            "/%zz",
            "etc",
        ] {
            assert_eq!(decode_path(bad), None, "{bad}");
        }
    }
}

//! The HTTP side of `serve`: pretty URLs, the base-url prefix, ETags, HEAD,
//! and the live-reload endpoints. Files come only from the in-memory build,
//! so no request can ever read a file outside the site.

use std::sync::Arc;

use tiny_http::{Method, Request, Server, StatusCode};

use super::{Broadcaster, Shared, SiteState};

const LIVE_RELOAD_JS: &str = include_str!("live-reload.js");
const WORKERS: usize = 4;

pub(super) fn bind(host: &str, port: u16) -> Result<Server, String> {
    Server::http((host, port)).map_err(|e| {
        let in_use = e.to_string().contains("in use");
        if in_use {
            format!("port {port} on {host} is already in use: stop the other server, or pass --port 0 to pick a free one")
        } else {
            format!("cannot listen on {host}:{port}: {e}")
        }
    })
}

/// Serves until the process ends, on a few worker threads.
pub(super) fn run(server: Server, state: Shared, broadcaster: Broadcaster) {
    let server = Arc::new(server);
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, state, broadcaster) = (server.clone(), state.clone(), broadcaster.clone());
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    handle(request, &state, &broadcaster);
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
}

fn handle(request: Request, state: &Shared, broadcaster: &Broadcaster) {
    let site = state.read().expect("state lock").clone();
    if !matches!(request.method(), Method::Get | Method::Head) {
        let body = b"method not allowed";
        return write_response(request, 405, &[("Content-Type", "text/plain")], body);
    }
    let raw_path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    // Serve-mode endpoints answer at the server root and under the base path.
    let special = raw_path
        .strip_prefix(site.base_path.trim_end_matches('/'))
        .unwrap_or(&raw_path);
    match special {
        "/__touchstone/events" => return broadcaster.add(request.into_writer()),
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
            let json = crate::diagnostics::render_json(&site.errors);
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
            return redirect(request, &site.base_path);
        }
        return not_found(request, &site);
    };
    if let Some((key, file)) = lookup(&site, rel) {
        if key.ends_with("index.html")
            && !rel.is_empty()
            && !rel.ends_with('/')
            && !rel.ends_with(".html")
        {
            return redirect(request, &format!("{path}/"));
        }
        let etag = file.etag().to_string();
        let fresh = request
            .headers()
            .iter()
            .any(|h| h.field.equiv("If-None-Match") && h.value.as_str() == etag);
        if fresh {
            return respond(
                request,
                304,
                content_type(&key),
                file.bytes.clone(),
                Some(&etag),
            );
        }
        return respond(
            request,
            200,
            content_type(&key),
            file.bytes.clone(),
            Some(&etag),
        );
    }
    not_found(request, &site)
}

/// Finds `rel` as a file, or as a folder with an `index.html`.
fn lookup<'a>(site: &'a SiteState, rel: &str) -> Option<(String, &'a super::Served)> {
    let trimmed = rel.trim_end_matches('/');
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![format!("{rel}index.html")]
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

/// Writes the whole response and asks the client to close the connection.
/// tiny_http keeps each connection on a pool thread until the client closes
/// it, and its pool can leave a new connection queued while every thread
/// waits on an idle keep-alive one: a page's seventh request then hangs.
/// Closing after each response keeps the threads free (on localhost a new
/// connection costs next to nothing).
fn write_response(request: Request, status: u16, headers: &[(&str, &str)], body: &[u8]) {
    use std::io::Write;
    if headers
        .iter()
        .any(|(_, value)| value.contains(['\r', '\n']))
    {
        // Never let a requested path split a header (a redirect's Location).
        return write_response(request, 400, &[], b"bad request path");
    }
    let head_only = request.method() == &Method::Head;
    let body = if status == 304 { &[][..] } else { body };
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\n",
        StatusCode(status).default_reason_phrase()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut writer = request.into_writer();
    let _ = writer
        .write_all(head.as_bytes())
        .and_then(|()| match head_only {
            true => Ok(()),
            false => writer.write_all(body),
        })
        .and_then(|()| writer.flush());
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

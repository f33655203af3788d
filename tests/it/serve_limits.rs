//! What a hostile or careless client can cost `touchstone serve`: idle,
//! trickling and oversized requests and stuck live-reload pages are bounded,
//! and the server says when it is open to the network. Each test talks to
//! the real binary over real sockets, with sizes small enough to stay quick.

use crate::common::http::{Server, get, request};
use crate::common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Resident memory (KB) and thread count of a process, from `/proc`.
fn rss_and_threads(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status"))
    };
    (field("VmRSS:"), field("Threads:"))
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

/// Everything the server sends until it closes the connection.
fn read_all(stream: &mut TcpStream) -> String {
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    String::from_utf8_lossy(&raw).into_owned()
}

fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[cfg(target_os = "linux")]
#[test]
fn idle_connections_take_turns_and_never_hold_a_thread_each() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let pid = server.child.id();
    // Once a request is answered, every worker thread has started.
    assert_eq!(get(server.port, "/").status, 200);
    let (_, threads_before) = rss_and_threads(pid);
    let mut idle: Vec<TcpStream> = (0..100).map(|_| connect(server.port)).collect();
    std::thread::sleep(Duration::from_millis(300));
    let (_, threads_held) = rss_and_threads(pid);
    assert!(
        threads_held <= threads_before + 2,
        "100 idle connections took {threads_before} -> {threads_held} threads"
    );
    let start = Instant::now();
    let page = get(server.port, "/roles/driver/");
    assert_eq!(page.status, 200, "a real request is served meanwhile");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "served in {:?} beside 100 idle connections",
        start.elapsed()
    );
    for stream in &mut idle {
        let mut answer = Vec::new();
        let closed = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            closed.is_ok() && (answer.is_empty() || status_of(&answer) == 408),
            "an idle connection is timed out and closed: {closed:?} {answer:?}"
        );
    }
    let (_, threads_after) = rss_and_threads(pid);
    assert!(threads_after <= threads_before + 2, "{threads_after}");
}

#[test]
fn a_client_trickling_its_headers_is_cut_off_at_the_deadline() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let mut stream = connect(server.port);
    stream.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    let start = Instant::now();
    let mut reader = stream.try_clone().unwrap();
    let trickle = std::thread::spawn(move || {
        while stream.write_all(b"X-Slow: y\r\n").is_ok() {
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    let answer = read_all(&mut reader);
    assert_eq!(status_of(&answer), 408, "{answer:?}");
    assert!(
        start.elapsed() < Duration::from_secs(8),
        "cut off after {:?}",
        start.elapsed()
    );
    trickle.join().unwrap();
}

/// Sends `prefix` and then header lines up to `total` bytes, stopping when
/// the server stops reading; returns what the server answered.
fn send_endless_headers(port: u16, total: usize) -> String {
    let mut stream = connect(port);
    let mut reader = stream.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        let line = format!("X-Filler: {}\r\n", "a".repeat(1000));
        let mut sent = stream.write_all(b"GET / HTTP/1.1\r\n").map(|()| 0);
        while let Ok(n) = sent
            && n < total
        {
            sent = stream.write_all(line.as_bytes()).map(|()| n + line.len());
        }
    });
    let answer = read_all(&mut reader);
    sender.join().unwrap();
    answer
}

#[cfg(target_os = "linux")]
#[test]
fn oversized_urls_and_headers_are_refused_and_memory_stays_flat() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let long_url = format!("/{}", "a".repeat(9 * 1024));
    assert_eq!(get(server.port, &long_url).status, 414);
    let big_header = "b".repeat(17 * 1024);
    let answer = request(server.port, "GET", "/", &[("X-Big", &big_header)]);
    assert_eq!(answer.status, 431);
    let (rss_before, _) = rss_and_threads(server.child.id());
    let senders: Vec<_> = (0..4)
        .map(|_| {
            let port = server.port;
            std::thread::spawn(move || send_endless_headers(port, 8 << 20))
        })
        .collect();
    for sender in senders {
        let answer = sender.join().unwrap();
        assert_eq!(
            status_of(&answer),
            431,
            "{:?}",
            &answer[..answer.len().min(80)]
        );
    }
    let (rss_after, _) = rss_and_threads(server.child.id());
    assert!(
        rss_after < rss_before + 8 * 1024,
        "4 endless headers of 8 MB grew memory from {rss_before} KB to {rss_after} KB"
    );
    assert_eq!(get(server.port, "/roles/driver/").status, 200);
}

/// A role owning `n` moments that do not exist: `n` errors in one build.
fn role_with_errors(title: &str, n: usize) -> String {
    let owns: String = (0..n)
        .map(|i| format!("  - missing-moment-{i:04}\n"))
        .collect();
    format!("---\ntitle: {title}\nowns:\n{owns}---\n")
}

/// Live-reload events as (event, data), read on a thread of their own.
fn event_stream(port: u16) -> std::sync::mpsc::Receiver<(String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET /__touchstone/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && tx.send((event.clone(), data.to_string())).is_err()
            {
                return;
            }
        }
    });
    rx
}

#[test]
fn a_live_reload_page_that_stops_reading_does_not_delay_the_others() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let mut stuck = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stuck
        .write_all(b"GET /__touchstone/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let events = event_stream(server.port);
    std::thread::sleep(Duration::from_millis(200));
    for save in 0..10 {
        site.write(
            "content/roles/agent.md",
            &role_with_errors(&format!("Agent {save}"), 2000),
        );
        // Generous for a busy machine: a blocked broadcaster never sends at all.
        let (event, data) = events
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("save {save}: no event within 20 s while a page is stuck"));
        assert_eq!(event, "build-error");
        assert!(
            data.len() < 20_000,
            "save {save}: a {} byte event for 2,000 errors",
            data.len()
        );
        assert!(data.contains("and 1950 more errors"), "{data}");
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(stuck);
}

/// Starts serve with `args` and returns its terminal output up to the line
/// saying where it serves (or up to its exit).
fn serve_output(site: &TestSite, args: &[&str]) -> (String, Option<i32>) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_touchstone"))
        .arg("serve")
        .args(args)
        .arg("--root")
        .arg(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            text.push_str(&line);
            text.push('\n');
        }
        text
    });
    let mut out = String::new();
    for line in BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
    {
        out.push_str(&line);
        out.push('\n');
        if line.starts_with("serving ") {
            break;
        }
    }
    let _ = child.kill();
    let code = child.wait().unwrap().code();
    (out + &errors.join().unwrap(), code)
}

#[test]
fn listening_beyond_this_machine_warns_that_the_site_is_readable_by_the_network() {
    let site = TestSite::new(&small_site());
    let (output, _) = serve_output(&site, &["--host", "0.0.0.0", "--port", "0"]);
    assert!(
        output.contains("warning: listening on 0.0.0.0:")
            && output.contains("anyone on the network")
            && output.contains("drafts"),
        "{output}"
    );
    let (output, _) = serve_output(&site, &["--host", "127.0.0.1", "--port", "0"]);
    assert!(!output.contains("warning: listening"), "{output}");
}

#[test]
fn a_busy_port_is_reported_before_the_first_build() {
    let site = TestSite::new(&small_site());
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port().to_string();
    let (output, code) = serve_output(&site, &["--port", &port]);
    assert_eq!(code, Some(2), "{output}");
    assert!(output.contains("already in use"), "{output}");
    assert!(
        !output.contains("first build"),
        "the site was built before the port was tried: {output}"
    );
}

#[test]
fn a_search_query_survives_the_redirect_to_the_search_page() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let redirect = get(server.port, "/search?q=call+ahead");
    assert_eq!(
        (redirect.status, redirect.header("Location")),
        (302, Some("/search/?q=call+ahead"))
    );
    site.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[site]\nbase-url = \"/cx/\"\n",
    );
    let server = Server::start(site.root(), &[]);
    for (asked, sent_to) in [("/cx/search?q=x", "/cx/search/?q=x"), ("/?q=x", "/cx/?q=x")] {
        let redirect = get(server.port, asked);
        assert_eq!(redirect.header("Location"), Some(sent_to), "{asked}");
    }
}

/// Sends `head` as it is and returns the whole answer.
fn raw_request(port: u16, head: &str) -> String {
    let mut stream = connect(port);
    stream.write_all(head.as_bytes()).unwrap();
    read_all(&mut stream)
}

#[test]
fn requests_for_another_host_name_are_refused_on_a_local_server() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let ask = |host: &str| {
        raw_request(
            server.port,
            &format!("GET /roles/driver/ HTTP/1.1\r\nHost: {host}\r\n\r\n"),
        )
    };
    let rebound = ask("evil.example");
    assert_eq!(status_of(&rebound), 403, "{rebound}");
    assert!(!rebound.contains("Driver"));
    assert_eq!(status_of(&ask(&format!("127.0.0.1:{}", server.port))), 200);
    assert_eq!(status_of(&ask("localhost")), 200);
    let two_hosts = "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n";
    assert_eq!(status_of(&raw_request(server.port, two_hosts)), 400);
}

#[test]
fn only_get_and_head_are_answered_and_each_connection_closes() {
    let site = TestSite::new(&small_site());
    let server = Server::start(site.root(), &[]);
    let post = raw_request(
        server.port,
        "POST /roles/driver/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n",
    );
    assert_eq!(status_of(&post), 405, "{post}");
    // Two requests sent at once on one connection: only the first is answered.
    let both = raw_request(
        server.port,
        "GET /roles/ HTTP/1.1\r\nHost: localhost\r\n\r\nGET /roles/driver/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
    );
    assert_eq!(both.matches("HTTP/1.1 ").count(), 1, "{both}");
    assert!(both.contains("Connection: close"));
}

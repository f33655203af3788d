//! Connections of `serve`, with every resource a client can tie up bounded:
//! a fixed number of worker threads, a bounded queue of accepted
//! connections, a size limit on the request line and the headers, and
//! deadlines for receiving a request and for sending its response.
//!
//! Each connection carries one request (GET or HEAD, no body) and is closed
//! after its response, so a worker is never held by an idle keep-alive
//! connection. A live-reload stream leaves the worker for the broadcaster.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest request target (path and query) answered; longer gets 414.
pub(super) const MAX_URL: usize = 8 * 1024;
/// Most bytes of headers read; more gets 431.
pub(super) const MAX_HEADERS: usize = 16 * 1024;
/// Time from accepting a connection to the end of its request's headers:
/// a client that sent part of a request is answered 408 when it runs out, an
/// idle one is closed.
pub(super) const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// Time to send one response to a client that reads slowly.
pub(super) const WRITE_DEADLINE: Duration = Duration::from_secs(30);
/// Threads reading requests and writing responses.
pub(super) const WORKERS: usize = 8;
/// Accepted connections waiting for a worker; past this, new ones get 503.
pub(super) const QUEUE: usize = 256;

/// One request: its method, its target (`/roles/a/?q=x`) and headers.
pub(crate) struct Request {
    pub method: String,
    pub target: String,
    headers: Vec<(String, String)>,
    stream: TcpStream,
}

impl Request {
    /// The first value of a header, by case-insensitive name.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Writes a whole response within [`WRITE_DEADLINE`] and closes the
    /// connection. The body is left out for HEAD and 304.
    pub(crate) fn respond(self, status: u16, headers: &[(&str, &str)], body: &[u8]) {
        let body = if status == 304 { &[][..] } else { body };
        let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ));
        // HEAD gets the length GET would, without the body.
        let body = if self.method == "HEAD" { &[][..] } else { body };
        let mut stream = self.stream;
        let deadline = Instant::now() + WRITE_DEADLINE;
        if write_by(&mut stream, head.as_bytes(), deadline).is_ok() {
            let _ = write_by(&mut stream, body, deadline);
        }
        let _ = stream.shutdown(Shutdown::Write);
    }

    /// The connection itself, for a response that stays open (live reload).
    pub(crate) fn into_stream(self) -> TcpStream {
        self.stream
    }
}

/// A connection whose request head is still arriving.
struct Arriving {
    stream: TcpStream,
    accepted: Instant,
    head: Vec<u8>,
}

/// Connections waiting for a worker: new ones, and ones whose head is
/// incomplete, put back by the worker that found nothing to read yet.
#[derive(Clone)]
struct Queue {
    put: SyncSender<Arriving>,
    take: Arc<Mutex<Receiver<Arriving>>>,
}

impl Queue {
    /// Queues a connection, or answers 503 at once when the queue is full:
    /// a flood of connections costs a bounded amount, never a thread each.
    fn offer(&self, arriving: Arriving) {
        if let Err(TrySendError::Full(mut arriving)) = self.put.try_send(arriving) {
            let _ = arriving
                .stream
                .set_write_timeout(Some(Duration::from_millis(200)));
            let _ = arriving.stream.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n",
            );
            let _ = arriving.stream.shutdown(Shutdown::Write);
        }
    }
}

/// Accepts connections forever and hands each to one of [`WORKERS`]
/// threads running `handle`.
pub(super) fn run(listener: TcpListener, handle: impl Fn(Request) + Send + Sync + 'static) {
    let (put, take) = sync_channel::<Arriving>(QUEUE);
    let queue = Queue {
        put,
        take: Arc::new(Mutex::new(take)),
    };
    let handle = Arc::new(handle);
    for _ in 0..WORKERS {
        let (queue, handle) = (queue.clone(), handle.clone());
        std::thread::spawn(move || work(&queue, &*handle));
    }
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        queue.offer(Arriving {
            stream,
            accepted: Instant::now(),
            head: Vec::new(),
        });
    }
}

/// Takes connections in turn. A connection with nothing to read goes back
/// to the end of the queue after [`TURN`], so idle and trickling clients
/// take turns with real requests instead of holding a worker each.
fn work(queue: &Queue, handle: &(dyn Fn(Request) + Sync)) {
    loop {
        let next = queue.take.lock().expect("queue lock").recv();
        let Ok(mut arriving) = next else { return };
        let deadline = arriving.accepted + HEAD_DEADLINE;
        let turn = (Instant::now() + TURN).min(deadline);
        match read_head(&mut arriving.stream, &mut arriving.head, turn) {
            Ok(true) => match parse_head(&arriving.head) {
                Ok((method, target, headers)) => handle(Request {
                    method,
                    target,
                    headers,
                    stream: arriving.stream,
                }),
                Err(refusal) => refuse(arriving.stream, refusal),
            },
            Ok(false) if Instant::now() < deadline => queue.offer(arriving),
            // A connection that never sent a byte (a browser's spare one) is
            // closed quietly: a 408 there could be taken for the answer to
            // the request the browser sends on it next.
            Ok(false) if arriving.head.is_empty() => {}
            Ok(false) => refuse(arriving.stream, Refusal::TimedOut),
            Err(refusal) => refuse(arriving.stream, refusal),
        }
    }
}

/// How long a worker waits on one connection's head before taking the next.
const TURN: Duration = Duration::from_millis(10);

/// Why a request was not read.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refusal {
    /// The client closed or failed before sending a request: nothing to answer.
    Gone,
    /// 400: not an HTTP/1 request head.
    Malformed,
    /// 408: no complete request head before the deadline.
    TimedOut,
    /// 414: the request target is longer than [`MAX_URL`].
    UrlTooLong,
    /// 431: the headers are larger than [`MAX_HEADERS`].
    HeadersTooLarge,
}

impl Refusal {
    fn status(&self) -> Option<u16> {
        match self {
            Refusal::Gone => None,
            Refusal::Malformed => Some(400),
            Refusal::TimedOut => Some(408),
            Refusal::UrlTooLong => Some(414),
            Refusal::HeadersTooLarge => Some(431),
        }
    }
}

/// Answers a refused request and closes the connection. A client refused
/// for its size may still be sending: what has already arrived is read
/// first, for a moment, since closing with unread bytes resets the
/// connection and the client would never see the status.
fn refuse(mut stream: TcpStream, refusal: Refusal) {
    let Some(status) = refusal.status() else {
        return;
    };
    let response = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        reason(status),
        reason(status).len(),
        reason(status)
    );
    let _ = write_by(
        &mut stream,
        response.as_bytes(),
        Instant::now() + Duration::from_secs(1),
    );
    let _ = stream.shutdown(Shutdown::Write);
    if matches!(refusal, Refusal::UrlTooLong | Refusal::HeadersTooLarge) {
        drain(&mut stream);
    }
}

/// Reads and drops what the client sends, until it pauses, for at most a
/// fifth of a second and 256 KB: bounded, so a client that never stops
/// cannot hold the worker.
fn drain(stream: &mut TcpStream) {
    let deadline = Instant::now() + Duration::from_millis(200);
    let _ = stream.set_read_timeout(Some(TURN));
    let mut sink = [0u8; 8192];
    let mut drained = 0;
    while drained < 256 * 1024 && Instant::now() < deadline {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

/// Reads more of a request head into `head` until it is complete
/// (`true`), or `until` passes or the client has nothing more to send now
/// (`false`). Reads no further than the limits allow, however much the
/// client sends.
fn read_head(
    stream: &mut impl ReadWithTimeout,
    head: &mut Vec<u8>,
    until: Instant,
) -> Result<bool, Refusal> {
    // Room for the method and version around the longest target.
    let line_limit = MAX_URL + 64;
    let mut chunk = [0u8; 4096];
    loop {
        let Some(left) = until.checked_duration_since(Instant::now()) else {
            return Ok(false);
        };
        stream.set_timeout(left.max(Duration::from_millis(1)));
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Err(Refusal::Gone),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Ok(false);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Err(Refusal::Gone),
        };
        let searched_from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..n]);
        let Some(line_end) = head.iter().position(|&b| b == b'\n') else {
            match head.len() > line_limit {
                true => return Err(Refusal::UrlTooLong),
                false => continue,
            }
        };
        if line_end > line_limit {
            return Err(Refusal::UrlTooLong);
        }
        let end = head_end(head, searched_from);
        if end.unwrap_or(head.len()) - line_end > MAX_HEADERS {
            return Err(Refusal::HeadersTooLarge);
        }
        if let Some(end) = end {
            head.truncate(end);
            return Ok(true);
        }
    }
}

/// Where the head ends (after its blank line), searching from `from`.
fn head_end(bytes: &[u8], from: usize) -> Option<usize> {
    let window = &bytes[from.min(bytes.len())..];
    let crlf = window
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    let lf = window.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    [crlf, lf].into_iter().flatten().min().map(|i| from + i)
}

type Head = (String, String, Vec<(String, String)>);

/// Method, target and headers of a request head; targets must be visible
/// ASCII, header lines `Name: value`.
fn parse_head(head: &[u8]) -> Result<Head, Refusal> {
    let text = std::str::from_utf8(head).map_err(|_| Refusal::Malformed)?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines.next().ok_or(Refusal::Malformed)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Malformed);
    };
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic());
    if !token(method) || !version.starts_with("HTTP/1.") {
        return Err(Refusal::Malformed);
    }
    if target.len() > MAX_URL {
        return Err(Refusal::UrlTooLong);
    }
    if target.is_empty() || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Refusal::Malformed);
    }
    let mut headers = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(Refusal::Malformed)?;
        if name.is_empty() || name.starts_with([' ', '\t']) || name.contains(' ') {
            return Err(Refusal::Malformed);
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    // Two `Host` headers could let a check read one name and a proxy another.
    let hosts = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("host"));
    if hosts.count() > 1 {
        return Err(Refusal::Malformed);
    }
    Ok((method.to_string(), target.to_string(), headers))
}

/// Writes all of `bytes` unless `deadline` passes first: a client that reads
/// a byte at a time cannot hold a worker for longer.
pub(super) fn write_by(
    stream: &mut TcpStream,
    bytes: &[u8],
    deadline: Instant,
) -> std::io::Result<()> {
    let mut rest = bytes;
    while !rest.is_empty() {
        let left = deadline
            .checked_duration_since(Instant::now())
            .ok_or(ErrorKind::TimedOut)?;
        stream.set_write_timeout(Some(left.max(Duration::from_millis(1))))?;
        match stream.write(rest) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => rest = &rest[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A socket whose reads wait at most a given time (a fake one in tests).
trait ReadWithTimeout: Read {
    fn set_timeout(&mut self, timeout: Duration);
}

impl ReadWithTimeout for TcpStream {
    fn set_timeout(&mut self, timeout: Duration) {
        let _ = self.set_read_timeout(Some(timeout));
    }
}

pub(super) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client that sends `data` in pieces of `piece` bytes.
    struct Client {
        data: Vec<u8>,
        at: usize,
        piece: usize,
    }

    impl Read for Client {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.piece.min(buf.len()).min(self.data.len() - self.at);
            if n == 0 {
                return Err(ErrorKind::WouldBlock.into());
            }
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    impl ReadWithTimeout for Client {
        fn set_timeout(&mut self, _: Duration) {}
    }

    fn head_of(text: &str, piece: usize) -> Result<Head, Refusal> {
        let mut client = Client {
            data: text.as_bytes().to_vec(),
            at: 0,
            piece,
        };
        let mut head = Vec::new();
        let until = Instant::now() + Duration::from_secs(5);
        match read_head(&mut client, &mut head, until)? {
            true => parse_head(&head),
            false => Err(Refusal::TimedOut),
        }
    }

    #[test]
    fn a_head_is_read_however_it_is_split() {
        for piece in [1, 3, 4096] {
            let (method, target, headers) = head_of(
                "GET /a/?q=x HTTP/1.1\r\nHost: localhost\r\nX: 1\r\n\r\nrest",
                piece,
            )
            .unwrap();
            assert_eq!((method.as_str(), target.as_str()), ("GET", "/a/?q=x"));
            assert_eq!(headers.len(), 2, "{piece}");
        }
        assert!(head_of("GET / HTTP/1.0\n\n", 2).is_ok());
    }

    #[test]
    fn limits_and_malformed_heads_have_their_status() {
        let long_url = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_URL));
        assert_eq!(head_of(&long_url, 4096).err(), Some(Refusal::UrlTooLong));
        let endless_line = format!("GET /{}", "a".repeat(3 * MAX_URL));
        assert_eq!(
            head_of(&endless_line, 4096).err(),
            Some(Refusal::UrlTooLong)
        );
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "b".repeat(MAX_HEADERS));
        assert_eq!(head_of(&big, 4096).err(), Some(Refusal::HeadersTooLarge));
        let endless = format!("GET / HTTP/1.1\r\n{}", "X: y\r\n".repeat(10_000));
        assert_eq!(
            head_of(&endless, 4096).err(),
            Some(Refusal::HeadersTooLarge)
        );
        for bad in [
            "GET /a b HTTP/1.1\r\n\r\n",
            "GET / HTTP/2\r\n\r\n",
            "G=T / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nno colon\r\n\r\n",
            "GET /\x01 HTTP/1.1\r\n\r\n",
        ] {
            assert_eq!(
                head_of(bad, 4096).err(),
                Some(Refusal::Malformed),
                "{bad:?}"
            );
        }
        assert_eq!(
            head_of("GET / HTTP/1.1\r\n", 4096).err(),
            Some(Refusal::TimedOut)
        );
    }
}

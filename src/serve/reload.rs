//! Live reload over Server-Sent Events. Each open page holds one connection;
//! one broadcaster thread owns them all and never blocks on any of them:
//! every client has its own bounded queue of bytes not yet sent, and a
//! client whose queue overflows (a page that stopped reading) is dropped, so
//! one stuck page never delays the others' reloads.

use std::io::{ErrorKind, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use super::connection::{Request, write_by};

/// Open pages served at once; one more is answered 503 (its page still works,
/// without live reload).
pub(super) const MAX_CLIENTS: usize = 64;
/// Bytes queued for one client before it counts as stuck and is dropped.
pub(super) const MAX_PENDING: usize = 64 * 1024;
/// A comment line this often keeps proxies from closing idle streams and
/// finds clients that went away.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How soon to try again to write to a client whose socket was full.
const RETRY: Duration = Duration::from_millis(50);

enum Message {
    Client(Box<dyn Write + Send>),
    Event(String),
}

#[derive(Clone)]
pub(crate) struct Broadcaster {
    tx: Sender<Message>,
    open: Arc<AtomicUsize>,
}

impl Broadcaster {
    pub(crate) fn start() -> Broadcaster {
        let (tx, rx) = channel();
        let open = Arc::new(AtomicUsize::new(0));
        let counter = open.clone();
        std::thread::spawn(move || broadcast(rx, &counter));
        Broadcaster { tx, open }
    }

    /// Takes over a request's connection as an event stream.
    pub(crate) fn add(&self, request: Request) {
        if self.open.fetch_add(1, Ordering::SeqCst) >= MAX_CLIENTS {
            self.open.fetch_sub(1, Ordering::SeqCst);
            let body = b"too many pages are open for live reload";
            return request.respond(503, &[("Content-Type", "text/plain")], body);
        }
        let mut stream = request.into_stream();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n";
        let deadline = Instant::now() + Duration::from_secs(2);
        let started = write_by(&mut stream, head.as_bytes(), deadline)
            .and_then(|()| stream.set_nonblocking(true));
        match started {
            Ok(()) => {
                let _ = self.tx.send(Message::Client(Box::new(stream)));
            }
            Err(_) => {
                self.open.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }

    /// Sends `event` with a one-line `data` payload to every open page.
    pub(crate) fn send(&self, event: &str, data: &str) {
        let _ = self
            .tx
            .send(Message::Event(format!("event: {event}\ndata: {data}\n\n")));
    }
}

/// One open page: its connection and what it has not been sent yet.
struct Client {
    writer: Box<dyn Write + Send>,
    pending: Vec<u8>,
}

impl Client {
    /// Queues `bytes` and writes what the socket takes now; `false` when the
    /// client is gone or has fallen too far behind.
    fn send(&mut self, bytes: &[u8]) -> bool {
        if self.pending.len() + bytes.len() > MAX_PENDING {
            return false;
        }
        self.pending.extend_from_slice(bytes);
        self.flush()
    }

    /// Writes queued bytes until the socket would block; `false` when the
    /// connection failed.
    fn flush(&mut self) -> bool {
        while !self.pending.is_empty() {
            match self.writer.write(&self.pending) {
                Ok(0) => return false,
                Ok(n) => drop(self.pending.drain(..n)),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        true
    }
}

fn broadcast(rx: Receiver<Message>, open: &AtomicUsize) {
    let mut clients: Vec<Client> = Vec::new();
    let mut last_sent = Instant::now();
    loop {
        let behind = clients.iter().any(|c| !c.pending.is_empty());
        let wait = match behind {
            true => RETRY,
            false => KEEP_ALIVE.saturating_sub(last_sent.elapsed()),
        };
        let before = clients.len();
        match rx.recv_timeout(wait) {
            Ok(Message::Client(writer)) => clients.push(Client {
                writer,
                pending: Vec::new(),
            }),
            Ok(Message::Event(event)) => {
                clients.retain_mut(|c| c.send(event.as_bytes()));
                last_sent = Instant::now();
            }
            Err(RecvTimeoutError::Timeout) if last_sent.elapsed() >= KEEP_ALIVE => {
                clients.retain_mut(|c| c.send(b": keep-alive\n\n"));
                last_sent = Instant::now();
            }
            Err(RecvTimeoutError::Timeout) => clients.retain_mut(Client::flush),
            Err(RecvTimeoutError::Disconnected) => return,
        }
        open.fetch_sub(before.saturating_sub(clients.len()), Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A page's socket that takes `room` bytes and then would block.
    #[derive(Clone)]
    struct Socket {
        received: Arc<Mutex<Vec<u8>>>,
        room: usize,
    }

    impl Write for Socket {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let mut received = self.received.lock().unwrap();
            let n = buf.len().min(self.room - received.len());
            if n == 0 {
                return Err(ErrorKind::WouldBlock.into());
            }
            received.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_client_that_stops_reading_is_dropped_and_the_others_keep_receiving() {
        let stuck = Socket {
            received: Arc::default(),
            room: 10,
        };
        let reading = Socket {
            received: Arc::default(),
            room: usize::MAX,
        };
        let (tx, rx) = channel();
        let open = Arc::new(AtomicUsize::new(2));
        let counter = open.clone();
        let thread = std::thread::spawn(move || broadcast(rx, &counter));
        tx.send(Message::Client(Box::new(stuck.clone()))).unwrap();
        tx.send(Message::Client(Box::new(reading.clone()))).unwrap();
        let event = format!("event: reload\ndata: {}\n\n", "x".repeat(1000));
        let events = MAX_PENDING / event.len() + 2;
        for _ in 0..events {
            tx.send(Message::Event(event.clone())).unwrap();
        }
        drop(tx);
        thread.join().unwrap();
        assert_eq!(reading.received.lock().unwrap().len(), events * event.len());
        assert_eq!(stuck.received.lock().unwrap().len(), 10);
        assert_eq!(
            open.load(Ordering::SeqCst),
            1,
            "the stuck client was dropped"
        );
    }
}

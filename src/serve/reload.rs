//! Live reload over Server-Sent Events. Each open page holds one connection;
//! the broadcaster thread owns the raw writers, so clients never tie up the
//! HTTP worker threads.

use std::io::Write;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

enum Message {
    Client(Box<dyn Write + Send>),
    Event(String),
}

#[derive(Clone)]
pub(crate) struct Broadcaster {
    tx: Sender<Message>,
}

impl Broadcaster {
    pub(crate) fn start() -> Broadcaster {
        let (tx, rx) = channel();
        std::thread::spawn(move || broadcast(rx));
        Broadcaster { tx }
    }

    /// Takes over a client's connection (its HTTP response not yet written).
    pub(crate) fn add(&self, mut writer: Box<dyn Write + Send>) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n";
        if writer
            .write_all(head.as_bytes())
            .and_then(|()| writer.flush())
            .is_ok()
        {
            let _ = self.tx.send(Message::Client(writer));
        }
    }

    /// Sends `event` with a one-line `data` payload to every open page.
    pub(crate) fn send(&self, event: &str, data: &str) {
        let _ = self
            .tx
            .send(Message::Event(format!("event: {event}\ndata: {data}\n\n")));
    }
}

fn broadcast(rx: Receiver<Message>) {
    let mut clients: Vec<Box<dyn Write + Send>> = Vec::new();
    loop {
        // A comment line every 15 s keeps proxies from closing idle streams
        // and finds clients that went away.
        let message = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(Message::Client(c)) => {
                clients.push(c);
                continue;
            }
            Ok(Message::Event(e)) => e,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        clients.retain_mut(|c| {
            c.write_all(message.as_bytes())
                .and_then(|()| c.flush())
                .is_ok()
        });
    }
}

//! A minimal HTTP/1.1 client over a real socket, enough to test `serve`
#![allow(dead_code)]
//! without pulling an async HTTP stack into the build.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn request(port: u16, method: &str, path: &str, extra: &[(&str, &str)]) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap_or("")
        .split_whitespace()
        .nth(1)
        .unwrap_or("0")
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

pub fn get(port: u16, path: &str) -> Response {
    request(port, "GET", path, &[])
}

/// The next live-reload event (`reload` or `build-error`), waiting up to 20 s.
pub fn next_event(events: &Receiver<String>) -> String {
    events
        .recv_timeout(Duration::from_secs(20))
        .expect("a live-reload event within 20 s")
}

/// Whether `path` comes to serve a body containing `text`, looking again
/// after each live-reload event (up to 20 s for each): one save can reach
/// the watcher as several batches (a new folder, then the file in it),
/// each with its own reload.
pub fn served_after_reloads(port: u16, events: &Receiver<String>, path: &str, text: &str) -> bool {
    loop {
        if get(port, path).body.contains(text) {
            return true;
        }
        if events.recv_timeout(Duration::from_secs(20)).is_err() {
            return false;
        }
    }
}

/// A running `touchstone serve` on a free port, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub output: Receiver<String>,
}

impl Server {
    pub fn start(root: &std::path::Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_touchstone"))
            .arg("serve")
            .args(["--port", "0", "--debounce-ms", "50", "--root"])
            .arg(root)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start touchstone serve");
        let (tx, output) = channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .for_each(|l| drop(tx.send(l)))
        });
        std::thread::spawn(move || {
            BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
                .for_each(|l| drop(tx2.send(l)))
        });
        let mut port = 0;
        while port == 0 {
            let line = output
                .recv_timeout(Duration::from_secs(30))
                .expect("serve prints its address");
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                port = rest.split('/').next().unwrap().parse().unwrap();
            }
        }
        Server {
            child,
            port,
            output,
        }
    }

    /// Waits for a line of terminal output containing `text`.
    pub fn wait_for(&self, text: &str) -> String {
        loop {
            let line = self
                .output
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("no output line with {text:?}"));
            if line.contains(text) {
                return line;
            }
        }
    }

    /// A connection to the live-reload stream, asked for.
    fn event_stream(&self) -> TcpStream {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .write_all(b"GET /__touchstone/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
        stream
    }

    /// Opens the live-reload stream; each event arrives on the returned
    /// channel with its data (`reload` and `{"pages":[…]}`, say).
    pub fn events_with_data(&self) -> Receiver<(String, String)> {
        let stream = self.event_stream();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut name = None;
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(event) = line.strip_prefix("event: ") {
                    name = Some(event.to_string());
                } else if let (Some(data), Some(event)) = (line.strip_prefix("data: "), name.take())
                    && tx.send((event, data.to_string())).is_err()
                {
                    return;
                }
            }
        });
        std::thread::sleep(Duration::from_millis(200));
        rx
    }

    /// Opens the live-reload stream; events arrive on the returned channel.
    pub fn events(&self) -> Receiver<String> {
        let stream = self.event_stream();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if line.starts_with("event: ") && tx.send(line[7..].to_string()).is_err() {
                    return;
                }
            }
        });
        std::thread::sleep(Duration::from_millis(200));
        rx
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

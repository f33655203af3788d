//! A small W3C WebDriver client for Debian's `chromium` + `chromedriver`,
//! over the same plain HTTP client as the serve tests. Browser tests skip
//! (with a visible `SKIPPED` line, or a failure under `CI`) when the browser
//! is not installed; `.ci/run` installs it.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// One browser at a time: several Chromiums on a 2-core machine starve each other.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub struct Browser {
    _turn: std::sync::MutexGuard<'static, ()>,
    driver: Child,
    port: u16,
    session: String,
    /// Chromium's profile (~8 MB), removed once the browser has quit.
    _profile: tempfile::TempDir,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    /// Starts headless Chromium, or returns `None` when it is not installed.
    pub fn start() -> Option<Browser> {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())?;
        let driver_bin = ["/usr/bin/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())?;
        let turn = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().ok()?;
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1200,900", format!("--user-data-dir={}", profile.path().display())]
        }}}});
        let mut browser = Browser {
            _turn: turn,
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let created = browser.call("POST", "/session", Some(caps));
        browser.session = created["sessionId"]
            .as_str()
            .expect("session id")
            .to_string();
        Some(browser)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("chromedriver");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let json = read_response(&mut stream);
        let value: Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("bad WebDriver reply {json:?}: {e}"));
        let value = value["value"].clone();
        if value.get("error").is_some() && value.get("error") != Some(&Value::Null) {
            panic!("WebDriver {method} {path} failed: {value}");
        }
        value
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    pub fn goto(&self, url: &str) {
        self.call(
            "POST",
            &self.session_path("/url"),
            Some(json!({ "url": url })),
        );
    }

    /// How long `goto` and `back` wait for a page to load before failing.
    pub fn page_load_timeout(&self, timeout: Duration) {
        self.call(
            "POST",
            &self.session_path("/timeouts"),
            Some(json!({ "pageLoad": timeout.as_millis() as u64 })),
        );
    }

    /// The browser's back button.
    pub fn back(&self) {
        self.call("POST", &self.session_path("/back"), Some(json!({})));
    }

    pub fn url(&self) -> String {
        self.call("GET", &self.session_path("/url"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs JavaScript in the page and returns its result.
    pub fn eval(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.session_path("/execute/sync"),
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Runs asynchronous JavaScript: the script calls `arguments[0](result)` when done.
    pub fn eval_async(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.session_path("/timeouts"),
            Some(json!({ "script": 60000 })),
        );
        self.call(
            "POST",
            &self.session_path("/execute/async"),
            Some(json!({ "script": script, "args": [] })),
        )
    }

    pub fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            &self.session_path("/element"),
            Some(json!({ "using": "css selector", "value": css })),
        );
        v[ELEMENT].as_str().expect("element id").to_string()
    }

    /// Types text (WebDriver key codes allowed) into the element.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.call(
            "POST",
            &self.session_path(&format!("/element/{id}/value")),
            Some(json!({ "text": text })),
        );
    }

    pub fn click(&self, css: &str) {
        let id = self.find(css);
        self.call(
            "POST",
            &self.session_path(&format!("/element/{id}/click")),
            Some(json!({})),
        );
    }

    /// Resizes the window, as a person does between a laptop and a phone.
    pub fn window_size(&self, width: u32, height: u32) {
        self.call(
            "POST",
            &self.session_path("/window/rect"),
            Some(json!({ "width": width, "height": height })),
        );
    }

    /// Moves the mouse over the element's centre.
    pub fn hover(&self, css: &str) {
        let id = self.find(css);
        let mv =
            json!({"type": "pointerMove", "duration": 0, "origin": {ELEMENT: id}, "x": 0, "y": 0});
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse",
            "parameters": {"pointerType": "mouse"}, "actions": [mv]}]});
        self.call("POST", &self.session_path("/actions"), Some(actions));
    }

    /// Waits until `script` (an expression) is truthy, returning its value.
    pub fn wait_for(&self, expression: &str) -> Value {
        let start = Instant::now();
        loop {
            let v = self.eval(&format!("return ({expression});"));
            let truthy = !(v.is_null()
                || v == json!(false)
                || v == json!("")
                || v == json!(0)
                || v == json!([]));
            if truthy {
                return v;
            }
            if start.elapsed() > Duration::from_secs(30) {
                let state = self.eval(
                    "return [location.href, document.readyState, (document.querySelector('main') || document.body).innerText.slice(0, 400), \
                     performance.getEntriesByType('resource').map(e => e.name.split('/').slice(-2).join('/') + ' ' + e.responseStatus + ' ' + Math.round(e.duration)).join(', ')];",
                );
                panic!("timed out waiting for {expression}\npage: {state}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = self.session_path("");
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.call("DELETE", &path, None)
            }));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Reads one HTTP response body, by Content-Length (the driver keeps the
/// connection open) or chunked encoding.
fn read_response(stream: &mut TcpStream) -> String {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).unwrap() == 0 {
            break;
        }
        raw.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&raw).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(n) => {
            let mut body = vec![0; n];
            stream.read_exact(&mut body).unwrap();
            String::from_utf8_lossy(&body).into_owned()
        }
        None => {
            let mut body = String::new();
            let _ = stream.read_to_string(&mut body);
            dechunk(&body)
        }
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

/// Starts a browser, or skips the test (`common::skip`) when there is none.
macro_rules! browser_or_skip {
    () => {
        match $crate::common::browser::Browser::start() {
            Some(b) => b,
            None => {
                $crate::common::skip(
                    "chromium and chromedriver are not installed (.ci/run installs them)",
                );
                return;
            }
        }
    };
}

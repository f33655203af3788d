//! The nginx example in `docs/hosting/nginx.conf`, run by a real nginx: the
//! sample playbook built for `/cx/` and served under that path, with the
//! site's own 404 page, directory redirects that name no host, and long
//! cache headers only for the files whose names carry a content hash.

use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::common::http::get;
use crate::common::skip;
use crate::publish_lint::find_tool;

/// nginx in the foreground on a free port, stopped when dropped.
struct Nginx {
    child: Child,
    port: u16,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The example's `location` block inside a minimal server on `port`, with
/// every file nginx writes kept in `dir`.
fn config(dir: &Path, www: &Path, port: u16) -> String {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/hosting/nginx.conf"),
    )
    .unwrap();
    assert!(
        example.contains("root /srv/www;"),
        "the example's one line to change"
    );
    let example = example.replace("root /srv/www;", &format!("root {};", www.display()));
    let mime = if Path::new("/etc/nginx/mime.types").exists() {
        "include /etc/nginx/mime.types;".to_string()
    } else {
        "types { text/html html; text/css css; application/javascript js; application/json json; image/svg+xml svg; }".to_string()
    };
    let d = dir.display();
    format!(
        "daemon off;\nmaster_process off;\nerror_log {d}/error.log;\npid {d}/nginx.pid;\n\
         events {{}}\nhttp {{\n{mime}\naccess_log off;\n\
         client_body_temp_path {d}/body;\nproxy_temp_path {d}/proxy;\nfastcgi_temp_path {d}/fastcgi;\n\
         uwsgi_temp_path {d}/uwsgi;\nscgi_temp_path {d}/scgi;\n\
         server {{\nlisten 127.0.0.1:{port};\n{example}\n}}\n}}\n"
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(nginx: &Path, dir: &Path, www: &Path) -> Nginx {
    let port = free_port();
    let conf = dir.join("nginx.conf");
    std::fs::write(&conf, config(dir, www, port)).unwrap();
    let test = Command::new(nginx)
        .arg("-t")
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(&conf)
        .output()
        .unwrap();
    assert!(
        test.status.success(),
        "nginx -t rejects the example: {}",
        String::from_utf8_lossy(&test.stderr)
    );
    let child = Command::new(nginx)
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(&conf)
        .spawn()
        .unwrap();
    let server = Nginx { child, port };
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nginx did not listen on {port}");
        std::thread::sleep(Duration::from_millis(20));
    }
    server
}

const SHORT: &str = "public, max-age=300";
const LONG: &str = "public, max-age=31536000, immutable";

#[test]
fn the_nginx_example_serves_the_sample_under_a_sub_path() {
    let Some(nginx) = find_tool("nginx") else {
        skip("nginx is not installed (.ci/run installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let www = dir.path().join("www");
    let options = touchstone::BuildOptions {
        root: env!("CARGO_MANIFEST_DIR").into(),
        output: Some(www.join("cx")),
        base_url: Some("/cx/".into()),
        ..Default::default()
    };
    touchstone::build(&options).unwrap_or_else(|_| panic!("the sample builds"));
    let server = start(&nginx, dir.path(), &www);
    let port = server.port;

    let home = get(port, "/cx/");
    assert_eq!(home.status, 200);
    assert!(
        home.header("Content-Type")
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(
        home.header("Cache-Control"),
        Some(SHORT),
        "HTML is revalidated soon"
    );
    let page = get(port, "/cx/roles/delivery-driver/");
    assert_eq!(page.status, 200);

    let redirect = get(port, "/cx/roles/delivery-driver");
    assert_eq!(redirect.status, 301);
    assert_eq!(
        redirect.header("Location"),
        Some("/cx/roles/delivery-driver/")
    );

    let missing = get(port, "/cx/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's own 404 page"
    );
    assert!(
        missing.body.contains("href=\"/cx/static/style."),
        "styled from /cx/"
    );
    assert_eq!(missing.header("Cache-Control"), Some(SHORT));

    let css = home
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find_map(|href| Some(&href[href.find("static/style.")?..]))
        .map(|path| format!("/cx/{path}"))
        .expect("the home page links its hashed stylesheet");
    let style = get(port, &css);
    assert_eq!(style.status, 200, "{css}");
    assert!(
        style
            .header("Content-Type")
            .unwrap()
            .starts_with("text/css")
    );
    assert_eq!(style.header("Cache-Control"), Some(LONG), "{css} is hashed");

    let icon = get(port, "/cx/static/favicon.svg");
    assert_eq!(icon.status, 200);
    assert_eq!(
        icon.header("Cache-Control"),
        Some(SHORT),
        "no hash, no long cache"
    );
    let shard = get(port, "/cx/search/d/0.json");
    assert_eq!(shard.status, 200);
    assert_eq!(shard.header("Content-Type"), Some("application/json"));
    assert_eq!(
        shard.header("Cache-Control"),
        Some(SHORT),
        "search files change"
    );

    assert_eq!(get(port, "/cx/.touchstone-output").status, 404);
}

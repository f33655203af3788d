//! The Rust tokeniser and `search.js` fold and stem words the same way, or
//! a query never meets the terms the index holds. Both run on every example
//! of `tests/folding.tsv`.

use std::path::Path;
use std::process::Command;

/// (word, folded, term) per line of the shared examples.
fn examples() -> Vec<(String, String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/folding.tsv");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "three columns: {l:?}");
            (cols[0].into(), cols[1].into(), cols[2].into())
        })
        .collect()
}

#[test]
fn the_rust_tokeniser_folds_every_shared_example() {
    for (word, folded, term) in examples() {
        let got = touchstone::search::fold(&word);
        assert_eq!(got, folded, "fold({word:?})");
        assert_eq!(touchstone::search::stem(&got), term, "stem(fold({word:?}))");
    }
}

/// Loads the theme's `search.js` in Node with a bare page around it, and
/// prints `fold` and `stem(fold)` of each word, one JSON pair per line.
const RUN_SEARCH_JS: &str = r#"
const fs = require("fs"), vm = require("vm");
const page = { window: {}, document: { currentScript: null, readyState: "complete", getElementById: () => null } };
vm.createContext(page);
vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), page);
const { fold, stem } = page.window.touchstoneSearch;
for (const word of JSON.parse(fs.readFileSync(0, "utf8"))) {
  console.log(JSON.stringify([fold(word), stem(fold(word))]));
}
"#;

#[test]
fn search_js_folds_every_shared_example_the_same_way() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let examples = examples();
    let words: Vec<&str> = examples.iter().map(|e| e.0.as_str()).collect();
    let child = Command::new("node")
        .arg("-e")
        .arg(RUN_SEARCH_JS)
        .arg(&script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        crate::common::skip("node is not installed (.ci/run installs it with npm)");
        return;
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&words).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node failed");
    let lines: Vec<(String, String)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), examples.len());
    for ((word, folded, term), (js_folded, js_term)) in examples.iter().zip(&lines) {
        assert_eq!(js_folded, folded, "search.js fold({word:?})");
        assert_eq!(js_term, term, "search.js stem(fold({word:?}))");
    }
}

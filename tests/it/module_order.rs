//! The module graph runs one way: every `crate::` path in `src/` names a
//! module of an earlier layer than its own, as the dependency order in
//! `src/lib.rs`'s docs lists them. A stage that imports a stage above it
//! (or a peer) fails here, with the file and the path.

use std::collections::BTreeMap;
use std::path::Path;

/// Layers by module, read from the numbered list under "Dependency order"
/// in `src/lib.rs`: `` //! 4. `model`: … ``. `crate` is the file itself.
fn layers(lib: &str) -> BTreeMap<String, usize> {
    let mut layers = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.strip_prefix("//! ")) {
        let Some((number, rest)) = line.split_once(". ") else {
            continue;
        };
        let Ok(layer) = number.trim().parse::<usize>() else {
            continue;
        };
        let names = rest.split(':').next().unwrap_or_default();
        for name in names.split('`').skip(1).step_by(2) {
            layers.insert(name.to_string(), layer);
        }
    }
    layers
}

/// The first name of every `crate::` path in `code`, outside comments:
/// `crate::model::Site` and `crate::{model, render::Theme}` give `model`
/// (and `render`); a root item such as `crate::compile_with` gives
/// `crate`, since it is defined in `lib.rs` itself.
fn crate_paths(code: &str, modules: &BTreeMap<String, usize>) -> Vec<String> {
    let mut found = Vec::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let preceded = rest[..i].chars().next_back();
            rest = &rest[i + "crate::".len()..];
            if preceded.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => top_level_names(group),
                None => vec![leading_name(rest)],
            };
            for name in names.into_iter().filter(|n| !n.is_empty()) {
                found.push(if modules.contains_key(name) && name != "crate" {
                    name.to_string()
                } else {
                    "crate".to_string()
                });
            }
        }
    }
    found
}

fn leading_name(path: &str) -> &str {
    let end = path
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(path.len());
    &path[..end]
}

/// The first name of each item of a `{a, b::c, d::{e, f}}` group (the text
/// after its opening brace).
fn top_level_names(group: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                names.push(leading_name(group[start..i].trim_start()));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                names.push(leading_name(group[start..i].trim_start()));
                start = i + 1;
            }
            _ => {}
        }
    }
    names
}

/// Every import that does not point to an earlier layer, as
/// `file: module (layer) imports crate::other (layer)`.
fn violations(layers: &BTreeMap<String, usize>, files: &[(String, String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (file, module, code) in files {
        let Some(&own) = layers.get(module) else {
            out.push(format!(
                "{file}: module `{module}` is not in the dependency order"
            ));
            continue;
        };
        for name in crate_paths(code, layers) {
            let theirs = layers[&name];
            if name != *module && theirs >= own {
                let what = match name.as_str() {
                    "crate" => "the crate root".to_string(),
                    name => format!("crate::{name}"),
                };
                out.push(format!(
                    "{file}: `{module}` (layer {own}) imports {what} (layer {theirs})"
                ));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Every source file of the library but `lib.rs`, with its top-level module.
fn sources(src: &Path) -> Vec<(String, String, String)> {
    walkdir::WalkDir::new(src)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(src)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            if rel == "lib.rs" || rel == "main.rs" {
                return None;
            }
            let first = rel.split('/').next()?;
            let module = first.strip_suffix(".rs").unwrap_or(first).to_string();
            let code = std::fs::read_to_string(e.path()).ok()?;
            Some((format!("src/{rel}"), module, code))
        })
        .collect()
}

#[test]
fn no_module_imports_a_module_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let layers = layers(&lib);
    assert!(
        layers.len() > 10,
        "the dependency order in src/lib.rs: {layers:?}"
    );
    let files = sources(&src);
    let problems = violations(&layers, &files);
    assert!(
        problems.is_empty(),
        "imports against the dependency order in src/lib.rs:\n{}",
        problems.join("\n")
    );
    let listed: Vec<&String> = layers.keys().filter(|m| *m != "crate").collect();
    let present: std::collections::BTreeSet<&String> = files.iter().map(|f| &f.1).collect();
    for module in listed {
        assert!(
            present.contains(module),
            "`{module}` is listed in src/lib.rs but has no file"
        );
    }
}

#[test]
fn an_upward_or_sideways_import_is_reported() {
    let layers = layers(
        "//! 1. `fingerprint`: a leaf.\n//! 2. `model`, `load`: peers.\n//! 3. `crate` (this file): root.\n",
    );
    let file = |module: &str, code: &str| {
        (
            format!("src/{module}.rs"),
            module.to_string(),
            code.to_string(),
        )
    };
    let problems = violations(
        &layers,
        &[
            file(
                "fingerprint",
                "use crate::model::Site;\n// crate::load in a comment\n",
            ),
            file(
                "model",
                "use crate::{fingerprint::fingerprint, load::Loaded};\n",
            ),
            file(
                "load",
                "fn f() { crate::fingerprint::fingerprint(&1); crate::compile(); }\n",
            ),
            file("extra", "use crate::fingerprint;\n"),
        ],
    );
    assert_eq!(
        problems,
        [
            "src/extra.rs: module `extra` is not in the dependency order",
            "src/fingerprint.rs: `fingerprint` (layer 1) imports crate::model (layer 2)",
            "src/load.rs: `load` (layer 2) imports the crate root (layer 3)",
            "src/model.rs: `model` (layer 2) imports crate::load (layer 2)",
        ]
    );
}

/// `bench/mutants.sh` skips the browser and publishing tests by name
/// (`--skip browser_`, `--skip publish_`), and a skip matches anywhere in
/// a name: a test elsewhere named `…_as_a_browser_reads_them` would be
/// skipped too, and the mutants it should catch would go unseen.
#[test]
fn only_the_skipped_suites_have_names_the_mutation_run_skips() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut misnamed = Vec::new();
    for dir in ["src", "tests/it"] {
        for entry in walkdir::WalkDir::new(root.join(dir)) {
            let entry = entry.unwrap();
            let path = entry.path();
            let file = path.file_name().unwrap().to_string_lossy();
            let skipped_file = file.starts_with("browser_") || file.starts_with("publish_");
            if path.extension().is_none_or(|e| e != "rs") || skipped_file {
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            for line in text.lines() {
                let Some(name) = line.trim_start().strip_prefix("fn ") else {
                    continue;
                };
                let name = name.split(['(', '<']).next().unwrap_or_default();
                if name.contains("browser_") || name.contains("publish_") {
                    misnamed.push(format!("{}: {name}", path.display()));
                }
            }
        }
    }
    assert!(misnamed.is_empty(), "{misnamed:#?}");
}

//! `/playbook.json`: the playbook as data. The sample's export is validated
//! against `docs/playbook.schema.json` with check-jsonschema (which `.ci/run`
//! installs), and its ids and URLs are the site's own.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::*;
use crate::publish_lint::find_tool;

fn schema() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/playbook.schema.json")
}

/// Whether check-jsonschema accepts `json` against the export's schema,
/// with its report.
fn validate(tool: &Path, json: &Path) -> (bool, String) {
    let out = Command::new(tool)
        .arg("--schemafile")
        .arg(schema())
        .arg(json)
        .output()
        .expect("check-jsonschema runs");
    let report =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), report)
}

#[test]
fn the_sample_export_matches_its_schema_and_a_broken_one_does_not() {
    let Some(tool) = find_tool("check-jsonschema") else {
        skip("check-jsonschema not installed (.ci/run installs it)");
        return;
    };
    let site = sample_copy();
    let built = site.build();
    let path = site.root().join("playbook.json");
    std::fs::write(&path, built.file("playbook.json")).unwrap();
    let (ok, report) = validate(&tool, &path);
    assert!(ok, "{report}");

    // The schema is strict: a field the export lost, or one it grew
    // without the schema saying so, fails the check.
    let mut json: Value = serde_json::from_str(&built.file("playbook.json")).unwrap();
    let standard = json["standards"][0].as_object_mut().unwrap();
    standard.remove("statement");
    standard.insert("statment".into(), Value::from("typo"));
    let broken = site.root().join("broken.json");
    std::fs::write(&broken, json.to_string()).unwrap();
    let (ok, report) = validate(&tool, &broken);
    assert!(!ok, "a broken export passed: {report}");
}

#[test]
fn the_export_has_the_sites_ids_and_urls() {
    let site = TestSite::new(&small_site());
    site.write(
        "book.toml",
        "[book]\ntitle = \"Test playbook\"\nlanguage = \"en\"\n\n[site]\nbase-url = \"/cx/\"\n",
    );
    let built = site.build();
    let json: Value = serde_json::from_str(&built.file("playbook.json")).unwrap();
    assert_eq!(json["title"], "Test playbook");
    assert_eq!(json["url"], "/cx/");
    let entities = ["standards", "mantras", "roles", "personas", "stories"]
        .iter()
        .flat_map(|kind| json[kind].as_array().unwrap().iter())
        .chain(json["journey"].as_array().unwrap().iter())
        .chain(
            json["journey"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|stage| stage["moments"].as_array().unwrap().iter()),
        );
    let mut seen = 0;
    for entity in entities {
        let url = entity["url"].as_str().unwrap();
        let path = url.strip_prefix("/cx/").expect("under the base URL");
        let page = built.page(path);
        let title = entity["title"].as_str().unwrap();
        assert!(page.text("h1").contains(title), "{url}: {title}");
        assert!(path.ends_with(&format!("{}/", entity["id"].as_str().unwrap())));
        seen += 1;
    }
    assert!(seen >= 10, "every kind is exported ({seen} entities)");

    // A role with what it owns and how it behaves; a moment with its owners.
    let driver = json["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "driver")
        .expect("the driver role");
    assert!(
        driver["owns"]
            .as_array()
            .unwrap()
            .contains(&Value::from("delivery"))
    );
    assert_eq!(driver["behaviours"][0]["standard"], "call-ahead");
    let delivery = json["journey"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["moments"].as_array().unwrap().iter())
        .find(|m| m["id"] == "delivery")
        .expect("the delivery moment");
    assert!(
        delivery["owners"]
            .as_array()
            .unwrap()
            .contains(&Value::from("driver"))
    );
}

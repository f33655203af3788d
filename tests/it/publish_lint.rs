//! The files that release and publish Touchstone, checked with the linters
//! their ecosystems use: GitHub's and GitLab's JSON schemas
//! (check-jsonschema), zizmor for the workflows and the action, shellcheck
//! for the scripts and every shell step inside the YAML, hadolint for the
//! Dockerfile, xmllint for the IIS example. The YAML examples in
//! `docs/publishing.md` are checked like the files. None of these can run
//! here for real (no GitHub, no GitLab, no Docker), so they are made correct
//! by construction, and a test breaks each kind of file to prove the lint
//! notices. `.ci/run` installs the linters.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::skip;

const LINTERS: &[&str] = &[
    "check-jsonschema",
    "zizmor",
    "shellcheck",
    "hadolint",
    "xmllint",
];

/// The linters, or `None` after a visible skip when one is missing.
fn linters() -> Option<Linters> {
    let found: Vec<Option<PathBuf>> = LINTERS.iter().map(|name| find_tool(name)).collect();
    let missing: Vec<&str> = LINTERS
        .iter()
        .zip(&found)
        .filter(|(_, path)| path.is_none())
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() {
        skip(&format!(
            "{} not installed (.ci/run installs them)",
            missing.join(", ")
        ));
        return None;
    }
    let mut found = found.into_iter().map(Option::unwrap);
    Some(Linters {
        schema: found.next().unwrap(),
        zizmor: found.next().unwrap(),
        shellcheck: found.next().unwrap(),
        hadolint: found.next().unwrap(),
        xmllint: found.next().unwrap(),
    })
}

/// A program on the PATH, in /usr/sbin, or in the linters' virtualenv that
/// `.ci/run` makes under target/.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-tools/venv/bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), venv])
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

struct Linters {
    schema: PathBuf,
    zizmor: PathBuf,
    shellcheck: PathBuf,
    hadolint: PathBuf,
    xmllint: PathBuf,
}

/// What a workflow-like YAML file is, which decides its schema and its shell.
#[derive(Clone, Copy)]
enum CiFile {
    GithubWorkflow,
    GithubAction,
    GitlabCi,
}

impl CiFile {
    fn of(path: &str) -> Option<CiFile> {
        if path.starts_with(".github/workflows/") && path.ends_with(".yml") {
            Some(CiFile::GithubWorkflow)
        } else if path == "action.yml" {
            Some(CiFile::GithubAction)
        } else if path.ends_with(".gitlab-ci.yml") {
            Some(CiFile::GitlabCi)
        } else {
            None
        }
    }

    fn schema(self) -> &'static str {
        match self {
            CiFile::GithubWorkflow => "vendor.github-workflows",
            CiFile::GithubAction => "vendor.github-actions",
            CiFile::GitlabCi => "vendor.gitlab-ci",
        }
    }
}

/// Every file the lint covers, relative to the repository root.
fn files_to_lint(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = ["action.yml", "Dockerfile", "docs/hosting/web.config"]
        .into_iter()
        .map(String::from)
        .collect();
    for dir in [".github/workflows", "gitlab", "scripts"] {
        let mut found: Vec<String> = std::fs::read_dir(root.join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| format!("{dir}/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

/// Lints every release and publishing file under `root` (the repository, or
/// a copy of it), returning each failure with the linter's own words.
fn lint(linters: &Linters, root: &Path) -> Vec<String> {
    let mut failures: Vec<String> = files_to_lint(root)
        .iter()
        .flat_map(|file| lint_file(linters, root, file))
        .collect();
    failures.extend(lint_docs_examples(linters, root));
    failures
}

fn lint_file(linters: &Linters, root: &Path, file: &str) -> Vec<String> {
    let path = root.join(file);
    if let Some(kind) = CiFile::of(file) {
        lint_ci_file(linters, root, &path, kind, file)
    } else if file.ends_with(".sh") {
        run(file, Command::new(&linters.shellcheck).arg(&path))
    } else if file == "Dockerfile" {
        run(file, Command::new(&linters.hadolint).arg(&path))
    } else if file.ends_with(".config") {
        run(
            file,
            Command::new(&linters.xmllint).arg("--noout").arg(&path),
        )
    } else {
        Vec::new()
    }
}

/// The pipelines `docs/publishing.md` tells people to copy.
fn lint_docs_examples(linters: &Linters, root: &Path) -> Vec<String> {
    let docs = std::fs::read_to_string(root.join("docs/publishing.md")).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (name, yaml) in yaml_examples(&docs) {
        let Some(kind) = CiFile::of(&name) else {
            continue;
        };
        let copy = scratch.path().join(&name);
        std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
        std::fs::write(&copy, yaml).unwrap();
        let label = format!("docs/publishing.md ({name})");
        failures.extend(lint_ci_file(linters, root, &copy, kind, &label));
    }
    failures
}

fn lint_ci_file(
    linters: &Linters,
    root: &Path,
    path: &Path,
    kind: CiFile,
    label: &str,
) -> Vec<String> {
    let mut failures = Vec::new();
    let text = std::fs::read_to_string(path).unwrap();
    // GitLab's schema lets hidden jobs (`.name`) hold anything: check the
    // jobs as GitLab runs them, with the template included and `extends` merged.
    let scratch = tempfile::tempdir().unwrap();
    let checked = match kind {
        CiFile::GitlabCi => {
            let expanded = scratch.path().join("gitlab-ci.json");
            std::fs::write(&expanded, gitlab_jobs(root, &text).to_string()).unwrap();
            expanded
        }
        _ => path.to_path_buf(),
    };
    let schema = Command::new(&linters.schema)
        .args(["--builtin-schema", kind.schema()])
        .arg(&checked)
        .output()
        .unwrap();
    failures.extend(failure(label, "check-jsonschema", &schema));
    if !matches!(kind, CiFile::GitlabCi) {
        let zizmor = Command::new(&linters.zizmor)
            .args(["--offline", "--no-progress", "--config"])
            .arg(root.join(".github/zizmor.yml"))
            .arg(path)
            .output()
            .unwrap();
        failures.extend(failure(label, "zizmor", &zizmor));
    }
    for (step, script) in shell_steps(&text, kind) {
        let shell = if matches!(kind, CiFile::GitlabCi) {
            "sh"
        } else {
            "bash"
        };
        let checked = shellcheck(linters, shell, &script);
        failures.extend(failure(&format!("{label} {step}"), "shellcheck", &checked));
    }
    failures
}

/// A GitLab pipeline as the runner sees it: our template included when the
/// file includes it, every job's `extends` merged in, and hidden jobs that
/// have a script shown as jobs (the schema checks those strictly).
fn gitlab_jobs(root: &Path, text: &str) -> serde_json::Value {
    let file: serde_json::Value = serde_saphyr::from_str(text).expect("valid YAML");
    let mut all = serde_json::Map::new();
    let includes_template = file
        .get("include")
        .is_some_and(|i| i.to_string().contains("gitlab/touchstone.gitlab-ci.yml"));
    if includes_template {
        let template =
            std::fs::read_to_string(root.join("gitlab/touchstone.gitlab-ci.yml")).unwrap();
        let template: serde_json::Value = serde_saphyr::from_str(&template).unwrap();
        all.extend(template.as_object().unwrap().clone());
    }
    for (key, value) in file.as_object().unwrap() {
        let merged = match all.get(key) {
            Some(base) => merged(base, value),
            None => value.clone(),
        };
        all.insert(key.clone(), merged);
    }
    all.remove("include");
    let mut jobs = serde_json::Map::new();
    for (name, _) in all.iter() {
        let job = resolved(&all, name);
        let runnable = job.get("script").is_some();
        match name.strip_prefix('.') {
            Some(hidden) if runnable => jobs.insert(hidden.to_string(), job),
            Some(_) => None,
            None => jobs.insert(name.clone(), job),
        };
    }
    serde_json::Value::Object(jobs)
}

fn resolved(all: &serde_json::Map<String, serde_json::Value>, name: &str) -> serde_json::Value {
    let mut job = all[name].clone();
    let bases: Vec<String> = match job.get("extends") {
        Some(serde_json::Value::String(one)) => vec![one.clone()],
        Some(serde_json::Value::Array(many)) => many
            .iter()
            .filter_map(|b| b.as_str().map(String::from))
            .collect(),
        _ => return job,
    };
    job.as_object_mut().unwrap().remove("extends");
    let mut base = serde_json::json!({});
    for name in bases {
        let parent = all.get(&name).map(|_| resolved(all, &name));
        base = merged(
            &base,
            &parent.unwrap_or_else(|| panic!("extends unknown job {name}")),
        );
    }
    merged(&base, &job)
}

/// GitLab's merge for `extends`: maps merge key by key, anything else is replaced.
fn merged(base: &serde_json::Value, over: &serde_json::Value) -> serde_json::Value {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            let mut out = b.clone();
            for (key, value) in o {
                let value = match b.get(key) {
                    Some(inner) => merged(inner, value),
                    None => value.clone(),
                };
                out.insert(key.clone(), value);
            }
            serde_json::Value::Object(out)
        }
        _ => over.clone(),
    }
}

fn shellcheck(linters: &Linters, shell: &str, script: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(&linters.shellcheck)
        .args(["--shell", shell, "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn run(label: &str, command: &mut Command) -> Vec<String> {
    let tool = Path::new(command.get_program())
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    failure(label, &tool, &command.output().unwrap())
        .into_iter()
        .collect()
}

fn failure(label: &str, tool: &str, output: &std::process::Output) -> Option<String> {
    (!output.status.success()).then(|| {
        format!(
            "{label}: {tool} failed\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The shell scripts inside a CI file: GitHub's `run:` steps (with each
/// `${{ }}` expression replaced by a plain word, as GitHub substitutes it
/// before the shell runs), or a GitLab job's `before_script` + `script`.
fn shell_steps(text: &str, kind: CiFile) -> Vec<(String, String)> {
    let yaml: serde_json::Value = serde_saphyr::from_str(text).expect("valid YAML");
    let mut steps = Vec::new();
    match kind {
        CiFile::GitlabCi => {
            for (job, body) in yaml.as_object().into_iter().flatten() {
                let lines: Vec<&str> = ["before_script", "script", "after_script"]
                    .iter()
                    .filter_map(|key| body.get(key)?.as_array())
                    .flatten()
                    .filter_map(|line| line.as_str())
                    .collect();
                if !lines.is_empty() {
                    steps.push((job.clone(), lines.join("\n")));
                }
            }
        }
        _ => collect_runs(&yaml, "", &mut steps),
    }
    steps
        .into_iter()
        .map(|(step, script)| (step, format!("set -e\n{}\n", without_expressions(&script))))
        .collect()
}

fn collect_runs(value: &serde_json::Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(script) = map.get("run").and_then(|r| r.as_str()) {
                let name = map.get("name").and_then(|n| n.as_str()).unwrap_or(at);
                out.push((format!("step \"{name}\""), script.to_string()));
            }
            for (key, inner) in map {
                collect_runs(inner, &format!("{at}.{key}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                collect_runs(inner, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn without_expressions(script: &str) -> String {
    let mut out = String::new();
    let mut rest = script;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        match rest[start..].find("}}") {
            Some(end) => {
                out.push_str("EXPRESSION");
                rest = &rest[start + end + 2..];
            }
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The YAML blocks of a Markdown document that follow a line naming their
/// file (`` `.gitlab-ci.yml`: ``), as `(file name, text)`.
fn yaml_examples(markdown: &str) -> Vec<(String, String)> {
    let mut examples = Vec::new();
    let mut named = None;
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("```yaml") {
            let block: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
                .collect();
            if let Some(name) = named.take() {
                examples.push((name, block.join("\n") + "\n"));
            }
        } else if let Some(name) = line.strip_prefix('`').and_then(|l| l.strip_suffix("`:")) {
            named = Some(name.to_string());
        } else if !line.trim().is_empty() {
            named = None;
        }
    }
    examples
}

/// A copy of the files the lint reads, to break one of them.
fn copy_of_repository() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = tempfile::tempdir().unwrap();
    let mut files = files_to_lint(repo);
    files.push("docs/publishing.md".into());
    for file in files {
        let target = copy.path().join(&file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(repo.join(&file), target).unwrap();
    }
    copy
}

#[test]
fn release_and_publishing_files_pass_their_linters() {
    let Some(linters) = linters() else { return };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let failures = lint(&linters, repo);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let docs = std::fs::read_to_string(repo.join("docs/publishing.md")).unwrap();
    let examples: Vec<String> = yaml_examples(&docs).into_iter().map(|(n, _)| n).collect();
    assert!(
        examples.contains(&".github/workflows/playbook.yml".to_string())
            && examples.contains(&".gitlab-ci.yml".to_string()),
        "the docs' pipelines are linted too: {examples:?}"
    );
}

#[test]
fn a_broken_workflow_action_template_or_dockerfile_fails_the_lint() {
    let Some(linters) = linters() else { return };
    // (file, text to replace, replacement, the linter that must object)
    let breakages = [
        (
            ".github/workflows/release.yml",
            "runs-on: ${{ matrix.os }}",
            "runs_on: ${{ matrix.os }}",
            "check-jsonschema",
        ),
        (
            ".github/workflows/release.yml",
            "run: scripts/release.sh \"$TARGET\" dist",
            "run: scripts/release.sh \"${{ github.event.head_commit.message }}\" dist",
            "zizmor",
        ),
        (
            "action.yml",
            "if [[ $STRICT == true ]]; then args+=(--strict); fi",
            "if [[ $STRICT == true ]] then args+=(--strict); fi",
            "shellcheck",
        ),
        (
            "gitlab/touchstone.gitlab-ci.yml",
            "  artifacts:",
            "  artifact:",
            "check-jsonschema",
        ),
        (
            "docs/publishing.md",
            "  extends: .touchstone-build",
            "  extends: .touchstone-build\n  when: sometimes",
            "check-jsonschema",
        ),
        (
            "Dockerfile",
            "FROM build-${TARGETARCH}",
            "FROM debian\nRUN apt-get install -y git",
            "hadolint",
        ),
    ];
    for (file, good, bad, linter) in breakages {
        let copy = copy_of_repository();
        let path = copy.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(good), "{file} no longer holds {good:?}");
        std::fs::write(&path, text.replacen(good, bad, 1)).unwrap();
        let failures = if file.starts_with("docs/") {
            lint_docs_examples(&linters, copy.path())
        } else {
            lint_file(&linters, copy.path(), file)
        };
        assert!(
            failures
                .iter()
                .any(|f| f.starts_with(file) && f.contains(&format!(" {linter} failed"))),
            "{linter} must reject {file} with {bad:?}; got:\n{}",
            failures.join("\n")
        );
    }
}

#[test]
fn docs_examples_are_found_by_the_file_they_name() {
    let docs =
        "`.gitlab-ci.yml`:\n\n```yaml\nstages: [a]\n```\n\nText.\n\n```yaml\nnot: named\n```\n";
    assert_eq!(
        yaml_examples(docs),
        vec![(".gitlab-ci.yml".to_string(), "stages: [a]\n".to_string())]
    );
    assert_eq!(
        without_expressions("echo \"${{ inputs.x }}\" ${{ y }}"),
        "echo \"EXPRESSION\" EXPRESSION"
    );
}

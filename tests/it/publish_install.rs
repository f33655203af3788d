//! How the GitHub Action installs Touchstone (`scripts/action-install.sh`):
//! run for real against a release folder made here from the binary under
//! test, the way a runner would run it, with the runner's environment.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::skip;

/// The runner's name for this machine's architecture, and the release
/// target the action must pick for it.
fn this_runner() -> Option<(&'static str, &'static str)> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Some(("X64", "x86_64-unknown-linux-gnu")),
        ("linux", "aarch64") => Some(("ARM64", "aarch64-unknown-linux-gnu")),
        _ => None,
    }
}

/// A folder laid out like a release: the archive scripts/release.sh makes
/// and its checksum file. The archive's `touchstone` runs the binary under
/// test (a debug build is too big to pack in every test).
fn fake_release(dir: &Path, target: &str) {
    use std::os::unix::fs::PermissionsExt;
    let stage = dir.join("stage");
    std::fs::create_dir_all(&stage).unwrap();
    let binary = stage.join("touchstone");
    let under_test = env!("CARGO_BIN_EXE_touchstone");
    std::fs::write(&binary, format!("#!/bin/sh\nexec '{under_test}' \"$@\"\n")).unwrap();
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    let archive = format!("touchstone-{target}.tar.gz");
    let tar = Command::new("tar")
        .arg("-czf")
        .arg(dir.join(&archive))
        .arg("-C")
        .arg(&stage)
        .arg("touchstone")
        .status()
        .unwrap();
    assert!(tar.success());
    let sum = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(dir)
        .output()
        .unwrap();
    std::fs::write(dir.join(format!("{archive}.sha256")), sum.stdout).unwrap();
}

struct Runner {
    temp: tempfile::TempDir,
    arch: &'static str,
}

impl Runner {
    fn new() -> Option<(Runner, &'static str)> {
        if Command::new("curl").arg("--version").output().is_err() {
            skip("the install script needs curl");
            return None;
        }
        let Some((arch, target)) = this_runner() else {
            skip("no release target for this machine");
            return None;
        };
        let temp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(temp.path().join("release")).unwrap();
        Some((Runner { temp, arch }, target))
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.temp.path().join(name)
    }

    /// Runs the script as the action's steps do, with a runner's variables.
    fn script(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action-install.sh");
        Command::new("bash")
            .arg(script)
            .args(args)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", self.arch)
            .env("RUNNER_TOOL_CACHE", self.path("toolcache"))
            .env("GITHUB_OUTPUT", self.path("github-output"))
            .env("GITHUB_PATH", self.path("github-path"))
            .env(
                "TOUCHSTONE_DOWNLOAD_URL",
                format!("file://{}", self.path("release").display()),
            )
            .envs(env.iter().copied())
            .output()
            .unwrap()
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_default()
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_action_installs_the_pinned_release_for_the_runner_and_verifies_it() {
    let Some((runner, target)) = Runner::new() else {
        return;
    };
    fake_release(&runner.path("release"), target);

    // Pinned as `uses: acme/touchstone@v0.1.0`: that tag, from that repository.
    let pinned = [(
        "GITHUB_ACTION_PATH",
        "/home/runner/work/_actions/acme/touchstone/v0.1.0",
    )];
    let resolved = runner.script(&["resolve"], &pinned);
    assert!(resolved.status.success(), "{}", text(&resolved));
    let outputs = runner.read("github-output");
    let dir = format!(
        "{}/touchstone/v0.1.0/{target}",
        runner.path("toolcache").display()
    );
    for expected in [
        "version=v0.1.0".to_string(),
        format!("target={target}"),
        "repository=acme/touchstone".to_string(),
        format!("dir={dir}"),
    ] {
        assert!(
            outputs.lines().any(|l| l == expected),
            "{expected} in:\n{outputs}"
        );
    }

    let installed = runner.script(&["install", "v0.1.0", target, &dir, "acme/touchstone"], &[]);
    let said = text(&installed);
    assert!(installed.status.success(), "{said}");
    assert!(
        said.contains("sha256") && said.contains("verified"),
        "{said}"
    );
    assert!(
        said.contains(concat!("touchstone ", env!("CARGO_PKG_VERSION"))),
        "{said}"
    );
    assert_eq!(runner.read("github-path").trim(), format!("{dir}/bin"));
    let on_path = Command::new(format!("{dir}/bin/touchstone"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(on_path.status.success());

    // The next job restores the download from the cache: no network, checked again.
    std::fs::remove_dir_all(runner.path("release")).unwrap();
    let cached = runner.script(&["install", "v0.1.0", target, &dir, "acme/touchstone"], &[]);
    let said = text(&cached);
    assert!(cached.status.success(), "{said}");
    assert!(
        !said.contains("downloading") && said.contains("verified"),
        "{said}"
    );
}

#[test]
fn the_action_refuses_an_archive_whose_checksum_does_not_match() {
    let Some((runner, target)) = Runner::new() else {
        return;
    };
    let release = runner.path("release");
    fake_release(&release, target);
    let sums = release.join(format!("touchstone-{target}.tar.gz.sha256"));
    let sum = std::fs::read_to_string(&sums).unwrap();
    std::fs::write(&sums, format!("{}{}", "0".repeat(64), &sum[64..])).unwrap();

    let dir = runner.path("toolcache/touchstone/v0.1.0").join(target);
    let dir = dir.to_str().unwrap();
    let installed = runner.script(&["install", "v0.1.0", target, dir, "acme/touchstone"], &[]);
    let said = text(&installed);
    assert_eq!(installed.status.code(), Some(1), "{said}");
    assert!(
        said.contains("::error title=touchstone install::checksum mismatch"),
        "an annotation says why: {said}"
    );
    assert!(
        !Path::new(dir).join("bin/touchstone").exists(),
        "nothing unpacked"
    );
    assert_eq!(runner.read("github-path"), "", "nothing put on the PATH");
    assert!(
        !Path::new(dir)
            .join(format!("touchstone-{target}.tar.gz"))
            .exists(),
        "a bad download is not kept for the cache"
    );
}

#[test]
fn the_action_picks_a_build_for_each_runner_and_names_what_it_lacks() {
    let Some((runner, _)) = Runner::new() else {
        return;
    };
    for (os, arch, target) in [
        ("Linux", "ARM64", "aarch64-unknown-linux-gnu"),
        ("macOS", "ARM64", "aarch64-apple-darwin"),
        ("macOS", "X64", "x86_64-apple-darwin"),
        ("Windows", "X64", "x86_64-pc-windows-msvc"),
    ] {
        let out = runner.script(
            &["resolve"],
            &[
                ("RUNNER_OS", os),
                ("RUNNER_ARCH", arch),
                ("GITHUB_OUTPUT", "/dev/stdout"),
            ],
        );
        let said = text(&out);
        assert!(
            said.contains(&format!("target={target}")),
            "{os} {arch}: {said}"
        );
        assert!(
            said.contains("version=latest"),
            "not pinned to a tag: {said}"
        );
    }
    let out = runner.script(
        &["resolve"],
        &[("RUNNER_OS", "Windows"), ("RUNNER_ARCH", "ARM64")],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("no prebuilt touchstone for Windows ARM64"),
        "{}",
        text(&out)
    );
}

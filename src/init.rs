//! `touchstone init`: a small, complete site that passes `check --strict`,
//! so a new author starts from something that works.

use std::borrow::Cow;
use std::path::Path;

const FILES: &[(&str, &str)] = &[
    (
        "book.toml",
        "[book]\ntitle = \"Our Customer Experience Playbook\"\ndescription = \"How we look after customers\"\nlanguage = \"en\"\n\n[build]\ncontent-dir = \"content\"\noutput-dir = \"public\"\n\n[site]\nbase-url = \"/\"\n\n[search]\nenabled = true\n",
    ),
    (
        "content/index.md",
        "---\ntitle: Our Customer Experience Playbook\n---\nWhat a great experience looks like here, and who makes it happen.\nStart with the [[standards/call-before-they-chase]] standard.\n",
    ),
    (
        "content/standards/call-before-they-chase.md",
        "---\ntitle: Call before they chase\nstatement: When something changes, we tell the customer before they have to ask.\nmantras: [no-surprises]\nmoments: [delivery-day]\npersonas: [busy-parent]\nmeasures:\n  - customers we phoned before they chased us, per week\nkano: performance\nweight: 10\n---\nA customer who has to chase us has already lost trust.\n",
    ),
    (
        "content/mantras.yaml",
        "- id: no-surprises\n  text: No surprises\n  meaning: The customer hears news from us first.\n  standards: [call-before-they-chase]\n",
    ),
    (
        "content/roles/delivery-driver.md",
        "---\ntitle: Delivery driver\nteam: Operations\nowns: [delivery-day]\nbehaviours:\n  - standard: call-before-they-chase\n    do: Phone the customer 30 minutes before you arrive.\n    dont: Turn up unannounced.\n    moment: delivery-day\nonboarding:\n  - Ride along with an experienced driver for a day.\n---\nThe face of the company on delivery day.\n",
    ),
    (
        "content/personas/busy-parent.md",
        "---\ntitle: Busy parent\nname: Sam\nquote: Just tell me when you're coming.\nloves:\n  - text: A precise arrival window\n    moments: [delivery-day]\n    evidence: verified\n    source: 2026 customer interviews\nhates:\n  - text: Waiting in all day\n    moments: [delivery-day]\n    evidence: verified\n    source: 2026 complaints review\n---\nJuggles work, school runs and deliveries.\n",
    ),
    (
        "content/journey/core/_index.md",
        "---\ntitle: Core\norder: 3\n---\nThe heart of the experience: the product arrives.\n",
    ),
    (
        "content/journey/core/delivery-day.md",
        "---\ntitle: Delivery day\norder: 1\nmoment_of_truth: true\n---\nThe order arrives. The customer is waiting, hopeful and a little anxious.\n",
    ),
    (
        "content/stories/the-call-that-saved-my-day.md",
        "---\ntitle: The call that saved my day\npersona: busy-parent\nmoments: [delivery-day]\nstandards: [call-before-they-chase]\nsentiment: love\nsource: Survey comment\ndate: 2026-05-01\n---\n> The driver rang to say he'd be ten minutes late. I could finally plan my afternoon.\n",
    ),
];

/// Writes the starter site into `dir` (see [`start_site`] for when it refuses).
pub fn init(dir: &Path, force: bool) -> Result<Vec<String>, String> {
    let files = FILES
        .iter()
        .map(|(path, text)| (path.to_string(), Cow::Borrowed(text.as_bytes())));
    start_site(dir, force, files.collect())
}

/// The complete sample playbook, built into the binary.
#[derive(rust_embed::Embed)]
#[folder = "."]
#[include = "book.toml"]
#[include = "content/**/*"]
struct Sample;

/// Writes the complete sample playbook into `dir` (see [`start_site`]).
pub fn init_sample(dir: &Path, force: bool) -> Result<Vec<String>, String> {
    let files = Sample::iter().map(|name| {
        let data = Sample::get(&name).expect("listed").data;
        (name.to_string(), data)
    });
    start_site(dir, force, files.collect())
}

/// Writes a new site's files. A folder that already holds something (other
/// than hidden files such as `.git`) is refused unless `force`, so `init` in
/// the wrong folder cannot scatter a site among someone's files; even with
/// `force`, no existing file is ever overwritten.
fn start_site(
    dir: &Path,
    force: bool,
    files: Vec<(String, Cow<'static, [u8]>)>,
) -> Result<Vec<String>, String> {
    if !force {
        refuse_unless_empty(dir)?;
    }
    if let Some((existing, _)) = files.iter().find(|(f, _)| dir.join(f).exists()) {
        return Err(format!(
            "{} already exists; `touchstone init` never overwrites a file",
            dir.join(existing).display()
        ));
    }
    for (name, data) in &files {
        let target = dir.join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&target, data)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    Ok(files.into_iter().map(|(name, _)| name).collect())
}

fn refuse_unless_empty(dir: &Path) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(()); // a new folder, created on write
    };
    let mut visible: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    if visible.is_empty() {
        return Ok(());
    }
    visible.sort();
    let shown = visible
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = if visible.len() > 3 { ", ..." } else { "" };
    Err(format!(
        "{} is not empty (it holds {shown}{more}); `touchstone init` starts a new site in an empty or new folder\n  hint: name a new folder (`touchstone init my-playbook`), or pass --force to add the site's files beside what is there (nothing is overwritten)",
        dir.display()
    ))
}

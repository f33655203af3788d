//! `touchstone init`: a small, complete site that passes `check --strict`,
//! so a new author starts from something that works.

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

/// Writes the starter site into `dir`, refusing to overwrite anything.
pub fn init(dir: &Path) -> Result<Vec<String>, String> {
    for (path, _) in FILES {
        if dir.join(path).exists() {
            return Err(format!(
                "{} already exists; `touchstone init` only starts new sites",
                dir.join(path).display()
            ));
        }
    }
    let mut written = Vec::new();
    for (path, text) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&target, text)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        written.push(path.to_string());
    }
    Ok(written)
}

/// The complete sample playbook, built into the binary.
#[derive(rust_embed::Embed)]
#[folder = "."]
#[include = "book.toml"]
#[include = "content/**/*"]
struct Sample;

/// Writes the complete sample playbook into `dir`, refusing to overwrite anything.
pub fn init_sample(dir: &Path) -> Result<Vec<String>, String> {
    let files: Vec<String> = Sample::iter().map(|f| f.to_string()).collect();
    if let Some(existing) = files.iter().find(|f| dir.join(f).exists()) {
        return Err(format!(
            "{} already exists; `touchstone init` only starts new sites",
            dir.join(existing).display()
        ));
    }
    for name in &files {
        let target = dir.join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let data = Sample::get(name).expect("listed").data;
        std::fs::write(&target, data)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    Ok(files)
}

//! "Edit this page" and "report a problem": each page's links to its source
//! file (`[site] edit-url`) and to a feedback form or mail (`[site]
//! feedback-url`), filled from the page's source, line, title and address.

use std::collections::HashMap;

use crate::config::Config;
use crate::model::{Kind, Site};

/// Where each page's text was written: its source file and first line, by
/// site path. Generated pages (lists, journey, health) have a source only
/// when a plain page at their path gives them an introduction.
pub(crate) struct Sources<'a> {
    by_path: HashMap<String, (&'a str, usize)>,
}

impl<'a> Sources<'a> {
    /// Empty unless a template asks for the source (`{path}` or `{line}`),
    /// so a site without edit links pays nothing for them.
    pub(crate) fn new(config: &Config, site: &'a Site) -> Sources<'a> {
        let links = &config.page_links;
        let needed =
            links.edit.is_some() || links.feedback.as_ref().is_some_and(|f| f.uses("path"));
        let mut by_path = HashMap::new();
        if needed {
            for (key, meta) in site.all_metas() {
                let source = (meta.file.as_str(), meta.line);
                if key.kind == Kind::Role {
                    by_path.insert(format!("roles/{}/onboarding/", key.id), source);
                }
                if let Some(path) = site.path_of(&key) {
                    by_path.insert(path, source);
                }
            }
        }
        Sources { by_path }
    }

    pub(crate) fn of(&self, path: &str) -> Option<(&'a str, usize)> {
        self.by_path.get(path).copied()
    }
}

/// The edit link of a source file at a line, if `edit-url` is set.
pub(crate) fn edit_url(config: &Config, file: &str, line: usize) -> Option<String> {
    let line = line.max(1).to_string();
    let edit = config.page_links.edit.as_ref()?;
    Some(edit.fill(&[("path", file), ("line", &line)]))
}

/// The feedback link of a page, if `feedback-url` is set.
pub(crate) fn feedback_url(
    config: &Config,
    title: &str,
    path: &str,
    file: Option<&str>,
) -> Option<String> {
    let url = config.base_url.absolute(path);
    let feedback = config.page_links.feedback.as_ref()?;
    Some(feedback.fill(&[
        ("title", title),
        ("url", &url),
        ("path", file.unwrap_or_default()),
    ]))
}

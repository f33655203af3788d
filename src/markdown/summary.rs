//! An mdBook `SUMMARY.md` at the top of `content/`: the book's outline.
//! It is not a page of its own; its part titles and links, in order and
//! nested as written, become the contents the home page shows, so every
//! chapter it lists is reachable. A link to nothing is an error at its
//! line; a draft chapter (`[Title]()`) is shown without a link.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::links::LinkIndex;
use super::targets::Target;
use crate::diagnostics::Diagnostic;
use crate::model::OutlineEntry;

/// Where an mdBook keeps its outline, under `content/`.
pub(crate) const SUMMARY: &str = "SUMMARY.md";

/// The outline a `SUMMARY.md` writes, and its broken links.
pub(crate) fn outline(
    text: &str,
    links: &LinkIndex,
    file: &str,
    first_line: usize,
) -> (Vec<OutlineEntry>, Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut depth = 0usize;
    let mut open: Option<(String, String, usize)> = None;
    let mut part: Option<String> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Heading { level, .. }) if level != HeadingLevel::H1 => {
                part = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(title) = part.take().filter(|t| !t.trim().is_empty()) {
                    entries.push(OutlineEntry {
                        title: title.trim().to_string(),
                        key: None,
                        depth: 0,
                        part: true,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                open = Some((dest_url.to_string(), String::new(), range.start));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, title, _)) = open.as_mut() {
                    title.push_str(&t);
                } else if let Some(title) = part.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::End(TagEnd::Link) => {
                let Some((dest, title, at)) = open.take() else {
                    continue;
                };
                let key = if dest.is_empty() {
                    None
                } else {
                    match links.target(SUMMARY, &dest) {
                        Ok(Target::FromRoot { key, .. }) => key,
                        Ok(Target::AsWritten) => None,
                        Err((message, hint)) => {
                            let line = first_line + text[..at].matches('\n').count();
                            problems.push(
                                Diagnostic::error("broken-link", file, message)
                                    .at_line(line)
                                    .with_hint(hint),
                            );
                            None
                        }
                    }
                };
                entries.push(OutlineEntry {
                    title,
                    key,
                    depth,
                    part: false,
                });
            }
            _ => {}
        }
    }
    (entries, problems)
}

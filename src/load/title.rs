//! A page's title from its body, for Markdown that has no `title:`: the
//! first heading of any level (an mdBook chapter often opens with `##`),
//! as plain text (`` `if` `` reads `if`), with the id it would have had,
//! so links to it keep working once it moves from the body to the page's
//! own header. The Markdown options and the heading-id rule live here, the
//! lowest layer that reads Markdown, and the renderer uses the same ones.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The Markdown Touchstone reads: GitHub's extensions, `{#id}` after a
/// heading, `[[wikilinks]]` and typographic quotes. Titles are read with
/// the same options as bodies, so a title's id is the id its heading had.
pub(crate) fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// A heading's id by GitHub's rules, which mdBook and code hosts share:
/// lower case, letters, digits, marks, `_` and `-` kept, each space a `-`,
/// every other character dropped, nothing collapsed or trimmed — so links
/// written against a code host's rendering keep working here.
pub(crate) fn heading_id(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '_' || c == '-' || is_combining_mark(c) => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

/// Combining diacritical marks (`e` + U+0301), which GitHub keeps in ids.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{20D0}'..='\u{20FF}')
}

/// The heading a page's title came from, and the body without it.
#[derive(Debug, PartialEq)]
pub(crate) struct TakenHeading {
    /// Its words, without Markdown.
    pub title: String,
    /// Its id: `{#id}` as written, else made by GitHub's rules.
    pub anchor: String,
    /// The body with the heading's lines left blank, so lines stay true.
    pub body: String,
}

/// Takes the first heading (of any level, outside code) out of `body`.
pub(crate) fn take_first_heading(body: &str) -> Option<TakenHeading> {
    let mut parser = Parser::new_ext(body, markdown_options()).into_offset_iter();
    let (id, start) = parser.find_map(|(event, range)| match event {
        Event::Start(Tag::Heading { id, .. }) => Some((id.map(|i| i.to_string()), range)),
        _ => None,
    })?;
    let mut title = String::new();
    for (event, _) in parser {
        match event {
            Event::Text(text) | Event::Code(text) => title.push_str(&text),
            Event::SoftBreak | Event::HardBreak => title.push(' '),
            Event::End(TagEnd::Heading(_)) => break,
            _ => {}
        }
    }
    let title = title.trim().to_string();
    if title.is_empty() {
        return None;
    }
    let lines = body[start.clone()].matches('\n').count();
    let body = format!(
        "{}{}{}",
        &body[..start.start],
        "\n".repeat(lines),
        &body[start.end..]
    );
    Some(TakenHeading {
        anchor: id.unwrap_or_else(|| heading_id(&title)),
        title,
        body,
    })
}

/// The plain words and id of a heading's text as written (`` `if` and
/// `if let` {#if-let} ``).
pub(crate) fn heading_text(written: &str) -> (String, String) {
    match take_first_heading(&format!("# {written}\n")) {
        Some(taken) => (taken.title, taken.anchor),
        None => (written.trim().to_string(), heading_id(written)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_heading_of_any_level_is_taken_and_its_lines_left_blank() {
        let taken =
            take_first_heading("Intro text.\n\n### Why `_` matters?\n\nBecause.\n").unwrap();
        assert_eq!(taken.title, "Why _ matters?");
        assert_eq!(taken.anchor, "why-_-matters");
        assert_eq!(taken.body, "Intro text.\n\n\n\nBecause.\n");
    }

    #[test]
    fn headings_in_code_are_not_titles() {
        assert_eq!(take_first_heading("```md\n# Not this\n```\n"), None);
    }

    #[test]
    fn a_written_id_is_kept() {
        assert_eq!(
            heading_text("`if` and `if let` {#if-let}"),
            ("if and if let".to_string(), "if-let".to_string())
        );
    }
}

//! Code highlighting: syntect's classes (`hl-*`) in code blocks, and the
//! stylesheet for them, with each colour nudged to WCAG AA contrast against
//! the theme's code backgrounds.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use rayon::prelude::*;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::{RenderedBody, html_escape};

/// syntect's own syntaxes and the maintained extras bat ships (TOML,
/// Dockerfile, TypeScript, Kotlin, PowerShell, SCSS…), loaded once.
fn syntaxes() -> &'static SyntaxSet {
    SYNTAXES_LOADED.get_or_init(two_face::syntax::extra_newlines)
}

static SYNTAXES_LOADED: OnceLock<SyntaxSet> = OnceLock::new();

/// Loads the syntaxes now if any of `bodies` fences code, so a build can
/// load them beside its bodies rather than after them, when their code
/// is coloured (a few milliseconds of one core, the other idle). Whether
/// it did.
pub(crate) fn load_syntaxes_for<'b>(mut bodies: impl Iterator<Item = &'b str>) -> bool {
    let backticks = memchr::memmem::Finder::new("```");
    let tildes = memchr::memmem::Finder::new("~~~");
    let fences = |body: &str| {
        backticks.find(body.as_bytes()).is_some() || tildes.find(body.as_bytes()).is_some()
    };
    let fenced = bodies.any(fences);
    if fenced {
        syntaxes();
    }
    fenced
}

/// Names docs give languages that the syntax set knows by another name:
/// shell sessions, template languages shown as the HTML they write.
const ALIASES: [(&str, &str); 9] = [
    ("console", "bash"),
    ("shell", "bash"),
    ("shell-session", "bash"),
    ("sh-session", "bash"),
    ("terminal", "bash"),
    ("njk", "html"),
    ("nunjucks", "html"),
    ("liquid", "html"),
    ("jinja", "html"),
];

/// Languages shown as plain text on purpose, without a label.
const PLAIN: [&str; 4] = ["text", "txt", "plain", "plaintext"];

fn syntax_for(lang: &str) -> Option<&'static SyntaxReference> {
    if lang.is_empty() {
        return None;
    }
    let lower = lang.to_ascii_lowercase();
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lower.as_str(), |(_, to)| to);
    syntaxes().find_syntax_by_token(token)
}

/// A code block with syntect's CSS classes (`hl-*`); a language the syntax
/// set does not know is shown as plain code labelled with its name.
pub(super) fn highlight(code: &str, lang: &str) -> String {
    let escaped_lang = html_escape(lang);
    let Some(syntax) = syntax_for(lang) else {
        let known_plain = lang.is_empty() || PLAIN.contains(&lang.to_ascii_lowercase().as_str());
        let label = if known_plain {
            String::new()
        } else {
            format!(" data-label=\"{escaped_lang}\"")
        };
        return format!(
            "<pre class=\"code\" tabindex=\"0\"{label}><code data-lang=\"{escaped_lang}\">{}</code></pre>\n",
            html_escape(code)
        );
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        syntaxes(),
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre class=\"code\" tabindex=\"0\"><code>{}</code></pre>\n",
                html_escape(code)
            );
        }
    }
    format!(
        "<pre class=\"code\" tabindex=\"0\"><code data-lang=\"{escaped_lang}\">{}</code></pre>\n",
        generator.finalize()
    )
}

/// Where the `n`th pending code block of a body goes in its HTML. NUL
/// never comes out of Markdown on its own; text that holds one anyway
/// (a title written with YAML's `"\0"`) is caught by `put_in_place`.
/// Like a coloured block, it ends its line, so the HTML writer starts
/// the next block the same way after either.
pub(super) fn marker(n: usize) -> String {
    format!("\0{n}\0\n")
}

/// Colours the pending code of `bodies` (rendered with `Code::Deferred`)
/// and puts it in place. Each distinct block is coloured once; a
/// language's blocks wait for its first, which compiles the grammar,
/// while other languages compile on other cores. Returns the positions
/// of the bodies whose markers did not come out as written: render those
/// again with `Code::Highlighted`.
pub(crate) fn colour_pending(bodies: &mut [&mut RenderedBody]) -> Vec<usize> {
    let mut distinct: HashMap<(&str, &str), usize> = HashMap::new();
    let mut blocks: Vec<(&str, &str)> = Vec::new();
    let slots: Vec<Vec<usize>> = bodies
        .iter()
        .map(|body| {
            let pending = body.pending_code.iter();
            pending
                .map(|p| {
                    *distinct
                        .entry((p.lang.as_str(), p.code.as_str()))
                        .or_insert_with(|| {
                            blocks.push((p.code.as_str(), p.lang.as_str()));
                            blocks.len() - 1
                        })
                })
                .collect()
        })
        .collect();
    let mut coloured = colour_distinct(&blocks);
    // A coloured block is let go as soon as the last body showing it has
    // it, so the site's coloured code is held once, not twice.
    let mut uses = vec![0usize; coloured.len()];
    for &i in slots.iter().flatten() {
        uses[i] += 1;
    }
    let mut disturbed = Vec::new();
    for (at, (body, slots)) in bodies.iter_mut().zip(slots).enumerate() {
        body.pending_code = Vec::new();
        if slots.is_empty() {
            continue;
        }
        let blocks: Vec<&str> = slots.iter().map(|&i| coloured[i].as_str()).collect();
        match put_in_place(&body.html, &blocks) {
            Some(html) => body.html = html,
            None => disturbed.push(at),
        }
        for i in slots {
            uses[i] -= 1;
            if uses[i] == 0 {
                coloured[i] = String::new();
            }
        }
    }
    disturbed
}

/// Each `(code, lang)` coloured, in order: grouped by grammar, the groups
/// side by side, each group's first block before the rest.
fn colour_distinct(blocks: &[(&str, &str)]) -> Vec<String> {
    let mut by_grammar: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for (i, (_, lang)) in blocks.iter().enumerate() {
        let grammar = syntax_for(lang).map(|syntax| syntax.name.as_str());
        by_grammar.entry(grammar).or_default().push(i);
    }
    let colour = |&i: &usize| (i, highlight(blocks[i].0, blocks[i].1));
    let done: Vec<(usize, String)> = by_grammar
        .into_values()
        .collect::<Vec<_>>()
        .into_par_iter()
        .flat_map_iter(|group| {
            let first = colour(&group[0]);
            let rest: Vec<(usize, String)> = group[1..].par_iter().map(colour).collect();
            std::iter::once(first).chain(rest)
        })
        .collect();
    let mut coloured = vec![String::new(); blocks.len()];
    for (i, html) in done {
        coloured[i] = html;
    }
    coloured
}

/// `html` with its markers replaced by `blocks`, in order; `None` unless
/// every NUL in it is one of exactly those markers.
fn put_in_place(html: &str, blocks: &[&str]) -> Option<String> {
    let mut out = String::with_capacity(html.len() + blocks.iter().map(|b| b.len()).sum::<usize>());
    let mut rest = html;
    for (n, block) in blocks.iter().enumerate() {
        let at = rest.find('\0')?;
        let marker = marker(n);
        rest[at..].starts_with(&marker).then_some(())?;
        out.push_str(&rest[..at]);
        out.push_str(block);
        rest = &rest[at + marker.len()..];
    }
    (!rest.contains('\0')).then_some(())?;
    out.push_str(rest);
    Some(out)
}

/// Light and dark colours for highlighted code, generated from syntect themes.
pub(crate) fn highlight_css() -> String {
    use syntect::highlighting::ThemeSet;
    use syntect::html::css_for_theme_with_class_style;
    let themes = ThemeSet::load_defaults();
    let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
    let light =
        css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], style).unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], style)
        .unwrap_or_default();
    // The theme's own colours, nudged until every one reads on our code
    // backgrounds (style.css --code-bg) at WCAG AA contrast.
    let light = with_contrast(&light, (0xf8, 0xf6, 0xf3));
    let dark = with_contrast(&dark, (0x2b, 0x30, 0x3b));
    format!(
        "/* Code colours: light by default, dark with the system setting. */\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    )
}

type Rgb = (u8, u8, u8);

/// Rewrites each `color: #rrggbb` in `css` to reach 4.6:1 against `background`,
/// darkening on light backgrounds and lightening on dark ones.
fn with_contrast(css: &str, background: Rgb) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find(" color: #") {
        let (before, after) = rest.split_at(i + " color: #".len());
        out.push_str(before);
        let hex = &after[..6.min(after.len())];
        match parse_hex(hex) {
            Some(colour) => {
                let (r, g, b) = readable(colour, background);
                out.push_str(&format!("{r:02x}{g:02x}{b:02x}"));
                rest = &after[6..];
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

fn parse_hex(hex: &str) -> Option<Rgb> {
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((channel(0)?, channel(2)?, channel(4)?))
}

fn readable(mut colour: Rgb, background: Rgb) -> Rgb {
    let towards = if luminance(background) > 0.5 {
        0.0
    } else {
        255.0
    };
    for _ in 0..40 {
        if contrast(colour, background) >= 4.6 {
            break;
        }
        let step = |c: u8| (c as f64 + (towards - c as f64) * 0.1).round() as u8;
        colour = (step(colour.0), step(colour.1), step(colour.2));
    }
    colour
}

fn luminance((r, g, b): Rgb) -> f64 {
    let linear = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntaxes_load_early_only_for_bodies_that_fence_code() {
        let prose = ["# Greet\n\nSay `hello`.\n", "Two ``ticks`` and ~~strike~~."];
        assert!(!load_syntaxes_for(prose.into_iter()));
        assert!(load_syntaxes_for(
            ["Intro", "```yaml\na: 1\n```\n"].into_iter()
        ));
        assert!(load_syntaxes_for(["~~~\nplain\n~~~\n"].into_iter()));
        assert!(SYNTAXES_LOADED.get().is_some());
    }

    #[test]
    fn blocks_go_where_their_markers_are_and_nowhere_else() {
        let put = put_in_place;
        let html = format!("<p>a</p>{}<p>b</p>{}", marker(0), marker(1));
        assert_eq!(
            put(&html, &["X", "Y"]).as_deref(),
            Some("<p>a</p>X<p>b</p>Y")
        );
        assert_eq!(put("<p>none</p>", &[]).as_deref(), Some("<p>none</p>"));
        // A marker too many, out of order, missing, or a stray NUL.
        let extra = format!("{}{}{}", marker(0), marker(1), marker(1));
        assert_eq!(put(&extra, &["X", "Y"]), None);
        let swapped = format!("{}{}", marker(1), marker(0));
        assert_eq!(put(&swapped, &["X", "Y"]), None);
        assert_eq!(put(&marker(0), &["X", "Y"]), None);
        assert_eq!(put(&format!("\0{}", marker(0)), &["X"]), None);
        assert_eq!(put(&format!("{}\0", marker(0)), &["X"]), None);
    }

    #[test]
    fn code_colours_are_pushed_to_readable_contrast() {
        let css = with_contrast(".x { color: #63a35c; }", (0xf8, 0xf6, 0xf3));
        let colour = parse_hex(&css[css.find('#').unwrap() + 1..][..6]).unwrap();
        assert!(contrast(colour, (0xf8, 0xf6, 0xf3)) >= 4.5, "{css}");
        assert_eq!(
            with_contrast(".x { color: #000000; }", (255, 255, 255)),
            ".x { color: #000000; }"
        );
    }
}

//! Code highlighting: syntect's classes (`hl-*`) in code blocks, and the
//! stylesheet for them, with each colour nudged to WCAG AA contrast against
//! the theme's code backgrounds.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::html_escape;

/// syntect's own syntaxes and the maintained extras bat ships (TOML,
/// Dockerfile, TypeScript, Kotlin, PowerShell, SCSS…), loaded once.
fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
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

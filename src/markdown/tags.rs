//! Raw HTML read as a browser's tokenizer would, as far as links need it:
//! start tags and their attributes (double-, single- or un-quoted), with
//! comments, end tags and the text of `<script>`, `<style>` and
//! `<textarea>` skipped. Text between tags is never read, so an
//! `href="..."` shown in prose or code is not mistaken for a link.

use std::borrow::Cow;
use std::ops::Range;

/// A start tag: its name as written and its attributes.
#[derive(Debug)]
pub(crate) struct StartTag<'a> {
    /// Where its `<` is in the HTML.
    pub(crate) start: usize,
    pub(crate) name: &'a str,
    pub(crate) attributes: Vec<Attribute<'a>>,
}

/// One attribute as written: where it starts and ends in the HTML (name
/// to closing quote), its name, and its value with character references
/// decoded. Names compare without case, as HTML's do.
#[derive(Debug)]
pub(crate) struct Attribute<'a> {
    pub(crate) span: Range<usize>,
    pub(crate) name: &'a str,
    pub(crate) value: Option<Cow<'a, str>>,
}

impl Attribute<'_> {
    pub(crate) fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// `onclick`, `onmouseover`…: script run by the browser on an event.
    pub(crate) fn is_event_handler(&self) -> bool {
        // Bytes, not characters: a name may begin with any letter (`日本`).
        let name = self.name.as_bytes();
        name.len() > 2 && name[..2].eq_ignore_ascii_case(b"on")
    }
}

/// Every start tag of `html`, in order.
pub(crate) fn start_tags(html: &str) -> Vec<StartTag<'_>> {
    let mut tags = Vec::new();
    visit_start_tags(
        html,
        |_| true,
        |tag| {
            tags.push(StartTag {
                start: tag.start,
                name: tag.name,
                attributes: std::mem::take(&mut tag.attributes),
            });
        },
    );
    tags
}

/// Calls `visit` with every start tag of `html`, in order, reusing one
/// tag's storage: reading a whole site's pages allocates nothing per tag.
/// A tag has only the attributes whose name `wanted` takes (the rest are
/// passed over, their values not decoded).
pub(crate) fn visit_start_tags<'a>(
    html: &'a str,
    wanted: impl Fn(&str) -> bool,
    mut visit: impl FnMut(&mut StartTag<'a>),
) {
    let mut tag = StartTag {
        start: 0,
        name: "",
        attributes: Vec::new(),
    };
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(start) = next_less_than(bytes, at) {
        at = match bytes.get(start + 1) {
            Some(b'!') if bytes[start..].starts_with(b"<!--") => {
                comment_end(&html[start..]).map_or(html.len(), |end| start + end)
            }
            Some(b'/' | b'!' | b'?') => {
                find_byte(b'>', &bytes[start..]).map_or(html.len(), |end| start + end + 1)
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let end = start_tag(html, start + 1, &mut tag, &wanted);
                let after = match raw_text(tag.name) {
                    Some(name) => closing(html, end, name),
                    None => end,
                };
                visit(&mut tag);
                after
            }
            _ => start + 1,
        };
    }
}

/// Where the next `<` from `at` is.
fn next_less_than(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = bytes.get(at..)?;
    find_byte(b'<', rest).map(|found| at + found)
}

/// Where the first `byte` in `bytes` is. Searches here end within a few
/// dozen bytes (the next tag, the end of a value), where a call to a
/// vectorised search costs more than it saves: the first bytes are read
/// eight at a time, as one number each.
fn find_byte(byte: u8, bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let pattern = ONES * u64::from(byte);
    let mut at = 0;
    while at < NEAR && at + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
        // A byte of `byte` is a zero byte here; the lowest zero byte sets
        // the lowest high bit (a borrow only reaches the bytes above it).
        let zeros = word ^ pattern;
        let found = zeros.wrapping_sub(ONES) & !zeros & HIGHS;
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    memchr::memchr(byte, &bytes[at..]).map(|found| at + found)
}

/// How far `find_byte` reads eight bytes at a time.
const NEAR: usize = 32;

/// The name of an element whose text holds no tags (`script`, `style`,
/// `textarea`), if `name` is one, in any case.
fn raw_text(name: &str) -> Option<&'static str> {
    let raw = match name.len() {
        5 => "style",
        6 => "script",
        8 => "textarea",
        _ => return None,
    };
    name.eq_ignore_ascii_case(raw).then_some(raw)
}

/// Where the comment `rest` begins with ends, as a browser ends it: at
/// `-->` (`<!-->` and `<!--->` are empty comments), or at `--!>`.
fn comment_end(rest: &str) -> Option<usize> {
    let dashes = rest.find("-->").map(|end| end + 3);
    let bang = rest[4..].find("--!>").map(|end| 4 + end + 4);
    dashes.into_iter().chain(bang).min()
}

/// Reads the tag whose name starts at `at` into `tag`; returns where it
/// ends (after its `>`).
fn start_tag<'a>(
    html: &'a str,
    at: usize,
    tag: &mut StartTag<'a>,
    wanted: &impl Fn(&str) -> bool,
) -> usize {
    let bytes = html.as_bytes();
    let name_end = skip(bytes, at, TAG_NAME);
    tag.start = at - 1;
    tag.name = &html[at..name_end];
    tag.attributes.clear();
    let mut i = name_end;
    loop {
        i = skip(bytes, i, SPACE | SLASH);
        match bytes.get(i) {
            None => return html.len(),
            Some(b'>') => return i + 1,
            Some(_) => {}
        }
        // The first character is the name's whatever it is (`=`, `日`);
        // the rest ends at a space, `=`, `>` or `/`. Reading on from its
        // second byte is safe: a character's later bytes are in no class,
        // so the name ends on a boundary.
        let name_start = i;
        i = until(bytes, i + 1, SPACE | EQUALS | GT | SLASH);
        let name = &html[name_start..i];
        let after_name = i;
        i = skip(bytes, i, SPACE);
        let wanted = wanted(name);
        if bytes.get(i) != Some(&b'=') {
            if wanted {
                tag.attributes.push(Attribute {
                    span: name_start..after_name,
                    name,
                    value: None,
                });
            }
            continue;
        }
        i = skip(bytes, i + 1, SPACE);
        let (value, end) = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                let close = find_byte(quote, &bytes[i + 1..]).map_or(html.len(), |e| i + 1 + e);
                (&html[i + 1..close], (close + 1).min(html.len()))
            }
            _ => {
                let end = until(bytes, i, SPACE | GT);
                (&html[i..end], end)
            }
        };
        if wanted {
            tag.attributes.push(Attribute {
                span: name_start..end,
                name,
                value: Some(decode_references(value)),
            });
        }
        i = end;
    }
}

/// The classes of bytes a start tag is read by. Each is ASCII: every
/// byte of a multi-byte character is in none, so a run of bytes in or
/// out of a class always ends at a character boundary.
const SPACE: u8 = 1;
const SLASH: u8 = 2;
const EQUALS: u8 = 4;
const GT: u8 = 8;
/// Letters, digits, `-` and `:`: a tag's name.
const TAG_NAME: u8 = 16;

/// Each byte's classes, looked up once a byte instead of compared.
static CLASSES: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_whitespace() {
            SPACE
        } else if c == b'/' {
            SLASH
        } else if c == b'=' {
            EQUALS
        } else if c == b'>' {
            GT
        } else if c.is_ascii_alphanumeric() || c == b'-' || c == b':' {
            TAG_NAME
        } else {
            0
        };
        b += 1;
    }
    table
}

/// The first index from `at` whose byte is in none of the classes `of`.
fn skip(bytes: &[u8], at: usize, of: u8) -> usize {
    let mut i = at.min(bytes.len());
    while i < bytes.len() && CLASSES[usize::from(bytes[i])] & of != 0 {
        i += 1;
    }
    i
}

/// The first index from `at` whose byte is in one of the classes `of`.
fn until(bytes: &[u8], at: usize, of: u8) -> usize {
    let mut i = at.min(bytes.len());
    while i < bytes.len() && CLASSES[usize::from(bytes[i])] & of == 0 {
        i += 1;
    }
    i
}

/// Where the text of a `<script>` (or style, textarea) ends: after its
/// `</script>`, else at the end.
fn closing(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    // Each `<` is found by `memchr`: a substring search sets itself up
    // again on every call, and a page calls this for each script.
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        if bytes.get(start + 1) != Some(&b'/') {
            at = start + 1;
            continue;
        }
        let named = html
            .get(start + 2..start + 2 + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name));
        if named {
            return html[start..]
                .find('>')
                .map_or(html.len(), |e| start + e + 1);
        }
        at = start + 2;
    }
    html.len()
}

/// Character references decoded as a browser reads them: every named one
/// of HTML (`&amp;`, `&colon;`), and every number with or without its `;`
/// (`&#38;`, `&#x61`), so a link is checked where a reader's click would
/// take it.
fn decode_references(value: &str) -> Cow<'_, str> {
    // Values are short: eight bytes a step beats a search's setup.
    if find_byte(b'&', value.as_bytes()).is_none() {
        return Cow::Borrowed(value);
    }
    let numbers = decode_numbers(value);
    match html_escape::decode_html_entities(&numbers) {
        Cow::Borrowed(_) => numbers,
        Cow::Owned(decoded) => Cow::Owned(decoded),
    }
}

/// Numeric character references decoded as HTML's tokenizer reads them:
/// the `;` may be missing; zero, a surrogate or a number past Unicode is
/// U+FFFD; 0x80–0x9F are the Windows-1252 characters a page of the 1990s
/// meant. An `&` before a named reference is left as it is, and a
/// decoded `&` is written `&amp;` so no name is read into it afterwards.
fn decode_numbers(value: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    let bytes = value.as_bytes();
    for (at, _) in value.match_indices("&#") {
        if at < copied {
            continue;
        }
        let hex = matches!(bytes.get(at + 2), Some(b'x' | b'X'));
        let digits_at = at + 2 + usize::from(hex);
        let digits = bytes[digits_at..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            continue;
        }
        let text = &value[digits_at..digits_at + digits];
        let number = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let mut end = digits_at + digits;
        if bytes.get(end) == Some(&b';') {
            end += 1;
        }
        out.push_str(&value[copied..at]);
        match character_of(number) {
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
        copied = end;
    }
    if copied == 0 {
        return Cow::Borrowed(value);
    }
    out.push_str(&value[copied..]);
    Cow::Owned(out)
}

/// The character a numeric reference stands for (HTML's "numeric
/// character reference end state").
fn character_of(number: u32) -> char {
    const WINDOWS_1252: [char; 32] = [
        '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}',
        '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}',
        '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}',
        '\u{178}',
    ];
    match number {
        0 => '\u{FFFD}',
        0x80..=0x9F => WINDOWS_1252[(number - 0x80) as usize],
        _ => char::from_u32(number).unwrap_or('\u{FFFD}'),
    }
}

/// Where each image URL of a `srcset` value is in it: candidates are
/// separated by commas, each a URL then its width or density (`a.png 1x,
/// b.png 2x`); a URL may hold commas, but not end with one.
pub(crate) fn srcset_urls(value: &str) -> Vec<Range<usize>> {
    let bytes = value.as_bytes();
    let mut urls = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b',') {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut end = at;
        while end > start && bytes[end - 1] == b',' {
            end -= 1;
        }
        if end > start {
            urls.push(start..end);
        }
        if end < at {
            // The URL ended the candidate with its comma.
            continue;
        }
        // Its descriptors, up to the comma that ends the candidate.
        let mut depth = 0usize;
        while at < bytes.len() && !(bytes[at] == b',' && depth == 0) {
            match bytes[at] {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                _ => {}
            }
            at += 1;
        }
    }
    urls
}

/// Whether a URL runs script when followed: `javascript:`, in any case,
/// with the spaces and control characters browsers ignore in front.
pub(crate) fn is_javascript_url(url: &str) -> bool {
    // The URL standard strips C0 controls and spaces in front, nothing else.
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(11)
        .collect();
    url.to_ascii_lowercase().starts_with("javascript:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(html: &str) -> Vec<(String, String, Option<String>)> {
        start_tags(html)
            .into_iter()
            .flat_map(|t| {
                let tag = t.name.to_string();
                t.attributes.into_iter().map(move |a| {
                    (
                        tag.clone(),
                        a.name.to_string(),
                        a.value.map(|v| v.into_owned()),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn a_byte_is_found_first_wherever_it_is_and_whatever_is_around_it() {
        // Every length across the words read as numbers and the search
        // after them, the byte at every place, twice or with its
        // neighbours (a borrow from one byte must not find the next).
        for length in 0..80 {
            let plain: Vec<u8> = (0..length).map(|i| b'a' + (i % 7) as u8).collect();
            assert_eq!(find_byte(b'<', &plain), None, "{length}");
            for at in 0..length {
                for (before, after) in [(b'a', b'a'), (b'=', b'='), (0xFF, 0x3B), (0x3D, 0x3D)] {
                    let mut bytes = plain.clone();
                    if at > 0 {
                        bytes[at - 1] = before;
                    }
                    bytes[at] = b'<';
                    if at + 1 < length {
                        bytes[at + 1] = after;
                    }
                    if at + 9 < length {
                        bytes[at + 9] = b'<';
                    }
                    let naive = bytes.iter().position(|&b| b == b'<');
                    assert_eq!(find_byte(b'<', &bytes), naive, "{length} {at}");
                }
            }
        }
    }

    #[test]
    fn attributes_are_read_in_every_quoting_style() {
        assert_eq!(
            attrs(r#"<img alt="a > b" src='img/x.svg' class=center hidden>"#),
            [
                ("img".into(), "alt".into(), Some("a > b".into())),
                ("img".into(), "src".into(), Some("img/x.svg".into())),
                ("img".into(), "class".into(), Some("center".into())),
                ("img".into(), "hidden".into(), None),
            ]
        );
    }

    #[test]
    fn event_handlers_are_on_attributes_whatever_the_names_around_them() {
        let handlers: Vec<bool> = start_tags("<div 日本 aé=1 ön=2 on=3 ONload=4 onclick>")[0]
            .attributes
            .iter()
            .map(Attribute::is_event_handler)
            .collect();
        assert_eq!(handlers, [false, false, false, false, true, true]);
    }

    #[test]
    fn text_comments_and_scripts_hold_no_tags() {
        let html = r#"<p>Write &lt;a href="x.html"&gt; or href="y.html"</p><!-- <a href="z"> -->
<script>var s = '<a href="w.html">';</script><A HREF="v.html"><é x=1>
<style>a::after { content: '<a href="u.html">' }</style><TEXTAREA><a href="t.html"></TEXTAREA>"#;
        assert_eq!(
            attrs(html),
            [("A".into(), "HREF".into(), Some("v.html".into()))]
        );
    }

    #[test]
    fn spans_cover_the_attribute_as_written() {
        let html = r#"<a  href = "x.md" id=y>"#;
        let tag = &start_tags(html)[0];
        assert_eq!(&html[tag.attributes[0].span.clone()], r#"href = "x.md""#);
        assert_eq!(&html[tag.attributes[1].span.clone()], "id=y");
    }

    #[test]
    fn character_references_in_values_are_decoded() {
        for (html, value) in [
            (r#"<a href="?a=1&amp;b=2">"#, "?a=1&b=2"),
            (r#"<a href="?a=1&#38;b=2">"#, "?a=1&b=2"),
            (r##"<a href="#s&#X65;ction">"##, "#section"),
            (r#"<a href="javascript&colon;x">"#, "javascript:x"),
            (r#"<a title="&lt;&quot;&#x27;&gt;">"#, "<\"'>"),
            // Numbers as a browser reads them: without `;`, out of range, and
            // the Windows-1252 range.
            (r#"<a href="?a=1&#38b=2">"#, "?a=1&b=2"),
            (
                r#"<a href="x&#0;&#xD800;&#x110000;&#99999999999;">"#,
                "x\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}",
            ),
            (r#"<a href="Customer&#146;s.pdf">"#, "Customer\u{2019}s.pdf"),
            (r#"<a href="&#1;javascript:x">"#, "\u{1}javascript:x"),
            // A decoded `&` does not start a name: `&#38;amp;` is `&amp;`.
            (r#"<a href="&#38;amp;">"#, "&amp;"),
            // Not references: left as written.
            (r#"<a href="?a&b=&c;">"#, "?a&b=&c;"),
            (r#"<a href="&#;&#x;">"#, "&#;&#x;"),
        ] {
            assert_eq!(attrs(html)[0].2.as_deref(), Some(value), "{html}");
        }
    }

    #[test]
    fn srcset_urls_are_found_between_their_descriptors() {
        let urls = |value: &str| -> Vec<String> {
            srcset_urls(value)
                .into_iter()
                .map(|r| value[r].to_string())
                .collect()
        };
        assert_eq!(urls("a.png"), ["a.png"]);
        assert_eq!(urls("a.png 1x, b.png 2x"), ["a.png", "b.png"]);
        assert_eq!(
            urls(" a.png 480w ,b.png 800w,c.png"),
            ["a.png", "b.png", "c.png"]
        );
        assert_eq!(urls("a.png,b.png 2x"), ["a.png,b.png"]);
        assert_eq!(urls("a.png, b.png"), ["a.png", "b.png"]);
        assert_eq!(urls("a.png,, b.png 2x,"), ["a.png", "b.png"]);
        assert_eq!(urls("x.png future(1, 2), y.png"), ["x.png", "y.png"]);
        assert!(urls("  , ").is_empty());
    }

    #[test]
    fn javascript_urls_are_recognised_however_written() {
        assert!(is_javascript_url("javascript:alert(1)"));
        assert!(is_javascript_url("  JavaScript:void(0)"));
        assert!(is_javascript_url("java\tscript:x"));
        assert!(is_javascript_url("\u{1}\u{0} javascript:x"));
        assert!(!is_javascript_url("guides/javascript.md"));
        // A browser reads these as relative links, not as script.
        assert!(!is_javascript_url("\u{a0}javascript:x"));
        assert!(!is_javascript_url("\u{2028}javascript:x"));
        assert!(!is_javascript_url("\u{85}javascript:x"));
    }

    #[test]
    fn a_link_right_after_a_comment_is_read_however_short_the_comment() {
        // `<!-->` and `<!--->` are empty comments to a browser, closed at
        // their `>`; a longer comment ends at its `-->`.
        // `--!>` ends one too, but not as the `<!--!>` that opens one.
        let html = r#"<!--><a href="a.html"><!-- a note --><a href="b.html"><!---><a href="c.html">
            <!-- a --!><a href="d.html"><!----!><a href="e.html"><!--!><a href="no.html">-->"#;
        let hrefs: Vec<Option<String>> = attrs(html).into_iter().map(|(_, _, v)| v).collect();
        assert_eq!(
            hrefs,
            ["a.html", "b.html", "c.html", "d.html", "e.html"].map(|h| Some(h.to_string()))
        );
    }

    #[test]
    fn end_tags_declarations_and_processing_instructions_end_at_their_first_gt() {
        // As a browser reads them: what follows `</`, `<!` or `<?` up to the
        // first `>` is the end tag or a bogus comment, never a start tag.
        let html = r#"</p <a href="x.html"><!DOCTYPE <a href="y.html"><![CDATA[<a href="z.html">]]><?php <a href="w.html"><a href="v.html">"#;
        assert_eq!(
            attrs(html),
            [("a".into(), "href".into(), Some("v.html".into()))]
        );
    }

    #[test]
    fn custom_element_names_are_read_whole() {
        // `<a-card>` is no anchor, and `<style-guide>` holds no style sheet:
        // the link inside it is a link.
        let html = r#"<a-card name="intro"><style-guide><a href="x.html"></style-guide>"#;
        assert_eq!(
            attrs(html),
            [
                ("a-card".into(), "name".into(), Some("intro".into())),
                ("a".into(), "href".into(), Some("x.html".into())),
            ]
        );
    }

    #[test]
    fn attribute_names_may_start_with_any_character() {
        assert_eq!(
            attrs(r#"<a é="1" href="x.html" =x="2" 日="3" 😀>"#),
            [
                ("a".into(), "é".into(), Some("1".into())),
                ("a".into(), "href".into(), Some("x.html".into())),
                ("a".into(), "=x".into(), Some("2".into())),
                ("a".into(), "日".into(), Some("3".into())),
                ("a".into(), "😀".into(), None),
            ]
        );
    }

    #[test]
    fn tag_names_are_letters_digits_hyphens_and_colons() {
        // `<aé …>` is an `a` whose first attribute is `é`.
        assert_eq!(
            attrs(r#"<svg:a x="1"><h2 id="y"><aé href="z">"#),
            [
                ("svg:a".into(), "x".into(), Some("1".into())),
                ("h2".into(), "id".into(), Some("y".into())),
                ("a".into(), "é".into(), None),
                ("a".into(), "href".into(), Some("z".into())),
            ]
        );
    }

    #[test]
    fn a_less_than_sign_in_text_starts_no_tag() {
        assert_eq!(
            attrs(r#"< 3, a <= b and c<1 <a href="x.html">"#),
            [("a".into(), "href".into(), Some("x.html".into()))]
        );
    }
}

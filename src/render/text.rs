//! Words for pages: an HTML body's opening paragraph, summaries cut where a
//! reader expects (after a sentence, else after a word, with an ellipsis),
//! excerpts of Markdown bodies without headings or salutations, and "a" or
//! "an" before a job title.

/// `<p>intro</p>rest` -> (`<p>intro</p>`, `rest`); a body that does not
/// open with a paragraph has no intro.
pub(crate) fn split_first_paragraph(html: &str) -> (String, String) {
    let trimmed = html.trim_start();
    if let Some(end) = trimmed.find("</p>").filter(|_| trimmed.starts_with("<p>")) {
        let end = end + "</p>".len();
        return (
            trimmed[..end].to_string(),
            trimmed[end..].trim().to_string(),
        );
    }
    (String::new(), html.trim().to_string())
}

/// `text` in at most `max` characters: the whole sentences that fit; when
/// not even the first one does, the words that fit and an ellipsis.
pub(crate) fn summary(text: &str, max: usize) -> String {
    // A sentence that fits ends by character `max`, and is told a sentence
    // by the two characters after it: no later character changes the cut.
    cut(&collapsed(text, max.saturating_add(2)), max)
}

/// `summary` of a text whose white space runs are single spaces.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let fitting = sentence_ends(text)
        .into_iter()
        .rfind(|&end| text[..end].chars().count() <= max);
    if let Some(end) = fitting {
        return text[..end].to_string();
    }
    let budget: String = text.chars().take(max.saturating_sub(1)).collect();
    let words = match budget.rfind(' ') {
        Some(space) if space > 0 => &budget[..space],
        _ => budget.as_str(),
    };
    format!(
        "{}…",
        words.trim_end_matches([',', ';', ':', '—', '–', '-', ' ', '(', '“', '"'])
    )
}

/// The words of `text` joined by single spaces, up to the word that
/// reaches `limit` characters (all of them, if they have fewer).
pub(crate) fn collapsed(text: &str, limit: usize) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars >= limit {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += word.chars().count();
    }
    out
}

/// Byte offsets just after each sentence's closing punctuation (and any
/// closing quote or bracket), where the next sentence starts with a capital,
/// a digit or a quote: "e.g. this" does not end one.
fn sentence_ends(text: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut ends = Vec::new();
    for (i, &(_, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        let mut j = i + 1;
        while chars
            .get(j)
            .is_some_and(|(_, c)| matches!(c, '"' | '”' | '’' | '\'' | ')'))
        {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |(at, _)| *at);
        let next = chars.get(j + 1).map(|(_, c)| *c);
        let at_end = j == chars.len();
        let space_then_start = chars.get(j).is_some_and(|(_, c)| *c == ' ')
            && next.is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || "\"“‘'".contains(n));
        if (at_end || space_then_start) && !inside_quote(&text[..end]) {
            ends.push(end);
        }
    }
    ends
}

/// Whether `text` leaves a quotation open ("She said: "Wait. ), where a
/// sentence inside the quotation must not end the summary.
fn inside_quote(text: &str) -> bool {
    let straight = text.matches('"').count();
    let opened = text.matches('“').count();
    let closed = text.matches('”').count();
    straight % 2 == 1 || opened > closed
}

/// The opening of a Markdown body as plain text, for cards and excerpts: its
/// first paragraph of prose (quotes included, headings, tables, code and
/// HTML skipped), without a salutation such as "Dear Sir or Madam,", cut by
/// [`summary`]. `title_of` names the target of a bare `[[wikilink]]`.
pub(crate) fn excerpt(
    markdown: &str,
    title_of: &dyn Fn(&str) -> Option<String>,
    max: usize,
) -> String {
    for paragraph in paragraphs(markdown) {
        // Enough for the salutation's sixty characters and the summary.
        let text = plain(
            &paragraph,
            title_of,
            max.saturating_add(SALUTATION_CHARS + 4),
        );
        let text = without_salutation(&text);
        if !text.is_empty() {
            return summary(text, max);
        }
    }
    String::new()
}

/// Paragraphs of prose: runs of lines between blank lines, with quote
/// markers and list bullets taken off; code fences and their contents,
/// headings, tables and raw HTML are left out. Read as they are taken:
/// an excerpt wants the first, not every one of a long body.
fn paragraphs(markdown: &str) -> impl Iterator<Item = String> + '_ {
    let mut lines = markdown.lines();
    let mut fenced = false;
    std::iter::from_fn(move || {
        let mut current: Vec<&str> = Vec::new();
        for line in lines.by_ref() {
            let trimmed = line.trim();
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fenced = !fenced;
                continue;
            }
            let prose = trimmed.trim_start_matches(['>', ' ']);
            let prose = prose
                .strip_prefix("- ")
                .or_else(|| prose.strip_prefix("* "))
                .unwrap_or(prose);
            let skip = fenced
                || prose.starts_with('#')
                || prose.starts_with('|')
                || prose.starts_with('<')
                || prose.chars().all(|c| "-=*_ ".contains(c));
            if prose.is_empty() || skip {
                if !current.is_empty() {
                    return Some(current.join(" "));
                }
                continue;
            }
            current.push(prose);
        }
        (!current.is_empty()).then(|| current.join(" "))
    })
}

/// Markdown inline markup taken off: emphasis, code ticks, links and
/// wikilinks become their text, its white space runs made one space. Read
/// until `limit` characters that are not white space are out (a long
/// paragraph is cut to a summary from its start).
fn plain(text: &str, title_of: &dyn Fn(&str) -> Option<String>, limit: usize) -> String {
    let mut out = String::with_capacity(text.len().min(limit.saturating_mul(4)));
    let mut rest = text;
    let mut shown = 0;
    while let Some(c) = rest.chars().next() {
        if shown >= limit {
            break;
        }
        // Text before the next character that may start markup is copied
        // as it is, not a character at a time: at most what the limit
        // still wants, as every byte may be a character shown.
        let plain_run = rest
            .bytes()
            .take(limit - shown)
            .position(|b| matches!(b, b'[' | b'*' | b'_' | b'`'))
            .unwrap_or(rest.len().min(limit - shown));
        let plain_run = rest.floor_char_boundary(plain_run);
        if plain_run > 0 {
            shown += pushed(&mut out, &rest[..plain_run]);
            rest = &rest[plain_run..];
            continue;
        }
        if let Some((after, close)) = rest
            .strip_prefix("[[")
            .and_then(|after| Some((after, after.find("]]")?)))
        {
            let inner = &after[..close];
            let label = match inner.split_once('|') {
                Some((_, label)) => label.to_string(),
                None => title_of(inner).unwrap_or_else(|| fallback_title(inner)),
            };
            shown += pushed(&mut out, &label);
            rest = &after[close + 2..];
            continue;
        }
        if let Some((label, after)) = markdown_link(rest) {
            shown += pushed(&mut out, label);
            rest = after;
            continue;
        }
        let (c, next) = rest.split_at(c.len_utf8());
        if !matches!(c, "*" | "_" | "`") || is_inside_word(&out, rest) {
            shown += pushed(&mut out, c);
        }
        rest = next;
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Appends `text`; returns how many of its characters are not white space.
fn pushed(out: &mut String, text: &str) -> usize {
    out.push_str(text);
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// `[label](target)` at the start of `text`: the label and what follows.
fn markdown_link(text: &str) -> Option<(&str, &str)> {
    let inside = text.strip_prefix('[')?;
    let close = inside.find("](")?;
    let label = &inside[..close];
    let after = &inside[close + 2..];
    let end = after.find(')')?;
    Some((label, &after[end + 1..]))
}

/// An underscore between letters (`snake_case`) is text, not emphasis.
fn is_inside_word(before: &str, rest: &str) -> bool {
    rest.starts_with('_')
        && before.chars().last().is_some_and(char::is_alphanumeric)
        && rest[1..].chars().next().is_some_and(char::is_alphanumeric)
}

/// `standards/tell-us-once` -> `tell us once`, when no title is known.
fn fallback_title(target: &str) -> String {
    target
        .rsplit('/')
        .next()
        .unwrap_or(target)
        .replace('-', " ")
}

/// How far into a text its salutation ends, if it has one.
const SALUTATION_CHARS: usize = 60;

const SALUTATIONS: &[&str] = &[
    "dear ",
    "hi ",
    "hi,",
    "hello",
    "hey ",
    "good morning",
    "good afternoon",
    "good evening",
    "greetings",
    "to whom it may concern",
];

/// The text after an opening salutation ("Dear Sir or Madam, I ..." -> "I ..."):
/// one that opens the text and ends with a comma, colon or exclamation mark
/// within its first few words.
fn without_salutation(text: &str) -> &str {
    let lower = text.to_lowercase();
    if !SALUTATIONS.iter().any(|s| lower.starts_with(s)) {
        return text;
    }
    let end = text
        .char_indices()
        .take(SALUTATION_CHARS)
        .find(|(_, c)| matches!(c, ',' | ':' | '!'))
        .map(|(i, c)| i + c.len_utf8());
    match end {
        Some(end) => text[end..].trim_start(),
        None if text.chars().count() <= SALUTATION_CHARS => "",
        None => text,
    }
}

/// "a delivery driver", "an installer": a job title as it reads after
/// "as", its first word in lower case unless it is an acronym ("a CX lead").
pub(crate) fn with_article(title: &str) -> String {
    let title = title.trim();
    let first = title.split_whitespace().next().unwrap_or("");
    let acronym = first.chars().filter(|c| c.is_uppercase()).count() > 1;
    let shown = if acronym {
        title.to_string()
    } else {
        let mut chars = title.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    };
    let article = if starts_with_vowel_sound(first, acronym) {
        "an"
    } else {
        "a"
    };
    format!("{article} {shown}")
}

fn starts_with_vowel_sound(word: &str, acronym: bool) -> bool {
    let lower = word.to_lowercase();
    if acronym {
        // Letters that are said with a vowel first: "an FAQ owner", "an MD".
        return lower
            .chars()
            .next()
            .is_some_and(|c| "aefhilmnorsx".contains(c));
    }
    let silent_h = ["hour", "honest", "honour", "heir"];
    let you_sound = ["uni", "use", "usu", "uro", "eu", "one", "once"];
    if silent_h.iter().any(|w| lower.starts_with(w)) {
        return true;
    }
    if you_sound.iter().any(|w| lower.starts_with(w)) {
        return false;
    }
    lower.chars().next().is_some_and(|c| "aeiou".contains(c))
}

/// Whether every word of `title` is also a word of `text`, so showing both
/// would say the same words twice ("Call before they chase" over
/// "Call before they chase.").
pub(crate) fn repeats(title: &str, text: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase().replace('’', "'"))
            .collect()
    };
    let in_text = words(text);
    let in_title = words(title);
    !in_title.is_empty() && in_title.iter().all(|w| in_text.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_titles(_: &str) -> Option<String> {
        None
    }

    /// `excerpt` as it reads a paragraph whole: every character through
    /// the markup, every white space run collapsed, before the cut.
    fn excerpt_read_whole(markdown: &str, max: usize) -> String {
        let title_of = |t: &str| (t == "tell-us-once").then(|| "Tell us once".to_string());
        for paragraph in paragraphs(markdown) {
            let text = plain(&paragraph, &title_of, usize::MAX);
            let text = without_salutation(&text);
            if !text.is_empty() {
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                return cut(&text, max);
            }
        }
        String::new()
    }

    #[test]
    fn brackets_and_underscores_that_open_no_markup_are_text() {
        assert_eq!(
            excerpt(
                "Prices [in euros] apply to snake_case *and* `code`.",
                &no_titles,
                200
            ),
            "Prices [in euros] apply to snake_case and code."
        );
    }

    #[test]
    fn white_space_does_not_count_towards_what_an_excerpt_reads() {
        let spaced = format!("a{}b c d.", " ".repeat(500));
        assert_eq!(excerpt(&spaced, &no_titles, 20), "a b c d.");
    }

    #[test]
    fn a_text_is_collapsed_up_to_the_word_that_reaches_the_limit() {
        assert_eq!(collapsed("aa  bb\n cc dd", 5), "aa bb");
        assert_eq!(collapsed("aa  bb\n cc dd", 6), "aa bb cc");
        assert_eq!(collapsed(" été  x ", 100), "été x");
        assert_eq!(collapsed("   ", 3), "");
    }

    #[test]
    fn a_long_paragraph_read_to_its_cut_gives_what_it_gives_read_whole() {
        // Pieces whose joins make sentence ends, quotations, salutations,
        // emphasis, links and runs of spaces fall on every side of a cut.
        let pieces = [
            "Dear team,",
            "Hi",
            "word",
            "Word.",
            "Two.",
            "\"Quoted.\"",
            "“Open",
            "close.”",
            "e.g.",
            "**bold**",
            "_under_",
            "snake_case",
            "`code`",
            "[a link](x.md)",
            "[[tell-us-once]]",
            "[[x|label]]",
            "Été.",
            "東京。",
            "   ",
            "\n",
            "\t",
            "'",
            "\")",
            "…",
            "9.",
            "?",
            "!",
            "-",
            ":",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..3000 {
            let words = 1 + next(160);
            let text: Vec<&str> = (0..words).map(|_| pieces[next(pieces.len())]).collect();
            let text = text.join(if next(3) == 0 { "" } else { " " });
            for max in [1, 2, 20, 60, 160] {
                assert_eq!(
                    excerpt(
                        &text,
                        &|t| (t == "tell-us-once").then(|| "Tell us once".into()),
                        max
                    ),
                    excerpt_read_whole(&text, max),
                    "{text:?} cut at {max}"
                );
                let whole = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(summary(&text, max), cut(&whole, max), "{text:?} at {max}");
            }
        }
    }

    #[test]
    fn the_first_paragraph_is_the_intro() {
        let (intro, more) = split_first_paragraph("<p>Hello.</p>\n<h2>More</h2><p>x</p>");
        assert_eq!(intro, "<p>Hello.</p>");
        assert_eq!(more, "<h2>More</h2><p>x</p>");
        let (intro, more) = split_first_paragraph("<h2>Only</h2>");
        assert_eq!(intro, "");
        assert_eq!(more, "<h2>Only</h2>");
    }

    #[test]
    fn summaries_keep_whole_sentences_that_fit() {
        let text = "We call first. Then we keep the date we gave. Always.";
        assert_eq!(summary(text, 20), "We call first.");
        assert_eq!(
            summary(text, 47),
            "We call first. Then we keep the date we gave."
        );
        assert_eq!(summary(text, 200), text);
    }

    #[test]
    fn a_long_first_sentence_is_cut_after_a_word_with_an_ellipsis() {
        let text = "Every crew puts covers on their shoes before the first box comes in, always.";
        let cut = summary(text, 40);
        assert_eq!(cut, "Every crew puts covers on their shoes…");
        assert!(cut.chars().count() <= 40);
    }

    #[test]
    fn a_sentence_inside_a_quotation_does_not_end_the_summary() {
        let text = "I wrote: \"I am Deaf. Please text.\" They did. It was great.";
        assert_eq!(
            summary(text, 50),
            "I wrote: \"I am Deaf. Please text.\" They did."
        );
    }

    #[test]
    fn abbreviations_do_not_end_a_sentence() {
        assert_eq!(
            summary("Small things, e.g. covers on shoes, matter. A lot.", 45),
            "Small things, e.g. covers on shoes, matter."
        );
    }

    #[test]
    fn excerpts_join_the_lines_of_the_first_paragraph() {
        let body = "## Heading\n\nOur crews make deliveries\nfrom four hubs. More text.\n";
        assert_eq!(
            excerpt(body, &no_titles, 200),
            "Our crews make deliveries from four hubs. More text."
        );
    }

    #[test]
    fn excerpts_pass_over_code_tables_and_html() {
        for opening in [
            "```yaml\nstandard: greet\n\nowner: front desk\n```\n",
            "~~~\n$ touchstone build\n\n$ touchstone serve\n~~~\n",
            "| Moment | Owner |\n| --- | --- |\n| Arrival | Desk |\n",
            "<div class=\"note\">See the map.</div>\n<p>And the key.</p>\n",
            "# Title\n\n---\n",
        ] {
            let body = format!("{opening}\nEvery guest is greeted by name.\n\nMore.\n");
            assert_eq!(
                excerpt(&body, &no_titles, 200),
                "Every guest is greeted by name.",
                "{opening:?}"
            );
        }
    }

    #[test]
    fn story_excerpts_skip_the_salutation() {
        let letter = "> Dear Sir or Madam,\n>\n> I waited in all day. Nobody came.\n";
        assert_eq!(
            excerpt(letter, &no_titles, 200),
            "I waited in all day. Nobody came."
        );
        let inline = "Dear Northwind, the van never came.";
        assert_eq!(excerpt(inline, &no_titles, 200), "the van never came.");
        let hello = "Hello! I wanted to say thank you.";
        assert_eq!(
            excerpt(hello, &no_titles, 200),
            "I wanted to say thank you."
        );
    }

    #[test]
    fn excerpts_show_link_text_and_titles() {
        let titles = |id: &str| (id == "standards/plain-words").then(|| "Plain words".to_string());
        assert_eq!(
            excerpt(
                "See [[standards/plain-words]], [[x|this]] and [that](a.md) **now**.",
                &titles,
                200
            ),
            "See Plain words, this and that now."
        );
    }

    #[test]
    fn a_link_closing_before_it_opens_is_text() {
        assert_eq!(
            excerpt("perso](na) ok [x](y)", &no_titles, 200),
            "perso](na) ok x"
        );
        assert_eq!(excerpt("](", &no_titles, 200), "](");
    }

    #[test]
    fn titles_read_after_as() {
        assert_eq!(with_article("Delivery driver"), "a delivery driver");
        assert_eq!(with_article("Installer"), "an installer");
        assert_eq!(
            with_article("Head of Customer Experience"),
            "a head of Customer Experience"
        );
        assert_eq!(with_article("CX lead"), "a CX lead");
        assert_eq!(with_article("MD"), "an MD");
        assert_eq!(with_article("Universal agent"), "a universal agent");
    }

    #[test]
    fn a_mantra_title_inside_its_text_repeats() {
        assert!(repeats("Call before they chase", "Call before they chase."));
        assert!(repeats(
            "Ask, listen, don't sell",
            "Ask. Listen. Don't sell."
        ));
        assert!(!repeats("Heard once", "They told us once. That's enough."));
    }
}

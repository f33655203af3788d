//! The tokeniser: words -> terms (lower case, accents folded, English
//! stems), weighted by field. Mirrored exactly in `search.js`.

use unicode_normalization::UnicodeNormalization;

use super::Term;
use super::records::Record;
use crate::fingerprint::FastMap;

/// Each raw word's term, worked out once per thread: most words recur.
pub(super) type StemCache = FastMap<String, Option<Term>>;

/// Each term of a record with its weight: field weight per occurrence (at
/// most three counted), so one long body cannot outweigh a title.
pub(super) fn term_weights(
    record: &Record,
    english: bool,
    cache: &mut StemCache,
) -> FastMap<Term, u32> {
    let mut weights: FastMap<Term, u32> = FastMap::default();
    // One table of a field's words, emptied for the next: grown afresh for
    // each field, the tables' growing was a tenth of the index's time.
    let mut seen_here: FastMap<&str, u32> = FastMap::default();
    let fields = record.fields.iter().map(|(t, w)| (t.as_ref(), *w));
    for (text, weight) in fields.chain([(record.body, 1)]) {
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let count = seen_here.entry(word).or_default();
            *count = (*count + 1).min(3);
        }
        weights.reserve(seen_here.len());
        for (word, count) in seen_here.drain() {
            let term = match cache.get(word) {
                Some(term) => term.clone(),
                None => {
                    let term = term_of(word, english);
                    cache.insert(word.to_string(), term.clone());
                    term
                }
            };
            if let Some(term) = term {
                *weights.entry(term).or_default() += weight * count;
            }
        }
    }
    weights
}

fn term_of(word: &str, english: bool) -> Option<Term> {
    let folded = fold(word);
    let term = if english { stem(&folded) } else { folded };
    (term.chars().count() >= 2).then(|| Term::from(term))
}

/// Lower case without accents: `Référent` -> `referent`, `Știință` ->
/// `stiinta`. The same rule as `search.js`'s `fold`: lower-case the word,
/// decompose it (Unicode NFD), drop the combining diacritical marks
/// (U+0300..U+036F), then map the four letters whose stroke or missing dot
/// is not a combining mark. `tests/folding.tsv` holds the examples both
/// sides are tested against.
pub fn fold(word: &str) -> String {
    word.to_lowercase()
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'ı' => 'i',
            'ø' => 'o',
            'ł' => 'l',
            'đ' => 'd',
            c => c,
        })
        .collect()
}

/// A light English stemmer: plural, -ing, -ed and a final -e go, so "refunds",
/// "refunded" and "refunding" meet at "refund". Mirrored in `search.js`.
pub fn stem(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() <= 3 || !chars.iter().all(|c| c.is_ascii_alphabetic()) {
        return word.to_string();
    }
    let mut w = word.to_string();
    let len = chars.len();
    if (w.ends_with("ies") || w.ends_with("ied")) && len > 4 {
        w.truncate(len - 3);
        w.push('y');
    } else if w.ends_with("ing") && len >= 6 {
        w.truncate(len - 3);
    } else if w.ends_with("ed") && len >= 5 {
        w.truncate(len - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.truncate(len - 1);
    }
    if w.ends_with('e') && w.len() > 4 {
        w.pop();
    }
    let b = w.as_bytes();
    let n = b.len();
    if n > 4 && b[n - 1] == b[n - 2] && !b"aeiouylsz".contains(&b[n - 1]) {
        w.pop();
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lower-cased, accent-folded, stemmed words of at least two characters.
    fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| stem(&fold(w)))
            .filter(|w| w.chars().count() >= 2)
    }

    #[test]
    fn word_forms_meet_at_one_stem() {
        for (forms, root) in [
            (
                &["refund", "refunds", "refunded", "refunding"][..],
                "refund",
            ),
            (&["delivery", "deliveries"][..], "delivery"),
            (&["chase", "chased", "chasing", "chases"][..], "chas"),
            (&["onboarding", "onboard"][..], "onboard"),
            (&["stopping", "stop"][..], "stop"),
        ] {
            for form in forms {
                assert_eq!(stem(form), root, "{form}");
            }
        }
        assert_eq!(stem("process"), "process");
        assert_eq!(stem("bus"), "bus");
    }

    #[test]
    fn case_and_accents_fold() {
        assert_eq!(fold("Référent"), "referent");
        assert_eq!(
            tokens("Café, CAFÉS!").collect::<Vec<_>>(),
            vec!["cafe", "cafe"]
        );
    }
}

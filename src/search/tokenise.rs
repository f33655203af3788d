//! The tokeniser: words -> terms (lower case, accents folded, English
//! stems), weighted by field. Mirrored exactly in `search.js`.

use unicode_normalization::UnicodeNormalization;

use super::Term;
use super::records::Record;
use crate::fingerprint::QuickMap;

/// What one thread worked out of the words it met, each distinct word once
/// (most words recur): its term, found again with one lookup a word.
#[derive(Default)]
pub(super) struct StemCache {
    /// Each word met, and its number.
    words: QuickMap<String, u32>,
    /// Each word's term by the word's number (`None`: too short to search).
    term_of_word: Vec<Option<u32>>,
    /// Each term met, by its number, and the numbers by term.
    terms: Vec<Term>,
    numbers: QuickMap<Term, u32>,
    /// How often each word is in the field being read (at most three),
    /// and the words that are.
    counts: Vec<u8>,
    in_field: Vec<u32>,
    /// Each term's weight in the record being read, and the terms it has.
    weights: Vec<Option<u32>>,
    in_record: Vec<u32>,
}

impl StemCache {
    /// The number of `word`, worked out the first time it is met.
    fn word(&mut self, word: &str, english: bool) -> usize {
        if let Some(&n) = self.words.get(word) {
            return n as usize;
        }
        let term = term_of(word, english).map(|term| match self.numbers.get(&term) {
            Some(&n) => n,
            None => {
                let n = u32::try_from(self.terms.len()).expect("fewer than 4 billion terms");
                self.terms.push(term.clone());
                self.numbers.insert(term, n);
                self.weights.push(None);
                n
            }
        });
        let n = self.term_of_word.len();
        self.words.insert(
            word.to_string(),
            u32::try_from(n).expect("fewer than 4 billion words"),
        );
        self.term_of_word.push(term);
        self.counts.push(0);
        n
    }
}

/// Each term of a record with its weight: field weight per occurrence (at
/// most three of each word counted), so one long body cannot outweigh a
/// title.
pub(super) fn term_weights(
    record: &Record,
    english: bool,
    cache: &mut StemCache,
) -> Vec<(Term, u32)> {
    let fields = record.fields.iter().map(|(t, w)| (t.as_ref(), *w));
    for (text, weight) in fields.chain([(record.body, 1)]) {
        for_each_word(text, |word| {
            let n = cache.word(word, english);
            let count = &mut cache.counts[n];
            if *count == 0 {
                cache.in_field.push(n as u32);
            }
            *count = (*count + 1).min(3);
        });
        let StemCache {
            term_of_word,
            counts,
            in_field,
            weights,
            in_record,
            ..
        } = cache;
        for n in in_field.drain(..) {
            let count = std::mem::take(&mut counts[n as usize]);
            let Some(term) = term_of_word[n as usize] else {
                continue;
            };
            let total = &mut weights[term as usize];
            if total.is_none() {
                in_record.push(term);
            }
            *total = Some(total.unwrap_or(0) + weight * u32::from(count));
        }
    }
    let StemCache {
        terms,
        weights,
        in_record,
        ..
    } = cache;
    in_record
        .drain(..)
        .map(|term| {
            let weight = weights[term as usize].take().unwrap_or(0);
            (terms[term as usize].clone(), weight)
        })
        .collect()
}

/// Each word of `text`: each run of letters and digits (`search.js`
/// splits at the same characters). Nearly all text is ASCII, so it is cut
/// byte by byte at ASCII punctuation and spaces first; only a piece with
/// other characters in it is cut again character by character.
fn for_each_word(text: &str, mut visit: impl FnMut(&str)) {
    let mut piece = |piece: &str, ascii: bool| {
        if ascii {
            if !piece.is_empty() {
                visit(piece);
            }
        } else {
            piece
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .for_each(&mut visit);
        }
    };
    let (mut start, mut ascii) = (0, true);
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b.is_ascii_alphanumeric() {
            continue;
        }
        if !b.is_ascii() {
            ascii = false;
            continue;
        }
        // An ASCII byte is a whole character: `i` is a boundary.
        piece(&text[start..i], ascii);
        (start, ascii) = (i + 1, true);
    }
    piece(&text[start..], ascii);
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
    fn words_are_cut_at_every_character_that_is_no_letter_or_digit() {
        for text in [
            "Refunds, within 24h: no-questions-asked.",
            "Café—naïve  façade",
            "東京の顧客サポート、迅速に",
            "non\u{a0}breaking\u{2009}thin x² ½ Ⅻ",
            "emoji 🙂 between🙂words",
            "trailing é",
            "é leading",
            "",
            "¿¡!?",
        ] {
            let mut words = Vec::new();
            for_each_word(text, |w| words.push(w.to_string()));
            let by_chars: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(words, by_chars, "{text:?}");
        }
    }

    #[test]
    fn case_and_accents_fold() {
        assert_eq!(fold("Référent"), "referent");
        assert_eq!(
            tokens("Café, CAFÉS!").collect::<Vec<_>>(),
            vec!["cafe", "cafe"]
        );
    }

    #[test]
    fn each_word_counts_at_most_three_times_a_field_and_its_forms_add_up() {
        let record = Record {
            url: "guides/refunds/".into(),
            title: String::new(),
            kind: 0,
            facet: String::new(),
            excerpt: String::new(),
            fields: vec![(std::borrow::Cow::Borrowed("Refunds"), 6)],
            body: "refund refund refund refund refund; refunds. Ok a",
            body_source: 0,
        };
        let mut cache = StemCache::default();
        let mut weights = term_weights(&record, true, &mut cache);
        weights.sort();
        let expected: Vec<(Term, u32)> = vec![("ok".into(), 1), ("refund".into(), 6 + 3 + 1)];
        assert_eq!(weights, expected);
        // Read again by a thread that knows every word already.
        let mut again = term_weights(&record, true, &mut cache);
        again.sort();
        assert_eq!(again, expected);
    }
}

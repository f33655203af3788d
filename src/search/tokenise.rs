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
    /// Each word met, and its number: a word of up to eight bytes by those
    /// bytes as one number (most words are that short; a number is hashed
    /// and compared at once), a longer one by its text.
    short_words: QuickMap<u64, u32>,
    long_words: QuickMap<Box<str>, u32>,
    /// The short word last met in each of `RECENT` slots, with its number
    /// (`EMPTY`: none yet): most words recur, and are found here with one
    /// multiply and one compare.
    recent: Vec<(u64, u32)>,
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
        let packed = packed(word);
        let Some(short) = packed else {
            return self.numbered(None, word, english);
        };
        if self.recent.is_empty() {
            self.recent = vec![(EMPTY, 0); RECENT];
        }
        // The top bits of a multiply by an odd constant: every byte of the
        // word moves them.
        let slot = (short.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - RECENT.ilog2())) as usize;
        let (met, n) = self.recent[slot];
        if met == short {
            return n as usize;
        }
        let n = self.numbered(packed, word, english);
        self.recent[slot] = (short, u32::try_from(n).expect("fewer than 4 billion words"));
        n
    }

    /// The number of `word` (`packed`, if it is short) from the maps.
    fn numbered(&mut self, packed: Option<u64>, word: &str, english: bool) -> usize {
        let known = match packed {
            Some(packed) => self.short_words.get(&packed),
            None => self.long_words.get(word),
        };
        if let Some(&n) = known {
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
        let number = u32::try_from(n).expect("fewer than 4 billion words");
        match packed {
            Some(packed) => self.short_words.insert(packed, number),
            None => self.long_words.insert(word.into(), number),
        };
        self.term_of_word.push(term);
        self.counts.push(0);
        n
    }

    /// The term numbered `n` (see `term_numbers`).
    pub(super) fn term(&self, n: u32) -> &Term {
        &self.terms[n as usize]
    }
}

/// Slots of `StemCache::recent`: a power of two, 32 KB.
const RECENT: usize = 2048;

/// No word: eight bytes of 0xFF, which no UTF-8 text holds.
const EMPTY: u64 = u64::MAX;

/// A word of at most eight bytes as one number, its bytes in order and
/// zeros after: two words of one number are the same word, as no word
/// holds a zero byte (U+0000 is no letter or digit).
fn packed(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    let n = bytes.len();
    // Read as at most two overlapping pieces, each shifted to where its
    // bytes are (a copy into eight zeros calls `memcpy` for every word).
    let byte = |at: usize| u64::from(bytes[at]) << (8 * at);
    let four = |at: usize| {
        u64::from(u32::from_le_bytes(
            bytes[at..at + 4].try_into().expect("four bytes"),
        )) << (8 * at)
    };
    match n {
        0 => Some(0),
        1..=3 => Some(byte(0) | byte(n / 2) | byte(n - 1)),
        4..=8 => Some(four(0) | four(n - 4)),
        _ => None,
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
    let numbers = term_numbers(record, english, cache);
    numbers
        .into_iter()
        .map(|(n, weight)| (cache.term(n).clone(), weight))
        .collect()
}

/// `term_weights` with each term as its number in `cache` (`StemCache::term`).
pub(super) fn term_numbers(
    record: &Record,
    english: bool,
    cache: &mut StemCache,
) -> Vec<(u32, u32)> {
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
        weights, in_record, ..
    } = cache;
    in_record
        .drain(..)
        .map(|term| (term, weights[term as usize].take().unwrap_or(0)))
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
        match BYTE_CLASS[usize::from(b)] {
            IN_WORD => continue,
            NOT_ASCII => {
                ascii = false;
                continue;
            }
            _ => {}
        }
        // An ASCII byte is a whole character: `i` is a boundary.
        piece(&text[start..i], ascii);
        (start, ascii) = (i + 1, true);
    }
    piece(&text[start..], ascii);
}

/// What a byte is to `for_each_word`, looked up in one step (most of a
/// site's text passes through it): an ASCII letter or digit, part of a
/// character that is not ASCII, or an ASCII byte between words.
const IN_WORD: u8 = 0;
const NOT_ASCII: u8 = 1;
const BETWEEN: u8 = 2;
static BYTE_CLASS: [u8; 256] = {
    let mut classes = [BETWEEN; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() {
            classes[b] = IN_WORD;
        } else if !byte.is_ascii() {
            classes[b] = NOT_ASCII;
        }
        b += 1;
    }
    classes
};

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
    fn a_short_word_is_its_bytes_as_one_number() {
        for word in [
            "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "é", "ñu",
        ] {
            let mut eight = [0; 8];
            eight[..word.len()].copy_from_slice(word.as_bytes());
            assert_eq!(packed(word), Some(u64::from_le_bytes(eight)), "{word}");
        }
        assert_eq!(packed("abcdefghi"), None);
        let mut cache = StemCache::default();
        let numbers: Vec<usize> = [
            "care",
            "cares",
            "care",
            "caring",
            "carefulness",
            "carefulness",
        ]
        .iter()
        .map(|w| cache.word(w, true))
        .collect();
        assert_eq!(numbers, [0, 1, 0, 2, 3, 3]);
        // More words than slots: words whose slot another took since are
        // found in the map, with the number they had.
        let many: Vec<String> = (0..3 * RECENT).map(|i| format!("w{i}")).collect();
        let first: Vec<usize> = many.iter().map(|w| cache.word(w, true)).collect();
        let again: Vec<usize> = many.iter().rev().map(|w| cache.word(w, true)).collect();
        assert_eq!(first, (4..4 + 3 * RECENT).collect::<Vec<_>>());
        assert_eq!(again, first.iter().rev().copied().collect::<Vec<_>>());
        assert_eq!(cache.word("care", true), 0);
        // "care" and "cares" are two words of one term.
        assert_eq!(cache.term_of_word[0], cache.term_of_word[1]);
        assert_eq!(
            cache.term(cache.term_of_word[1].expect("a term")).as_ref(),
            "care"
        );
        assert_eq!(
            cache.term(cache.term_of_word[3].expect("a term")).as_ref(),
            "carefulness"
        );
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

//! Reading a map of fields the way an author needs it read: every unknown
//! field of the map is reported in one run, a field whose value is wrong is
//! dropped alone (the entity loads with the rest), and a YAML list is read
//! entry by entry, so one bad entry costs only itself.
//!
//! A map is read twice: once for its shape (every key and where it is, see
//! `Inventory`), then into its front-matter type. When the second read fails
//! at a line, the smallest piece holding that line (one entry of a list
//! field, else the whole field) is blanked and the read tried again. A map
//! whose text plainly shows only known, flat fields is read once, into its
//! type, unless that read fails.

use std::ops::RangeInclusive;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::explain;
use super::raw::FrontMatter;
use crate::diagnostics::{Diagnostic, closest};

/// What unknown fields are, by the kind of map they are found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unknown {
    /// An entity's field: an error, since a misspelt `owns:` drops accountability.
    Entity,
    /// A plain page's field, by default an error too.
    PageError,
    /// A plain page's field under `foreign-front-matter = "warn"`: one warning
    /// per file (pages written for Jekyll, Hugo or mdBook build as they are).
    PageWarn,
}

/// Where a piece of YAML sits: its file, and the file line of its first line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place<'a> {
    pub file: &'a str,
    pub first_line: usize,
}

impl Place<'_> {
    /// The file line of a line of the YAML.
    pub(crate) fn line(&self, yaml_line: usize) -> usize {
        yaml_line + self.first_line - 1
    }
}

/// A map read as far as it could be.
#[derive(Debug)]
pub(crate) struct Fields<T> {
    pub value: T,
    pub problems: Vec<Diagnostic>,
    /// Every field was read as written: nothing dropped, nothing misspelt,
    /// so checks that depend on this entity's data can trust it.
    pub complete: bool,
    /// The YAML could be read at all (else `value` is the default).
    pub readable: bool,
}

impl<T: Default> Fields<T> {
    fn unreadable(problem: Diagnostic) -> Fields<T> {
        Fields {
            value: T::default(),
            problems: vec![problem],
            complete: false,
            readable: false,
        }
    }
}

/// The options every read of authors' YAML uses: YAML 1.2 booleans only
/// (`yes` is text, not `true`).
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! { strict_booleans: true }
}

/// For the inventory, which reads only keys and shapes: a text field
/// written `.inf` or `1e999` is the text, as a field's own read takes it,
/// not a float refused before that read (`extra:`, read as any value,
/// still refuses one).
fn inventory_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
    }
}

/// Reads one map of fields (front matter, or one entry of a list).
pub(crate) fn parse_fields<T: FrontMatter>(
    yaml: &str,
    place: Place,
    unknown: Unknown,
) -> Fields<T> {
    if plainly_known::<T>(yaml)
        && let Ok(value) = serde_saphyr::from_str_with_options::<T>(yaml, options())
    {
        return Fields {
            value,
            problems: Vec::new(),
            complete: true,
            readable: true,
        };
    }
    let inventory: Inventory = match serde_saphyr::from_str_with_options(yaml, inventory_options())
    {
        Ok(inventory) => inventory,
        Err(e) => return Fields::unreadable(explain::yaml_error(&e, place, yaml, None)),
    };
    let mut problems = unknown_fields::<T>(&inventory, place, unknown);
    let mut complete = !problems.iter().any(Diagnostic::is_error);
    // The lines, once a read failed and some are blanked: until then the
    // YAML is read as it is, with no copy.
    let mut blanked: Option<Vec<String>> = None;
    loop {
        let text = match &blanked {
            None => std::borrow::Cow::Borrowed(yaml),
            Some(lines) => std::borrow::Cow::Owned(lines.join("\n")),
        };
        let err = match serde_saphyr::from_str_with_options::<T>(&text, options()) {
            Ok(value) => {
                return Fields {
                    value,
                    problems,
                    complete,
                    readable: true,
                };
            }
            Err(err) => err,
        };
        complete = false;
        let lines = blanked.get_or_insert_with(|| yaml.split('\n').map(str::to_string).collect());
        let line = err.location().map(|l| l.line() as usize).filter(|&l| l > 0);
        let unit = line.and_then(|l| inventory.unit_at(l, lines.len()));
        problems.push(explain::yaml_error(&err, place, &text, unit.as_ref()));
        let Some(unit) = unit.filter(|u| u.lines.clone().any(|l| !lines[l - 1].is_empty())) else {
            // Nothing left to drop that would help: the map loads empty.
            return Fields {
                value: T::default(),
                problems,
                complete,
                readable: true,
            };
        };
        for l in unit.lines {
            lines[l - 1].clear();
        }
    }
}

/// One entry of a YAML list, read as far as it could be.
#[derive(Debug)]
pub(crate) struct Entry<T> {
    pub fields: Fields<T>,
    /// The file line where the entry starts.
    pub line: usize,
    /// Added to a line of the entry's YAML to give the file line.
    pub yaml_offset: usize,
    /// The `id:` as written, found in the text when the entry was unreadable.
    pub written_id: Option<String>,
}

/// Reads a YAML list of maps. A list that reads whole is read as one
/// document (so aliases may cross entries); otherwise each entry (each `-`
/// in the first column) is read alone, and the others still load.
pub(crate) fn parse_list<T: FrontMatter>(
    text: &str,
    file: &str,
) -> (Vec<Entry<T>>, Vec<Diagnostic>) {
    let place = Place {
        file,
        first_line: 1,
    };
    if text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---"
    }) {
        return (Vec::new(), Vec::new());
    }
    let whole = serde_saphyr::from_str_with_options::<Vec<Spanned<T>>>(text, options());
    let shapes =
        serde_saphyr::from_str_with_options::<Vec<Spanned<Inventory>>>(text, inventory_options());
    if let (Ok(values), Ok(shapes)) = (whole, shapes) {
        let entries = values
            .into_iter()
            .zip(shapes)
            .map(|(value, shape)| {
                let problems = unknown_fields::<T>(&shape.value, place, Unknown::Entity);
                Entry {
                    line: value.referenced.line() as usize,
                    yaml_offset: 0,
                    fields: Fields {
                        complete: problems.is_empty(),
                        value: value.value,
                        problems,
                        readable: true,
                    },
                    written_id: None,
                }
            })
            .collect();
        return (entries, Vec::new());
    }
    let Some(chunks) = entries_of(text) else {
        let err = serde_saphyr::from_str_with_options::<Vec<IgnoredAny>>(text, options())
            .err()
            .map(|e| explain::yaml_error(&e, place, text, None))
            .unwrap_or_else(|| explain::not_a_list(file));
        return (Vec::new(), vec![err]);
    };
    let entries = chunks
        .into_iter()
        .map(|(line, yaml)| {
            let place = Place {
                file,
                first_line: line,
            };
            let fields = parse_fields::<T>(&yaml, place, Unknown::Entity);
            let written_id = (!fields.readable).then(|| written_id(&yaml)).flatten();
            Entry {
                fields,
                line,
                yaml_offset: line - 1,
                written_id,
            }
        })
        .collect();
    (entries, Vec::new())
}

/// The entries of a block list, each as (file line, its YAML with the `-`
/// made a space so columns stay true); `None` when the text is not a list
/// whose entries start with `-` in the first column.
fn entries_of(text: &str) -> Option<Vec<(usize, String)>> {
    let mut entries: Vec<(usize, Vec<String>)> = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let starts_entry = line == "-" || line.starts_with("- ") || line.starts_with("-\t");
        if starts_entry {
            entries.push((index + 1, vec![format!(" {}", &line[1..])]));
        } else if let Some((_, lines)) = entries.last_mut() {
            lines.push(line.to_string());
        } else if !(line.trim().is_empty() || line.trim_start().starts_with('#') || line == "---") {
            return None;
        }
    }
    (!entries.is_empty()).then(|| {
        entries
            .into_iter()
            .map(|(line, lines)| (line, lines.join("\n")))
            .collect()
    })
}

/// The `id:` of an entry that could not be read, as written, so that what
/// refers to it is not reported as well (the entry's own error is the cause).
fn written_id(yaml: &str) -> Option<String> {
    yaml.lines().find_map(|line| {
        let value = line.trim().strip_prefix("id:")?.trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// Whether the text alone shows that every field of the map is one `T`
/// knows, down to the keys of the entries of its nested lists, so the map
/// needs no inventory: it is a block map in the first column whose keys
/// are plain words, one per line, everything else indented or a `- ` list
/// entry; a nested list (a role's `behaviours:`) is a block list whose
/// entries are block maps with plain, known keys, one per line. Any other
/// way of writing a key (quoted, flow, `?`, a merge) answers no, and the
/// map is read the careful way. A value holding a map where a text or a
/// list is wanted fails to load, which is read the careful way too.
fn plainly_known<T: FrontMatter>(yaml: &str) -> bool {
    // YAML breaks lines at a lone `\r` too: a key after one would hide
    // from this scan.
    if yaml.split("\r\n").any(|part| part.contains('\r')) {
        return false;
    }
    let known = field_names::<T>();
    let nested = T::nested();
    let mut keys = 0;
    // The entries of the nested list being read, if one is.
    let mut entries: Option<NestedEntries> = None;
    for line in yaml.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let continues = line.is_empty()
            || line.starts_with([' ', '\t', '#'])
            || line == "-"
            || line.starts_with("- ");
        if continues {
            // A value (or a comment) can follow only a key.
            if keys == 0 && !line.trim_start().is_empty() && !line.trim_start().starts_with('#') {
                return false;
            }
            if let Some(entries) = &mut entries
                && !entries.plainly_known(line)
            {
                return false;
            }
            continue;
        }
        let Some(key) = plain_key(line) else {
            return false;
        };
        if !known.contains(&key) {
            return false;
        }
        entries = match nested.iter().find(|(name, _)| *name == key) {
            // Its entries follow on lines of their own.
            Some((_, inner)) if is_blank(&line[key.len() + 1..]) => Some(NestedEntries {
                known: inner,
                dash: None,
                keys: 0,
            }),
            Some(_) => return false,
            None => None,
        };
        keys += 1;
    }
    keys > 0
}

/// Nothing but spaces, tabs or a comment.
fn is_blank(text: &str) -> bool {
    let text = text.trim_start_matches([' ', '\t']);
    text.is_empty() || text.starts_with('#')
}

/// The lines of a nested list read so far: the column of its entries'
/// `-`, and the column of the current entry's keys.
struct NestedEntries {
    known: &'static [&'static str],
    dash: Option<usize>,
    keys: usize,
}

impl NestedEntries {
    /// Whether `line`, within the list, is plainly one the list's entries
    /// allow: an entry (`- key: value`, `- text`), a known key of the
    /// current entry in its keys' column, or the rest of a value, indented
    /// further. A key can hide nowhere else: a block map's keys share one
    /// column, and a line indented past it belongs to a value.
    fn plainly_known(&mut self, line: &str) -> bool {
        let rest = line.trim_start_matches(' ');
        let column = line.len() - rest.len();
        if rest.is_empty() || rest.starts_with('#') {
            return true;
        }
        if rest.starts_with('\t') {
            return false;
        }
        if self.dash.is_some() && column > self.keys {
            return true;
        }
        if let Some(after) = rest.strip_prefix("- ")
            && self.dash.is_none_or(|dash| dash == column)
        {
            let entry = after.trim_start_matches(' ');
            self.dash = Some(column);
            self.keys = column + 2 + (after.len() - entry.len());
            return match plain_key(entry) {
                Some(key) => self.known.contains(&key),
                // A text entry, plain or quoted. A key written any other
                // way answers no, and so does an alias (`- *b`), whose
                // keys are written elsewhere, a tag, a flow or a block,
                // and an entry whose keys start on the next line, in a
                // column of their own.
                None => {
                    !entry.is_empty()
                        && !entry.contains(':')
                        && !entry.starts_with([
                            '\t', '#', '-', '?', '*', '&', '!', '[', '{', '|', '>', '%', '@', '`',
                        ])
                }
            };
        }
        self.dash.is_some()
            && column == self.keys
            && plain_key(rest).is_some_and(|key| self.known.contains(&key))
    }
}

/// The key of a `key: value` line whose key is a plain word.
fn plain_key(line: &str) -> Option<&str> {
    let (key, rest) = line.split_once(':')?;
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !key.starts_with('-');
    (plain && (rest.is_empty() || rest.starts_with([' ', '\t']))).then_some(key)
}

/// Every field of the map `T` does not know, and every field of the entries
/// of its nested lists (a behaviour's), reported as `unknown` says.
fn unknown_fields<T: FrontMatter>(
    inventory: &Inventory,
    place: Place,
    unknown: Unknown,
) -> Vec<Diagnostic> {
    let known = field_names::<T>();
    let nested = T::nested();
    let mut found: Vec<(&Spanned<String>, &'static [&'static str])> = Vec::new();
    for field in &inventory.fields {
        let name = field.key.value.as_str();
        if !known.contains(&name) {
            found.push((&field.key, known));
        } else if let Some((_, inner)) = nested.iter().find(|(n, _)| *n == name) {
            for key in field.items.iter().flat_map(|item| &item.keys) {
                if !inner.contains(&key.value.as_str()) {
                    found.push((key, inner));
                }
            }
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    if unknown == Unknown::PageWarn {
        return vec![foreign_fields_warning(&found, place)];
    }
    found
        .into_iter()
        .map(|(key, expected)| {
            let message = format!("unknown field `{}`", key.value);
            Diagnostic::error("unknown-field", place.file, message)
                .at(
                    place.line(key.referenced.line() as usize),
                    key.referenced.column() as usize,
                )
                .with_hint(unknown_field_hint(&key.value, expected, unknown))
        })
        .collect()
}

fn unknown_field_hint(field: &str, expected: &[&str], unknown: Unknown) -> String {
    if let Some(guess) = closest(field, expected.iter().copied()) {
        return format!("did you mean `{guess}`? (free-form data belongs under `extra:`)");
    }
    let known = expected
        .iter()
        .filter(|f| **f != "id")
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match unknown {
        Unknown::Entity => {
            format!("known fields here are {known}; free-form data belongs under `extra:`")
        }
        _ => format!(
            "a page's fields are {known}; to build pages written for another tool as they are, \
             set `foreign-front-matter = \"warn\"` under [build] in book.toml"
        ),
    }
}

/// One warning for every field of a page Touchstone does not use.
fn foreign_fields_warning(found: &[(&Spanned<String>, &[&str])], place: Place) -> Diagnostic {
    let names: Vec<String> = found
        .iter()
        .map(|(k, _)| format!("`{}`", k.value))
        .collect();
    let guesses: Vec<String> = found
        .iter()
        .filter_map(|(k, expected)| {
            closest(&k.value, expected.iter().copied())
                .map(|g| format!("`{}`: did you mean `{g}`?", k.value))
        })
        .collect();
    let mut hint = String::from("they are left out of the page (foreign-front-matter = \"warn\")");
    if !guesses.is_empty() {
        hint = format!("{}; {hint}", guesses.join("; "));
    }
    let first = found[0].0;
    Diagnostic::warning(
        "foreign-field",
        place.file,
        format!("fields Touchstone does not use: {}", names.join(", ")),
    )
    .at(
        place.line(first.referenced.line() as usize),
        first.referenced.column() as usize,
    )
    .with_hint(hint)
}

/// The field names a front-matter type knows, as serde's derive lists them
/// (renamed fields under their written names).
pub(crate) fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    match T::deserialize(FieldNames) {
        Err(FoundFields(fields)) => fields,
        Ok(_) => &[],
    }
}

/// A deserializer that only asks a struct for its field names.
struct FieldNames;

#[derive(Debug)]
struct FoundFields(&'static [&'static str]);

impl std::fmt::Display for FoundFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field names")
    }
}

impl std::error::Error for FoundFields {}

impl de::Error for FoundFields {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        FoundFields(&[])
    }
}

impl<'de> de::Deserializer<'de> for FieldNames {
    type Error = FoundFields;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, FoundFields> {
        Err(FoundFields(&[]))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, FoundFields> {
        Err(FoundFields(fields))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// The shape of a map as written: each key with where it is, and for a
/// field holding a list, where each entry starts and the keys of entries
/// that are maps.
#[derive(Debug, Default)]
struct Inventory {
    fields: Vec<FieldAt>,
}

#[derive(Debug)]
struct FieldAt {
    key: Spanned<String>,
    items: Vec<ItemAt>,
}

#[derive(Debug)]
struct ItemAt {
    line: usize,
    keys: Vec<Spanned<String>>,
}

/// Lines of the YAML (1-based, inclusive) that can be dropped alone.
#[derive(Debug)]
pub(super) struct Unit<'a> {
    pub field: &'a str,
    /// The lines are one entry of the field's list, not the whole field.
    pub entry: bool,
    pub lines: RangeInclusive<usize>,
}

impl Inventory {
    /// The smallest piece holding `line`: one entry of a list field written
    /// one entry per line or more, else the whole field.
    fn unit_at(&self, line: usize, last_line: usize) -> Option<Unit<'_>> {
        let starts: Vec<usize> = self.fields.iter().map(|f| f.key_line()).collect();
        let index = starts.iter().rposition(|&start| start <= line)?;
        let field = &self.fields[index];
        let end = starts.get(index + 1).map_or(last_line, |next| next - 1);
        let whole = Unit {
            field: &field.key.value,
            entry: false,
            lines: starts[index]..=end,
        };
        let items: Vec<usize> = field.items.iter().map(|i| i.line).collect();
        if items.first().is_none_or(|&first| first <= starts[index]) {
            return Some(whole);
        }
        let Some(item) = items.iter().rposition(|&start| start <= line) else {
            return Some(whole);
        };
        let item_end = items.get(item + 1).map_or(end, |next| next - 1);
        Some(Unit {
            entry: true,
            lines: items[item]..=item_end,
            ..whole
        })
    }
}

impl FieldAt {
    fn key_line(&self) -> usize {
        self.key.referenced.line() as usize
    }
}

/// Visits scalars by ignoring them, for the shape readers below.
macro_rules! ignore_scalars {
    ($value:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i128<E: de::Error>(self, _: i128) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u128<E: de::Error>(self, _: u128) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

impl<'de> de::Deserialize<'de> for Inventory {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapShape;
        impl<'de> Visitor<'de> for MapShape {
            type Value = Inventory;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("fields written as `name: value` lines")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Inventory, E> {
                Ok(Inventory::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Inventory, E> {
                Ok(Inventory::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Inventory, A::Error> {
                let mut fields = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let ValueShape(items) = map.next_value()?;
                    fields.push(FieldAt { key, items });
                }
                Ok(Inventory { fields })
            }
        }
        deserializer.deserialize_any(MapShape)
    }
}

/// A field's value: the entries of a list, or nothing worth knowing.
struct ValueShape(Vec<ItemAt>);

impl<'de> de::Deserialize<'de> for ValueShape {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Shape;
        impl<'de> Visitor<'de> for Shape {
            type Value = ValueShape;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value")
            }
            ignore_scalars!(ValueShape(Vec::new()));
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ValueShape, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<ItemShape>>()? {
                    items.push(ItemAt {
                        line: item.referenced.line() as usize,
                        keys: item.value.0,
                    });
                }
                Ok(ValueShape(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ValueShape, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(ValueShape(Vec::new()))
            }
        }
        deserializer.deserialize_any(Shape)
    }
}

/// An entry of a list: the keys it has, when it is a map.
struct ItemShape(Vec<Spanned<String>>);

impl<'de> de::Deserialize<'de> for ItemShape {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Shape;
        impl<'de> Visitor<'de> for Shape {
            type Value = ItemShape;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list entry")
            }
            ignore_scalars!(ItemShape(Vec::new()));
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ItemShape, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(ItemShape(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ItemShape, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(ItemShape(keys))
            }
        }
        deserializer.deserialize_any(Shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::*;

    fn place() -> Place<'static> {
        Place {
            file: "content/roles/a.md",
            first_line: 2,
        }
    }

    #[test]
    fn every_unknown_field_is_reported_and_the_rest_loads() {
        let f = parse_fields::<RoleFm>(
            "title: A\nbehavoiurs: []\nowns: [m]\nteem: x\n",
            place(),
            Unknown::Entity,
        );
        let lines: Vec<_> = f.problems.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(3), Some(5)]);
        assert!(
            f.problems[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("`behaviours`")
        );
        assert_eq!(f.value.owns[0].value, "m");
        assert!(!f.complete && f.readable);
    }

    #[test]
    fn unknown_fields_written_in_any_yaml_form_are_reported() {
        for yaml in [
            "title: A\n\"teem\": x\n",
            "title: A\n'teem': x\n",
            "{title: A, teem: x}\n",
            "title: A\n? teem\n: x\n",
            "  title: A\n  teem: x\n",
            "title: A\r\nteem: x\r\n",
            "title: A\rteem: x\n",
            "# a comment\ntitle: A\nteem: x\n",
            "title: A\nbehaviours:\n  - standard: s\n    doo: x\n",
            "title: A\nbehaviours:\n- standard: s\n  doo: x\n",
        ] {
            let f = parse_fields::<RoleFm>(yaml, place(), Unknown::Entity);
            assert_eq!(f.problems.len(), 1, "{yaml:?}: {:#?}", f.problems);
            assert_eq!(f.problems[0].code, "unknown-field", "{yaml:?}");
            assert!(!f.complete, "{yaml:?}");
        }
    }

    #[test]
    fn plainly_written_known_fields_load_complete() {
        let yaml = "# why\ntitle: A\nstatement: >\n  We answer.\nmantras:\n- m\n- n\nkano: performance\r\n";
        assert!(plainly_known::<StandardFm>(yaml));
        let f = parse_fields::<StandardFm>(yaml, place(), Unknown::Entity);
        assert!(f.problems.is_empty(), "{:#?}", f.problems);
        assert!(f.complete && f.readable);
        assert_eq!(f.value.title.as_deref(), Some("A"));
        assert_eq!(f.value.mantras.len(), 2);
    }

    #[test]
    fn an_entry_without_a_needed_field_is_named_as_an_entry() {
        let f = parse_fields::<RoleFm>(
            "title: A\nbehaviours:\n  - do: Greet.\n  - standard: s\n",
            place(),
            Unknown::Entity,
        );
        let messages: Vec<&str> = f.problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["this entry of `behaviours` has no `standard`"]);
        assert_eq!(f.problems[0].line, Some(4));
        assert_eq!(f.value.behaviours.len(), 1);
    }

    #[test]
    fn text_that_yaml_could_read_as_an_endless_number_is_text_either_way() {
        for value in [".inf", "-.Inf", ".nan", "1e999"] {
            let plain = format!("title: A\nbehaviours:\n  - standard: s\n    do: {value}\n");
            // The same with an unknown key, which the inventory must name.
            let careful = format!("{plain}    doo: x\n");
            for (yaml, unknown) in [(plain, 0), (careful, 1)] {
                let f = parse_fields::<RoleFm>(&yaml, place(), Unknown::Entity);
                let codes: Vec<&str> = f.problems.iter().map(|d| d.code).collect();
                assert_eq!(codes, vec!["unknown-field"; unknown], "{yaml:?}");
                let done = f.value.behaviours[0].value.do_.as_deref();
                assert_eq!(done, Some(value), "{yaml:?}");
            }
        }
        // Read as any value, it is still refused, in its own field alone.
        let f = parse_fields::<RoleFm>("title: A\nextra: .inf\n", place(), Unknown::Entity);
        let codes: Vec<&str> = f.problems.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["invalid-yaml"]);
        assert_eq!(f.value.title.as_deref(), Some("A"));
    }

    #[test]
    fn text_before_the_first_key_is_read_the_careful_way() {
        for yaml in [
            "  teem: x\ntitle: A\n",
            "- x\ntitle: A\n",
            "\tteem: x\ntitle: A\n",
        ] {
            assert!(!plainly_known::<StandardFm>(yaml), "{yaml:?}");
        }
        // Blank lines and comments may come first, but not alone.
        assert!(plainly_known::<StandardFm>("\n  # why\n\ntitle: A\n"));
        assert!(!plainly_known::<StandardFm>("\n  # why\n\n"));
    }

    #[test]
    fn nested_lists_written_plainly_load_without_an_inventory() {
        let roles = [
            "title: A\nbehaviours:\n  - standard: s\n    do: \"Greet.\"\n    dont: x\n  - standard: t\n",
            "title: A\nbehaviours: # each with its standard\n- standard: s\n  do: >\n    Greet: warmly.\n\n  moment: m\n- standard: t\n",
            "behaviours:\n  -   standard: s\n      do: |\n        doo: not a key\n  # later\n  - standard: t\nowns: [m]\n",
        ];
        for yaml in roles {
            assert!(plainly_known::<RoleFm>(yaml), "{yaml:?}");
            let f = parse_fields::<RoleFm>(yaml, place(), Unknown::Entity);
            assert!(
                f.problems.is_empty() && f.complete,
                "{yaml:?}: {:#?}",
                f.problems
            );
            assert_eq!(f.value.behaviours.len(), 2, "{yaml:?}");
        }
        let persona = "title: P\nloves:\n  - Being called back\n  - text: \"Fast: really\"\n    moments:\n      - m\n      - n\n    evidence: verified\nhates:\n- Waiting\n";
        assert!(plainly_known::<PersonaFm>(persona));
        let f = parse_fields::<PersonaFm>(persona, place(), Unknown::Entity);
        assert!(f.problems.is_empty() && f.complete, "{:#?}", f.problems);
        assert_eq!((f.value.loves.len(), f.value.hates.len()), (2, 1));
    }

    #[test]
    fn a_plain_scan_never_passes_over_an_unknown_key_of_a_nested_entry() {
        let role = |behaviours: &str| format!("title: A\nbehaviours:{behaviours}\nowns: [m]\n");
        let cases = [
            "\n  - standard: s\n    doo: x",
            "\n  - doo: x\n    standard: s",
            "\n- standard: s\n  doo: x",
            "\n  - {standard: s, doo: x}",
            "\n  - standard: s\n    \"doo\": x",
            "\n  - standard: s\n    ? doo\n    : x",
            "\n  - &b\n    standard: s\n    doo: x",
            "\n  - standard: s\n    <<: {doo: x}",
            "\n  - standard: s\n    do: \"a\n    doo: b\"",
            "\n  - standard: s\n   doo: x",
            "\n  - standard: s\n\tdoo: x",
            "\n  -\n    standard: s\n    doo: x",
            "\n  - \n      standard: s\n      doo: x",
            "\n  -   standard: s\n      doo: x",
            "\n  - ? doo\n    : x",
            "\n  - standard: s\n  - ? doo\n    : x",
            "\n  - # the first\n      standard: s\n      doo: x",
            " [{standard: s, doo: x}]",
            "\n  - standard: s\n    do: x\n  -  doo: y",
            "\n  - standard: s\n    do:\n      doo: x",
            "\n  - standard: s\n    do: |\n      doo: x",
        ];
        let aliased = [
            "extra: &b\n  standard: s\n  doo: x\nbehaviours:\n  - *b\n".to_string(),
            "extra: &b {standard: s, doo: x}\nbehaviours:\n  - !!map *b\n".to_string(),
        ];
        for yaml in cases.into_iter().map(role).chain(aliased) {
            let f = parse_fields::<RoleFm>(&yaml, place(), Unknown::Entity);
            let Ok(inventory) =
                serde_saphyr::from_str_with_options::<Inventory>(&yaml, inventory_options())
            else {
                // Not YAML: one error, whichever way it was read.
                assert!(!f.readable && f.problems.len() == 1, "{yaml:?}");
                continue;
            };
            let unknown = unknown_fields::<RoleFm>(&inventory, place(), Unknown::Entity);
            if plainly_known::<RoleFm>(&yaml) {
                assert!(unknown.is_empty(), "{yaml:?} passed with {unknown:#?}");
            }
            let told = f.problems.iter().filter(|d| d.code == "unknown-field");
            assert_eq!(told.count(), unknown.len(), "{yaml:?}");
        }
    }

    #[test]
    fn a_plainly_written_bad_value_still_drops_its_field_alone() {
        let f = parse_fields::<StandardFm>("title: A\nweight: heavy\n", place(), Unknown::Entity);
        assert_eq!(f.problems.len(), 1, "{:#?}", f.problems);
        assert_eq!(f.value.title.as_deref(), Some("A"));
        assert!(!f.complete && f.readable);
    }

    #[test]
    fn a_bad_value_drops_its_field_alone() {
        let f = parse_fields::<StandardFm>(
            "title: A\nweight: heavy\nkano: perfomance\nmantras: [m]\n",
            place(),
            Unknown::Entity,
        );
        assert_eq!(f.problems.len(), 2, "{:#?}", f.problems);
        assert_eq!(f.value.title.as_deref(), Some("A"));
        assert_eq!(f.value.mantras.len(), 1);
        assert!(f.value.weight.is_none() && f.value.kano.is_none());
    }

    #[test]
    fn a_bad_entry_of_a_nested_list_drops_that_entry_alone() {
        let f = parse_fields::<RoleFm>(
            "behaviours:\n  - standard: a\n    do: x\n  - do: y\n  - standard: b\n    dont: z\n    moemnt: m\n",
            place(),
            Unknown::Entity,
        );
        let standards: Vec<_> = f
            .value
            .behaviours
            .iter()
            .map(|b| b.value.standard.value.as_str())
            .collect();
        assert_eq!(standards, ["a", "b"]);
        let codes: Vec<_> = f.problems.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            [("unknown-field", Some(8)), ("missing-field", Some(5))]
        );
    }

    #[test]
    fn unreadable_yaml_is_one_located_error() {
        let f = parse_fields::<RoleFm>("title: [A\n", place(), Unknown::Entity);
        assert!(!f.readable);
        assert_eq!(f.problems.len(), 1);
        assert_eq!(f.problems[0].code, "invalid-yaml");
    }

    #[test]
    fn one_bad_list_entry_costs_only_itself() {
        let (entries, problems) = parse_list::<MantraFm>(
            "# mantras\n- id: a\n  text: x\n- id: b\n  weight: [\n- id: c\n  text: z\n",
            "content/mantras.yaml",
        );
        assert!(problems.is_empty());
        let readable: Vec<bool> = entries.iter().map(|e| e.fields.readable).collect();
        assert_eq!(readable, [true, false, true]);
        assert_eq!(entries[1].written_id.as_deref(), Some("b"));
        assert_eq!(entries[2].line, 6);
        assert_eq!(
            entries[2]
                .fields
                .value
                .id
                .as_ref()
                .unwrap()
                .referenced
                .line(),
            1
        );
    }

    #[test]
    fn a_list_read_whole_keeps_aliases_across_entries() {
        let (entries, _) = parse_list::<MantraFm>(
            "- id: a\n  meaning: &m Shared\n- id: b\n  meaning: *m\n",
            "content/mantras.yaml",
        );
        assert_eq!(entries[1].fields.value.meaning.as_deref(), Some("Shared"));
    }

    #[test]
    fn field_names_come_from_the_type() {
        assert!(field_names::<BehaviourFm>().contains(&"do"));
        assert!(field_names::<PageFm>().contains(&"nav_order"));
    }
}

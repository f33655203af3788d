//! The theme: templates and static files from every layer (the built-in
//! default, a `themes/<name>/` folder, the site's own `templates/`), later
//! layers overriding earlier ones by file name, and static files named by
//! content hash.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;

#[derive(rust_embed::Embed)]
#[folder = "themes/default/"]
struct DefaultTheme;

/// Templates and static files, resolved from all theme layers.
pub(crate) struct Theme {
    pub(super) tera: tera::Tera,
    /// Each key's text as `t(key=…)` alone prints it, for `{{ site.t.key }}`.
    pub(super) words: tera::Value,
    /// Changes when any template or static file does.
    pub fingerprint: u64,
    /// Static files by output path (`static/style.3fa2b1c0.css`), with contents.
    pub(super) statics: Vec<OutputFile>,
    pub(super) assets: Assets,
    /// The file each template came from, by name, for errors.
    pub(super) sources: BTreeMap<String, String>,
    /// Files of the theme's folders that were not read, each named.
    pub(crate) warnings: Vec<Diagnostic>,
}

/// Output paths of the theme's CSS and JS, named by content hash.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Assets {
    pub css: String,
    pub js: String,
    pub search: String,
    pub favicon: String,
}

impl Theme {
    pub(crate) fn load(config: &Config) -> Result<Theme, Diagnostic> {
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for name in DefaultTheme::iter() {
            let file = DefaultTheme::get(&name).expect("listed by iter");
            files.insert(name.to_string(), file.data.into_owned());
        }
        let mut warnings = Vec::new();
        // Where a template came from: the built-in theme, a theme folder
        // or the site's own templates/, the last that has it.
        let mut sources: BTreeMap<String, String> = files
            .keys()
            .map(|name| (name.clone(), format!("themes/default/{name} (built in)")))
            .collect();
        if config.theme != "default" || config.root.join("themes/default").is_dir() {
            let dir = config.root.join("themes").join(&config.theme);
            if config.theme.trim().is_empty() || !dir.is_dir() {
                let message = match config.theme.trim() {
                    "" => "`theme` is empty: it names no theme".to_string(),
                    theme => format!("the theme `{theme}` is not in themes/{theme}/"),
                };
                return Err(
                    Diagnostic::error("theme", crate::config::CONFIG_FILE, message).with_hint(
                        "remove `theme =` to use the built-in theme, or create the folder",
                    ),
                );
            }
            let shown = format!("themes/{}/", config.theme);
            for name in read_layer(&dir, "", &shown, &mut files, &mut warnings)? {
                sources.insert(name.clone(), format!("{shown}{name}"));
            }
        }
        let templates = config.root.join("templates");
        for name in read_layer(
            &templates,
            "templates/",
            "templates/",
            &mut files,
            &mut warnings,
        )? {
            sources.insert(name.clone(), name);
        }
        let sources = sources
            .into_iter()
            .filter_map(|(name, file)| Some((name.strip_prefix("templates/")?.to_string(), file)))
            .collect();
        let mut theme = Theme::from_files(files, &config.words, sources)?;
        warnings.append(&mut theme.warnings);
        theme.warnings = warnings;
        Ok(theme)
    }

    fn from_files(
        mut files: BTreeMap<String, Vec<u8>>,
        words: &crate::config::Translations,
        sources: BTreeMap<String, String>,
    ) -> Result<Theme, Diagnostic> {
        let fingerprint = crate::fingerprint::fingerprint(&files);
        let mut tera = tera::Tera::new();
        tera.register_filter("group_by", group_by);
        let words = super::words::register(&mut tera, words);
        let templates: Vec<(String, String)> = files
            .iter()
            .filter_map(|(name, bytes)| {
                let name = name.strip_prefix("templates/")?;
                Some((
                    name.to_string(),
                    String::from_utf8_lossy(bytes).into_owned(),
                ))
            })
            .collect();
        let warnings = context_dumps(&templates, &sources);
        tera.add_raw_templates(templates)
            .map_err(|e| template_error(&sources, "", &e))?;

        let mut css = files
            .remove("static/style.css")
            .unwrap_or_else(|| stylesheet(&files));
        css.extend_from_slice(crate::markdown::highlight_css().as_bytes());
        files.insert("static/style.css".into(), css);
        let mut statics = Vec::new();
        let mut named = HashMap::new();
        for (name, bytes) in files {
            let Some(path) = name.strip_prefix("static/") else {
                continue;
            };
            let out = fingerprinted(path, &bytes);
            named.insert(path.to_string(), format!("static/{out}"));
            statics.push(OutputFile::new(format!("static/{out}"), bytes));
        }
        let asset = |name: &str| named.get(name).cloned().unwrap_or_default();
        let assets = Assets {
            css: asset("style.css"),
            js: asset("touchstone.js"),
            search: asset("search.js"),
            favicon: asset("favicon.svg"),
        };
        Ok(Theme {
            tera,
            words,
            fingerprint,
            statics,
            assets,
            sources,
            warnings,
        })
    }
}

/// A warning for each template that prints `__tera_context`, tera's dump
/// of everything a template is given: the dump lists its names in the
/// order of a hash map seeded anew on every build, so each build changes
/// the bytes of every page it is on.
fn context_dumps(
    templates: &[(String, String)],
    sources: &BTreeMap<String, String>,
) -> Vec<Diagnostic> {
    templates
        .iter()
        .filter_map(|(name, text)| {
            let at = text.find("__tera_context")?;
            let file = sources.get(name).cloned().unwrap_or_else(|| format!("templates/{name}"));
            Some(
                Diagnostic::warning(
                    "context-dump",
                    file,
                    "this template prints `__tera_context`, whose names come in a new order on every build",
                )
                .at_line(text[..at].matches('\n').count() + 1)
                .with_hint("use it while designing a template, then print what a page needs by name"),
            )
        })
        .collect()
}

/// tera's `group_by` filter, with the groups in their keys' order (the
/// order tera prints a map's keys in): tera's own makes them in its hash
/// order, which changes from build to build, so a template looping over
/// the groups would list them differently each time.
fn group_by(
    values: &[tera::Value],
    kwargs: tera::Kwargs,
    _: &tera::State,
) -> tera::TeraResult<tera::Map> {
    if values.is_empty() {
        return Ok(tera::Map::new());
    }
    let attribute = kwargs.must_get::<&str>("attribute")?;
    let mut groups: BTreeMap<tera::value::Key<'static>, Vec<tera::Value>> = BTreeMap::new();
    for (i, value) in values.iter().enumerate() {
        let Some(by) = value.get_from_path(attribute) else {
            return Err(tera::Error::message(format!(
                "Value at index {i} (a {}) does not have an attribute at path: {attribute}",
                value.name()
            )));
        };
        if by.is_none() {
            continue;
        }
        let key = group_key(by).ok_or_else(|| {
            tera::Error::message(format!(
                "`group_by` groups by a string, a whole number or a bool: the `{attribute}` of the value at index {i} is of type `{}`",
                by.name()
            ))
        })?;
        groups.entry(key).or_default().push(value.clone());
    }
    Ok(groups
        .into_iter()
        .map(|(key, group)| (key, tera::Value::from(group)))
        .collect())
}

/// A value as a map's key, as tera makes one: a bool, a whole number or a
/// string; `None` for anything else.
fn group_key(value: &tera::Value) -> Option<tera::value::Key<'static>> {
    use tera::value::Key;
    if value.is_bool() {
        value.as_bool().map(Key::Bool)
    } else if value.is_u64() {
        value.as_u64().map(Key::U64)
    } else if value.is_i64() {
        value.as_i64().map(Key::I64)
    } else if value.is_u128() {
        value.as_u128().map(Key::U128)
    } else if value.is_i128() {
        value.as_i128().map(Key::I128)
    } else {
        value.as_str().map(|text| Key::from(text.to_string()))
    }
}

/// The stylesheet's parts, in cascade order: design tokens (colours, type,
/// spacing), base elements, components, page families, the change log and
/// edit links (governance), narrow screens and forced colours, print. A layer replaces one part by writing
/// `css/<part>.css`, so a site rebrands by overriding `css/tokens.css` alone.
const STYLESHEET: [&str; 7] = [
    "tokens",
    "base",
    "components",
    "pages",
    "governance",
    "screens",
    "print",
];

/// `static/style.css`, joined from the `css/` parts: the known parts in
/// cascade order, then any other `css/*.css` a layer added, by name, so
/// extra rules win without copying a part. (A layer's own
/// `static/style.css` replaces the whole stylesheet instead.)
fn stylesheet(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let part = |name: &str| files.get(&format!("css/{name}.css"));
    let known = STYLESHEET.iter().filter_map(|name| part(name));
    let extra = files
        .iter()
        .filter(|(name, _)| {
            name.strip_prefix("css/")
                .and_then(|n| n.strip_suffix(".css"))
                .is_some_and(|n| !n.contains('/') && !STYLESHEET.contains(&n))
        })
        .map(|(_, bytes)| bytes);
    known.chain(extra).flatten().copied().collect()
}

/// Reads `dir/**` (shown in messages as `shown` + relative path) into
/// `files` as `prefix + relative path`; the names read. A symbolic link is
/// never followed (one could lead outside the site), but named.
fn read_layer(
    dir: &Path,
    prefix: &str,
    shown: &str,
    files: &mut BTreeMap<String, Vec<u8>>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<String>, Diagnostic> {
    let mut read = Vec::new();
    if !dir.is_dir() {
        return Ok(read);
    }
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("under dir")
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_symlink() {
            warnings.push(
                Diagnostic::warning(
                    "skipped-link",
                    format!("{shown}{rel}"),
                    "this theme file is a symbolic link, so it is not read",
                )
                .with_hint(
                    "Touchstone never follows links (one could lead outside the site); copy the file here instead",
                ),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| {
            Diagnostic::error(
                "io",
                entry.path().display().to_string(),
                format!("cannot read: {e}"),
            )
        })?;
        let name = format!("{prefix}{rel}");
        files.insert(name.clone(), bytes);
        read.push(name);
    }
    Ok(read)
}

/// `style.css` -> `style.1a2b3c4d.css`: a changed file gets a new name, so
/// hosting can cache static files forever.
fn fingerprinted(path: &str, bytes: &[u8]) -> String {
    if !(path.ends_with(".css") || path.ends_with(".js")) {
        return path.to_string();
    }
    let mut hasher = crate::fingerprint::Fnv::default();
    std::hash::Hasher::write(&mut hasher, bytes);
    let hash = std::hash::Hasher::finish(&hasher);
    let (stem, ext) = path.rsplit_once('.').expect("has extension");
    format!("{stem}.{:08x}.{ext}", hash as u32)
}

/// A template's error at its file, line and column, with tera's message
/// alone (its own report quotes the line, as ours does).
pub(super) fn template_error(
    sources: &BTreeMap<String, String>,
    template: &str,
    err: &tera::Error,
) -> Diagnostic {
    let place = match err.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(Place {
            message: r.message().to_string(),
            name: r.filename().to_string(),
            line: r.span().start_line,
            column: r.span().start_col + 1,
        }),
        // Checks across templates come as their reports, joined.
        tera::ErrorKind::Msg(text) => Place::of_reports(text),
        _ => None,
    };
    let name = place.as_ref().map_or(template, |p| p.name.as_str());
    let file = sources
        .get(name)
        .cloned()
        .unwrap_or_else(|| format!("templates/{name}"));
    let message = place
        .as_ref()
        .map_or_else(|| err.to_string(), |p| p.message.clone());
    let diagnostic = Diagnostic::error("template", file, format!("template error: {message}"))
        .with_hint(
            "check the template against the default theme's version in themes/default/templates/",
        );
    match place {
        Some(p) => diagnostic.at(p.line, p.column),
        None => diagnostic,
    }
}

/// Where tera placed a template error.
struct Place {
    message: String,
    name: String,
    line: usize,
    column: usize,
}

impl Place {
    /// The first of tera's reports (`error: message`, then
    /// ` --> name:line:column`), and how many followed it.
    fn of_reports(text: &str) -> Option<Place> {
        let mut lines = text.lines();
        let message = lines.next()?.strip_prefix("error: ")?;
        let location = lines.next()?.trim_start().strip_prefix("--> ")?;
        let (rest, column) = location.rsplit_once(':')?;
        let (name, line) = rest.rsplit_once(':')?;
        let more = text.matches("\nerror: ").count();
        let message = match more {
            0 => message.to_string(),
            n => format!("{message} (and {n} more)"),
        };
        Some(Place {
            message,
            name: name.to_string(),
            line: line.parse().ok()?,
            column: column.parse().ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `template` prints for `items` with this module's `group_by`.
    fn grouped(template: &str, items: serde_json::Value) -> Result<String, String> {
        let mut tera = tera::Tera::new();
        tera.register_filter("group_by", group_by);
        tera.add_raw_template("t", template)
            .expect("the template parses");
        let mut context = tera::Context::new();
        context.insert("items", &items);
        tera.render("t", &context).map_err(|e| format!("{e:?}"))
    }

    const LIST: &str = "{% for key, group in items | group_by(attribute=\"by\") %}{{ key }}:{% for i in group %}{{ i.name }}{% endfor %};{% endfor %}";

    #[test]
    fn groups_come_in_their_keys_order_each_in_the_items_order() {
        let items = serde_json::json!([
            {"by": "moments", "name": "a"},
            {"by": "a-roles", "name": "b"},
            {"by": "moments", "name": "c"},
            {"by": null, "name": "d"},
            {"by": "z", "name": "e"},
        ]);
        assert_eq!(grouped(LIST, items).unwrap(), "a-roles:b;moments:ac;z:e;");
    }

    #[test]
    fn numbers_and_bools_group_by_value_not_by_their_text() {
        let numbers = serde_json::json!([
            {"by": 10, "name": "a"}, {"by": 2, "name": "b"}, {"by": -1, "name": "c"},
        ]);
        assert_eq!(grouped(LIST, numbers).unwrap(), "-1:c;2:b;10:a;");
        let bools = serde_json::json!([{"by": true, "name": "a"}, {"by": false, "name": "b"}]);
        assert_eq!(grouped(LIST, bools).unwrap(), "false:b;true:a;");
    }

    #[test]
    fn a_nested_attribute_groups_and_nothing_to_group_is_no_group() {
        let items = serde_json::json!([
            {"by": {"team": "ops"}, "name": "a"},
            {"by": {"team": "cx"}, "name": "b"},
        ]);
        let nested = LIST.replace("attribute=\"by\"", "attribute=\"by.team\"");
        assert_eq!(grouped(&nested, items).unwrap(), "cx:b;ops:a;");
        assert_eq!(grouped(LIST, serde_json::json!([])).unwrap(), "");
    }

    #[test]
    fn an_item_without_the_attribute_or_with_a_list_there_is_an_error() {
        let missing = serde_json::json!([{"by": "x", "name": "a"}, {"name": "b"}]);
        let error = grouped(LIST, missing).unwrap_err();
        assert!(error.contains("index 1") && error.contains("by"), "{error}");
        let list = serde_json::json!([{"by": ["x"], "name": "a"}]);
        let error = grouped(LIST, list).unwrap_err();
        assert!(error.contains("index 0 is of type `array`"), "{error}");
    }
}

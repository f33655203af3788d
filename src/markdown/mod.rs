//! Markdown bodies -> HTML: pulldown-cmark with GFM extensions, syntect classes
//! for code, heading anchors, and `[[wikilinks]]` / relative `.md` links resolved
//! against the model. Broken links are diagnostics at their file line.
//!
//! - `links`: the link index and `[[wikilink]]` resolution;
//! - `targets`: where each form of link resolves (`x.md`, `x.html`, `sub/`,
//!   `/root/`, files, external prefixes);
//! - `tags`: start tags and attributes of raw HTML (for its links, and for
//!   the output check);
//! - `highlight`: code colours and their contrast maths.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, LinkType, Parser, Tag, TagEnd, html,
};
use serde::Serialize;

mod highlight;
pub(crate) mod includes;
mod links;
pub(crate) mod summary;
pub(crate) mod tags;
mod targets;

use highlight::highlight;
pub(crate) use highlight::{colour_pending, highlight_css, load_syntaxes_for};
pub(crate) use links::LinkIndex;
pub(crate) use links::normalise;
use targets::Target;
pub(crate) use targets::percent_decode;

use crate::diagnostics::Diagnostic;
pub(crate) use crate::load::title::heading_id;
use crate::load::title::markdown_options as options;
use crate::model::EntityKey;

/// A body rendered for its own page.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenderedBody {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Entities and pages this body links to, for backlinks.
    pub links: Vec<EntityKey>,
    /// The text without markup, for search.
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// A fingerprint of what the body was rendered from, so later stages can
    /// tell an unchanged body without reading its text.
    pub source: u64,
    /// The paths and titles of `links` when it was rendered (`LinkIndex::targets_of`).
    pub targets: u64,
    /// The site's words it was rendered with (`Translations::fingerprint`):
    /// its anchor labels are in the site's language.
    pub words: u64,
    /// Code blocks still to colour (`Code::Deferred`), in order: `html`
    /// holds a marker where each goes.
    pub pending_code: Vec<PendingCode>,
}

/// A code block rendered with `Code::Deferred`, waiting for its colours.
#[derive(Debug, Clone, Hash)]
pub(crate) struct PendingCode {
    pub lang: String,
    pub code: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Heading {
    pub level: u8,
    pub text: String,
    pub anchor: String,
    /// Where its words are in the body's `text`, so a search snippet can
    /// leave headings out instead of running them into the prose.
    #[serde(skip)]
    pub in_text: Range<usize>,
}

/// Where a body is rendered: its page, its file and its source path.
pub(crate) struct BodyContext<'a> {
    pub page_path: &'a str,
    pub file: &'a str,
    /// Path under `content/` of a Markdown source, for relative links.
    pub source: Option<&'a str>,
    pub first_line: usize,
    /// The content folder, where `{{#include}}` reads; none: not expanded.
    pub content_dir: Option<&'a std::path::Path>,
    /// The id of the heading the page's title was taken from: the page
    /// header carries it, so a later heading with the same words gets `-1`.
    pub title_anchor: Option<&'a str>,
    /// The site's words, for the labels a body carries (heading anchors,
    /// task-list boxes).
    pub words: &'a crate::config::Translations,
    pub code: Code,
}

/// How a body's code blocks are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Code {
    /// With syntect's colour classes, as pages show them.
    #[default]
    Highlighted,
    /// Escaped, without colours: for `check`, which reads only a body's
    /// links, ids and problems (colouring code is half of its Markdown
    /// time, and it never adds a link or an id).
    Plain,
    /// Marked, for `colour_pending` to colour with the code of every other
    /// body: identical blocks once, and each language's grammar compiled
    /// on its own core. A grammar compiles its patterns on first use
    /// (tens of milliseconds for Bash), which would otherwise hold up
    /// whichever body came first.
    Deferred,
}

/// `../` once per folder of a site path: the way back to the site root.
pub(crate) fn root_prefix(page_path: &str) -> String {
    let depth = page_path.split('/').filter(|p| !p.is_empty()).count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

pub(crate) fn render(markdown: &str, links: &LinkIndex, ctx: &BodyContext) -> RenderedBody {
    let includes = ctx
        .content_dir
        .zip(ctx.source)
        .map(|(content_dir, source)| includes::IncludeContext {
            content_dir,
            source,
            file: ctx.file,
            first_line: ctx.first_line,
        });
    let expanded = includes::expand(markdown, includes.as_ref());
    let mut renderer = Renderer::new(&expanded.text, links, ctx);
    renderer.expanded = expanded.lines.as_ref();
    let mut body = renderer.run();
    body.diagnostics.extend(expanded.diagnostics);
    body
}

/// `text` in an allocation of its length, when the one it grew in is an
/// eighth or more larger. (`shrink_to_fit` is not enough: an allocator may
/// leave a block at least half used where it is.)
fn compact(text: String) -> String {
    if text.capacity() - text.len() >= text.len() / 8 {
        text.as_str().to_owned()
    } else {
        text
    }
}

/// Bytes of Markdown per event, about, in prose: a paragraph of a few
/// lines is a start, its lines' texts and breaks, and an end.
const EVENT_BYTES: usize = 24;

/// Room made first for the events of a very long body, which may be one
/// code block: past it, they grow as they come.
const MAX_EVENTS_ROOM: usize = 1 << 14;

struct Renderer<'a> {
    markdown: &'a str,
    links: &'a LinkIndex,
    ctx: &'a BodyContext<'a>,
    root: String,
    line_starts: Vec<usize>,
    out: RenderedBody,
    events: Vec<Event<'a>>,
    heading: Option<OpenHeading>,
    code: Option<(String, String)>,
    link_title: Option<String>,
    /// Consecutive block HTML (one event per line), read as one piece so a
    /// tag written over several lines is seen whole.
    html_block: Option<HtmlRun>,
    in_html_block: bool,
    /// How many times each heading id was handed out, for `-1`, `-2`.
    anchors: HashMap<String, usize>,
    /// Where each line of `markdown` came from, when includes rewrote the
    /// body (see `includes`).
    expanded: Option<&'a includes::Lines>,
    /// Template syntax in the prose: where it was first seen, what it
    /// says, and how often it was seen.
    templates: Option<(usize, String, usize)>,
    /// The last place `position` counted a column to: the next problem on
    /// the same line counts on from there, so a line holding thousands of
    /// problems is counted once.
    last_column: std::cell::Cell<(usize, usize)>,
}

/// A heading being read: where its opening tag goes, and what it says.
struct OpenHeading {
    index: usize,
    level: u8,
    /// `{#id}` as the author wrote it, else none.
    id: Option<String>,
    /// `{.class key=value}`, written back on the heading.
    attributes: String,
    text: String,
    /// Where its text starts in the body's plain text.
    start: usize,
}

impl<'a> Renderer<'a> {
    fn new(markdown: &'a str, links: &'a LinkIndex, ctx: &'a BodyContext<'a>) -> Self {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', markdown.as_bytes()).map(|i| i + 1))
            .collect();
        Renderer {
            markdown,
            links,
            ctx,
            root: root_prefix(ctx.page_path),
            line_starts,
            // Room for what a body of this length makes, so neither grows
            // a step at a time (the text is cut to its length at the end).
            out: RenderedBody {
                text: String::with_capacity(markdown.len()),
                ..RenderedBody::default()
            },
            events: Vec::with_capacity((markdown.len() / EVENT_BYTES).clamp(8, MAX_EVENTS_ROOM)),
            heading: None,
            code: None,
            link_title: None,
            html_block: None,
            in_html_block: false,
            anchors: ctx
                .title_anchor
                .map(|anchor| (anchor.to_string(), 0))
                .into_iter()
                .collect(),
            expanded: None,
            templates: None,
            last_column: std::cell::Cell::new((usize::MAX, 0)),
        }
    }

    fn run(mut self) -> RenderedBody {
        for (event, range) in Parser::new_ext(self.markdown, options()).into_offset_iter() {
            match &event {
                Event::Start(Tag::HtmlBlock) => self.in_html_block = true,
                Event::End(TagEnd::HtmlBlock) => self.in_html_block = false,
                _ => {}
            }
            let html = match &event {
                Event::Html(html) => Some(html),
                // What a quote or a list left of a tab it indents the
                // HTML with: part of the block, not a break in it.
                Event::Text(text) if self.in_html_block => Some(text),
                _ => None,
            };
            if let Some(html) = html {
                let run = self.html_block.get_or_insert(HtmlRun {
                    source: range.clone(),
                    html: String::new(),
                });
                run.source.end = range.end;
                run.html.push_str(html);
                continue;
            }
            self.flush_html_block();
            self.event(event, range);
        }
        self.flush_html_block();
        self.warn_templates();
        let mut html = String::with_capacity(self.markdown.len() * 3 / 2);
        html::push_html(&mut html, self.events.into_iter());
        // Every body is held until the site's pages are rendered: at its
        // length, not at the capacity it grew to (a third more, on average).
        self.out.html = compact(html);
        self.out.text = compact(std::mem::take(&mut self.out.text));
        self.out.words = self.ctx.words.fingerprint();
        self.out
    }

    fn event(&mut self, event: Event<'a>, source: Range<usize>) {
        let offset = source.start;
        match event {
            Event::InlineHtml(html) => {
                let html = self.raw_html(&html, source);
                self.events.push(Event::InlineHtml(html.into()));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some(OpenHeading {
                    index: self.events.len(),
                    level: level as u8,
                    id: id.map(|i| i.to_string()),
                    attributes: heading_attributes(&classes, &attrs),
                    text: String::new(),
                    start: self.out.text.len(),
                });
                self.events.push(Event::Html(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(_)) => self.close_heading(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => language(&info).to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Text(text) if self.code.is_some() => {
                self.code.as_mut().expect("in code").1.push_str(&text);
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, code) = self.code.take().expect("code block open");
                let code = if lang.eq_ignore_ascii_case("rust") {
                    without_hidden_lines(&code)
                } else {
                    code
                };
                self.out.text.push_str(&code);
                let html = match self.ctx.code {
                    Code::Highlighted => highlight(&code, &lang),
                    Code::Plain => format!("<pre><code>{}</code></pre>\n", html_escape(&code)),
                    Code::Deferred => {
                        let marker = highlight::marker(self.out.pending_code.len());
                        self.out.pending_code.push(PendingCode { lang, code });
                        marker
                    }
                };
                self.events.push(Event::Html(html.into()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.warn_if_script_url(&dest_url, offset);
                let dest = self.link(link_type, &dest_url, offset);
                self.events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                if let Some(title) = self.link_title.take() {
                    self.text(&title);
                    self.events.push(Event::Text(title.into()));
                }
                self.events.push(Event::End(TagEnd::Link));
            }
            Event::Text(_) if self.link_title.is_some() => {}
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.warn_if_script_url(&dest_url, offset);
                let dest = self.relative(&dest_url, offset);
                self.events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(kind);
                let html = format!(
                    "<div class=\"alert alert-{class}\" role=\"note\"><p class=\"alert-title\">{label}</p>\n"
                );
                self.events.push(Event::Html(html.into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.events.push(Event::Html("</div>\n".into()))
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                if matches!(event, Event::Text(_)) {
                    self.note_template(text, offset);
                }
                self.text(text);
                self.events.push(event);
            }
            Event::TaskListMarker(done) => {
                let (checked, key) = if done {
                    (" checked", "task_done")
                } else {
                    ("", "task_not_done")
                };
                let label = html_escape(self.ctx.words.get(key));
                let html =
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ");
                self.events.push(Event::Html(html.into()));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.text(" ");
                self.events.push(event);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                self.out.text.push(' ');
                self.events.push(event);
            }
            other => self.events.push(other),
        }
    }

    fn text(&mut self, text: &str) {
        self.out.text.push_str(text);
        if let Some(heading) = self.heading.as_mut() {
            heading.text.push_str(text);
        }
    }

    fn close_heading(&mut self) {
        let open = self.heading.take().expect("heading open");
        let in_text = open.start..self.out.text.len();
        let anchor = self.unique_anchor(open.id.unwrap_or_else(|| heading_id(&open.text)));
        let (level, id) = (open.level, html_escape(&anchor));
        // Every heading of every body: put together, no `format!`.
        let digit = &"123456"[usize::from(level - 1)..usize::from(level)];
        let start = ["<h", digit, " id=\"", &id, "\"", &open.attributes, ">"].concat();
        self.events[open.index] = Event::Html(start.into());
        let label = html_escape(self.ctx.words.get("link_to_section"));
        let end = [
            " <a class=\"anchor\" href=\"#",
            &id,
            "\" aria-label=\"",
            &label,
            "\">#</a></h",
            digit,
            ">\n",
        ]
        .concat();
        self.events.push(Event::Html(end.into()));
        self.out.text.push(' ');
        self.out.headings.push(Heading {
            level,
            text: open.text.trim().to_string(),
            anchor,
            in_text,
        });
    }

    /// `base`, or `base-1`, `base-2`… when taken, counting per base as
    /// GitHub does (`Example`, `Example`, `Example-1` give `example`,
    /// `example-1`, `example-1-1`).
    fn unique_anchor(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let mut anchor = base.clone();
        while self.anchors.contains_key(&anchor) {
            let count = self.anchors.get_mut(&base).expect("base counted");
            *count += 1;
            anchor = format!("{base}-{count}");
        }
        self.anchors.insert(anchor.clone(), 0);
        anchor
    }

    /// The href a link should have on this page, reporting broken ones.
    fn link(&mut self, link_type: LinkType, dest: &str, offset: usize) -> String {
        match link_type {
            LinkType::WikiLink { has_pothole } => match self.links.resolve_wiki(dest) {
                Ok(key) => {
                    let (path, title) = self.links.path_and_title(&key).expect("resolved").clone();
                    if !has_pothole {
                        self.link_title = Some(title);
                    }
                    self.out.links.push(key);
                    format!("{}{path}", self.root)
                }
                Err((message, hint)) => {
                    self.broken(message, hint, offset);
                    dest.to_string()
                }
            },
            _ => self.relative(dest, offset),
        }
    }

    /// The href of a Markdown link, image or raw HTML `href`/`src` on this
    /// page (`targets` says how each form resolves); a link to nothing is
    /// reported at its line and left as written.
    fn relative(&mut self, dest: &str, offset: usize) -> String {
        let Some(source) = self.ctx.source else {
            return dest.to_string();
        };
        if template_syntax(dest).is_some() {
            self.note_template(dest, offset);
            return dest.to_string();
        }
        match self.links.target(source, dest) {
            Ok(Target::AsWritten) => dest.to_string(),
            Ok(Target::FromRoot { path, key }) => {
                self.out.links.extend(key);
                match (self.root.as_str(), path.strip_prefix("../")) {
                    ("./", Some(_)) => path,
                    _ => format!("{}{path}", self.root),
                }
            }
            Err((message, hint)) => {
                self.broken(message, hint, offset);
                dest.to_string()
            }
        }
    }

    /// Block HTML read so far, with its `href`s and `src`s resolved.
    fn flush_html_block(&mut self) {
        if let Some(run) = self.html_block.take() {
            let html = self.raw_html(&run.html, run.source);
            self.events.push(Event::Html(html.into()));
        }
    }

    /// Raw HTML as written, but with each `href`, `src`, `srcset`,
    /// `poster`, `action` and `formaction` resolved like a Markdown link (rebased for
    /// pretty URLs, checked, reported at its line), and a warning for
    /// script in attributes and for `<base>`: authors may write HTML, but
    /// these in a body are worth a second look.
    fn raw_html(&mut self, raw: &str, source: Range<usize>) -> String {
        let mut out = String::with_capacity(raw.len());
        let mut copied = 0;
        let place = RawPlace::of(self.markdown, &self.line_starts, raw, source);
        for tag in tags::start_tags(raw) {
            if tag.name.eq_ignore_ascii_case("base") {
                let offset = place.offset(self.markdown, tag.start);
                self.warn_base(offset);
            }
            for attribute in &tag.attributes {
                let offset = place.offset(self.markdown, attribute.span.start);
                if attribute.is_event_handler() {
                    self.warn_script(
                        "event-handler",
                        format!("`{}` runs script from the page's HTML", attribute.name),
                        offset,
                    );
                }
                let Some(value) = attribute.value.as_deref() else {
                    continue;
                };
                if attribute.is("srcset") {
                    let srcset = self.rebased_srcset(value, offset);
                    if srcset != value {
                        out.push_str(&raw[copied..attribute.span.start]);
                        out.push_str(&format!("{}=\"{}\"", attribute.name, html_escape(&srcset)));
                        copied = attribute.span.end;
                    }
                    continue;
                }
                // What the output check reads as links: rebased and checked here.
                let linked = ["href", "src", "action", "formaction", "poster"]
                    .iter()
                    .any(|name| attribute.is(name));
                // URLs a browser also follows, and so runs as script.
                let followed = attribute.is("xlink:href")
                    || (attribute.is("data") && tag.name.eq_ignore_ascii_case("object"));
                if !(linked || followed) {
                    continue;
                }
                if self.warn_if_script_url(value, offset) || !linked {
                    continue;
                }
                let href = self.relative(value, offset);
                if href != value {
                    out.push_str(&raw[copied..attribute.span.start]);
                    out.push_str(&format!("{}=\"{}\"", attribute.name, html_escape(&href)));
                    copied = attribute.span.end;
                }
            }
        }
        out.push_str(&raw[copied..]);
        out
    }

    /// A warning for a `javascript:` URL; whether `url` is one.
    fn warn_if_script_url(&mut self, url: &str, offset: usize) -> bool {
        let script = tags::is_javascript_url(url);
        if script {
            self.warn_script(
                "javascript-url",
                "a `javascript:` link runs script when followed".to_string(),
                offset,
            );
        }
        script
    }

    /// A `srcset` with each of its image URLs resolved like a Markdown
    /// link (`a.png 1x, b.png 2x`), its descriptors as written.
    fn rebased_srcset(&mut self, value: &str, offset: usize) -> String {
        let mut out = String::with_capacity(value.len());
        let mut copied = 0;
        for url in tags::srcset_urls(value) {
            out.push_str(&value[copied..url.start]);
            out.push_str(&self.relative(&value[url.clone()], offset));
            copied = url.end;
        }
        out.push_str(&value[copied..]);
        out
    }

    /// A `<base>` in a body sends every relative link of its page, the
    /// theme's included, somewhere else than the link check saw.
    fn warn_base(&mut self, offset: usize) {
        let warning = Diagnostic::warning(
            "base-element",
            self.ctx.file,
            "a `<base>` element changes where every relative link of the page leads, the site's own links included",
        )
        .with_hint("remove it: Touchstone writes each link relative to its page, and checks it there");
        self.push_at(warning, offset);
    }

    fn warn_script(&mut self, code: &'static str, message: String, offset: usize) {
        let warning = Diagnostic::warning(code, self.ctx.file, message).with_hint(
            "Touchstone keeps HTML in bodies as written, script included \
             (docs/security.md); make sure it belongs there, or use a plain link",
        );
        self.push_at(warning, offset);
    }

    /// `diagnostic`, placed at a byte offset into the body.
    fn push_at(&mut self, diagnostic: Diagnostic, offset: usize) {
        let diagnostic = match self.position(offset) {
            (line, Some(column)) => diagnostic.at(line, column),
            (line, None) => diagnostic.at_line(line),
        };
        self.out.diagnostics.push(diagnostic);
    }

    /// The file line of a byte offset into the body, and its column unless
    /// an include or an unescaped directive rewrote the line.
    fn position(&self, offset: usize) -> (usize, Option<usize>) {
        let line_index = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let line_start = self.line_starts[line_index];
        let (counted_to, column_there) = match self.last_column.get() {
            (at, column) if line_start <= at && at <= offset => (at, column),
            _ => (line_start, 1),
        };
        let column = column_there + self.markdown[counted_to..offset].chars().count();
        self.last_column.set((offset, column));
        let Some(expanded) = self.expanded else {
            return (self.ctx.first_line + line_index, Some(column));
        };
        let line = expanded
            .origin
            .get(line_index)
            .copied()
            .unwrap_or(line_index);
        let rewritten = expanded.rewritten.binary_search(&line_index).is_ok();
        (self.ctx.first_line + line, (!rewritten).then_some(column))
    }

    /// Records template syntax in prose or in a link target.
    fn note_template(&mut self, text: &str, offset: usize) {
        let Some(found) = template_syntax(text) else {
            return;
        };
        // At the syntax itself, when its line writes it as the text has it.
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let line_end = self
            .line_starts
            .get(line)
            .map_or(self.markdown.len(), |&s| s);
        let at = self.markdown[offset..line_end]
            .find(found)
            .map_or(offset, |i| offset + i);
        let seen = self
            .templates
            .get_or_insert_with(|| (at, found.to_string(), 0));
        seen.2 += 1;
    }

    /// One warning for the template syntax of the whole body, at its first.
    fn warn_templates(&mut self) {
        let Some((offset, found, count)) = self.templates.take() else {
            return;
        };
        let more = match count - 1 {
            0 => String::new(),
            n => format!(" ({n} more in this file)"),
        };
        self.push_at(
            Diagnostic::warning(
                "template-syntax",
                self.ctx.file,
                format!("template syntax shows as written: `{found}`{more}"),
            )
            .with_hint(
                "Touchstone does not run Liquid, Nunjucks or Hugo shortcodes: write what \
                 they stand for (a relative link for `{{ site.baseurl }}`), drop \
                 `{% raw %}`, and put examples in code blocks, which are left alone",
            ),
            offset,
        );
    }

    fn broken(&mut self, message: String, hint: String, offset: usize) {
        let error = Diagnostic::error("broken-link", self.ctx.file, message).with_hint(hint);
        self.push_at(error, offset);
    }
}

/// The language of a fenced block: the first word of its info string,
/// which mdBook and rustdoc follow with attributes after a comma or a
/// space (`rust,ignore`, `rust noplayground`, `{.rust}`).
fn language(info: &str) -> &str {
    info.split(|c: char| c == ',' || c.is_whitespace())
        .find(|word| !word.is_empty())
        .unwrap_or("")
        .trim_start_matches("{.")
        .trim_end_matches('}')
}

/// A Rust block without the lines mdBook and rustdoc hide (`# ` set-up
/// lines, and those that `{{#rustdoc_include}}` leaves outside its range);
/// `##` shows as `#`.
fn without_hidden_lines(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let text = line.trim_start();
        if text.starts_with("##") {
            let indent = &line[..line.len() - text.len()];
            out.push_str(indent);
            out.push_str(&text[1..]);
        } else if !(text.starts_with("# ") || text.trim_end() == "#") {
            out.push_str(line);
        }
    }
    out
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// The first template tag in `text` (`{% raw %}`, `{{ site.baseurl }}`,
/// `{{< note >}}`), up to 40 characters; mdBook's includes, expanded
/// before rendering or escaped on purpose, are not template syntax.
fn template_syntax(text: &str) -> Option<&str> {
    let mut search = 0;
    while let Some(found) = memchr::memchr(b'{', &text.as_bytes()[search..]) {
        let at = search + found;
        search = at + 1;
        let rest = &text[at..];
        let close = if rest.starts_with("{%") {
            "%}"
        } else if rest.starts_with("{{") {
            "}}"
        } else {
            continue;
        };
        let inner = rest[2..].trim_start();
        if inner.starts_with("#include") || inner.starts_with("#rustdoc_include") {
            continue;
        }
        let Some(end) = rest.find(close) else {
            continue;
        };
        let tag = &rest[..end + 2];
        let cut = tag.char_indices().nth(40).map_or(tag.len(), |(i, _)| i);
        return Some(&tag[..cut]);
    }
    None
}

/// Lower case words joined by `-`: a stable key made of a text's words.
pub(crate) fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// `{.class key=value}` after a heading, as attributes to write back on it,
/// every value escaped; attribute names that are not plain names are dropped.
fn heading_attributes(classes: &[CowStr], attrs: &[(CowStr, Option<CowStr>)]) -> String {
    let mut out = String::new();
    if !classes.is_empty() {
        let classes: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
        out.push_str(&format!(" class=\"{}\"", html_escape(&classes.join(" "))));
    }
    for (name, value) in attrs {
        let plain = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if name.is_empty() || !plain || name.eq_ignore_ascii_case("id") {
            continue;
        }
        match value {
            Some(value) => out.push_str(&format!(" {name}=\"{}\"", html_escape(value))),
            None => out.push_str(&format!(" {name}")),
        }
    }
    out
}

pub(crate) fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Block HTML read so far, and the run of the source it came from.
struct HtmlRun {
    source: Range<usize>,
    html: String,
}

/// Where a run of raw HTML, written at `source` in the Markdown, has each
/// of its bytes, worked out once for the run: a table exported from a wiki
/// holds thousands of attributes, each placed by `offset`.
struct RawPlace {
    /// Where lines of the HTML begin (after any indent), each with the
    /// source offset it was written at. One entry when the HTML is a run
    /// of the source byte for byte; else one per line, as a quote's `> `
    /// or a list's indent stands between them in the source.
    lines: Vec<(usize, usize)>,
}

impl RawPlace {
    fn of(markdown: &str, line_starts: &[usize], raw: &str, source: Range<usize>) -> RawPlace {
        let start = source.start;
        if markdown[start..].starts_with(raw) {
            return RawPlace {
                lines: vec![(0, start)],
            };
        }
        let first_line = line_starts.partition_point(|&s| s <= start) - 1;
        // The HTML's last line ends where the HTML does, maybe before text
        // on the same line.
        let source_line =
            |line_start: usize| line_text(&markdown[line_start..source.end.max(line_start)]);
        // The first line may begin with the indent the HTML was written
        // after, which `start` is already past.
        let first = line_starts[first_line];
        let mut lines = vec![place_line(raw, 0, source_line(first), first).unwrap_or((0, start))];
        let newlines = memchr::memchr_iter(b'\n', raw.as_bytes());
        for (n, newline) in newlines.enumerate() {
            let Some(&line_start) = line_starts.get(first_line + n + 1) else {
                break;
            };
            let html_start = newline + 1;
            lines.push(
                place_line(
                    &raw[html_start..],
                    html_start,
                    source_line(line_start),
                    line_start,
                )
                .unwrap_or((html_start, line_start)),
            );
        }
        RawPlace { lines }
    }

    /// Where byte `at` of the HTML was written.
    fn offset(&self, markdown: &str, at: usize) -> usize {
        let line = self
            .lines
            .partition_point(|&(html_start, _)| html_start <= at)
            - 1;
        let (html_start, written) = self.lines[line];
        let mut offset = (written + at - html_start).min(markdown.len());
        while !markdown.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// Where the line of HTML at `html_start` (`rest` onwards) was written in
/// `source_line`, which starts at `line_start`, if its text after the
/// indent ends the source line (a tab the container split is spaces in
/// the HTML, still a tab in the source).
fn place_line(
    rest: &str,
    html_start: usize,
    source_line: &str,
    line_start: usize,
) -> Option<(usize, usize)> {
    let html_line = line_text(rest);
    let text = html_line.trim_start_matches([' ', '\t']);
    let before = source_line.strip_suffix(text)?;
    Some((
        html_start + html_line.len() - text.len(),
        line_start + before.len(),
    ))
}

/// The first line of `text`, without its line ending.
fn line_text(text: &str) -> &str {
    let line = text.split('\n').next().unwrap_or_default();
    line.strip_suffix('\r').unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words() {
        assert_eq!(slug("Why it matters!"), "why-it-matters");
        assert_eq!(slug("Référent & co"), "référent-co");
    }

    #[test]
    fn heading_ids_keep_underscores_and_dashes_and_drop_other_punctuation() {
        assert_eq!(heading_id("Using `Box<T>`"), "using-boxt");
        assert_eq!(
            heading_id("push_str and Config::build"),
            "push_str-and-configbuild"
        );
        assert_eq!(heading_id("Appendix D - Tools"), "appendix-d---tools");
        assert_eq!(heading_id("@ Bindings"), "-bindings");
        assert_eq!(heading_id("Référent & co"), "référent--co");
    }

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("roles/agent/"), "../../");
    }

    fn render_alone(md: &str) -> RenderedBody {
        render_with(md, Code::Highlighted)
    }

    fn render_with(md: &str, code: Code) -> RenderedBody {
        let index = LinkIndex::build(&crate::model::Site::default(), "content/", &[], None);
        let words = crate::config::Translations::english();
        let ctx = BodyContext {
            page_path: "guides/x/",
            file: "content/guides/x.md",
            source: Some("guides/x.md"),
            first_line: 3,
            content_dir: None,
            title_anchor: None,
            words: &words,
            code,
        };
        render(md, &index, &ctx)
    }

    #[test]
    fn headings_get_unique_anchors() {
        let body = render_alone("## Why\n\n## Why\n");
        assert!(body.html.contains("<h2 id=\"why\">Why"), "{}", body.html);
        assert!(body.html.contains("<h2 id=\"why-1\">"), "{}", body.html);
        assert_eq!(body.headings.len(), 2);
    }

    #[test]
    fn info_strings_split_on_commas_and_spaces() {
        assert_eq!(language("rust,ignore,does_not_compile"), "rust");
        assert_eq!(language("rust noplayground"), "rust");
        assert_eq!(language("{.toml}"), "toml");
        assert_eq!(language(""), "");
    }

    #[test]
    fn rust_blocks_hide_mdbooks_hidden_lines() {
        let code = "# fn main() {\nlet x = 1;\n    ##[derive(Debug)]\n#\n#[test]\n# }\n";
        assert_eq!(
            without_hidden_lines(code),
            "let x = 1;\n    #[derive(Debug)]\n#[test]\n"
        );
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let body = render_alone("```yaml\nkey: value\n```\n");
        assert!(body.html.contains("class=\"hl-"), "{}", body.html);
    }

    #[test]
    fn code_coloured_together_is_code_coloured_in_place() {
        let bodies = [
            "```sh\ntouchstone build\n```\n\n```yaml\nkey: value\n```\n\nThen a paragraph.\n",
            "Text\n\n```yaml\nkey: value\n```\n\n```klingon\nqapla'\n```\n\n    indented\n",
            "No code, only `inline`.\n",
        ];
        let mut deferred: Vec<RenderedBody> = bodies
            .iter()
            .map(|md| render_with(md, Code::Deferred))
            .collect();
        assert_eq!(deferred[0].pending_code.len(), 2);
        assert!(deferred[0].html.contains(&highlight::marker(1)));
        let mut all: Vec<&mut RenderedBody> = deferred.iter_mut().collect();
        assert!(colour_pending(&mut all).is_empty());
        for (md, body) in bodies.iter().zip(&deferred) {
            assert_eq!(body.html, render_alone(md).html);
            assert!(body.pending_code.is_empty());
        }
    }

    #[test]
    fn a_body_whose_text_holds_a_marker_is_sent_back() {
        let mut body = render_with("```yaml\nkey: value\n```\n", Code::Deferred);
        body.html.insert_str(0, &highlight::marker(0));
        let before = body.html.clone();
        let mut clean = render_with("```yaml\nkey: value\n```\n", Code::Deferred);
        assert_eq!(colour_pending(&mut [&mut clean, &mut body]), vec![1]);
        assert_eq!(body.html, before, "a body sent back is left as it was");
        assert!(!clean.html.contains('\0'));
    }

    #[test]
    fn plain_code_is_escaped_without_classes() {
        let index = LinkIndex::build(&crate::model::Site::default(), "content/", &[], None);
        let words = crate::config::Translations::english();
        let ctx = BodyContext {
            page_path: "guides/x/",
            file: "content/guides/x.md",
            source: Some("guides/x.md"),
            first_line: 3,
            content_dir: None,
            title_anchor: None,
            words: &words,
            code: Code::Plain,
        };
        let body = render("```html\n<a href=\"x\">x</a>\n```\n", &index, &ctx);
        assert_eq!(
            body.html,
            "<pre><code>&lt;a href=&quot;x&quot;&gt;x&lt;/a&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn broken_wikilinks_report_the_file_line_and_column() {
        let body = render_alone("Intro\n\nSee [[nowhere]] now.\n");
        let d = &body.diagnostics[0];
        assert_eq!(d.code, "broken-link");
        assert_eq!((d.line, d.column), (Some(5), Some(5)));
    }

    #[test]
    fn raw_html_problems_are_placed_where_written_in_a_quote_a_list_or_a_long_table() {
        let rows: String = (0..300)
            .map(|i| format!("<tr><td id=\"r{i}\" class=\"c\">{i}</td></tr>\n"))
            .collect();
        let body = render_alone(&format!(
            "> <a href=\"javascript:a()\">a</a>\n>\n> quoted <a href=\"javascript:b()\">b</a>\n\n\
             - item\n  <b onclick=\"c()\">c</b>\n\n\
             <table>\n{rows}<tr><td><a onclick=\"d()\">d</a></td></tr>\n</table>\n\n\
             > <div>\n> <p>x</p>\n> <base target=\"_top\">\n>   <a href=\"javascript:q()\">q</a>\n> </div>\n\n\
             - item\n\n  <div>\n  <i onclick=\"e()\">e</i>\n  </div>\n"
        ));
        let found: Vec<(&str, Option<usize>, Option<usize>)> = body
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line, d.column))
            .collect();
        // The body starts at line 3 of its file.
        assert_eq!(
            found,
            [
                ("javascript-url", Some(3), Some(6)),
                ("javascript-url", Some(5), Some(13)),
                ("event-handler", Some(8), Some(6)),
                ("event-handler", Some(311), Some(12)),
                ("base-element", Some(316), Some(3)),
                ("javascript-url", Some(317), Some(8)),
                ("event-handler", Some(323), Some(6)),
            ]
        );
    }

    #[test]
    fn problems_along_one_line_are_each_at_their_column() {
        let body = render_alone("[a](n1.md) \u{e9} [b](n2.md) [c](n3.md)\n\n\u{e9}[d](n4.md)\n");
        let placed: Vec<(Option<usize>, Option<usize>)> = body
            .diagnostics
            .iter()
            .map(|d| (d.line, d.column))
            .collect();
        assert_eq!(
            placed,
            [
                (Some(3), Some(1)),
                (Some(3), Some(14)),
                (Some(3), Some(25)),
                (Some(5), Some(2))
            ]
        );
    }

    #[test]
    fn template_syntax_in_prose_is_placed_at_its_braces() {
        let body = render_alone("Intro\n\nHello there {{ site.x }} now\n");
        let placed: Vec<(&str, Option<usize>, Option<usize>)> = body
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line, d.column))
            .collect();
        assert_eq!(placed, [("template-syntax", Some(5), Some(13))]);
    }

    #[test]
    fn text_after_an_html_block_is_text_again() {
        let body = render_alone("> <div>\n>\tx\n> </div>\n\nFish & chips < 5\n");
        assert!(
            body.html.contains("<p>Fish &amp; chips &lt; 5</p>"),
            "{}",
            body.html
        );
        assert!(body.text.contains("Fish & chips < 5"), "{}", body.text);
    }

    #[test]
    fn urls_followed_only_by_script_checks_are_kept_as_written() {
        // Neither a page link nor a file the output check reads: only a
        // script URL in them is worth a word.
        let html = "<div>\n<object data=\"missing.svg\"></object>\n\
                    <svg><use xlink:href=\"sprite.svg#icon\"/></svg>\n</div>\n";
        let body = render_alone(html);
        assert!(body.diagnostics.is_empty(), "{:#?}", body.diagnostics);
        assert_eq!(body.html, html);
    }

    #[test]
    fn raw_html_split_by_a_tab_or_followed_by_text_is_placed_where_written() {
        let placed = |md: &str| -> Vec<(&'static str, Option<usize>, Option<usize>)> {
            let body = render_alone(md);
            body.diagnostics
                .iter()
                .map(|d| (d.code, d.line, d.column))
                .collect()
        };
        // The body starts at line 3 of its file. A tab a quote or a list
        // takes part of is spaces in the HTML, a tab in the source.
        assert_eq!(
            placed(
                "- <div>\n\t<a\n\t\thref=\"javascript:x()\"\n\t\tonclick=\"y()\">go</a>\n\t</div>\n"
            ),
            [
                ("javascript-url", Some(5), Some(3)),
                ("event-handler", Some(6), Some(3))
            ]
        );
        assert_eq!(
            placed("> <div\n>\tonclick=\"x\">\n> </div>\n"),
            [("event-handler", Some(4), Some(3))]
        );
        assert_eq!(
            placed("> <div>\n> <img\n>\tsrc=\"pic.png\">\n> </div>\n"),
            [("broken-link", Some(5), Some(3))]
        );
        // Indented HTML, and HTML after a tab a quote or a list split.
        for (md, line, column) in [
            ("   <div><a href=\"nowhere.md\">x</a></div>\n", 3, 12),
            ("> \t<div onk1=1>\n", 3, 9),
            ("- a\n\n  \t<div onk1=1>\n", 5, 9),
        ] {
            let found = placed(md);
            assert_eq!(
                (found[0].1, found[0].2),
                (Some(line), Some(column)),
                "{md:?}"
            );
        }
        // A tag inside an attribute's value is text, wherever the tab.
        assert_eq!(
            placed("> <div title=\"tip:\n>\t<a href='o.md'>\">\n> </div>\n"),
            []
        );
        // Inline HTML over two lines, with text after it on the last.
        for md in [
            "> text <a\n> href=\"javascript:y()\">link</a> more\n",
            "> text <a\r\n> href=\"javascript:y()\">link</a> more\r\n",
            "> text <a\n> href=\"javascript:y()\">link</a> href=\"javascript:y()\">\n",
        ] {
            assert_eq!(placed(md), [("javascript-url", Some(4), Some(3))], "{md:?}");
        }
        assert_eq!(
            placed("- a\n  - b\n    - text <a\n      href=\"javascript:y()\">y</a> z\n"),
            [("javascript-url", Some(6), Some(7))]
        );
        assert_eq!(
            placed("> text <span\n> title=\"\u{1F600}\" onload=\"1\">s</span> z\n"),
            [("event-handler", Some(4), Some(13))]
        );
    }

    #[test]
    fn raw_html_lines_not_found_in_the_source_are_placed_at_their_line() {
        // Its column then counts bytes of the HTML, so it may fall inside
        // a character of the source line: it is moved back to its start.
        let markdown = "a\n> b\n\u{20AC}zz\n";
        let place = RawPlace::of(markdown, &[0, 2, 6, 12], "b\nqq\n", 4..12);
        let offsets: Vec<usize> = (0..4).map(|at| place.offset(markdown, at)).collect();
        assert_eq!(offsets, [4, 5, 6, 6]);
    }

    #[test]
    fn task_list_boxes_are_labelled() {
        let body = render_alone("- [x] Done thing\n- [ ] Open thing\n");
        assert!(
            body.html.contains("checked aria-label=\"done\""),
            "{}",
            body.html
        );
        assert!(
            body.html.contains("aria-label=\"not done\""),
            "{}",
            body.html
        );
    }

    #[test]
    fn gfm_alerts_become_labelled_notes() {
        let body = render_alone("> [!TIP]\n> Ask the customer.\n");
        assert!(
            body.html.contains("class=\"alert alert-tip\""),
            "{}",
            body.html
        );
        assert!(body.html.contains("Ask the customer."));
    }
}

//! Theme layers: a site rebrands by overriding the design tokens alone, adds
//! rules in a part of its own, or replaces the whole stylesheet.

use crate::common::*;

/// The one stylesheet of a built site, and its file name.
fn stylesheet(built: &Built) -> (String, String) {
    let dir = built.out.join("static");
    let name = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("style.") && n.ends_with(".css"))
        .expect("a stylesheet");
    let css = built.file(&format!("static/{name}"));
    (name, css)
}

fn site_with_theme(files: &[(&'static str, &'static str)]) -> TestSite {
    let mut all = small_site();
    all.retain(|(p, _)| *p != "book.toml");
    all.push((
        "book.toml",
        "[book]\ntitle = \"Test playbook\"\n[build]\ntheme = \"brand\"\n",
    ));
    all.extend_from_slice(files);
    TestSite::new(&all)
}

#[test]
fn overriding_the_tokens_file_alone_rebrands_the_site() {
    let default_site = TestSite::new(&small_site());
    let (default_name, default_css) = stylesheet(&default_site.build());
    let brand_site = site_with_theme(&[(
        "themes/brand/css/tokens.css",
        ":root {\n  --accent: #7a1fa2;\n}\n",
    )]);
    let brand = brand_site.build();
    let (name, css) = stylesheet(&brand);
    assert_ne!(name, default_name, "a changed stylesheet gets a new name");
    assert!(
        css.starts_with(":root {\n  --accent: #7a1fa2;\n}\n"),
        "{css:.200}"
    );
    let default_tokens = default_css
        .find("/* 2. Base")
        .expect("the default stylesheet has its base part");
    assert_eq!(
        css[css.find("/* 2. Base").unwrap()..],
        default_css[default_tokens..],
        "every other part, and the code colours, stay as they were"
    );
    let page = brand.page("roles/driver/");
    assert_eq!(
        page.select("link[rel=stylesheet]")[0].value().attr("href"),
        Some(format!("../../static/{name}").as_str())
    );
}

#[test]
fn a_part_of_its_own_comes_after_the_default_parts() {
    let site = site_with_theme(&[("themes/brand/css/zz-extra.css", ".brand { color: red; }\n")]);
    let (_, css) = stylesheet(&site.build());
    let extra = css
        .find(".brand { color: red; }")
        .expect("extra rules joined");
    assert!(extra > css.find("/* 15. Print").unwrap());
    assert!(
        extra < css.find(".hl-code").unwrap(),
        "code colours stay last"
    );
}

#[test]
fn a_whole_stylesheet_in_static_replaces_the_parts() {
    let site = site_with_theme(&[("themes/brand/static/style.css", "body { margin: 0; }\n")]);
    let (_, css) = stylesheet(&site.build());
    assert!(css.starts_with("body { margin: 0; }\n"));
    assert!(!css.contains("/* 2. Base"));
}

#[test]
fn a_template_printing_the_whole_context_is_named_with_its_line() {
    // tera's dump of everything a template is given comes out in a new
    // order on every build: the page it is on would change every time.
    let story = "{% extends \"base.html\" %}\n{% block content %}\n<pre>{{ __tera_context }}</pre>\n{% endblock content %}\n";
    let mut files = small_site();
    files.push(("templates/story.html", story));
    let warnings = TestSite::new(&files).warnings();
    let dumps: Vec<_> = warnings
        .iter()
        .filter(|w| w.code == "context-dump")
        .collect();
    assert_eq!(dumps.len(), 1, "{warnings:#?}");
    assert_eq!(dumps[0].file, "templates/story.html");
    assert_eq!(dumps[0].line, Some(3));
    let plain = TestSite::new(&small_site()).warnings();
    assert!(plain.iter().all(|w| w.code != "context-dump"), "{plain:#?}");
}

//! The integration tests, linked once as one binary (`cargo test --test it`).
//! Each module is one area of behaviour; `common` holds the helpers they
//! share: inline test sites, an HTTP client for `serve`, and a WebDriver
//! client for the browser tests. `tests/README.md` says how to add one.

// The helpers are shared inside this one binary; `pub` is their plain
// spelling here, not an API (the library's `unreachable_pub` is for src/).
#![allow(unreachable_pub)]

#[macro_use]
mod common;

mod book_nav;
mod browser_accessibility;
mod browser_navigation;
mod browser_pages;
mod browser_pictures;
mod browser_reload;
mod browser_search;
mod build_output;
mod changes;
mod cli;
mod code_blocks;
mod cross_links;
mod dates;
mod diagnostics;
mod existing_markdown;
mod export;
mod incremental;
mod links;
mod loading;
mod loading_property;
mod module_order;
mod output_check;
mod page_links;
mod pages;
mod pictures;
#[cfg(unix)] // the action's install script is bash; its Windows path runs on GitHub
mod publish_install;
mod publish_lint;
mod publish_nginx;
mod search_folding;
mod search_ranking;
mod serve;
mod serve_limits;
mod site_folders;
mod theme;
mod translations;

//! The pages of the site before any is rendered: where each goes, which
//! template renders it and whose body it shows, so that checking the
//! output can render only the pages it must (`linkcheck::sampled`).

use rayon::prelude::*;

use super::{Job, PageRenderer, RenderInput, Rendered, Theme, jobs, site_view};
use crate::diagnostics::Diagnostic;
use crate::model::EntityKey;
use crate::output::OutputFile;

/// One page the site will have.
pub(crate) struct PlannedPage {
    /// Its output path (`roles/a/index.html`).
    pub out: String,
    /// The entity whose Markdown body it shows, as rendered for this page.
    pub shows: Option<EntityKey>,
    /// The template of a page made once per entity (`role.html`); `None`
    /// for a page of its own (home, lists, journey …).
    pub repeated: Option<&'static str>,
    job: Job,
}

/// Every page of the site, ready to render any of them on demand.
pub(crate) struct PageSet<'a> {
    pages: Vec<PlannedPage>,
    renderer: PageRenderer<'a>,
    theme: &'a Theme,
}

impl<'a> PageSet<'a> {
    pub(crate) fn new(theme: &'a Theme, input: &'a RenderInput<'a>) -> PageSet<'a> {
        let site = input.site;
        let pages = jobs(site)
            .into_iter()
            .map(|job| {
                let (shows, repeated) = match &job {
                    Job::Entity(key) => (Some(key.clone()), Some(key.kind.info().template)),
                    Job::Onboarding(_) => (None, Some("onboarding.html")),
                    _ => (None, None),
                };
                PlannedPage {
                    out: job.out_path(site),
                    shows,
                    repeated,
                    job,
                }
            })
            .collect();
        let site_view = site_view(theme, input.config, site);
        PageSet {
            pages,
            renderer: PageRenderer::new(theme, input, &site_view, false),
            theme,
        }
    }

    pub(crate) fn pages(&self) -> &[PlannedPage] {
        &self.pages
    }

    /// The pages at these indices of [`PageSet::pages`], rendered in parallel.
    pub(crate) fn render(&self, indices: &[usize]) -> Result<Vec<OutputFile>, Diagnostic> {
        indices
            .par_iter()
            .map(|&i| {
                let job = &self.pages[i].job;
                Ok(self.renderer.remembered(job, 0, None)?.file)
            })
            .collect()
    }

    /// What `render_site` makes, with no page rendered: the theme's static
    /// files kept, and the path of every page and data file.
    pub(crate) fn unrendered(&self) -> Rendered {
        let pages = self.pages.iter().map(|page| page.out.clone());
        let data = Self::data_paths().map(String::from);
        Rendered {
            files: self.theme.statics.clone(),
            sunk: pages.chain(data).collect(),
            fresh: 0,
        }
    }

    /// The paths of the files `render_site` makes besides the pages and
    /// the theme's static files.
    pub(crate) fn data_paths() -> [&'static str; 4] {
        [
            super::ACCOUNTABILITY_CSV,
            super::FEED,
            super::PLAYBOOK,
            super::SITEMAP,
        ]
    }
}

#!/usr/bin/env bash
# Mutation testing: how many ways the model, validation, links and search
# tokeniser can be broken while every fast test stays green. Runs
# cargo-mutants one file at a time, in place, and prints a table
# file | mutants | caught | missed | unviable | timeout. See bench/README.md.
#
#   bench/mutants.sh [NAME...]     default: every target below, in order
#
# NAME is a target's label (`validate`, `model/ids`, `linkcheck`, …).
#
# Environment:
#   TIMEOUT=90      seconds a mutant's tests may take before it counts as a timeout
#   OUT=bench/results/mutants   one cargo-mutants output folder per target
#   BASELINE=skip   do not first check, per target, that its tests pass unmutated
#   ITERATE=1       skip what the last run in OUT caught or found unviable
#                   (after adding tests, or to resume a stopped run); the
#                   table counts them as before
#   MORE_TESTS="incremental::"   more test-name filters for every target:
#                   with ITERATE=1, a second pass that gives the mutants
#                   the fast modules missed to slower ones (the property
#                   test of incremental builds takes ~40 s a run)
#
# In place means one mutant at a time (-j 1) and no copy of target/: each
# mutant costs one incremental build, in the `mutants` profile (Cargo.toml:
# no debug info, so the test binaries link faster). It edits src/ in place
# and restores it after each mutant, so it refuses to start with
# uncommitted changes in src/, and nothing should edit the tree while it
# runs (a half-saved test file makes every later mutant "unviable"). The browser, publish and serve tests are skipped:
# they need a browser or a server and cost minutes per mutant.
set -euo pipefail
shopt -s inherit_errexit

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
TIMEOUT=${TIMEOUT:-90}
OUT=${OUT:-$BENCH_DIR/results/mutants}

# label | tests | file | regex of mutant names (empty: every mutant of the file)
# tests: `lib` for the unit-test binary, then name filters (`pages::`…)
# that apply to both binaries: the file's own unit-test module
# (`model::date::`) and the integration-test modules that exercise it. A
# mutant costs one build and one run of these.
TARGETS=(
    "validate|diagnostics:: pages:: cli:: loading::|src/validate.rs|"
    "model/kinds|lib model::kinds:: pages:: site_folders:: search_folding::|src/model/kinds.rs|"
    "model/graph|pages:: existing_markdown:: cross_links::|src/model/graph.rs|"
    "model/ids|lib model::ids:: loading:: diagnostics:: site_folders:: cross_links::|src/model/ids.rs|"
    "model/mod|pages:: loading:: site_folders:: diagnostics::|src/model/mod.rs|"
    "model/date|lib model::date:: dates::|src/model/date.rs|"
    "linkcheck|lib linkcheck:: links:: cli:: existing_markdown::|src/linkcheck.rs|"
    "markdown/links|lib markdown:: links:: cross_links:: existing_markdown::|src/markdown/links.rs|"
    "markdown heading ids|lib markdown:: links:: existing_markdown::|src/markdown/mod.rs|slug|heading_attributes|unique_anchor|close_heading"
    "load/title heading ids|lib load::title:: markdown:: links:: existing_markdown::|src/load/title.rs|heading_id|is_combining_mark"
    "search/tokenise|lib search:: search_folding:: search_ranking::|src/search/tokenise.rs|"
    "output|lib output:: build_output:: site_folders::|src/output.rs|"
    "render/planned|output_check:: links::|src/render/planned.rs|"
    "linkcheck/sampled|lib linkcheck:: output_check:: links::|src/linkcheck/sampled.rs|"
    "incremental/bodies|lib incremental:: incremental:: code_blocks::|src/incremental/bodies.rs|"
    "bodies colour|lib incremental:: code_blocks::|src/incremental/bodies.rs|colour_code|Body::shared|render_bodies"
    "markdown/highlight|lib markdown:: code_blocks::|src/markdown/highlight.rs|colour_pending|colour_distinct|put_in_place|marker"
    "linkcheck resolve|lib linkcheck:: links:: output_check:: cli::|src/linkcheck.rs|resolve|target_of"
    "linkcheck/written|lib linkcheck:: links:: output_check:: cli::|src/linkcheck/written.rs|ScannedPage|NameTable"
    "linkcheck/written near|lib linkcheck:: links:: output_check:: cli::|src/linkcheck/written.rs|climbs_out|depth_of|Names|Near"
    "linkcheck read attributes|lib linkcheck:: links:: output_check::|src/linkcheck.rs|is_read|role_of"
    "normalise|lib markdown:: linkcheck:: links:: cross_links:: existing_markdown:: output_check::|src/markdown/links.rs|normalise"
    "render/memo playbook|lib render:: export:: build_output:: incremental::|src/render/memo.rs|playbook"
    "render_site|lib render:: export:: build_output:: pages:: translations::|src/render/mod.rs|render_site"
    "markdown/tags|lib markdown:: links:: existing_markdown:: output_check::|src/markdown/tags.rs|visit_start_tags|start_tag"
    "markdown/tags start_tag|lib markdown:: links:: existing_markdown:: output_check:: linkcheck::|src/markdown/tags.rs|in start_tag$"
    "tag bytes|lib markdown:: links:: existing_markdown:: output_check:: linkcheck::|src/markdown/tags.rs|fn skip|fn until|next_less_than|find_byte|raw_text|classes"
    "model/graph reorder|lib model::graph:: incremental::|src/model/graph.rs|reorder_pages"
    "render/export reuse|incremental:: links::|src/render/export.rs|Parts::refresh|Parts::bytes"
    "resolve within|incremental:: loading:: diagnostics:: cross_links::|src/resolve.rs|resolve_within|Resolver.*::within|Resolver.*::reference"
    "validate refreshed|lib validate:: incremental::|src/validate.rs|refreshed|overdue_reviews"
    "clashes nested|loading:: incremental::|src/clashes.rs|nested_errors|source_of"
    "model/graph move|lib model::graph:: incremental::|src/model/graph.rs|move_pages|page_place"
    "search/memo cards|lib search::|src/search/memo.rs|among_cards"
    "render/memo shown|lib render::memo incremental::|src/render/memo.rs|Shown|PageMemo::stale"
    "sitemap|lib render:: build_output:: book_nav::|src/render/mod.rs|sitemap"
    "incremental/pages naming|incremental::|src/incremental/pages.rs|bodies_naming|addable"
    "bodies leaves|lib incremental:: incremental::|src/incremental/bodies.rs|leaves"
    "nav folders|pages:: book_nav:: existing_markdown::|src/render/nav.rs|page_folders|top_pages"
    "link index shape|lib markdown:: incremental::|src/markdown/links.rs|LinkIndex::insert|LinkIndex::remove|LinkIndex::shape"
    "fingerprint serialized|lib fingerprint:: incremental::|src/fingerprint.rs|fingerprint_serialized"
    "render page value|lib render:: incremental:: pages:: book_nav::|src/render/mod.rs|render_template|page_value|freed_aside_if_large|drop_aside"
    "tags references|lib markdown::tags:: links:: output_check::|src/markdown/tags.rs|decode_references|decode_numbers|character_of|srcset_urls|is_javascript_url"
    "raw html|lib markdown:: links:: output_check::|src/markdown/mod.rs|raw_html|RawPlace|place_line|line_text|Renderer<'a>::run|rebased_srcset|warn_base"
    "event handler|lib markdown:: links::|src/markdown/tags.rs|is_event_handler"
    "printable|lib diagnostics:: cli::|src/diagnostics.rs|printable|render_human|Source|around_column"
    "not content|loading::|src/load/parse.rs|content_in_other_case|entity_yaml_not_read|front_matter_below_blank_lines"
    "front matter|lib load::frontmatter:: loading::|src/load/frontmatter.rs|"
    "includes|lib markdown::includes:: existing_markdown::|src/markdown/includes.rs|holds_include|place|Output|expand"
    "output destination|lib output:: site_folders:: cli::|src/output.rs|check_destination|resolve_existing"
    "linkcheck locate|lib linkcheck:: output_check:: links:: cli::|src/linkcheck.rs|locate|line_of|visit_links"
    "views link pages|lib render:: incremental:: pages:: book_nav::|src/render/views.rs|link_pages|link_with"
    "two steps|lib incremental::|src/incremental/later.rs|"
    "resolve drafts pages|lib resolve:: build_output:: loading:: diagnostics:: pages::|src/resolve.rs|drop_drafts|resolve_pages|resolve_with|for_pages"
    "render words|translations::|src/render/words.rs|register|plain_words"
    "first step|incremental::|src/render/mod.rs|render_update_first|render_later|render_stale|new_files"
    "delta then|incremental::|src/incremental/mod.rs|Delta::then"
    "graph relink|lib model::graph:: incremental::|src/model/graph.rs|relink_role|take_out|put_in_order"
    "graph stages|lib model::graph:: pages::|src/model/graph.rs|link_stages"
    "validate rules|lib validate:: incremental::|src/validate.rs|Rule::reads|Rule::run|refreshed"
    "render/memo kinds|lib render::memo incremental::|src/render/memo.rs|Kinds|globals|PageMemo::apply"
    "bodies contains|lib incremental::|src/incremental/bodies.rs|contains_ignoring_case|leaves_text"
    "plain nested|lib load::fields:: loading::|src/load/fields.rs|plainly_known|NestedEntries|is_blank"
    "search words|lib search:: search_folding::|src/search/tokenise.rs|for_each_word|term_weights"
    "search excerpt|lib search::|src/search/records.rs|excerpt|after_chars"
    "quick hash|lib fingerprint:: linkcheck::|src/fingerprint.rs|Quick"
    "output stream|lib output:: build_output:: export::|src/output.rs|stream|link_if_same_as_staged"
    "export stream|export:: build_output::|src/render/export.rs|write_playbook|fn playbook"
    "open stamped|lib load::memo:: loading::|src/load/memo.rs|open_stamped|open_unfollowed|read_text"
    "syntaxes early|lib markdown::highlight:: code_blocks::|src/markdown/highlight.rs|load_syntaxes_for"
    "text excerpt|lib render::text:: pages::|src/render/text.rs|paragraphs|fn excerpt"
    "template syntax|lib markdown::|src/markdown/mod.rs|template_syntax"
)
# `--skip` matches anywhere in a test's name: no other test may hold
# `browser_` or `publish_` (tests/it/main.rs checks it).
SKIP=(--skip browser_ --skip publish_ --skip serve:: --skip serve_limits::)

log() { printf '%s\n' "$*" >&2; }
die() { log "mutants.sh: $*"; exit 1; }
count() { if [[ -f $1 ]]; then grep -c . "$1" || true; else echo 0; fi; }

cd "$ROOT"
command -v cargo-mutants >/dev/null || die "cargo-mutants is missing: cargo install cargo-mutants --locked"
git diff --quiet -- src || die "src/ has uncommitted changes; mutants would run on them and be restored over them"

wanted=("$@")
selected=()
for t in "${TARGETS[@]}"; do
    label=${t%%|*}
    if [[ ${#wanted[@]} -eq 0 ]] || printf '%s\n' "${wanted[@]}" | grep -qxF "$label"; then
        selected+=("$t")
    fi
done
[[ ${#selected[@]} -gt 0 ]] || die "no target named ${wanted[*]}"

rows=()
baseline=${BASELINE:-run}
started=$(date +%s)
for t in "${selected[@]}"; do
    IFS='|' read -r label tests file regex <<<"$t"
    read -ra filters <<<"$tests ${MORE_TESTS:-}"
    # --cargo-arg reaches the build too: only these test binaries are built.
    binaries=(--cargo-arg=--test=it)
    if [[ ${filters[0]} == lib ]]; then
        binaries+=(--cargo-arg=--lib)
        filters=("${filters[@]:1}")
    fi
    dir=$OUT/${label// /-}
    filter=()
    if [[ ${ITERATE:-0} == 1 && -d $dir/mutants.out ]]; then
        filter+=(--iterate)
        # --iterate skips what the last run caught or found unviable.
        cat "$dir/mutants.out/caught.txt" >>"$dir/caught-before.txt"
        cat "$dir/mutants.out/unviable.txt" >>"$dir/unviable-before.txt"
    else
        rm -rf "$dir"
    fi
    mkdir -p "$dir"
    [[ -n $regex ]] && filter+=(--re "$regex")
    log "== $label ($file${regex:+, $regex}; tests: $tests ${MORE_TESTS:-}), load $(cut -d' ' -f1-3 /proc/loadavg)"
    t0=$(date +%s)
    # Exit 2 means mutants were missed, 3 timeouts: both are results here.
    rc=0
    nice -n 19 cargo mutants --in-place --profile mutants --no-shuffle --timeout "$TIMEOUT" \
        --baseline "$baseline" --file "$file" "${filter[@]}" --output "$dir" "${binaries[@]}" \
        -- -- "${filters[@]}" "${SKIP[@]}" >&2 || rc=$?
    [[ $rc -eq 0 || $rc -eq 2 || $rc -eq 3 ]] || die "cargo mutants failed on $label (exit $rc)"
    m=$dir/mutants.out
    caught=$(($(count "$m/caught.txt") + $(count "$dir/caught-before.txt"))) missed=$(count "$m/missed.txt")
    unviable=$(($(count "$m/unviable.txt") + $(count "$dir/unviable-before.txt"))) timeout=$(count "$m/timeout.txt")
    rows+=("| $label | $((caught + missed + unviable + timeout)) | $caught | $missed | $unviable | $timeout | $(($(date +%s) - t0)) s |")
    if [[ -s $m/missed.txt ]]; then sed 's/^/  missed: /' "$m/missed.txt" >&2; fi
done

echo "| file | mutants | caught | missed | unviable | timeout | time |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${rows[@]}"
echo "total $(($(date +%s) - started)) s, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

// Search for Touchstone sites: a sharded index under search/, fetched piece by
// piece. A query loads the term shards for its words (t/<hex>.json) and the
// fragments of the results it shows (d/<n>.json), nothing else.
// fold() and stem() mirror src/search.rs exactly.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "./";
  // The stemmer is English; other languages match by folding and prefixes alone.
  var english = ((script && script.getAttribute("data-lang")) || "en").toLowerCase().indexOf("en") === 0;
  var base = root + "search/";
  var KINDS = { standard: "Standard", mantra: "Mantra", role: "Role", persona: "Persona", moment: "Moment", story: "Story", page: "Guide", stage: "Stage" };
  var PLURALS = { standard: "Standards", mantra: "Mantras", role: "Roles", persona: "Personas", moment: "Moments", story: "Stories", page: "Guides", stage: "Stages" };
  var KIND_ORDER = ["standard", "mantra", "role", "persona", "moment", "story", "page", "stage"];

  function fold(word) {
    return word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/ı/g, "i").replace(/ø/g, "o").replace(/ł/g, "l").replace(/đ/g, "d");
  }

  function stem(word) {
    if (!english || word.length <= 3 || !/^[a-z]+$/.test(word)) { return word; }
    var w = word, n = w.length;
    if ((/ies$/.test(w) || /ied$/.test(w)) && n > 4) { w = w.slice(0, -3) + "y"; }
    else if (/ing$/.test(w) && n >= 6) { w = w.slice(0, -3); }
    else if (/ed$/.test(w) && n >= 5) { w = w.slice(0, -2); }
    else if (/s$/.test(w) && !/(ss|us|is)$/.test(w)) { w = w.slice(0, -1); }
    if (/e$/.test(w) && w.length > 4) { w = w.slice(0, -1); }
    n = w.length;
    if (n > 4 && w[n - 1] === w[n - 2] && "aeiouylsz".indexOf(w[n - 1]) < 0) { w = w.slice(0, -1); }
    return w;
  }

  function words(text) {
    return text.split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(fold);
  }

  function shardKey(term) {
    var bytes = new TextEncoder().encode(Array.from(term).slice(0, 2).join(""));
    return Array.from(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  // A failed request is tried once more; a shard that is not there means no
  // term starts with those letters.
  function getJson(url, missing) {
    function once() {
      return fetch(url).then(function (r) {
        if (r.ok) { return r.json(); }
        if (r.status === 404 && missing !== undefined) { return missing; }
        throw new Error(url + ": " + r.status);
      });
    }
    return once().catch(function () { return once(); });
  }

  var shards = {};
  function shard(term) {
    var key = shardKey(term);
    if (!shards[key]) {
      shards[key] = getJson(base + "t/" + key + ".json", {}).catch(function (e) { delete shards[key]; throw e; });
    }
    return shards[key];
  }

  // Result fragments come PER_FILE to a file (FRAGMENTS_PER_FILE in search.rs).
  var PER_FILE = 16;
  var buckets = {};
  function fragment(doc) {
    var bucket = Math.floor(doc / PER_FILE);
    if (!buckets[bucket]) {
      buckets[bucket] = getJson(base + "d/" + bucket + ".json").catch(function (e) { delete buckets[bucket]; throw e; });
    }
    return buckets[bucket].then(function (list) { return list[doc % PER_FILE]; });
  }

  // One slip (a letter missing, extra, wrong or two letters swapped) apart.
  function oneEditApart(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) { return false; }
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) { i++; }
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // Each query word matches its stem exactly; the word being typed also
  // matches every term it begins ("onboard" finds "onboarding"). A word of
  // four letters or more that matches nothing finds the terms one slip away
  // ("refnd" finds "refund"): its shard holds every term that starts with
  // the same two letters, so a typo after them costs no extra download.
  function query(text, kind, limit) {
    var raw = words(text).filter(function (w) { return w.length >= 2; });
    if (!raw.length) { return Promise.resolve({ results: [], terms: [] }); }
    var typing = !/\s$/.test(text);
    var near = [];
    return Promise.all(raw.map(function (word, i) {
      var term = stem(word);
      return shard(term).then(function (terms) {
        var hits = {};
        var all = Object.keys(terms);
        var names = all.filter(function (t) {
          return t === term || (typing && i === raw.length - 1 && (t.indexOf(word) === 0 || t.indexOf(term) === 0));
        }).slice(0, 40);
        var weight = function (name) { return name === term ? 1 : 0.6; };
        if (!names.length && word.length >= 4) {
          names = all.filter(function (t) { return oneEditApart(t, term) || oneEditApart(t, word); }).slice(0, 10);
          weight = function () { return 0.5; };
          near = near.concat(names);
        }
        names.forEach(function (name) {
          var list = terms[name];
          var exact = weight(name);
          for (var j = 0; j < list.length; j += 3) {
            var k = KIND_ORDER[list[j + 2]];
            if (kind && k !== kind) { continue; }
            var w = list[j + 1] * exact;
            if (!hits[list[j]] || hits[list[j]] < w) { hits[list[j]] = w; }
          }
        });
        return hits;
      });
    })).then(function (perWord) {
      var scores = {};
      var all = Object.keys(perWord[0] || {}).filter(function (doc) {
        return perWord.every(function (h) { return h[doc] !== undefined; });
      });
      if (all.length) {
        all.forEach(function (doc) { scores[doc] = perWord.reduce(function (s, h) { return s + h[doc]; }, 0); });
      } else {
        perWord.forEach(function (h) { Object.keys(h).forEach(function (doc) { scores[doc] = (scores[doc] || 0) + h[doc] / 2; }); });
      }
      var ranked = Object.keys(scores).sort(function (a, b) { return scores[b] - scores[a] || a - b; }).slice(0, limit);
      return Promise.all(ranked.map(fragment)).then(function (results) {
        results = results.filter(Boolean);
        return { results: results, terms: raw.map(stem).concat(near), prefix: typing ? raw[raw.length - 1] : null };
      });
    });
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }

  // Wraps the words that matched the query in <mark>.
  function highlight(text, found) {
    return text.split(/([\p{L}\p{N}]+)/u).map(function (part) {
      if (!/[\p{L}\p{N}]/u.test(part)) { return escapeHtml(part); }
      var f = fold(part), s = stem(f);
      var hit = found.terms.indexOf(s) >= 0 || (found.prefix && f.indexOf(found.prefix) === 0);
      return hit ? "<mark>" + escapeHtml(part) + "</mark>" : escapeHtml(part);
    }).join("");
  }

  function debounce(fn, ms) {
    var timer;
    return function () { var args = arguments; clearTimeout(timer); timer = setTimeout(function () { fn.apply(null, args); }, ms); };
  }

  function resultUrl(r) { return root + r.u; }

  // --- the box in every page's header: a WAI-ARIA combobox -------------------
  function setupCombobox(input) {
    var form = input.form;
    var list = document.createElement("ul");
    list.id = "search-suggestions";
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var active = -1;
    var latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function options() { return list.querySelectorAll("[role=option]"); }

    function activate(i) {
      var opts = options();
      if (!opts.length) { return; }
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }

    var run = debounce(function () {
      var text = input.value;
      var ticket = ++latest;
      if (!text.trim()) { close(); return; }
      query(text, null, 8).catch(function () { return { results: [], terms: [], failed: true }; }).then(function (found) {
        if (ticket !== latest) { return; }
        list.innerHTML = "";
        if (!found.results.length) {
          var none = document.createElement("li");
          none.className = "search-none";
          none.setAttribute("role", "presentation");
          none.textContent = found.failed ? "Search could not load its index. Try again in a moment." :
            "No results for “" + text.trim() + "”. Try fewer or shorter words.";
          list.appendChild(none);
        }
        found.results.forEach(function (r, i) {
          var li = document.createElement("li");
          li.id = "search-option-" + i;
          li.setAttribute("role", "option");
          li.setAttribute("aria-selected", "false");
          li.dataset.url = resultUrl(r);
          li.innerHTML = '<span class="search-kind kind-' + escapeHtml(r.k) + '">' + escapeHtml(KINDS[r.k] || r.k) + "</span> " +
            '<span class="search-title">' + highlight(r.t, found) + "</span>" +
            (r.f ? ' <span class="search-facet">' + escapeHtml(r.f) + "</span>" : "");
          li.addEventListener("mousedown", function (e) { e.preventDefault(); location.href = li.dataset.url; });
          list.appendChild(li);
        });
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        active = -1;
      });
    }, 120);

    input.addEventListener("input", run);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); activate(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); activate(active - 1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter") {
        var opts = options();
        if (active >= 0 && opts[active]) { e.preventDefault(); location.href = opts[active].dataset.url; }
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(function () { if (document.activeElement !== input) { close(); } }, 150);
    });
  }

  // --- the /search/ page: ?q= runs the query, with kind filters --------------
  function setupSearchPage(input, out) {
    var params = new URLSearchParams(location.search);
    var kind = params.get("kind") || "";
    input.value = params.get("q") || "";
    var filters = document.createElement("div");
    filters.className = "search-filters";
    filters.setAttribute("role", "group");
    filters.setAttribute("aria-label", "Filter by kind");
    [""].concat(KIND_ORDER.slice(0, 7)).forEach(function (k) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "filter";
      b.dataset.kind = k;
      b.textContent = k ? PLURALS[k] : "All";
      b.setAttribute("aria-pressed", k === kind ? "true" : "false");
      b.addEventListener("click", function () { kind = k; render(); });
      filters.appendChild(b);
    });
    out.parentNode.insertBefore(filters, out);

    function render() {
      filters.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", b.dataset.kind === kind ? "true" : "false"); });
      var text = input.value;
      var url = new URL(location.href);
      url.searchParams.set("q", text);
      if (kind) { url.searchParams.set("kind", kind); } else { url.searchParams.delete("kind"); }
      history.replaceState(null, "", url);
      if (!text.trim()) { out.innerHTML = ""; return; }
      query(text + " ", kind || null, 50).catch(function () {
        out.innerHTML = '<p class="search-none">Search could not load its index. Check your connection and try again.</p>';
        return null;
      }).then(function (found) {
        if (!found) { return; }
        if (!found.results.length) {
          out.innerHTML = '<p class="search-none">No results for “' + escapeHtml(text.trim()) + "”" + (kind ? " among " + escapeHtml(PLURALS[kind].toLowerCase()) : "") +
            '. Try fewer or shorter words, another spelling, or browse the <a href="' + root + 'standards/">standards</a> and <a href="' + root + 'roles/">roles</a>.</p>';
          return;
        }
        out.innerHTML = '<p class="search-count">' + found.results.length + (found.results.length === 50 ? "+ results" : found.results.length === 1 ? " result" : " results") + "</p>" +
          '<ol class="search-results">' + found.results.map(function (r) {
            return '<li class="search-result"><span class="search-kind kind-' + escapeHtml(r.k) + '">' + escapeHtml(KINDS[r.k] || r.k) + "</span> " +
              '<a href="' + escapeHtml(resultUrl(r)) + '">' + highlight(r.t, found) + "</a>" +
              (r.f ? ' <span class="search-facet">' + escapeHtml(r.f) + "</span>" : "") +
              (r.x ? '<p class="search-snippet">' + highlight(r.x, found) + "</p>" : "") + "</li>";
          }).join("") + "</ol>";
      }).catch(function (e) {
        out.innerHTML = '<p class="search-none">Search failed: ' + escapeHtml(e && e.message || e) + "</p>";
      });
    }
    input.form.addEventListener("submit", function (e) { e.preventDefault(); render(); });
    input.addEventListener("input", debounce(render, 200));
    render();
  }

  function start() {
    var box = document.getElementById("search-input");
    if (box && box.form) { setupCombobox(box); }
    var pageInput = document.getElementById("search-page-input");
    var out = document.getElementById("search-results");
    if (pageInput && out) { setupSearchPage(pageInput, out); }
  }

  window.touchstoneSearch = { query: query, stem: stem, fold: fold, oneEditApart: oneEditApart };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();

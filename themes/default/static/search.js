// Search for Touchstone sites: a sharded index under search/, fetched piece by
// piece. A query loads meta.json (the kinds), the term shards for its words
// (t/<hex>.json, which carry the cards of a common word's best results) and,
// only for results no shard carries, their cards (d/<n>.json); the search
// page adds the snippets of the results in view (x/<n>.json).
// fold() and stem() mirror src/search/tokenise.rs exactly.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "./";
  // The stemmer is English; other languages match by folding and prefixes alone.
  var english = ((script && script.getAttribute("data-lang")) || "en").toLowerCase().indexOf("en") === 0;
  var base = root + "search/";

  // The site's words in its language: touchstone.js (loaded first) reads them.
  function say(key, args) {
    return window.Touchstone.say(key, args);
  }

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

  // The kinds, from the site's kind table: [{code, name, label, plural}] in
  // navigation order, and the postings cap and cards per file.
  var meta = null;
  function loadMeta() {
    if (!meta) {
      meta = getJson(base + "meta.json").then(function (m) {
        m.byCode = {};
        m.byName = {};
        m.kinds.forEach(function (k) { m.byCode[k.code] = k; m.byName[k.name] = k; });
        return m;
      }).catch(function (e) { meta = null; throw e; });
    }
    return meta;
  }

  // Cards ([url, title, kind code, facet]) by doc, from every shard loaded so
  // far: a common word's best results come with its shard.
  var known = {};
  var shards = {};
  function shard(term) {
    var key = shardKey(term);
    if (!shards[key]) {
      shards[key] = getJson(base + "t/" + key + ".json", { c: {}, t: {} }).then(function (s) {
        Object.keys(s.c).forEach(function (doc) { known[doc] = s.c[doc]; });
        return s.t;
      }).catch(function (e) { delete shards[key]; throw e; });
    }
    return shards[key];
  }

  var SHOWN = 8; // results in the header box
  var PAGE = 20; // results per page of the search page
  // Cards and snippets come PER_FILE doc ids to a file, null where no doc is
  // (SLOTS_PER_FILE in search/layout.rs).
  var PER_FILE = 64;
  var files = {};
  function grouped(dir, doc) {
    var key = dir + "/" + Math.floor(doc / PER_FILE);
    if (!files[key]) {
      files[key] = getJson(base + key + ".json").catch(function (e) { delete files[key]; throw e; });
    }
    return files[key].then(function (list) { return list[doc % PER_FILE]; });
  }

  // The results for the given docs: a card from a loaded shard when one
  // carries it, else from its card file.
  function cardsOf(docs) {
    return loadMeta().then(function (m) {
      return Promise.all(docs.map(function (doc) {
        var card = known[doc] ? Promise.resolve(known[doc]) : grouped("d", doc);
        return card.then(function (c) {
          if (!c) { return null; }
          var k = m.byCode[c[2]] || { name: "page", label: "" };
          return { doc: doc, u: c[0], t: c[1], k: k.name, label: k.label, f: c[3] };
        });
      }));
    }).then(function (results) { return results.filter(Boolean); });
  }

  // Adds each result's snippet (r.x): only the search page shows them.
  function withSnippets(results) {
    return Promise.all(results.map(function (r) {
      return grouped("x", r.doc).then(function (x) { r.x = x || ""; return r; });
    }));
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
  // Resolves to { docs: every matching doc, best first; capped: whether a
  // word had more results than the index keeps; terms and prefix to
  // highlight }. `kind` (a kind's name) keeps only results of that kind.
  function query(text, kind) {
    var raw = words(text).filter(function (w) { return w.length >= 2; });
    if (!raw.length) { return Promise.resolve({ docs: [], terms: [] }); }
    var typing = !/\s$/.test(text);
    var loads = [loadMeta()].concat(raw.map(function (word) { return shard(stem(word)); }));
    return Promise.all(loads).then(function (loaded) {
      var m = loaded[0];
      var code = kind ? (m.byName[kind] || { code: -1 }).code : null;
      var found = { capped: false, near: [] };
      var perWord = raw.map(function (word, i) {
        return hitsOf(word, loaded[i + 1], typing && i === raw.length - 1, code, m.cap, found);
      });
      return {
        docs: ranked(perWord), capped: found.capped,
        terms: raw.map(stem).concat(found.near), prefix: typing ? raw[raw.length - 1] : null
      };
    });
  }

  // One query word's matches in its shard: doc -> best weight.
  function hitsOf(word, terms, last, code, cap, found) {
    var term = stem(word);
    var hits = {};
    var all = Object.keys(terms);
    var names = all.filter(function (t) {
      return t === term || (last && (t.indexOf(word) === 0 || t.indexOf(term) === 0));
    }).slice(0, 40);
    var weight = function (name) { return name === term ? 1 : 0.6; };
    if (!names.length && word.length >= 4) {
      names = all.filter(function (t) { return oneEditApart(t, term) || oneEditApart(t, word); }).slice(0, 10);
      weight = function () { return 0.5; };
      found.near = found.near.concat(names);
    }
    names.forEach(function (name) {
      var list = terms[name];
      var exact = weight(name);
      if (list.length / 3 >= cap) { found.capped = true; }
      for (var j = 0; j < list.length; j += 3) {
        if (code !== null && list[j + 2] !== code) { continue; }
        var w = list[j + 1] * exact;
        if (!hits[list[j]] || hits[list[j]] < w) { hits[list[j]] = w; }
      }
    });
    return hits;
  }

  // Docs every word matched; if none, any word's, halved. Each word adds the
  // square root of its weight, so a page that matches every word well (the
  // moment "Visiting a store") beats one that matches one word very well
  // and the others barely (the role "Store manager", for "visiting a store").
  function ranked(perWord) {
    var scores = {};
    var all = Object.keys(perWord[0] || {}).filter(function (doc) {
      return perWord.every(function (h) { return h[doc] !== undefined; });
    });
    if (all.length) {
      all.forEach(function (doc) { scores[doc] = perWord.reduce(function (s, h) { return s + Math.sqrt(h[doc]); }, 0); });
    } else {
      perWord.forEach(function (h) { Object.keys(h).forEach(function (doc) { scores[doc] = (scores[doc] || 0) + Math.sqrt(h[doc]) / 2; }); });
    }
    return Object.keys(scores).sort(function (a, b) { return scores[b] - scores[a] || a - b; }).map(Number);
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
    list.setAttribute("aria-label", say("search_results"));
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
      query(text, null).then(function (found) {
        return cardsOf(found.docs.slice(0, SHOWN)).then(function (results) { found.results = results; return found; });
      }).catch(function () { return { results: [], terms: [], failed: true }; }).then(function (found) {
        if (ticket !== latest) { return; }
        list.innerHTML = "";
        if (!found.results.length) {
          var none = document.createElement("li");
          none.className = "search-none";
          none.setAttribute("role", "presentation");
          none.textContent = found.failed ? say("search_unavailable") :
            say("search_no_results", { query: text.trim() });
          list.appendChild(none);
        }
        found.results.forEach(function (r, i) {
          var li = document.createElement("li");
          li.id = "search-option-" + i;
          li.setAttribute("role", "option");
          li.setAttribute("aria-selected", "false");
          li.dataset.url = resultUrl(r);
          li.innerHTML = '<span class="search-kind kind-' + escapeHtml(r.k) + '">' + escapeHtml(r.label) + "</span> " +
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
    filters.setAttribute("aria-label", say("search_filter"));
    out.parentNode.insertBefore(filters, out);
    var plurals = {};
    var latest = 0;

    function addFilter(name, text) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "filter";
      b.dataset.kind = name;
      b.textContent = text;
      b.setAttribute("aria-pressed", name === kind ? "true" : "false");
      b.addEventListener("click", function () { kind = name; render(); });
      filters.appendChild(b);
    }

    function count(found) {
      var n = found.docs.length;
      return escapeHtml(say(found.capped ? "search_count_capped" : "search_count", { count: n }));
    }

    function resultHtml(found) {
      return function (r) {
        return '<li class="search-result"><span class="search-kind kind-' + escapeHtml(r.k) + '">' + escapeHtml(r.label) + "</span> " +
          '<a href="' + escapeHtml(resultUrl(r)) + '">' + highlight(r.t, found) + "</a>" +
          (r.f ? ' <span class="search-facet">' + escapeHtml(r.f) + "</span>" : "") +
          (r.x ? '<p class="search-snippet">' + highlight(r.x, found) + "</p>" : "") + "</li>";
      };
    }

    // Shows the next page of results: their cards and snippets are fetched
    // only now, so "Show more" costs a few small files.
    function showFrom(found, list, more, start, ticket) {
      var docs = found.docs.slice(start, start + PAGE);
      return cardsOf(docs).then(withSnippets).then(function (results) {
        if (ticket !== latest) { return; }
        list.insertAdjacentHTML("beforeend", results.map(resultHtml(found)).join(""));
        var next = start + PAGE;
        more.hidden = next >= found.docs.length;
        more.onclick = function () { showFrom(found, list, more, next, ticket); };
      });
    }

    function render() {
      filters.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", b.dataset.kind === kind ? "true" : "false"); });
      var text = input.value;
      var ticket = ++latest;
      var url = new URL(location.href);
      url.searchParams.set("q", text);
      if (kind) { url.searchParams.set("kind", kind); } else { url.searchParams.delete("kind"); }
      history.replaceState(null, "", url);
      if (!text.trim()) { out.innerHTML = ""; return; }
      query(text + " ", kind || null).catch(function () {
        out.innerHTML = '<p class="search-none">' + escapeHtml(say("search_offline")) + "</p>";
        return null;
      }).then(function (found) {
        if (!found || ticket !== latest) { return; }
        if (!found.docs.length) {
          var args = { query: escapeHtml(text.trim()), standards: escapeHtml(root + "standards/"), roles: escapeHtml(root + "roles/") };
          if (kind) { args.kind = escapeHtml(plurals[kind] || kind); }
          out.innerHTML = '<p class="search-none">' + say(kind ? "search_none_among_html" : "search_none_html", args) + "</p>";
          return;
        }
        out.innerHTML = '<p class="search-count">' + count(found) + '</p><ol class="search-results"></ol>' +
          '<button type="button" class="button search-more" hidden>' + escapeHtml(say("search_more")) + "</button>";
        return showFrom(found, out.querySelector(".search-results"), out.querySelector(".search-more"), 0, ticket);
      }).catch(function (e) {
        out.innerHTML = '<p class="search-none">' + escapeHtml(say("search_failed", { error: e && e.message || e })) + "</p>";
      });
    }
    input.form.addEventListener("submit", function (e) { e.preventDefault(); render(); });
    input.addEventListener("input", debounce(render, 200));
    loadMeta().then(function (m) {
      addFilter("", say("search_all"));
      m.kinds.forEach(function (k) { plurals[k.name] = k.among; addFilter(k.name, k.plural); });
    }).catch(function () { /* render() says the index could not load */ });
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

/* Touchstone default theme: small progressive enhancements.
 *
 * Every feature is optional: the site works without this file. Each section
 * below is independent and wrapped so that one failure cannot stop the rest.
 * No dependencies; works under any sub-path (the script tag's data-root is
 * the relative path to the site root, exposed as Touchstone.root).
 *
 *   1. Search shortcut    "/" or Ctrl-K / Cmd-K focuses the search box
 *   2. Onboarding         ticks saved in localStorage, progress, print button
 *   3. Matrix columns     marks the cells under unowned / shared moments
 *   4. Section nav        keeps the current section in view on phones
 *   5. File system        links to index.html when opened from disk
 *   6. Printed pages      the date printed and the page's address
 *   7. On this page       marks the section being read; hidden on short pages
 *   8. Journey chart      the legend highlights one persona's curve
 *   9. Story filter       shows only the stories of one sentiment
 *  10. Wide tables        a table that scrolls sideways can be reached by keyboard
 *
 * Search itself lives in its own file.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "./";

  var Touchstone = (window.Touchstone = window.Touchstone || {});
  Touchstone.root = root;

  // The site's words in its language, from the JSON the page carries
  // (`script.touchstone-words`): say("search_count", { count: 3 }) -> "3 results".
  var messages = null;
  function say(key, args) {
    if (!messages) {
      messages = {};
      Array.prototype.forEach.call(document.querySelectorAll("script.touchstone-words"), function (el) {
        try {
          var found = JSON.parse(el.textContent);
          Object.keys(found).forEach(function (k) { messages[k] = found[k]; });
        } catch (e) { /* a message it lacks shows as its key */ }
      });
    }
    args = args || {};
    var text = messages[key];
    if (text && typeof text === "object") {
      var n = args.count;
      text = n === 1 || (n === 0 && messages.plural_zero_is_one) ? text.one : text.other;
    }
    return String(text || key).replace(/\{([a-z_]+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : all;
    });
  }

  Touchstone.say = say;

  function safely(name, fn) {
    try {
      fn();
    } catch (err) {
      if (window.console && console.warn) {
        console.warn("touchstone: " + name + " disabled:", err);
      }
    }
  }

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  /* Storage that never throws (private mode, disabled storage, quota). */
  var storage = {
    read: function (key) {
      try {
        var raw = window.localStorage.getItem(key);
        var value = raw ? JSON.parse(raw) : null;
        return value && typeof value === "object" && !Array.isArray(value) ? value : {};
      } catch (err) {
        return {};
      }
    },
    write: function (key, value) {
      try {
        window.localStorage.setItem(key, JSON.stringify(value));
        return true;
      } catch (err) {
        return false;
      }
    },
  };
  Touchstone.storage = storage;

  /* 1. Search shortcut ------------------------------------------------ */

  function isTyping(el) {
    if (!el || el === document.body) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    var type = (el.getAttribute("type") || "text").toLowerCase();
    return ["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"].indexOf(type) === -1;
  }

  function searchShortcut() {
    /* Capture phase: runs before the search box's own key handling. */
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.isComposing) return;
      var input = document.getElementById("search-input");
      if (!input) return;
      var active = document.activeElement;

      if (event.key === "Escape" && active === input) {
        /* The first Escape closes open suggestions (search.js); the next leaves the box. */
        if (input.getAttribute("aria-expanded") !== "true") input.blur();
        return;
      }

      var slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey;
      var commandK =
        (event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey) && !event.altKey;
      if (!slash && !commandK) return;
      if (active === input || isTyping(active)) return;

      event.preventDefault();
      input.focus();
      if (input.select) input.select();
    }, true);
  }

  /* 2. Onboarding checklist ------------------------------------------ */

  function onboarding() {
    var paths = document.querySelectorAll(".onboarding[data-storage-key]");
    Array.prototype.forEach.call(paths, function (path) {
      var key = path.getAttribute("data-storage-key");
      var boxes = path.querySelectorAll('input[type="checkbox"][data-item]');
      var progress = path.querySelector(".progress");
      var state = storage.read(key);

      function update() {
        var done = 0;
        Array.prototype.forEach.call(boxes, function (box) {
          if (box.checked) done += 1;
        });
        var total = boxes.length;
        if (progress) {
          progress.textContent = total ? say("progress", { done: done, total: total }) : "";
          progress.style.setProperty("--progress", total ? Math.round((done / total) * 100) + "%" : "0%");
        }
        if (total && done === total) {
          path.setAttribute("data-complete", "");
        } else {
          path.removeAttribute("data-complete");
        }
      }

      /* Ticks are kept by item (`standard:tell-us-once`). Ticks saved by
       * position (`standard-2`) before that are carried over once. */
      var has = function (k) { return Object.prototype.hasOwnProperty.call(state, k); };
      var carried = false;
      Array.prototype.forEach.call(boxes, function (box) {
        var legacy = box.getAttribute("data-legacy");
        var item = box.getAttribute("data-item");
        if (legacy && !has(item) && has(legacy)) {
          state[item] = state[legacy];
          carried = true;
        }
      });
      if (carried) {
        Array.prototype.forEach.call(boxes, function (box) {
          delete state[box.getAttribute("data-legacy")];
        });
        storage.write(key, state);
      }

      Array.prototype.forEach.call(boxes, function (box) {
        var item = box.getAttribute("data-item");
        if (has(item)) {
          box.checked = state[item] === true;
        }
        box.addEventListener("change", function () {
          state = storage.read(key);
          state[item] = box.checked;
          storage.write(key, state);
          update();
        });
      });

      /* Another tab ticked something: follow it. */
      window.addEventListener("storage", function (event) {
        if (event.key !== key) return;
        state = storage.read(key);
        Array.prototype.forEach.call(boxes, function (box) {
          box.checked = state[box.getAttribute("data-item")] === true;
        });
        update();
      });

      update();
    });

    var printers = document.querySelectorAll("[data-print]");
    Array.prototype.forEach.call(printers, function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        window.print();
      });
    });
  }

  /* 3. Accountability matrix columns ---------------------------------- */

  /* Only the column headers say which moments are unowned or shared; copy
   * that to every cell below so the whole column stands out. */
  function matrixColumns() {
    var tables = document.querySelectorAll("table.matrix");
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.querySelectorAll("thead th.moment-col");
      if (!heads.length) return;
      var flags = Array.prototype.map.call(heads, function (th) {
        var list = [];
        if (th.classList.contains("unowned")) list.push("col-unowned");
        if (th.classList.contains("shared")) list.push("col-shared");
        return list;
      });
      if (!flags.some(function (list) { return list.length; })) return;

      var rows = table.querySelectorAll("tbody tr, tfoot tr");
      Array.prototype.forEach.call(rows, function (row) {
        if (row.classList.contains("team-row")) return;
        var cells = row.querySelectorAll("td");
        for (var i = 0; i < flags.length && i < cells.length; i++) {
          for (var j = 0; j < flags[i].length; j++) cells[i].classList.add(flags[i][j]);
        }
      });
    });
  }

  /* 4. Section nav ----------------------------------------------------- */

  /* On narrow screens the nav is one row that scrolls sideways: make sure the
   * current section is visible without moving the page. */
  function currentNavItem() {
    var current = document.querySelector('.site-nav a[aria-current="page"]');
    if (!current) return;
    var list = current.closest("ul");
    if (!list || list.scrollWidth <= list.clientWidth) return;
    var left = current.offsetLeft - list.offsetLeft;
    var right = left + current.offsetWidth;
    if (left < list.scrollLeft || right > list.scrollLeft + list.clientWidth) {
      list.scrollLeft = Math.max(0, left - (list.clientWidth - current.offsetWidth) / 2);
    }
  }

  /* 5. Opened from the file system ------------------------------------- */

  /* Pages are folders with an index.html; a browser showing files from disk
   * does not open index.html by itself, so links get it added. Search needs
   * fetch(), which browsers refuse on file://, so the search page says so. */
  function fileSystem() {
    if (location.protocol !== "file:") return;
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^[a-z]+:/i.test(href) || href.charAt(0) === "#") return;
      var parts = href.split("#");
      if (/\/$/.test(parts[0]) || parts[0] === "" || parts[0] === "." ) {
        parts[0] = (parts[0] === "." ? "./" : parts[0]) + "index.html";
        a.setAttribute("href", parts.join("#"));
      }
    });
    document.querySelectorAll("form[role=search]").forEach(function (form) {
      var action = form.getAttribute("action");
      if (action && /\/$/.test(action)) form.setAttribute("action", action + "index.html");
    });
    var results = document.getElementById("search-results");
    if (results) {
      var note = document.createElement("p");
      note.className = "search-none";
      note.textContent = say("search_from_file");
      results.parentNode.insertBefore(note, results);
    }
  }

  /* 6. Printed pages ------------------------------------------------- */

  /* A printed sheet says where it came from and when: the page's address
   * and today's date, filled in when the page loads and again on printing. */
  function printedPages() {
    var date = document.querySelector(".print-meta .print-date");
    var url = document.querySelector(".print-meta .print-url");
    if (!date || !url) return;
    function stamp() {
      var lang = document.documentElement.lang || undefined;
      var today = new Date().toLocaleDateString(lang, { year: "numeric", month: "long", day: "numeric" });
      date.textContent = " · " + say("printed", { date: today });
      url.textContent = " · " + location.href.split("#")[0];
    }
    stamp();
    window.addEventListener("beforeprint", stamp);
  }

  /* 7. On this page ---------------------------------------------------- */

  /* The menu marks the section being read: the last one whose heading has
   * scrolled past the top third of the window. */
  function onThisPage() {
    var menu = document.querySelector("[data-toc]");
    if (!menu) return;
    /* A page shorter than two screens needs no menu. */
    if (document.documentElement.scrollHeight < window.innerHeight * 2) {
      menu.hidden = true;
      if (menu.parentNode.classList) menu.parentNode.classList.add("without-toc");
      return;
    }
    var links = Array.prototype.slice.call(menu.querySelectorAll('a[href^="#"]'));
    var targets = links.map(function (a) {
      return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    });
    var current = null;
    function follow() {
      var line = window.innerHeight / 3;
      var found = -1;
      for (var i = 0; i < targets.length; i++) {
        if (targets[i] && targets[i].getBoundingClientRect().top <= line) found = i;
      }
      var link = found >= 0 ? links[found] : null;
      if (link === current) return;
      if (current) current.removeAttribute("aria-current");
      if (link) link.setAttribute("aria-current", "location");
      current = link;
    }
    var queued = false;
    window.addEventListener("scroll", function () {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(function () {
        queued = false;
        follow();
      });
    }, { passive: true });
    window.addEventListener("resize", follow);
    follow();
  }

  /* 8. Journey chart --------------------------------------------------- */

  /* Pointing at (or focusing) a persona in the legend, or at a curve,
   * brings that persona's curve forward and dims the others. */
  function journeyChart() {
    var charts = document.querySelectorAll("[data-curves]");
    Array.prototype.forEach.call(charts, function (chart) {
      function highlight(persona) {
        if (persona) {
          chart.setAttribute("data-highlight", persona);
        } else {
          chart.removeAttribute("data-highlight");
        }
        var marked = chart.querySelectorAll("[data-persona]");
        Array.prototype.forEach.call(marked, function (el) {
          el.classList.toggle("is-highlighted", !!persona && el.getAttribute("data-persona") === persona);
        });
      }
      var pointers = chart.querySelectorAll(".legend [data-persona], .curve-group[data-persona]");
      Array.prototype.forEach.call(pointers, function (el) {
        var persona = el.getAttribute("data-persona");
        el.addEventListener("mouseenter", function () { highlight(persona); });
        el.addEventListener("mouseleave", function () { highlight(null); });
        el.addEventListener("focusin", function () { highlight(persona); });
        el.addEventListener("focusout", function () { highlight(null); });
      });
    });
  }

  /* 9. Story filter ---------------------------------------------------- */

  /* The stories list gets buttons that show only loved, hated or mixed
   * stories; without this script every story shows. */
  function storyFilter() {
    var list = document.querySelector("[data-sentiment-filter]");
    if (!list) return;
    var cards = list.querySelectorAll("[data-sentiment]");
    var counts = { "": cards.length };
    Array.prototype.forEach.call(cards, function (card) {
      var s = card.getAttribute("data-sentiment");
      counts[s] = (counts[s] || 0) + 1;
    });
    var labels = [["", say("stories_all")], ["love", say("stories_loved")], ["hate", say("stories_hated")], ["mixed", say("stories_mixed")]];
    var group = document.createElement("div");
    group.className = "story-filters";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", say("stories_filter"));
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    function show(sentiment) {
      Array.prototype.forEach.call(cards, function (card) {
        card.hidden = !!sentiment && card.getAttribute("data-sentiment") !== sentiment;
      });
      Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-value") === sentiment ? "true" : "false");
      });
      var n = counts[sentiment] || 0;
      status.textContent = say("stories_shown", { count: n });
    }
    labels.forEach(function (pair) {
      if (pair[0] && !counts[pair[0]]) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "filter";
      b.setAttribute("data-value", pair[0]);
      b.textContent = pair[1] + " (" + counts[pair[0]] + ")";
      b.addEventListener("click", function () { show(pair[0]); });
      group.appendChild(b);
    });
    list.parentNode.insertBefore(group, list);
    list.parentNode.insertBefore(status, list);
    show("");
    status.textContent = "";
  }

  /* 10. Wide tables -------------------------------------------------- */

  /* A Markdown table wider than a phone scrolls in place; a keyboard user
   * needs to be able to focus it to scroll it. */
  function wideTables() {
    var tables = document.querySelectorAll(".prose table");
    if (!tables.length) return;
    function mark() {
      Array.prototype.forEach.call(tables, function (table) {
        if (table.scrollWidth > table.clientWidth + 1) {
          table.setAttribute("tabindex", "0");
        } else {
          table.removeAttribute("tabindex");
        }
      });
    }
    mark();
    window.addEventListener("resize", mark);
  }

  ready(function () {
    safely("file system", fileSystem);
    safely("wide tables", wideTables);
    safely("printed pages", printedPages);
    safely("on this page", onThisPage);
    safely("journey chart", journeyChart);
    safely("story filter", storyFilter);
    safely("search shortcut", searchShortcut);
    safely("onboarding", onboarding);
    safely("matrix", matrixColumns);
    safely("nav", currentNavItem);
  });
})();

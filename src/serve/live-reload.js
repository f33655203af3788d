// Live reload for `touchstone serve`: reload after each good build that changed
// this page (keeping the scroll position), show build errors as an overlay
// until the next good build.
(function () {
  "use strict";
  var KEY = "touchstone:scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(KEY);
    if (saved !== null) {
      sessionStorage.removeItem(KEY);
      window.addEventListener("load", function () { window.scrollTo(0, parseInt(saved, 10) || 0); });
    }
  } catch (e) { /* storage may be unavailable */ }

  function overlay(errors) {
    var box = document.getElementById("touchstone-errors");
    if (!box) {
      box = document.createElement("div");
      box.id = "touchstone-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:99999;" +
        "background:#3b0d0d;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;border-radius:8px;box-shadow:0 8px 30px rgba(0,0,0,.4)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "Build failed — showing the last good version of this page";
    box.appendChild(title);
    var list = document.createElement("ul");
    errors.filter(function (d) { return d.severity === "error"; }).forEach(function (d) {
      var li = document.createElement("li");
      var where = d.file ? d.file + (d.line ? ":" + d.line : "") + (d.column ? ":" + d.column : "") + " — " : "";
      li.textContent = where + d.message + (d.hint ? " (hint: " + d.hint + ")" : "");
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  // A rebuild names the pages it changed ({"pages": [...]}, addresses as
  // served); a page not among them is already current. Without a list
  // ({}), every page reloads.
  function named(data) {
    var pages;
    try { pages = JSON.parse(data).pages; } catch (e) { return true; }
    if (!pages) { return true; }
    var here = location.pathname;
    try { here = decodeURI(here); } catch (e) { /* keep it as sent */ }
    here = here.replace(/index\.html$/, "");
    // A page written as `notes.html.md` lives at `notes.html/`, and is
    // served at `notes.html` too.
    return pages.indexOf(here) >= 0 || pages.indexOf(here + "/") >= 0;
  }

  var source = null;
  function connect() {
    source = new EventSource("/__touchstone/events");
    source.addEventListener("reload", function (event) {
      if (!named(event.data)) { return; }
      try { sessionStorage.setItem(KEY, String(window.scrollY)); } catch (e) { /* ignore */ }
      location.reload();
    });
    source.addEventListener("build-error", function (event) {
      try { overlay(JSON.parse(event.data)); } catch (e) { overlay([]); }
    });
    // EventSource reconnects by itself (retry: 500) after a server restart;
    // on reconnect, the page may be stale, so reload once the server is back.
    var lost = false;
    source.onerror = function () { lost = true; };
    source.onopen = function () { if (lost) { location.reload(); } };
  }

  fetch("/__touchstone/errors.json").then(function (r) { return r.json(); }).then(function (errors) {
    if (errors.length) { overlay(errors); }
  }).catch(function () { /* not fatal */ });
  connect();
  // Close the stream when the page is left: a browser opens only six
  // connections per server, and streams of pages kept for the back button
  // would otherwise hold them until new pages stall. Reopen on return.
  window.addEventListener("pagehide", function () { if (source) { source.close(); source = null; } });
  window.addEventListener("pageshow", function (event) { if (event.persisted && !source) { connect(); } });
})();

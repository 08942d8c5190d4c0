// The group's page for when the Wi-Fi goes: start the service worker (offline-worker.js) that keeps
// the page on this phone; on a copy it served, say so and since when, and once the server answers
// again load the page anew (workspace.js brings back and saves what was typed meanwhile). On the
// join page, a device without a seat: forget any kept page, as the phone may have changed hands.
// Browsers without service workers (or on plain http off localhost) get none of this, and the
// page works as it always did.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  var worker = script.dataset.worker;
  var scope = script.dataset.scope;
  var container = navigator.serviceWorker;

  var SEEN = "facilitator:seen:";
  if (script.hasAttribute("data-forget")) {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key && key.indexOf(SEEN) === 0) localStorage.removeItem(key);
      }
    } catch (e) { /* no storage, nothing kept there */ }
    container.getRegistration(scope).then(function (registration) {
      if (registration && registration.active) registration.active.postMessage({ forget: true });
    }).catch(function () { /* nothing kept */ });
    return;
  }

  var notice = document.getElementById("offline-copy");
  var workspace = document.getElementById("workspace");
  if (!notice || !workspace) return;
  var data = workspace.dataset;
  var seenKey = SEEN + data.workshop + ":" + data.group + ":" + data.me;
  // workspace.js keeps what is typed but not yet saved under this prefix, one key per field.
  var draftPrefix = "facilitator:draft:" + data.workshop + ":" + data.group + ":";
  var lang = document.documentElement.lang || "en";
  var keptAt = Number(document.documentElement.getAttribute("data-kept-at") || 0);
  var REFOCUS = "facilitator:offline-refocus";
  var RELOADS = "facilitator:offline-reloads";

  function session(key, value) {
    try {
      if (value === undefined) return JSON.parse(sessionStorage.getItem(key) || "null");
      if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* private mode: no caret kept, one reload pace */ }
    return null;
  }

  function files() {
    var nodes = document.querySelectorAll('script[src], link[rel="stylesheet"][href], link[rel="icon"][href]');
    return Array.prototype.map.call(nodes, function (node) { return node.src || node.href; });
  }

  var controlled = !!container.controller;
  var lastKept = Date.now();
  container.register(worker, { scope: scope }).then(function () {
    return container.ready;
  }).then(function (registration) {
    // A page that did not come through the worker (its first visit) is kept now.
    var page = controlled || keptAt ? null : window.location.href;
    registration.active.postMessage({ files: files(), page: page });
    // Locking the phone is often when the Wi-Fi goes: keep the page as it is now, at most once a minute.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "hidden" || keptAt || Date.now() - lastKept < 60000) return;
      lastKept = Date.now();
      registration.active.postMessage({ page: window.location.href });
    });
  }).catch(function () { /* no worker (storage off, say): the page works without it */ });

  function stored(key, value) {
    try {
      if (value === undefined) return JSON.parse(localStorage.getItem(key) || "null");
      localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* private mode or full storage: the kept copy shows the page as it was kept */ }
    return null;
  }

  // The stages as this phone shows them now (a teammate's text, a stage opened since the page
  // loaded), for the kept copy to show instead of its older ones. A field with a draft keeps the
  // text it came with, so that workspace.js still finds the draft unsaved and saves it.
  function remember() {
    var list = workspace.querySelector(".stage-list");
    if (!list) return;
    var copy = list.cloneNode(true);
    var inputs = list.querySelectorAll(".answer-input");
    var copies = copy.querySelectorAll(".answer-input");
    for (var i = 0; i < inputs.length && i < copies.length; i++) {
      var field = inputs[i].closest(".answer-field");
      if (!field || stored(draftPrefix + field.dataset.field) !== null) continue;
      if (inputs[i].tagName === "TEXTAREA") copies[i].textContent = inputs[i].value;
      else if (inputs[i].tagName === "SELECT") {
        for (var j = 0; j < copies[i].options.length; j++) {
          if (j === inputs[i].selectedIndex) copies[i].options[j].setAttribute("selected", "");
          else copies[i].options[j].removeAttribute("selected");
        }
      } else copies[i].setAttribute("value", inputs[i].value);
    }
    stored(seenKey, { at: Date.now(), html: copy.outerHTML });
  }

  function when(time) {
    var kept = new Date(time);
    var options = { hour: "2-digit", minute: "2-digit" };
    if (kept.toDateString() !== new Date().toDateString()) { options.day = "numeric"; options.month = "long"; }
    return new Intl.DateTimeFormat(lang, options).format(kept);
  }

  if (!keptAt) {
    session(RELOADS, null);
    window.addEventListener("pagehide", remember);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") remember();
    });
    // Back from a copy: the caret where it was (workspace.js has put the draft back by now).
    var refocus = session(REFOCUS);
    session(REFOCUS, null);
    if (refocus) {
      window.addEventListener("load", function () {
        var field = document.getElementById(refocus.id);
        if (!field || !field.classList.contains("answer-input")) return;
        field.focus();
        if (field.setSelectionRange && typeof refocus.end === "number") {
          var end = Math.min(refocus.end, field.value.length);
          field.setSelectionRange(Math.min(refocus.start, end), end);
        }
      });
    }
    return;
  }

  // This is the kept copy: the stages as last seen (before htmx and workspace.js start on them),
  // and a notice that says so, in place of the shorter "no connection" line.
  var seen = stored(seenKey);
  var shown = workspace.querySelector(".stage-list");
  if (seen && seen.at > keptAt && typeof seen.html === "string" && shown) {
    shown.outerHTML = seen.html;
    keptAt = seen.at;
  }
  // No live stream from a copy: it would only fail and retry; the page is loaded anew once back.
  workspace.removeAttribute("sse-connect");
  notice.textContent = notice.dataset.message.replace("%(time)s", when(keptAt));
  notice.hidden = false;
  var connection = document.getElementById("connection-status");
  if (connection) connection.hidden = true;

  function reloadNow() {
    var active = document.activeElement;
    if (active && active.id && active.classList.contains("answer-input")) {
      session(REFOCUS, { id: active.id, start: active.selectionStart, end: active.selectionEnd });
    }
    session(RELOADS, (session(RELOADS) || 0) + 1);
    window.location.reload();
  }

  // Back: first let workspace.js save what was typed here (its drafts go once saved), so that the
  // page loaded anew already has it: a save still on its way as the page is read would come back
  // as a conflict with the same text. Text that cannot be saved (a closed stage) waits no more
  // than a few seconds: its draft survives the reload.
  function unsaved() {
    var fields = workspace.querySelectorAll(".answer-field");
    for (var i = 0; i < fields.length; i++) {
      if (stored(draftPrefix + fields[i].dataset.field) !== null) return true;
    }
    return false;
  }
  function reloadOnceSaved(deadline) {
    if (!unsaved() || Date.now() > deadline) reloadNow();
    else setTimeout(function () { reloadOnceSaved(deadline); }, 250);
  }

  // Ask the server every few seconds (and at once when the phone says it is online); after a
  // reload that brought the copy again, ask less often.
  var pace = Math.min(5000 * Math.pow(2, session(RELOADS) || 0), 60000);
  var timer = null, back = false;
  function probe(event) {
    clearTimeout(timer);
    fetch(worker, { cache: "no-store", credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { timer = setTimeout(probe, pace); return; }
      if (back) return;
      back = true;
      // The phone may never have said it was offline (the router is up, the laptop was not):
      // tell workspace.js now rather than at its next retry, which could cross the reload.
      if (!event || event.type !== "online") window.dispatchEvent(new Event("online"));
      reloadOnceSaved(Date.now() + 10000);
    }, function () { timer = setTimeout(probe, pace); });
  }
  window.addEventListener("online", probe);
  timer = setTimeout(probe, pace);
})();

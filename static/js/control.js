// The control room. htmx does the fetching and the server the rendering; this file only:
// 1. turns the stream of saves (many a second while groups type) into calm refreshes of the
//    answer views: at once, then at most once a second, and always once after the last save;
// 2. keeps what a facilitator is typing (and which disclosures are open) when a region refreshes;
// 3. says so when the stream drops, and when an action found its target gone;
// 4. opens the presenter in a window of its own, on the other screen where the browser can say
//    where that is, and wires the keyboard shortcuts (P, ?; see static/js/shortcuts.js).
(function () {
  "use strict";
  var room = document.getElementById("control-room");
  if (!room) return;
  var words = room.dataset;
  var status = document.getElementById("control-status");
  var connection = document.getElementById("control-connection");

  // 1. Saves: throttle with a trailing refresh, so the last save of a burst is always shown.
  var WINDOW_MS = 1000;
  var lastRefresh = 0;
  var pending = null;
  function refreshAnswers() {
    pending = null;
    lastRefresh = Date.now();
    htmx.trigger(document.body, "answers-changed");
  }
  room.addEventListener("sse:answer-saved", function () {
    if (pending) return;
    pending = setTimeout(refreshAnswers, Math.max(0, lastRefresh + WINDOW_MS - Date.now()));
  });

  // 2. A live refresh (a GET) must not wipe typing or fold a disclosure someone has open.
  var kept = null;
  function typed(input) {
    if (input.tagName === "SELECT") {
      return Array.prototype.some.call(input.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return input.type !== "hidden" && input.value !== input.defaultValue;
  }
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var config = event.detail.requestConfig;
    if (!target || !room.contains(target) || !config || config.verb !== "get") return;
    kept = { values: {}, open: [], active: null };
    target.querySelectorAll("input, textarea, select").forEach(function (input) {
      if (input.id && typed(input)) kept.values[input.id] = input.value;
    });
    target.querySelectorAll("details[open]").forEach(function (details) {
      if (details.id) kept.open.push(details.id);
    });
    var active = document.activeElement;
    if (active && active.id && target.contains(active) && "selectionStart" in active) {
      try { kept.active = { id: active.id, start: active.selectionStart, end: active.selectionEnd }; }
      catch (e) { kept.active = null; } // inputs such as email have no selection
    }
  });
  document.body.addEventListener("htmx:afterSwap", function () {
    if (!kept) return;
    Object.keys(kept.values).forEach(function (id) {
      var input = document.getElementById(id);
      if (input) input.value = kept.values[id];
    });
    kept.open.forEach(function (id) {
      var details = document.getElementById(id);
      if (details) details.open = true;
    });
    if (kept.active) {
      var input = document.getElementById(kept.active.id);
      if (input) {
        input.focus({ preventScroll: true });
        try { input.setSelectionRange(kept.active.start, kept.active.end); } catch (e) { /* no selection */ }
      }
    }
    kept = null;
  });

  // 2b. A change this page made itself: the region its answer brought is current already, so the
  //     stream's word of it ("<screen> <region>", or a stage change's "origin") does not fetch
  //     that region again.
  function originOf(data) {
    var text = String(data || "");
    if (text.charAt(0) !== "{") return text;
    try { return String(JSON.parse(text).origin || ""); } catch (e) { return ""; }
  }
  ["sse:stages-changed", "sse:timer-changed"].forEach(function (name) {
    room.addEventListener(name, function (event) {
      var said = originOf(event.detail && event.detail.data).split(" ");
      if (said[0] !== room.dataset.screen || !said[1]) return;
      var answered = document.getElementById(said[1]);
      if (answered && answered.contains(event.target)) event.stopPropagation();
    }, true);
  });

  // 3. The stream and failed actions.
  document.body.addEventListener("htmx:sseError", function () {
    connection.textContent = words.reconnecting;
    room.dataset.stream = "lost";
  });
  document.body.addEventListener("htmx:sseOpen", function () {
    connection.textContent = "";
    room.dataset.stream = "open";
  });
  // A refusal htmx does not swap in (409: the workshop moved on; 404: it is gone): show its own
  // words if it has them, then bring every region up to date.
  function refusal(xhr) {
    try {
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var alert = page.querySelector("[role=alert], .field__error");
      return alert ? alert.textContent.trim() : "";
    } catch (e) { return ""; }
  }
  document.body.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (!room.contains(event.detail.elt) || !xhr) return;
    var gone = xhr.status === 404 || xhr.status === 409;
    status.textContent = (gone && refusal(xhr)) || (gone ? words.gone : words.failed);
    if (gone) htmx.trigger(document.body, "control-refresh");
  });

  // 4. The projector. One named window: a second click (or P) brings back the same one, at the
  //    slide it shows, rather than opening another or starting the show over.
  var present = document.getElementById("present-other-screen");
  var hint = document.getElementById("present-hint");
  var NAME = present ? present.target : "";
  var other = null; // the other screen, once the browser said where it is

  function otherScreen(details) {
    var screens = details.screens || [];
    for (var n = 0; n < screens.length; n++) {
      if (screens[n] !== details.currentScreen) return screens[n];
    }
    return null;
  }

  // Chromium's Window Management API: asks once for permission, then says where each screen is.
  function learnScreens() {
    if (typeof window.getScreenDetails !== "function") return Promise.resolve(null);
    return window.getScreenDetails().then(function (details) {
      other = otherScreen(details);
      details.addEventListener("screenschange", function () { other = otherScreen(details); });
      return other;
    }).catch(function () { return null; });
  }

  // Asked before: learn the screens now, so that the window opens there at once.
  if (present && navigator.permissions && typeof window.getScreenDetails === "function") {
    navigator.permissions.query({ name: "window-management" }).then(function (answer) {
      if (answer.state === "granted") learnScreens();
    }).catch(function () { /* no such permission in this browser */ });
  }

  function features(place) {
    if (!place) return "popup,width=1280,height=720";
    return "popup,left=" + place.availLeft + ",top=" + place.availTop +
      ",width=" + place.availWidth + ",height=" + place.availHeight;
  }

  function fit(win, place) {
    try {
      win.moveTo(place.availLeft, place.availTop);
      win.resizeTo(place.availWidth, place.availHeight);
    } catch (e) { /* the browser keeps it where it is */ }
  }

  function sayWhere(placed) {
    if (placed) hint.textContent = hint.dataset.placed;
  }

  function openPresenter() {
    // Opened in the click itself (a popup needs it); "" first, so that an open presenter keeps its slide.
    var win = window.open("", NAME, features(other));
    if (!win) return false; // blocked: the link opens a tab instead
    var fresh = false;
    try { fresh = win.location.href === "about:blank"; } catch (e) { fresh = false; }
    if (fresh) {
      win.location.href = present.href;
      if (other) sayWhere(true);
      else learnScreens().then(function (place) { if (place) { fit(win, place); sayWhere(true); } });
    }
    win.focus();
    return true;
  }

  var openShortcuts = window.FacilitatorShortcuts.setUp("control-shortcuts", "control-shortcuts-button");
  if (present) {
    present.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return; // a tab of their choosing
      if (openPresenter()) event.preventDefault();
    });
  }
  document.addEventListener("keydown", function (event) {
    var key = window.FacilitatorShortcuts.keyOf(event);
    if (key === "p" && present) {
      if (!openPresenter()) present.click();
    } else if (key === "?") {
      openShortcuts();
    } else {
      return;
    }
    event.preventDefault();
  });
})();

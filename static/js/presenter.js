// The presenter view. The server renders every slide with its own Previous/Next links and the
// group picker's links; this file only maps keys (and the footer's buttons) to those links, opens
// the picker and the list of shortcuts, toggles full screen and the timer, and re-fetches the
// slide (at most once a second) when groups save. Which key was meant: static/js/shortcuts.js.
(function () {
  "use strict";
  var root = document.getElementById("presenter");
  if (!root) return;

  var REFRESH_MS = 1000;
  var picker = document.getElementById("group-picker");
  var timerBox = document.getElementById("presenter-timer");
  var announcer = document.getElementById("slide-announcer");
  var status = document.getElementById("presenter-status");
  var texts = document.getElementById("presenter-messages").dataset;
  var TIMER_KEY = "facilitator:presenter-timer";
  var shortcuts = window.FacilitatorShortcuts;
  var timerButton = document.getElementById("presenter-timer-toggle");
  var fullscreenButton = document.getElementById("presenter-fullscreen");
  var openShortcuts = shortcuts.setUp("presenter-shortcuts", "presenter-shortcuts-button");

  function slide() { return document.getElementById("slide"); }

  function follow(id) {
    var link = document.getElementById(id);
    if (!link) return;
    // A slide just swapped in is wired up by htmx a moment later; a quick key must not beat it
    // and follow the plain link (a full reload). process() is a no-op once it is done.
    htmx.process(link);
    link.click();
  }

  // Say it even when the same words come twice in a row.
  function say(node, text) {
    node.textContent = "";
    window.setTimeout(function () { node.textContent = text; }, 60);
  }

  // --- the group picker: a real <dialog>; Escape closes it natively ---------------------------
  function pickerLinks() { return Array.prototype.slice.call(picker.querySelectorAll("a")); }

  function openPicker() {
    var current = slide() ? slide().dataset.group : "";
    var chosen = null;
    pickerLinks().forEach(function (link) {
      if (link.dataset.group === current) {
        link.setAttribute("aria-current", "true");
        chosen = link;
      } else {
        link.removeAttribute("aria-current");
      }
    });
    picker.showModal();
    (chosen || pickerLinks()[0]).focus();
  }

  function movePicker(step) {
    var links = pickerLinks();
    var index = links.indexOf(document.activeElement);
    var next = Math.min(links.length - 1, Math.max(0, index + step));
    links[next].focus();
  }

  picker.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) picker.close();
  });
  document.getElementById("presenter-groups").addEventListener("click", openPicker);

  // The next or previous group, in the picker's order ("all groups" first): its first slide.
  function stepGroup(step) {
    var links = pickerLinks();
    var current = slide() ? slide().dataset.group : "";
    var index = -1;
    links.forEach(function (link, n) { if (link.dataset.group === current) index = n; });
    var next = links[index + step];
    if (!next || index < 0) return;
    htmx.process(next);
    next.click();
  }

  // --- full screen and the timer -------------------------------------------------------------
  function toggleFullscreen() {
    var element = document.documentElement;
    var done = null;
    try {
      if (document.fullscreenElement) done = document.exitFullscreen();
      else if (element.requestFullscreen) done = element.requestFullscreen();
      else say(status, texts.noFullscreen);
    } catch (error) {
      say(status, texts.noFullscreen);
    }
    if (done && done.catch) done.catch(function () { say(status, texts.noFullscreen); });
  }

  document.addEventListener("fullscreenchange", function () {
    fullscreenButton.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
  });
  fullscreenButton.addEventListener("click", toggleFullscreen);

  function showTimer(show, announce) {
    timerBox.hidden = !show;
    timerButton.setAttribute("aria-pressed", show ? "true" : "false");
    try { sessionStorage.setItem(TIMER_KEY, show ? "1" : "0"); } catch (error) { /* not kept: fine */ }
    if (announce) say(status, show ? texts.timerShown : texts.timerHidden);
  }

  try { if (sessionStorage.getItem(TIMER_KEY) === "1") showTimer(true, false); } catch (error) { /* hidden */ }
  timerButton.addEventListener("click", function () { showTimer(timerBox.hidden, true); });

  // --- keys ----------------------------------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (picker.open) {
      if (event.key === "ArrowDown") { movePicker(1); event.preventDefault(); }
      else if (event.key === "ArrowUp") { movePicker(-1); event.preventDefault(); }
      else if (event.key === "Home") { pickerLinks()[0].focus(); event.preventDefault(); }
      else if (event.key === "End") { pickerLinks()[pickerLinks().length - 1].focus(); event.preventDefault(); }
      return;
    }
    var key = shortcuts.keyOf(event);
    if (!key) return;
    var target = event.target;
    // Space and Enter keep their own meaning on buttons and on a chart's "show the numbers".
    var onControl = target.closest && target.closest("button, summary");
    switch (key) {
      case "ArrowRight":
      case "PageDown":
        follow("slide-next");
        break;
      case " ":
        if (onControl) return;
        follow(event.shiftKey ? "slide-prev" : "slide-next");
        break;
      case "ArrowLeft":
      case "PageUp":
        follow("slide-prev");
        break;
      case "ArrowDown":
        stepGroup(1);
        break;
      case "ArrowUp":
        stepGroup(-1);
        break;
      case "g":
        openPicker();
        break;
      case "f":
        toggleFullscreen();
        break;
      case "t":
        showTimer(timerBox.hidden, true);
        break;
      case "?":
        openShortcuts();
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  // --- say which slide is showing, once it changed ---------------------------------------------
  var position = slide() ? slide().dataset.position : "";
  document.body.addEventListener("htmx:afterSettle", function () {
    var current = slide();
    if (!current || current.dataset.position === position) return;
    position = current.dataset.position;
    document.title = current.dataset.pageTitle;
    say(announcer, current.dataset.announce);
  });

  // --- live: groups still editing; refresh the slide, at most once a second -------------------
  var pending = null;
  function refreshSoon() {
    if (pending) return;
    pending = window.setTimeout(function () {
      pending = null;
      var current = slide();
      if (current) htmx.trigger(current, "refresh-slide");
    }, REFRESH_MS);
  }

  root.addEventListener("htmx:sseMessage", function (event) {
    if (!event.target || event.target.id !== "presenter-live") return;
    var message = event.detail || {};
    if (message.type === "answer-saved") {
      // "group:field": only the "all groups" slides and that group's own slides change.
      var group = String(message.data || "").split(":")[0];
      var shown = slide() ? slide().dataset.group : "";
      if (shown && shown !== group) return;
    }
    refreshSoon();
  });
})();

// The presenter view. The server renders every slide with its own Previous/Next links and the
// group picker's links; this file only maps keys to those links, opens the picker, toggles
// full screen and the timer, and re-fetches the slide (at most once a second) when groups save.
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

  function showTimer(show, announce) {
    timerBox.hidden = !show;
    try { sessionStorage.setItem(TIMER_KEY, show ? "1" : "0"); } catch (error) { /* not kept: fine */ }
    if (announce) say(status, show ? texts.timerShown : texts.timerHidden);
  }

  try { if (sessionStorage.getItem(TIMER_KEY) === "1") showTimer(true, false); } catch (error) { /* hidden */ }

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
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select")) return;
    // Space and Enter keep their own meaning on buttons and on a chart's "show the numbers".
    var onControl = target.closest && target.closest("button, summary");
    switch (event.key) {
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
      case "g":
      case "G":
        openPicker();
        break;
      case "f":
      case "F":
        toggleFullscreen();
        break;
      case "t":
      case "T":
        showTimer(timerBox.hidden, true);
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

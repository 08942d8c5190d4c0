// Keyboard shortcuts shared by the control room and the presenter: which key was meant, whether
// a shortcut may fire at all, and the page's list of shortcuts (a <dialog>).
//
// A shortcut never fires while someone types in a field, holds Ctrl/Alt/Cmd, or has a dialog
// open. Single-key shortcuts (letters and "?") can be turned off in the list (WCAG 2.1.4): a
// screen reader's or speech input's own keys then reach the page untouched; the arrows and page
// keys stay. The choice is kept in this browser for every page of the app.
(function () {
  "use strict";
  var STORE = "facilitator:single-key-shortcuts";
  var kept = null; // when the browser keeps nothing (private mode, storage off): this page only

  function singleKeysOn() {
    try { kept = localStorage.getItem(STORE) || kept; } catch (error) { /* use what this page knows */ }
    return kept !== "off";
  }

  function keepSingleKeys(on) {
    kept = on ? "on" : "off";
    try { localStorage.setItem(STORE, kept); } catch (error) { /* kept for this page only */ }
  }

  function typing(target) {
    return !!(target && target.closest &&
      target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])"));
  }

  // The shortcut a key press names: "f", "?", "ArrowRight"… or null when none may fire. A letter
  // is read from the key itself, or from the key's place when the layout is Cyrillic (F is "ф").
  function keyOf(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return null;
    if (typing(event.target) || document.querySelector("dialog[open]")) return null;
    var key = event.key || "";
    var single = key.length === 1 && key !== " ";
    if (single && !/^[a-z]$/i.test(key) && key !== "?") {
      var place = /^Key([A-Z])$/.exec(event.code || "");
      key = place ? place[1] : key;
    }
    if (single && !singleKeysOn()) return null;
    return single ? key.toLowerCase() : key;
  }

  // The list: opened by its button and by "?"; its checkbox turns single keys off and on.
  function setUp(dialogId, buttonId) {
    var dialog = document.getElementById(dialogId);
    var button = document.getElementById(buttonId);
    if (!dialog || !button) return function () {};
    var toggle = dialog.querySelector("[data-single-keys]");
    function open() {
      if (toggle) toggle.checked = singleKeysOn();
      if (!dialog.open) dialog.showModal();
    }
    button.hidden = false;
    button.addEventListener("click", open);
    if (toggle) {
      toggle.addEventListener("change", function () { keepSingleKeys(toggle.checked); });
    }
    return open;
  }

  window.FacilitatorShortcuts = { keyOf: keyOf, setUp: setUp };
})();

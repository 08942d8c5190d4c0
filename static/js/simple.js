// The simple view: the open stage one question at a time, with Back and Next, and its words read
// aloud on request. Only the showing changes: each field keeps its autosave and conflict handling
// (workspace.js), and a hidden field still saves what was typed into it. Without this script the
// simple view is the whole stage in large text.
(function () {
  "use strict";
  var workspace = document.getElementById("workspace");
  if (!workspace || !workspace.classList.contains("workspace--simple")) return;
  var words = document.getElementById("simple-words").dataset;
  var list = workspace.querySelector(".stage-list");
  var waiting = document.getElementById("simple-waiting");
  var speech = window.speechSynthesis && window.SpeechSynthesisUtterance ? window.speechSynthesis : null;

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  // Where each stage's reader is, kept for the tab: a reload or a new card stays on the same question.
  function stepKey(card) { return "facilitator:simple-step:" + workspace.dataset.group + ":" + card.id; }
  function savedStep(card) {
    try { return parseInt(sessionStorage.getItem(stepKey(card)) || "0", 10) || 0; } catch (e) { return 0; }
  }
  function saveStep(card, at) {
    try { sessionStorage.setItem(stepKey(card), String(at)); } catch (e) { /* kept for this page only */ }
  }

  function button(text, className) {
    var el = document.createElement("button");
    el.type = "button";
    el.className = "button " + className;
    el.textContent = text;
    return el;
  }

  function fieldsOf(card) { return card.querySelectorAll(".answer-field"); }

  function show(card, at, moveFocus) {
    var fields = fieldsOf(card);
    if (!fields.length) return;
    at = Math.max(0, Math.min(at, fields.length - 1));
    card.dataset.step = String(at);
    saveStep(card, at);
    for (var i = 0; i < fields.length; i++) fields[i].hidden = i !== at;
    var nav = card.querySelector(".simple-nav");
    nav.querySelector(".simple-nav__count").textContent = fill(words.step, { n: at + 1, count: fields.length });
    nav.querySelector(".simple-nav__back").disabled = at === 0;
    var next = nav.querySelector(".simple-nav__next");
    var last = at === fields.length - 1;
    next.hidden = last;
    nav.querySelector(".simple-nav__last").hidden = !last;
    if (moveFocus) {
      var input = fields[at].querySelector(".answer-input, .answer-readonly");
      if (input) {
        if (!input.matches("input, textarea, select")) input.tabIndex = -1;
        input.focus();
      }
      // Said once the focus moved, so the count is heard after the question's own name.
      nav.querySelector(".simple-nav__said").textContent = fill(words.step, { n: at + 1, count: fields.length });
    }
  }

  function readAloud(card, readButton) {
    if (speech.speaking) {
      speech.cancel();
      return;
    }
    var field = fieldsOf(card)[Number(card.dataset.step || 0)];
    var parts = [card.dataset.title];
    var prompt = card.querySelector(".stage-card__prompt");
    if (prompt) parts.push(prompt.textContent);
    if (field) {
      var label = field.querySelector(".answer-field__label");
      var help = field.querySelector(".field__hint");
      if (label) parts.push(label.textContent);
      if (help) parts.push(help.textContent);
    }
    var utterance = new window.SpeechSynthesisUtterance(parts.join(". "));
    utterance.lang = words.lang;  // the stage's words are in the workshop's language, whatever the screen's
    utterance.onend = utterance.onerror = function () { readButton.textContent = words.read; };
    readButton.textContent = words.stop;
    speech.speak(utterance);
  }

  function arrange(card) {
    if (card.dataset.state !== "open" || card.querySelector(".simple-nav")) return;
    var fields = fieldsOf(card);
    if (!fields.length) return;
    if (speech) {
      var read = button(words.read, "button--secondary simple-read");
      read.addEventListener("click", function () { readAloud(card, read); });
      var title = card.querySelector(".stage-card__title");
      title.parentNode.insertBefore(read, title.nextSibling);
    }
    var nav = document.createElement("nav");
    nav.className = "simple-nav";
    nav.setAttribute("aria-label", words.steps);
    var count = document.createElement("p");
    count.className = "simple-nav__count";
    count.setAttribute("aria-hidden", "true");
    var said = document.createElement("p");
    said.className = "visually-hidden simple-nav__said";
    said.setAttribute("aria-live", "polite");
    var last = document.createElement("p");
    last.className = "simple-nav__last";
    last.textContent = words.last;
    var back = button(words.back, "button--secondary simple-nav__back");
    var next = button(words.next, "simple-nav__next");
    back.addEventListener("click", function () { show(card, Number(card.dataset.step) - 1, true); });
    next.addEventListener("click", function () { show(card, Number(card.dataset.step) + 1, true); });
    var buttons = document.createElement("div");
    buttons.className = "simple-nav__buttons";
    buttons.appendChild(back);
    buttons.appendChild(next);
    nav.appendChild(count);
    nav.appendChild(said);
    nav.appendChild(last);
    nav.appendChild(buttons);
    fields[fields.length - 1].parentNode.insertBefore(nav, fields[fields.length - 1].nextSibling);
    show(card, savedStep(card), false);
  }

  function arrangeAll() {
    var cards = list.querySelectorAll(".stage-card");
    var anyOpen = false;
    for (var i = 0; i < cards.length; i++) {
      arrange(cards[i]);
      if (cards[i].dataset.state === "open") anyOpen = true;
    }
    if (waiting) waiting.hidden = anyOpen;
  }

  // A stage change swaps whole cards in (the group's news): arrange each new one as it lands.
  new MutationObserver(arrangeAll).observe(list, { childList: true });
  arrangeAll();
})();

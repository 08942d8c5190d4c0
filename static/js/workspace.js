// The group workspace: autosave on a pause in typing, keep drafts through network loss and
// reloads, show teammates' saves live without touching the field you are in, and hand
// conflicts to the person instead of overwriting anything.
(function () {
  "use strict";
  var workspace = document.getElementById("workspace");
  if (!workspace) return;

  workspace.classList.add("js-autosave");
  var PAUSE_MS = 600;
  var MAX_RETRY_MS = 30000;
  var messages = document.getElementById("workspace-messages").dataset;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var draftPrefix = "facilitator:draft:" + workspace.dataset.workshop + ":" + workspace.dataset.group + ":";
  var lang = document.documentElement.lang || "en";
  var states = {};

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function clock() {
    return new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" }).format(new Date());
  }

  function fieldOf(node) { return node && node.closest ? node.closest(".answer-field") : null; }
  function inputOf(el) { return el.querySelector(".answer-input"); }
  function statusOf(el) { return el.querySelector(".answer-status"); }

  function state(el) {
    var id = el.dataset.field;
    if (!states[id]) {
      states[id] = { dirty: false, inflight: false, again: false, timer: null, retry: null, delay: 1000 };
    }
    return states[id];
  }

  function setStatus(el, text, alert) {
    var status = statusOf(el);
    if (!status) return;
    status.textContent = text;
    status.setAttribute("role", alert ? "alert" : "status");
  }

  // Drafts: the answer's (key: the field) and the merged text's in a conflict ("merge:" + field).
  function keep(key, value) {
    try { localStorage.setItem(draftPrefix + key, JSON.stringify(value)); }
    catch (e) { /* private mode or full storage: the page itself still holds the text */ }
  }

  function kept(key) {
    try { return JSON.parse(localStorage.getItem(draftPrefix + key) || "null"); }
    catch (e) { return null; }
  }

  function forget(key) {
    try { localStorage.removeItem(draftPrefix + key); } catch (e) { /* nothing kept */ }
  }

  function saveDraft(el) {
    keep(el.dataset.field, { value: inputOf(el).value, base: Number(el.dataset.version) });
  }
  function readDraft(el) { return kept(el.dataset.field); }
  function clearDraft(el) { forget(el.dataset.field); }

  function setVersion(el, version) {
    el.dataset.version = String(version);
    var hidden = el.querySelector("input[name=base_version]");
    if (hidden) hidden.value = String(version);
  }

  function schedule(el, delay) {
    var s = state(el);
    clearTimeout(s.timer);
    s.timer = setTimeout(function () { save(el); }, delay);
  }

  function retryLater(el, text) {
    var s = state(el);
    setStatus(el, text, false);
    clearTimeout(s.retry);
    s.retry = setTimeout(function () { save(el); }, s.delay);
    s.delay = Math.min(s.delay * 2, MAX_RETRY_MS);
  }

  // While the conflict panel waits for a choice, a save from the old version would only
  // conflict again (and redraw the panel): the draft keeps the text until the person chooses.
  function awaitsChoice(el) {
    var panel = el.querySelector(".conflict");
    return !!panel && Number(el.dataset.version) < Number(panel.dataset.theirVersion);
  }

  function save(el, baseOverride) {
    var s = state(el);
    var input = inputOf(el);
    if (!input || !document.body.contains(el)) return;
    if (baseOverride === undefined && awaitsChoice(el)) return;
    if (s.inflight) { s.again = true; return; }
    clearTimeout(s.timer);
    clearTimeout(s.retry);
    var sent = input.value;
    var base = baseOverride !== undefined ? baseOverride : el.dataset.version;
    var body = new FormData();
    body.append("value", sent);
    body.append("base_version", base);
    s.inflight = true;
    setStatus(el, messages.saving, false);
    fetch(el.dataset.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "X-Autosave": "1" }
    }).then(function (response) {
      return response.text().then(function (html) { return { response: response, html: html }; });
    }).then(function (result) {
      var response = result.response;
      s.inflight = false;
      if (response.ok) {
        connectionBack();
        s.delay = 1000;
        setVersion(el, response.headers.get("X-Answer-Version"));
        clearConflict(el);
        if (inputOf(el).value === sent) {
          s.dirty = false;
          clearDraft(el);
          setStatus(el, fill(messages.saved, { time: clock() }), false);
        } else {
          saveDraft(el);
          schedule(el, PAUSE_MS);
        }
      } else if (response.status === 409) {
        showConflict(el, result.html);
      } else if (response.status === 429 || response.status >= 500) {
        retryLater(el, messages.retrying);
        return;
      } else {
        // Refused for good (closed stage, too long, session ended): the text stays in the field.
        var holder = document.createElement("div");
        holder.innerHTML = result.html;
        setStatus(el, holder.textContent.trim() || messages.unsaved, true);
        if (response.status === 403 && !holder.querySelector("[data-rejoin]")) {
          // The stage closed meanwhile: keep the text as a draft (shown on the closed card, and
          // saved should the stage open again) and show the stage as it now is.
          s.dirty = false;
          keep(el.dataset.field, { value: sent, base: Number(base) });
          var current = document.getElementById("field-" + el.dataset.field) || el;
          if (inputOf(current)) refreshCard(current.closest(".stage-card"));
          else showUnsaved(current); // the closed card is in place already
        }
      }
      if (s.again) { s.again = false; if (s.dirty) schedule(el, PAUSE_MS); }
    }).catch(function () {
      s.inflight = false;
      connectionLost();
      retryLater(el, messages.offline);
    });
  }

  // No connection: one notice at the top of the screen, whichever field is being typed in.
  var connection = document.getElementById("connection-status");
  function connectionLost() { connection.textContent = messages.noConnection; }
  function connectionBack() { if (connection.textContent) connection.textContent = ""; }

  // A save was refused as the stage closed: fetch the card as it is now (at most one at a time).
  var refreshing = {};
  var refusedCards = {};
  function refreshCard(card) {
    if (!card || !card.id || refreshing[card.id] || !document.body.contains(card)) return;
    refreshing[card.id] = true;
    refusedCards[card.id] = true;
    var done = function () { delete refreshing[card.id]; };
    var request = htmx.ajax("GET", card.dataset.url, { target: "#" + card.id, swap: "outerHTML" });
    if (request && request.then) request.then(done, done); else done();
  }

  // Text typed into a stage that closed before it was saved: shown under the closed field, to copy.
  function showUnsaved(el) {
    var draft = readDraft(el);
    var shown = el.querySelector(".answer-readonly");
    if (!draft || typeof draft.value !== "string" || state(el).inflight) return;
    if (!draft.value.trim() || (shown && shown.textContent.trim() === draft.value.trim())) { clearDraft(el); return; }
    var box = el.querySelector(".answer-unsaved");
    if (!box) {
      box = document.createElement("div");
      box.className = "answer-unsaved";
      var note = document.createElement("p");
      note.className = "answer-unsaved__note";
      note.textContent = messages.notSaved;
      var text = document.createElement("p");
      text.className = "answer-unsaved__text";
      box.appendChild(note);
      box.appendChild(text);
      (shown || el.querySelector(".answer-field__label")).insertAdjacentElement("afterend", box);
    }
    box.querySelector(".answer-unsaved__text").textContent = draft.value;
    var fold = el.closest("details.stage-card__fold");
    if (fold) fold.open = true;
  }

  function mergeOf(el) { return el.querySelector(".conflict__merge textarea"); }

  function clearConflict(el) {
    var box = el.querySelector(".answer-conflict");
    if (box) box.innerHTML = "";
    forget("merge:" + el.dataset.field);
  }

  function openMerge(el, value) {
    var merge = mergeOf(el);
    if (!merge) return null;
    if (typeof value === "string") merge.value = value;
    merge.closest(".conflict__merge").hidden = false;
    return merge;
  }

  // A new panel (a newer text from a teammate, or after a reload) keeps the merge being
  // written: its text, its open editor, the caret in it.
  function showConflict(el, html) {
    var box = el.querySelector(".answer-conflict");
    var before = mergeOf(el);
    var wasOpen = !!before && !before.closest(".conflict__merge").hidden;
    var focused = !!before && document.activeElement === before;
    var start = focused ? before.selectionStart : 0, end = focused ? before.selectionEnd : 0;
    box.innerHTML = html;
    var draft = kept("merge:" + el.dataset.field);
    var merge = typeof draft === "string" || wasOpen ? openMerge(el, draft) : null;
    if (merge && focused) {
      merge.focus();
      merge.setSelectionRange(Math.min(start, merge.value.length), Math.min(end, merge.value.length));
    }
    setStatus(el, messages.conflict, true);
  }

  function resolveConflict(el, choice) {
    var panel = el.querySelector(".conflict");
    if (!panel) return;
    var theirVersion = panel.dataset.theirVersion;
    var input = inputOf(el);
    if (choice === "mine") {
      setVersion(el, theirVersion);
      save(el);
    } else if (choice === "theirs") {
      input.value = panel.querySelector(".conflict__theirs").textContent;
      setVersion(el, theirVersion);
      state(el).dirty = false;
      clearDraft(el);
      clearConflict(el);
      setStatus(el, "", false);
      input.focus();
    } else if (choice === "merge") {
      openMerge(el).focus();
    } else if (choice === "save-merge") {
      input.value = mergeOf(el).value;
      setVersion(el, theirVersion);
      saveDraft(el);
      save(el);
      input.focus();
    }
  }

  // A teammate's save arrived over the stream: the event carries the new version and, for
  // ordinary lengths, the text itself; otherwise (or for a read-only field) fetch the fragment.
  function onFieldEvent(el, data) {
    var news;
    try { news = JSON.parse(data); } catch (e) { return; }
    if (news.v <= Number(el.dataset.version)) return; // our own save, already applied
    var input = inputOf(el);
    if (typeof news.t !== "string" || !input) {
      fetch(el.dataset.url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) return;
        return response.text().then(function (html) { replaceFromFragment(el, html, news); });
      }).catch(function () { /* the next event or a reload brings it */ });
      return;
    }
    applyText(el, news.t, news.v, news.by);
  }

  function replaceFromFragment(el, html, news) {
    var fresh = document.createElement("div");
    fresh.innerHTML = html;
    var next = fresh.querySelector(".answer-field");
    if (!next || !document.body.contains(el)) return;
    var nextInput = next.querySelector(".answer-input");
    if (!inputOf(el) || !nextInput) {
      el.replaceWith(next);
      htmx.process(next);
      return;
    }
    applyText(el, nextInput.value, news.v, null);
  }

  function applyText(el, text, version, author) {
    var input = inputOf(el);
    if (state(el).dirty) {
      setStatus(el, messages.newer, false); // keep their typing; the next save shows both texts
      return;
    }
    var focused = document.activeElement === input;
    var start = input.selectionStart, end = input.selectionEnd;
    input.value = text;
    if (focused && typeof start === "number" && input.setSelectionRange) {
      input.setSelectionRange(Math.min(start, input.value.length), Math.min(end, input.value.length));
    }
    setVersion(el, version);
    setStatus(el, author ? fill(messages.updated, { name: author }) : "", false);
  }

  // Presence: tell teammates which field I am typing in, at most every few seconds.
  var lastPresence = { field: null, at: 0 };
  function sendPresence(fieldId) {
    var now = Date.now();
    if (fieldId === lastPresence.field && now - lastPresence.at < 3000) return;
    lastPresence = { field: fieldId, at: now };
    var body = new FormData();
    body.append("field", fieldId || "");
    fetch(workspace.dataset.presenceUrl, {
      method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf }
    }).catch(function () { /* presence is a courtesy; never disturb the typing */ });
  }

  var typingTimers = {};
  function showTyping(participantId, fieldId) {
    if (participantId === workspace.dataset.me) return;
    var member = workspace.querySelector('.member[data-participant="' + participantId + '"]');
    var name = member ? member.dataset.name : "";
    document.querySelectorAll('.answer-typing[data-by="' + participantId + '"]').forEach(function (node) {
      node.textContent = ""; node.removeAttribute("data-by");
    });
    if (!fieldId || !name) return;
    var line = document.getElementById("answer-" + fieldId + "-typing");
    if (!line) return;
    line.textContent = fill(messages.typing, { name: name });
    line.dataset.by = participantId;
    clearTimeout(typingTimers[participantId]);
    typingTimers[participantId] = setTimeout(function () {
      if (line.dataset.by === participantId) { line.textContent = ""; line.removeAttribute("data-by"); }
    }, 6000);
  }

  document.addEventListener("input", function (event) {
    var el = fieldOf(event.target);
    if (el && event.target === mergeOf(el)) { keep("merge:" + el.dataset.field, event.target.value); return; }
    if (!el || !event.target.classList.contains("answer-input")) return;
    state(el).dirty = true;
    saveDraft(el);
    setStatus(el, messages.unsaved, false);
    schedule(el, PAUSE_MS);
    sendPresence(el.dataset.field);
  });

  document.addEventListener("change", function (event) {
    var el = fieldOf(event.target);
    if (el && event.target.tagName === "SELECT" && event.target.classList.contains("answer-input")) {
      state(el).dirty = true;
      saveDraft(el);
      save(el);
    }
  });

  document.addEventListener("focusout", function (event) {
    var el = fieldOf(event.target);
    if (!el || !event.target.classList.contains("answer-input")) return;
    if (state(el).dirty) save(el);
    sendPresence("");
  });

  document.addEventListener("submit", function (event) {
    var el = fieldOf(event.target);
    if (!el) return;
    event.preventDefault();
    state(el).dirty = true;
    save(el);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-conflict]");
    if (button) resolveConflict(fieldOf(button), button.dataset.conflict);
  });


  // A stage card is about to be replaced (opened or closed, by the group's news or a fetch): save
  // typing first; the draft stays in localStorage, and the new card restores it.
  var stageBefore = {};
  var versionsBefore = {};
  function beforeCardSwap(event) {
    var target = event.detail.target;
    if (!target || !target.classList || !target.classList.contains("stage-card")) return;
    stageBefore[target.id] = target.dataset.state;
    target.querySelectorAll(".answer-field").forEach(function (el) {
      versionsBefore[el.dataset.field] = Number(el.dataset.version);
      if (state(el).dirty) { saveDraft(el); save(el); }
    });
  }
  document.body.addEventListener("htmx:beforeSwap", beforeCardSwap);
  document.body.addEventListener("htmx:oobBeforeSwap", beforeCardSwap);

  // Once the new card is in place: a field it shows older than the page had (a teammate saved
  // while it was on its way) is fetched again; say out loud that the stage opened or closed.
  function afterCardSwap(event) {
    var target = event.detail.target;
    if (!target || !target.id || !(target.id in stageBefore)) return;
    var card = document.getElementById(target.id);
    var before = stageBefore[target.id];
    var refused = refusedCards[target.id];
    delete stageBefore[target.id];
    delete refusedCards[target.id];
    updateSkipLink();
    if (card) {
      card.querySelectorAll(".answer-field").forEach(function (el) {
        var seen = versionsBefore[el.dataset.field];
        delete versionsBefore[el.dataset.field];
        if (seen > Number(el.dataset.version)) onFieldEvent(el, JSON.stringify({ v: seen }));
      });
    }
    if (!card || card.dataset.state === before) return;
    var template = card.dataset.state === "open" ? messages.stageOpen
      : refused ? messages.notSaved
      : card.dataset.state === "closed" ? messages.stageClosed : null;
    if (template) document.getElementById("stage-announcer").textContent = fill(template, { title: card.dataset.title });
  }
  document.body.addEventListener("htmx:afterSettle", afterCardSwap);
  document.body.addEventListener("htmx:oobAfterSwap", afterCardSwap);

  // Every stage change is said on the workshop's channel after each group's news went out. A
  // phone whose news did not come (it connected in between, or no teammate reads its language)
  // fetches the same fragment, once.
  var newsBox = document.getElementById("stage-news");
  // Two changes' news may cross on the way (two facilitators, two processes): never swap in
  // cards read before the ones shown.
  document.body.addEventListener("htmx:sseBeforeMessage", function (event) {
    if (event.target !== newsBox) return;
    var at = /data-at="([0-9.]+)"/.exec(String(event.detail.data));
    var seen = document.getElementById("stage-news-seen");
    if (at && seen && Number(at[1]) < Number(seen.dataset.at || 0)) event.preventDefault();
  });
  function newsArrived(serial) {
    var seen = document.getElementById("stage-news-seen");
    return seen && seen.dataset.serial === serial;
  }
  function catchUp(said) {
    if (!said || typeof said.n !== "string" || newsArrived(said.n)) return;
    if (said.groups && said.groups.indexOf(Number(workspace.dataset.group)) < 0) return;
    htmx.ajax("GET", newsBox.dataset.url, {
      source: newsBox, swap: "none",
      values: { stages: (said.stages || []).join(","), timer: said.timer ? "1" : "0", n: said.n }
    });
  }

  // The skip link goes to the (first) open stage's heading; none open, no link.
  var skip = document.getElementById("skip-to-open");
  function openStage() { return workspace.querySelector('.stage-card[data-state="open"]'); }
  function updateSkipLink() {
    var card = openStage();
    skip.hidden = !card;
    if (card) skip.setAttribute("href", "#" + card.querySelector(".stage-card__title").id);
  }
  skip.addEventListener("click", function (event) {
    var card = openStage();
    if (!card) return;
    event.preventDefault();
    var heading = card.querySelector(".stage-card__title");
    heading.focus();
    heading.scrollIntoView({ block: "start" });
  });

  // Opened without a place in the URL, the page starts at the open stage: its first field on the
  // first screen, scrolled to the first stage's edge that shows it (the folded stages above it stay
  // in sight when they fit), and nobody's focus moved.
  function startAtOpenStage() {
    var card = openStage();
    if (!card || window.location.hash || window.scrollY > 0) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    var first = card.querySelector(".answer-input") || card.querySelector(".answer-field") || card;
    var needed = first.getBoundingClientRect().bottom + 16 - window.innerHeight;
    if (needed <= 0) return;
    var cards = workspace.querySelectorAll(".stage-card");
    for (var i = 0; i < cards.length; i++) {
      var top = cards[i].getBoundingClientRect().top - 6;
      if (top >= needed || cards[i] === card) { window.scrollBy(0, top); return; }
    }
  }

  document.body.addEventListener("htmx:sseMessage", function (event) {
    var type = event.detail && event.detail.type;
    var field = event.target && event.target.classList && event.target.classList.contains("answer-field")
      ? event.target : null;
    if (field && type === "field-" + field.dataset.field) {
      onFieldEvent(field, event.detail.data);
    } else if (type === "presence") {
      var parts = String(event.detail.data).split(":");
      showTyping(parts[0], parts[1]);
    } else if (type === "moved") {
      // The facilitator moved or removed someone: if it is me, start over from the server (and
      // ask this group's page for nothing more: it is no longer mine).
      if (String(event.detail.data) === workspace.dataset.me) { leaving = true; window.location.reload(); }
    } else if (type === "stages-changed" && event.target.id === "stage-sync") {
      var said = null;
      try { said = JSON.parse(event.detail.data); } catch (e) { /* not a change this page knows */ }
      catchUp(said);
    } else if (type === "refresh") {
      // The stream could not replay what this page missed: every field and every card anew.
      workspace.querySelectorAll(".answer-field").forEach(function (el) { onFieldEvent(el, '{"v":' + (Number(el.dataset.version) + 1) + '}'); });
      var all = Array.prototype.map.call(workspace.querySelectorAll(".stage-card"), function (card) { return card.id.replace("stage-card-", ""); });
      catchUp({ n: "refresh-" + Date.now(), stages: all, timer: true });
    }
  });

  var leaving = false;
  document.body.addEventListener("htmx:beforeRequest", function (event) { if (leaving) event.preventDefault(); });

  document.body.addEventListener("htmx:sseError", connectionLost);
  document.body.addEventListener("htmx:sseOpen", connectionBack);
  window.addEventListener("offline", connectionLost);

  // Tell the control room this device is still here, once a minute.
  setInterval(function () { lastPresence.at = 0; sendPresence(lastPresence.field || ""); }, 60000);

  window.addEventListener("online", function () {
    connectionBack();
    workspace.querySelectorAll(".answer-field").forEach(function (el) { if (state(el).dirty) save(el); });
  });

  // On load (and for every swapped-in card): bring back anything typed but not yet saved. A card
  // from the group's news carries no token of its own (one rendering serves every member).
  htmx.onLoad(function (root) {
    var scope = root.querySelectorAll ? root : document;
    Array.prototype.forEach.call(scope.querySelectorAll('input[name="csrf_token"]'), function (input) {
      if (!input.value) input.value = csrf;
    });
    var found = scope.classList && scope.classList.contains("answer-field") ? [scope] : scope.querySelectorAll(".answer-field");
    Array.prototype.forEach.call(found, function (el) {
      var input = inputOf(el);
      if (!input) { showUnsaved(el); return; }
      var draft = readDraft(el);
      if (!draft || draft.value === input.value) { if (draft) clearDraft(el); return; }
      input.value = draft.value;
      state(el).dirty = true;
      save(el, draft.base);
    });
  });

  // The facilitator's messages: the latest stands out until hidden here (remembered on this
  // device); hidden or older ones wait folded under "Earlier messages".
  var hiddenKey = "messages-hidden";
  function foldHidden(section) {
    var latest = section.querySelector(".message--latest");
    if (!latest) return;
    var hide = latest.querySelector(".message__hide");
    if (Number(latest.dataset.message) > Number(kept(hiddenKey) || 0)) { hide.hidden = false; return; }
    var earlier = section.querySelector(".messages__earlier");
    var count = earlier.querySelector(".messages__count");
    latest.classList.remove("message--latest");
    latest.removeChild(hide);
    earlier.querySelector(".messages__list").insertBefore(latest, earlier.querySelector(".message"));
    count.textContent = String(Number(count.textContent) + 1);
    earlier.hidden = false;
  }
  document.addEventListener("click", function (event) {
    var hide = event.target.closest && event.target.closest(".message__hide");
    if (!hide) return;
    var section = hide.closest(".messages");
    keep(hiddenKey, Number(hide.closest(".message").dataset.message));
    foldHidden(section);
    section.querySelector(".messages__earlier summary").focus();
  });
  htmx.onLoad(function (root) {
    var section = root.id === "messages" ? root : root.querySelector && root.querySelector("#messages");
    if (section) foldHidden(section);
  });

  updateSkipLink();
  startAtOpenStage();
})();

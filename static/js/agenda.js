// Agenda: drag-to-reorder with SortableJS on top of the server-rendered list.
// Everything works without this file: the Up/Down buttons reorder by keyboard, and
// every form posts normally. htmx does the fetching; the server renders the HTML.
(function () {
  "use strict";

  // Each list names the (empty) form its rows' hidden `item` inputs belong to; the
  // browser collects those inputs in document order, so after a drag the form posts
  // the new order. The list is swapped by the server's answer, which re-creates it.
  function makeSortable(list) {
    if (list.dataset.sortableReady) return;
    list.dataset.sortableReady = "true";
    var sortable = Sortable.create(list, {
      handle: ".js-drag-handle",
      draggable: ".agenda-item",
      animation: 150,
      ghostClass: "agenda-item--ghost",
      chosenClass: "agenda-item--chosen",
      onEnd: function (evt) {
        if (evt.oldIndex === evt.newIndex) return;
        var form = document.getElementById(list.dataset.orderForm);
        if (!form) return;
        sortable.option("disabled", true);
        htmx.trigger(form, "agenda-reorder");
      }
    });
  }

  function init(root) {
    if (typeof Sortable === "undefined" || !root.querySelectorAll) return;
    if (root.matches && root.matches(".js-sortable")) makeSortable(root);
    root.querySelectorAll(".js-sortable").forEach(makeSortable);
  }

  function inAgenda(elt) {
    return elt && elt.closest && elt.closest(".agenda-section");
  }

  function announce(text) {
    var status = document.getElementById("agenda-status");
    if (!status || !text) return;
    var p = document.createElement("p");
    p.textContent = text;
    status.replaceChildren(p);
  }

  htmx.onLoad(init);

  // A 409 ("changed meanwhile") is swapped in like a success (base.html's responseHandling).
  // Any other failure (network, expired session, server error): say so instead of doing nothing.
  function failed(evt) {
    var section = inAgenda(evt.detail.elt);
    if (!section) return;
    announce(section.dataset.errorMessage);
    section.querySelectorAll(".js-sortable").forEach(function (list) {
      var instance = Sortable.get && Sortable.get(list);
      if (instance) instance.option("disabled", false);
    });
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();

// Results register: make "changed meanwhile" answers and failures visible. Everything else is htmx.
(function () {
  "use strict";

  function inRegister(element) {
    return element && element.closest ? element.closest("#register") : null;
  }

  function announce(text) {
    var status = document.getElementById("register-status");
    if (!status || !text) return;
    var p = document.createElement("p");
    p.textContent = text;
    status.replaceChildren(p);
  }

  // 409 (the row was deleted meanwhile) and 413 (the file is too large) carry a page part that
  // explains what happened and keeps the typing: show it like a normal answer.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr.status;
    if ((status === 409 || status === 413) && inRegister(evt.detail.elt)) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  // Any other failure (network, expired session, server error): say so instead of doing nothing.
  function failed(evt) {
    var section = inRegister(evt.detail.elt);
    if (section) announce(section.dataset.errorMessage);
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();

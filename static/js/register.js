// Results register: say so when an action failed. Everything else is htmx.
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

  // 409 (deleted meanwhile) and 413 (file too large) are swapped in like a success (base.html's
  // responseHandling). Any other failure (network, expired session, server error): say so instead of doing nothing.
  function failed(evt) {
    var section = inRegister(evt.detail.elt);
    if (section) announce(section.dataset.errorMessage);
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();

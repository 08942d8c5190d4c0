// Process editor enhancements; every action also works as a plain form without this file.
(function () {
  "use strict";

  function editorOf(element) {
    return element && element.closest ? element.closest("[data-process-editor]") : null;
  }

  // A 409 ("removed meanwhile") is swapped in like a success (base.html's responseHandling).
  // Anything else that failed (an expired page, a lost connection): say so in the status line.
  function reportFailure(event) {
    var editor = editorOf(event.detail.elt);
    var status = document.getElementById("process-status");
    if (editor && status) status.textContent = editor.getAttribute("data-error-message");
  }
  document.addEventListener("htmx:responseError", reportFailure);
  document.addEventListener("htmx:sendError", reportFailure);

  // Show the choices box as soon as "Choice" is picked; the server checks it either way.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-choices-box]")) return;
    var box = document.getElementById(select.getAttribute("data-choices-box"));
    if (box) box.hidden = select.value !== "choice";
  });
})();

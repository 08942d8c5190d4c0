// Groups section. htmx leaves 4xx answers unswapped; when a group was removed or archived meanwhile
// the server still answers 404/409 with the up-to-date section and marks it with HX-Retarget: #groups,
// so show it instead of leaving the click without any visible result.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.status < 500 && xhr.getResponseHeader("HX-Retarget") === "#groups") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

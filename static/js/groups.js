// Groups section. When a group was removed meanwhile the server answers 404 with the up-to-date
// section, marked with HX-Retarget: #groups; htmx swaps no 404 (most are whole "not found" pages),
// so let this one replace the section. 409s (archived or back meanwhile) are swapped by
// base.html's responseHandling.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status === 404 && xhr.getResponseHeader("HX-Retarget") === "#groups") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

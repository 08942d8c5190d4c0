// What every page shares: the CSRF header for htmx, and small enhancements that plain pages work
// without. Kept to a minimum: htmx does the fetching, the server does the rendering.
(function () {
  "use strict";
  // Every htmx request carries the page's CSRF token (htmx only sends to this origin).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token) event.detail.headers["X-CSRFToken"] = token.content;
  });

  // Move focus to the main region after an in-page skip, so screen readers start there.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.skip-link");
    if (!link) return;
    var main = document.getElementById("main");
    if (main) main.focus();
  });
})();

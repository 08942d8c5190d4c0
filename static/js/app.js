// Small enhancements on top of server-rendered pages; everything works without this file.
// Kept to a minimum: htmx does the fetching, the server does the rendering.
(function () {
  "use strict";
  // Move focus to the main region after an in-page skip, so screen readers start there.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.skip-link");
    if (!link) return;
    var main = document.getElementById("main");
    if (main) main.focus();
  });
})();

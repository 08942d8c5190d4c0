// The shared countdown. The server sends seconds left (not a clock time), and each screen
// counts down from when it received them: phones with wrong clocks still agree within a second.
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function start(el) {
    if (el.dataset.started) return;
    el.dataset.started = "1";
    var remaining = Number(el.dataset.remaining || 0);
    var received = performance.now();
    var clock = el.querySelector(".timer__clock");
    var spoken = el.querySelector(".timer__spoken");
    var ended = el.querySelector(".timer__ended");
    if (el.dataset.state !== "running") return;
    var lastMinute = null;
    function tick() {
      if (!document.body.contains(el)) { clearInterval(handle); return; }
      var left = Math.max(0, Math.round(remaining - (performance.now() - received) / 1000));
      el.dataset.left = String(left);
      clock.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
      var minute = Math.ceil(left / 60);
      if (minute !== lastMinute && spoken) {
        lastMinute = minute;
        spoken.textContent = el.dataset.label + ": " + minute;
      }
      if (left === 0) {
        clearInterval(handle);
        el.classList.remove("timer--running");
        el.classList.add("timer--ended");
        if (ended) ended.textContent = el.dataset.endedText; // announced politely, shown calmly
      }
    }
    var handle = setInterval(tick, 250);
    tick();
  }

  htmx.onLoad(function (root) {
    var scope = root.querySelectorAll ? root : document;
    if (scope.classList && scope.classList.contains("timer")) start(scope);
    Array.prototype.forEach.call(scope.querySelectorAll(".timer"), start);
  });

  // A stage change says whether it moved the timer: only then does a big screen's timer ask again.
  document.addEventListener("sse:stages-changed", function (event) {
    if (!event.target || event.target.id !== "timer") return;
    var said = null;
    try { said = JSON.parse(event.detail.data); } catch (e) { return; }
    if (said && said.timer === false) event.stopPropagation();
  }, true);
})();

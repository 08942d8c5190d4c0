// The service worker (for /w/, served by facilitator/participants/offline.py, which writes
// OFFLINE_RULES above this line): a group's page network first with the last good copy kept for
// when the Wi-Fi is gone, the content-hashed static files cache first. Everything else (saves,
// fragments, the live stream, PDFs, the facilitators' pages) goes to the network untouched.
/* global OFFLINE_RULES */
"use strict";

var RULES = OFFLINE_RULES;
var PAGE = new RegExp(RULES.page);
var STATIC = new RegExp(RULES.static);
var PAGES = RULES.caches.pages;
var STATICS = RULES.caches.static;
// The header the kept copy carries: when it was kept (ms since 1970).
var KEPT_AT = "X-Kept-At";

function pathOf(url) {
  var parsed = new URL(url);
  return parsed.origin === self.location.origin ? parsed.pathname + parsed.search : null;
}

function isPage(url) { var path = pathOf(url); return path !== null && PAGE.test(path); }
function isStatic(url) { var path = pathOf(url); return path !== null && STATIC.test(path); }

function forgetPages() { return caches.delete(PAGES); }

// The page as it came (never a redirect or a refusal), with the time it was kept.
function keepPage(url, response) {
  return response.clone().blob().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set(KEPT_AT, String(Date.now()));
    var copy = new Response(body, { status: response.status, statusText: response.statusText, headers: headers });
    return caches.open(PAGES).then(function (cache) { return cache.put(url, copy); });
  });
}

// The kept copy, marked so the page knows it is one and since when (offline.js shows it).
function keptPage(url) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(url, { ignoreSearch: true, ignoreVary: true });
  }).then(function (kept) {
    if (!kept) return null;
    return kept.text().then(function (html) {
      var at = Number(kept.headers.get(KEPT_AT)) || 0;
      var marked = html.replace("<html", '<html data-kept-at="' + at + '"');
      var headers = new Headers(kept.headers); // its Content-Security-Policy among them
      ["Content-Length", "Content-Encoding", KEPT_AT].forEach(function (name) { headers.delete(name); });
      return new Response(marked, { status: 200, headers: headers });
    });
  });
}

function pageUrl(url) {
  var parsed = new URL(url);
  return parsed.origin + parsed.pathname;
}

// What the server says about the page decides what is kept: a page is kept, a refusal or a
// redirect (the seat ended or moved) throws the kept ones away, a server error keeps them.
function fromNetwork(request) {
  var url = pageUrl(request.url);
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      return keepPage(url, response).then(function () { return response; }, function () { return response; });
    }
    if (response.status >= 500) {
      return keptPage(url).then(function (kept) { return kept || response; });
    }
    if (response.type === "opaqueredirect" || response.redirected || RULES.ended.indexOf(response.status) >= 0) {
      return forgetPages().then(function () { return response; });
    }
    return response;
  }, function (error) {
    return keptPage(url).then(function (kept) {
      if (kept) return kept;
      throw error;
    });
  });
}

// A hashed file never changes: once here it is served from here. Its older versions go.
function keepStatic(request, response) {
  var path = new URL(request.url).pathname;
  return caches.open(STATICS).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.filter(function (old) {
        return new URL(old.url).pathname === path && old.url !== request.url;
      }).map(function (old) { return cache.delete(old); }));
    }).then(function () { return cache.put(request, response); });
  });
}

function fromCacheFirst(request) {
  return caches.open(STATICS).then(function (cache) {
    return cache.match(request, { ignoreVary: true });
  }).then(function (kept) {
    if (kept) return kept;
    return fetch(request).then(function (response) {
      if (!response.ok || response.type !== "basic") return response;
      var copy = response.clone();
      return keepStatic(request, copy).then(function () { return response; }, function () { return response; });
    });
  });
}

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  var current = [PAGES, STATICS];
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("facilitator-") === 0 && current.indexOf(name) < 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && isPage(request.url)) {
    event.respondWith(fromNetwork(request));
  } else if (isStatic(request.url)) {
    event.respondWith(fromCacheFirst(request));
  }
});

// From the page (offline.js): keep the files it shows, and the page itself when it did not come
// through here (its first visit, before this worker took over); or forget the kept pages (a
// seatless device on the join page).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.forget) { event.waitUntil(forgetPages()); return; }
  var work = (data.files || []).filter(isStatic).map(function (url) {
    var request = new Request(url, { credentials: "same-origin" });
    return fromCacheFirst(request).catch(function () { /* the next visit keeps it */ });
  });
  if (data.page && isPage(data.page)) {
    var page = new Request(pageUrl(data.page), { credentials: "same-origin", headers: { Accept: "text/html" } });
    work.push(fromNetwork(page).catch(function () { /* offline already: nothing newer to keep */ }));
  }
  event.waitUntil(Promise.all(work));
});

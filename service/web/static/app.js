// Compromisos: shared helpers for the pages (no framework, no outside requests).
"use strict";

/** The CSRF token of this page (empty when sign-in is off). */
function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

/** fetch() with the CSRF header on writes and the session cookie; same-origin only. */
function apiFetch(url, options = {}) {
  const opts = Object.assign({ credentials: "same-origin" }, options);
  const method = (opts.method || "GET").toUpperCase();
  opts.headers = Object.assign({}, opts.headers || {});
  if (method !== "GET" && method !== "HEAD") {
    const token = csrfToken();
    if (token) opts.headers["X-CSRF-Token"] = token;
  }
  return fetch(url, opts);
}

window.Compromisos = { apiFetch, csrfToken };

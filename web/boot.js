// Loupe's bootstrap: loads the wasm module once, starts the page with it, and lets the page start
// analysis workers from it. Works over http (loupe.js + loupe_bg.wasm beside index.html) and from
// file:// (dist/loupe.html: glue and wasm inlined, no request at all).
//
// The worker is a classic worker started from a blob: URL made of the wasm-bindgen no-modules glue
// and a few lines that wait for the compiled module (module workers are refused from file://).
(function () {
  "use strict";

  // In the worker, `loupeSpawnWorker` starts a helper worker (it reads half of the inputs while
  // the worker reads the other half) from the same blob: URL and compiled module; a nested
  // worker ends with the worker that started it. A helper (`loupeHelper`) does not warm up: it is
  // given its files at once, and the analysis needs its CPU.
  var WORKER_MAIN =
    "self.onmessage = function (e) {\n" +
    "  if (!e.data || !e.data.loupeInit) return;\n" +
    "  self.onmessage = null;\n" +
    "  var module = e.data.module;\n" +
    "  self.loupeHelper = !!e.data.helper;\n" +
    "  self.loupeSpawnWorker = function () {\n" +
    "    if (typeof Worker === 'undefined') throw new Error('no nested worker');\n" +
    "    var w = new Worker(self.location.href);\n" +
    "    w.postMessage({ loupeInit: true, module: module, helper: true });\n" +
    "    return w;\n" +
    "  };\n" +
    "  wasm_bindgen({ module_or_path: e.data.module }).catch(function (err) {\n" +
    "    self.postMessage(JSON.stringify({ type: 'failed', data: { message: 'the analysis worker could not start: ' + err } }));\n" +
    "  });\n" +
    "};\n";

  function wasmBytes() {
    var embedded = document.getElementById("loupe-wasm");
    if (embedded) {
      var bin = atob(embedded.textContent.replace(/\s+/g, ""));
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      embedded.textContent = "";
      return Promise.resolve(bytes);
    }
    return fetch("loupe_bg.wasm").then(function (r) {
      if (!r.ok) throw new Error("loupe_bg.wasm: HTTP " + r.status);
      return r.arrayBuffer();
    });
  }

  function glueText() {
    var inline = document.getElementById("loupe-glue");
    if (inline) return Promise.resolve(inline.textContent);
    return fetch("loupe.js").then(function (r) {
      if (!r.ok) throw new Error("loupe.js: HTTP " + r.status);
      return r.text();
    });
  }

  var compiled = null;
  var workerUrl = null;

  // Called by the page (Rust) for each analysis worker; throws when workers are unavailable, and
  // the page then analyses on the main thread with a notice.
  window.loupeSpawnWorker = function () {
    if (!compiled || !workerUrl || typeof Worker === "undefined") throw new Error("no worker");
    var w = new Worker(workerUrl);
    w.postMessage({ loupeInit: true, module: compiled });
    return w;
  };

  function fatal(err) {
    var app = document.getElementById("app");
    if (!app) return;
    app.textContent = "";
    var p = document.createElement("p");
    p.className = "boot-error";
    p.setAttribute("role", "alert");
    p.textContent = "Loupe could not start: " + (err && err.message ? err.message : String(err));
    app.appendChild(p);
  }

  var module = wasmBytes().then(function (b) { return WebAssembly.compile(b); });
  var worker = glueText()
    .then(function (g) {
      return URL.createObjectURL(new Blob([g, "\n", WORKER_MAIN], { type: "text/javascript" }));
    })
    .catch(function () { return null; });

  Promise.all([module, worker])
    .then(function (r) {
      compiled = r[0];
      workerUrl = r[1];
      return wasm_bindgen({ module_or_path: compiled });
    })
    .catch(fatal);

  // Hosted over http(s): a service worker keeps the page's own files for offline use after one
  // visit. Not from file:// (no service workers there) nor in the single file (its CSP allows none).
  if ((location.protocol === "http:" || location.protocol === "https:") &&
      "serviceWorker" in navigator && !document.getElementById("loupe-wasm")) {
    navigator.serviceWorker.register("sw.js").catch(function () {});
  }
})();

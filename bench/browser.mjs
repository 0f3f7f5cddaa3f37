// Browser half of `cargo xtask bench` (not a test: `cargo xtask test` never runs it).
//
// Drives the built page (dist/, served on 127.0.0.1 by the bench) in Debian's headless Chromium
// through playwright-core, gives it generated hub/spoke traces through `#file-input`, and measures,
// without touching the page's own files:
//   * wall time from the input's `change` event to the end of the run (`.status.running` gone and
//     `.result` shown), observed on the page by a MutationObserver;
//   * main-thread long tasks during the analysis (a `longtask` PerformanceObserver);
//   * progress updates: every change of the running status text or of `#progress`'s value;
//   * peak memory: the worker's wasm linear memory (read from the worker by Playwright between two
//     chunks), the page's wasm memory and both JS heaps (CDP Runtime.getHeapUsage);
//   * cancel latency: `#cancel` clicked mid-analysis until the page shows it is idle again;
//   * with `exports`, each export of the result (JSON, Markdown, HTML): click to download, size,
//     long tasks, the worker's wasm memory after it;
//   * with `oneWorker`, the same analyses again in a tab whose worker cannot start a helper (all
//     files read by one worker), to compare with the page's two workers;
//   * the read floor: in the same tab, after each analysis, the time a bare Web Worker (classic,
//     from a blob: URL, as the page's) needs just to read the same files, given through a file
//     input of their own: `Blob.slice(...).arrayBuffer()` in the page worker's read plan (1, 2,
//     4 MiB, then 8 MiB slices, two reads in flight across files), each slice copied in 64 KiB
//     pieces into a reused buffer (as the page's worker copies them into wasm memory), no analysis.
//
// Usage: node bench/browser.mjs CONFIG.json  (written by the bench)
//   { "url": "http://127.0.0.1:PORT/", "runs": 3,
//     "cases": [ { "name": "210 MB", "files": [...], "bytes": N, "cancel": true } ] }
// Prints one JSON line per case on stdout: { "name", "ok", "error", "runs": [ ... ], "cancel": ... };
// each run holds the page's `secs` and the read floor's `floorSecs` measured right after it.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-precise-memory-info',
];

// Installed before the page's own scripts: observers only, nothing the page can see or use.
const OBSERVE = (opts) => {
  // Measurement hook: remember the wasm instance's memory on the page and in the analysis worker
  // (a classic worker the page starts from a blob: URL of the wasm-bindgen glue), so that its size
  // can be read from outside. The page's own files are not changed.
  const hook = function () {
    const orig = WebAssembly.instantiate;
    WebAssembly.instantiate = function (...args) {
      return orig.apply(this, args).then((r) => {
        const inst = r && r.instance ? r.instance : r;
        if (inst && inst.exports && inst.exports.memory) self.__loupeBenchMemory = inst.exports.memory;
        return r;
      });
    };
  };
  hook();
  // With `oneWorker`, the analysis worker cannot start a helper (the bootstrap's
  // `loupeSpawnWorker` is replaced by one that throws): the page reads every file in one worker,
  // as it did before helpers, for the comparison.
  const ONE = "Object.defineProperty(self, 'loupeSpawnWorker', { configurable: false, get: function () {" +
    " return function () { throw new Error('one worker (bench)'); }; }, set: function () {} });\n";
  const HOOK = '(' + hook.toString() + ')();\n' + (opts && opts.oneWorker ? ONE : '');
  const OrigBlob = window.Blob;
  window.Blob = function (parts, opts) {
    if (opts && /javascript/.test(opts.type || '') && Array.isArray(parts)) parts = [HOOK, ...parts];
    return new OrigBlob(parts, opts);
  };
  window.Blob.prototype = OrigBlob.prototype;
  const b = (window.__loupeBench = {
    start: null, end: null, longtasks: [], progress: [], texts: [], lastText: null, lastValue: null,
    cancelClick: null, cancelIdle: null, cancelFrame: null, state: 'idle',
    exportClick: null, exportSaved: null,
  });
  // An export: from the click on its button to the page's click on the download link it makes.
  document.addEventListener('click', (e) => {
    const t = e.target && e.target.closest ? e.target.closest('[id^="export-"]') : null;
    if (t) { b.exportClick = performance.now(); b.exportSaved = null; }
  }, true);
  const origClick = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    if (this.hasAttribute('download')) b.exportSaved = performance.now();
    return origClick.call(this);
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { b.longtaskError = String(e); }
  document.addEventListener('change', (e) => {
    if (e.target && e.target.id === 'file-input') {
      b.start = performance.now(); b.end = null; b.progress = []; b.texts = []; b.lastText = null; b.lastValue = null;
      b.state = 'running'; b.sawRunning = false; b.changeDone = null;
    }
  }, true);
  // Runs after the page's own change handler and the render it schedules (microtasks run between
  // listeners): the page's share of the task in which Chromium delivers the chosen files.
  window.addEventListener('change', (e) => {
    if (e.target && e.target.id === 'file-input') b.changeDone = performance.now();
  });
  const check = () => {
    const now = performance.now();
    const running = document.querySelector('.status.running');
    if (running) {
      b.sawRunning = true;
      const bar = document.getElementById('progress');
      const text = running.textContent;
      const value = bar ? bar.getAttribute('value') : null;
      if (text !== b.lastText || value !== b.lastValue) {
        b.progress.push(now);
        b.texts.push([...running.querySelectorAll('span')].map((e) => e.textContent).filter(Boolean).join(' · '));
        b.lastText = text; b.lastValue = value;
      }
    } else if (b.state === 'running' && b.start !== null && b.sawRunning) {
      if (b.cancelClick !== null) {
        if (b.cancelIdle === null) {
          b.cancelIdle = now;
          requestAnimationFrame(() => requestAnimationFrame(() => { b.cancelFrame = performance.now(); }));
        }
        b.state = 'idle';
      } else if (document.querySelector('.result') || document.getElementById('error')) {
        b.end = now; b.state = 'idle';
        b.failed = document.getElementById('error') ? document.getElementById('error').textContent : null;
      }
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
};

async function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

async function workerWasmBytes(page) {
  let max = 0;
  for (const w of page.workers()) {
    try {
      const n = await w.evaluate(() => {
        const m = self.__loupeBenchMemory;
        return m ? m.buffer.byteLength : 0;
      });
      max = Math.max(max, n);
    } catch (e) { /* the worker went away */ }
  }
  return max;
}

/** Peak RSS (VmHWM) of the tab's renderer process, which runs the page and its worker. */
function rendererPeakBytes(profileDir) {
  let max = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer') || !cmd.includes(profileDir)) continue;
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) max = Math.max(max, Number(m[1]) * 1024);
    } catch (e) { /* gone */ }
  }
  return max;
}

async function heaps(cdp, page) {
  const out = { pageJs: 0, pageWasm: 0 };
  try { out.pageJs = (await cdp.send('Runtime.getHeapUsage')).usedSize; } catch (e) { /* ignore */ }
  try {
    out.pageWasm = await page.evaluate(() => {
      const m = window.__loupeBenchMemory;
      return m ? m.buffer.byteLength : 0;
    });
  } catch (e) { /* ignore */ }
  return out;
}

async function open(opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-bench-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  let crashed = false;
  page.on('crash', () => { crashed = true; });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.addInitScript(OBSERVE, opts);
  await page.goto(cfg.url);
  await page.waitForSelector('#file-input', { state: 'attached', timeout: 60000 });
  // The worker starts once the module is compiled; wait for it so that its start is not timed.
  for (let i = 0; i < 200 && page.workers().length === 0; i++) await sleep(50);
  // Then the time a person takes to choose files: the page's own start (its worker and the spare
  // warming up, the worker's helper started ahead) is not timed, as the read floor, measured in a
  // settled tab, is not. Without this pause the first analysis of a tab ran beside that start on
  // two cores (210 MB: 1.71 s against 0.80-0.87 s for the next ones, at commit 64bea25).
  await sleep(3000);
  const cdp = await context.newCDPSession(page);
  return {
    page, cdp, errors, crashed: () => crashed, dir,
    close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/** One analysis of `files`; polls memory while it runs. */
async function analyse(s, files, timeoutMs) {
  const { page, cdp } = s;
  await page.evaluate(() => { window.__loupeBench.longtasks = []; window.__loupeBench.cancelClick = null; });
  const peak = { workerWasm: 0, pageWasm: 0, pageJs: 0 };
  await page.setInputFiles('#file-input', files);
  const deadline = Date.now() + timeoutMs;
  let b;
  for (;;) {
    if (s.crashed()) throw new Error('the tab crashed (out of memory?)');
    b = await page.evaluate(() => ({ ...window.__loupeBench }));
    peak.workerWasm = Math.max(peak.workerWasm, await workerWasmBytes(page));
    const h = await heaps(cdp, page);
    peak.pageWasm = Math.max(peak.pageWasm, h.pageWasm);
    peak.pageJs = Math.max(peak.pageJs, h.pageJs);
    if (b.end !== null && b.start !== null) break;
    if (Date.now() > deadline) throw new Error(`no result within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
  // Wasm memory only grows: a last look after the end is the peak.
  peak.workerWasm = Math.max(peak.workerWasm, await workerWasmBytes(page));
  const h = await heaps(cdp, page);
  peak.pageWasm = Math.max(peak.pageWasm, h.pageWasm);
  peak.pageJs = Math.max(peak.pageJs, h.pageJs);
  const during = b.longtasks.filter((t) => t.start + t.duration >= b.start && t.start <= b.end);
  // The task that delivered the files (it holds the change event) is Chromium's file-input work
  // plus the page's handler; the others are the page's alone.
  const delivering = (t) => t.start <= b.start && b.start <= t.start + t.duration;
  const others = during.filter((t) => !delivering(t));
  const p = b.progress;
  let maxGap = 0;
  const rendererPeak = rendererPeakBytes(s.dir);
  for (let i = 1; i < p.length; i++) maxGap = Math.max(maxGap, p[i] - p[i - 1]);
  if (p.length) maxGap = Math.max(maxGap, p[0] - b.start, b.end - p[p.length - 1]);
  const secs = (b.end - b.start) / 1000;
  // The findings pane's count (its cards are drawn a few per task after the result shows).
  const findings = await page.$eval('.findings-pane h2 .count', (c) => Number(c.textContent)).catch(() => 0);
  return {
    secs,
    failed: b.failed || null,
    findings,
    longtasks: during.length,
    longestTaskMs: during.reduce((m, t) => Math.max(m, t.duration), 0),
    fileDeliveryTaskMs: during.filter(delivering).reduce((m, t) => Math.max(m, t.duration), 0),
    changeHandlerMs: b.changeDone !== null && b.changeDone !== undefined ? b.changeDone - b.start : null,
    longestOtherTaskMs: others.reduce((m, t) => Math.max(m, t.duration), 0),
    // Long tasks that started before the last progress update: while the files were read.
    longestTaskWhileReadingMs: during
      .filter((t) => p.length && t.start < p[p.length - 1])
      .reduce((m, t) => Math.max(m, t.duration), 0),
    longtaskObserver: b.longtaskError ? `unavailable: ${b.longtaskError}` : 'ok',
    progressUpdates: p.length,
    progressPerSec: secs > 0 ? p.length / secs : 0,
    progressMaxGapMs: maxGap,
    firstProgressMs: p.length ? p[0] - b.start : null,
    // Where the longest gap was: ms after the start, and how much had been read by then.
    longestGapAtMs: (() => {
      let at = null; let m = 0;
      for (let i = 1; i < p.length; i++) if (p[i] - p[i - 1] > m) { m = p[i] - p[i - 1]; at = p[i - 1] - b.start; }
      return at;
    })(),
    // The status shown during the longest gap (what the page was doing).
    longestGapAfterText: (() => {
      let at = null; let m = 0;
      for (let i = 1; i < p.length; i++) if (p[i] - p[i - 1] > m) { m = p[i] - p[i - 1]; at = i - 1; }
      return at === null ? null : b.texts[at];
    })(),
    lastProgressToEndMs: p.length ? b.end - p[p.length - 1] : null,
    peakRendererRss: rendererPeak,
    peakWorkerWasm: peak.workerWasm,
    peakPageWasm: peak.pageWasm,
    peakPageJs: peak.pageJs,
  };
}

/**
 * Each export of the result shown (JSON, Markdown, HTML): the time from the click on its button to
 * the page's click on the download link it made (page clock), the time until the file was saved
 * (driver clock), its size, the longest main-thread task meanwhile and the analysing worker's wasm
 * memory after it.
 */
async function exportsOf(s) {
  const { page } = s;
  const out = [];
  for (const format of ['json', 'md', 'html']) {
    await page.evaluate(() => { window.__loupeBench.longtasks = []; });
    const t0 = Date.now();
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 900000 }),
      page.click(`#export-${format}`),
    ]);
    const file = await download.path();
    const savedSecs = (Date.now() - t0) / 1000;
    const bytes = file ? fs.statSync(file).size : 0;
    const b = await page.evaluate(() => ({ ...window.__loupeBench }));
    const from = b.exportClick;
    const tasks = b.longtasks.filter((t) => from !== null && t.start + t.duration >= from);
    out.push({
      format,
      secs: b.exportSaved !== null && from !== null ? (b.exportSaved - from) / 1000 : null,
      savedSecs,
      bytes,
      longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
      workerWasm: await workerWasmBytes(page),
    });
    await download.delete().catch(() => {});
    process.stderr.write(`browser bench: export ${format}: ${out[out.length - 1].secs} s, ${bytes} bytes\n`);
  }
  return out;
}

// The read floor's worker: reads every file as the page's worker does (see worker.rs: `read_plan`,
// `READS_AHEAD`, `push_in_pieces`) and does nothing else with the bytes but copy them.
const FLOOR_WORKER = `
const FIRST = 1 << 20, CHUNK = 8 << 20, PUSH = 64 << 10, AHEAD = 2;
self.onmessage = async (e) => {
  const files = e.data.files;
  const t0 = performance.now();
  const plan = [];
  let chunk = FIRST;
  for (const f of files) {
    let start = 0;
    for (;;) {
      const end = Math.min(start + chunk, f.size);
      chunk = Math.min(chunk * 2, CHUNK);
      plan.push([f, start, end]);
      if (end >= f.size) break;
      start = end;
    }
  }
  const piece = new Uint8Array(PUSH);
  const ahead = [];
  const begin = (k) => { if (k < plan.length) { const [f, a, b] = plan[k]; ahead.push(f.slice(a, b).arrayBuffer()); } };
  for (let k = 0; k < AHEAD; k++) begin(k);
  let bytes = 0, check = 0;
  for (let k = 0; k < plan.length; k++) {
    const buf = await ahead.shift();
    begin(k + AHEAD);
    const view = new Uint8Array(buf);
    for (let at = 0; at < view.length; at += PUSH) {
      const part = view.subarray(at, Math.min(at + PUSH, view.length));
      piece.set(part);
      check ^= piece[part.length - 1];
    }
    bytes += view.length;
  }
  self.postMessage({ secs: (performance.now() - t0) / 1000, bytes, check });
};
self.postMessage({ ready: true });
`;

/** Give `files` to a file input of the bench's own (not the page's) once per tab. */
async function floorFiles(s, files) {
  const { page } = s;
  if (s.floorFiles === files) return;
  await page.evaluate(() => {
    if (document.getElementById('bench-floor-input')) return;
    const i = document.createElement('input');
    i.type = 'file'; i.multiple = true; i.id = 'bench-floor-input'; i.hidden = true;
    document.body.appendChild(i);
  });
  await page.setInputFiles('#bench-floor-input', files);
  s.floorFiles = files;
}

/**
 * The read floor: a fresh classic worker from a blob: URL reads the chosen files (see
 * FLOOR_WORKER); timed on the page from posting the files to the worker's answer, the worker
 * started and ready before.
 */
async function readFloor(s, files) {
  await floorFiles(s, files);
  return s.page.evaluate(async (src) => {
    const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    const w = new Worker(url);
    await new Promise((ok) => { w.onmessage = (e) => { if (e.data && e.data.ready) ok(); }; });
    const files = Array.from(document.getElementById('bench-floor-input').files);
    const t0 = performance.now();
    const r = await new Promise((ok, fail) => {
      w.onmessage = (e) => ok(e.data);
      w.onerror = (e) => fail(new Error(e.message));
      w.postMessage({ files });
    });
    const secs = (performance.now() - t0) / 1000;
    w.terminate();
    URL.revokeObjectURL(url);
    return { secs, workerSecs: r.secs, bytes: r.bytes };
  }, FLOOR_WORKER);
}

/** Start an analysis, click cancel once `afterPercent` % is read, time until the page is idle again. */
async function cancel(s, files, afterPercent) {
  const { page } = s;
  await page.evaluate(() => { window.__loupeBench.cancelClick = null; window.__loupeBench.cancelIdle = null; window.__loupeBench.cancelFrame = null; });
  await page.setInputFiles('#file-input', files);
  await page.waitForSelector('#cancel', { timeout: 30000 });
  // Halfway through reading: once the progress bar shows `afterPercent` (the analysis of 210 MB
  // takes well under a second now, so a fixed delay could miss it).
  await page.waitForFunction((pct) => {
    const bar = document.getElementById('progress');
    return !bar || Number(bar.getAttribute('value')) >= pct;
  }, afterPercent, { timeout: 30000, polling: 'raf' });
  const t0 = Date.now();
  const ok = await page.evaluate(() => {
    const btn = document.getElementById('cancel');
    if (!btn) return false;
    window.__loupeBench.cancelClick = performance.now();
    btn.click();
    return true;
  });
  if (!ok) return { error: 'the analysis ended before cancel could be clicked' };
  await page.waitForFunction(() => window.__loupeBench.cancelFrame !== null, null, { timeout: 30000 });
  const roundTrip = Date.now() - t0;
  const b = await page.evaluate(() => ({ ...window.__loupeBench }));
  // The page must be usable again: a fresh worker answers the next analysis.
  return {
    clickToIdleMs: b.cancelIdle - b.cancelClick,
    clickToFrameMs: b.cancelFrame - b.cancelClick,
    driverRoundTripMs: roundTrip,
    progressBefore: b.progress.length,
  };
}

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

for (const c of cfg.cases) {
  const out = { name: c.name, bytes: c.bytes, ok: true, error: null, runs: [], cancel: null, errors: [] };
  let s = null;
  try {
    s = await open();
    const runs = c.runs || cfg.runs || 1;
    for (let i = 0; i < runs; i++) {
      const run = await analyse(s, c.files, c.timeoutMs || 600000);
      // The floor right after, in the same tab: the same files, the same browser state. The page
      // starts its next spare worker once a result has arrived; the spare warms up by running
      // the engine (~0.2-0.4 s of CPU) and then starts its own helper: the floor waits 3 s for
      // that, so that it is not slowed by the page (measured with 1.5 s, it sometimes was).
      await sleep(3000);
      const floor = await readFloor(s, c.files);
      if (floor.bytes !== c.bytes) throw new Error(`the read floor read ${floor.bytes} bytes, not ${c.bytes}`);
      run.floorSecs = floor.secs;
      run.floorWorkerSecs = floor.workerSecs;
      out.runs.push(run);
      process.stderr.write(`browser bench: ${c.name} run ${i + 1}: ${run.secs.toFixed(2)} s, read floor ${floor.secs.toFixed(2)} s\n`);
    }
    if (c.exports) out.exports = await exportsOf(s);
    if (c.cancel) out.cancel = await cancel(s, c.files, c.cancelAfterPercent || 30);
    // The same analysis with one worker (no helper), in a tab of its own, for the comparison.
    if (c.oneWorker) {
      await s.close();
      s = await open({ oneWorker: true });
      out.oneWorker = [];
      for (let i = 0; i < runs; i++) {
        const run = await analyse(s, c.files, c.timeoutMs || 600000);
        out.oneWorker.push(run);
        process.stderr.write(`browser bench: ${c.name} one worker, run ${i + 1}: ${run.secs.toFixed(2)} s\n`);
      }
    }
  } catch (e) {
    out.ok = false;
    out.error = String(e && e.message ? e.message : e).split('\n')[0];
  }
  if (s) {
    out.errors = s.errors.slice(0, 5);
    await s.close().catch(() => {});
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

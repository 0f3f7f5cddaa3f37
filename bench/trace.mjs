// Where the page's time goes in one analysis: a Chromium trace (every thread of the tab's renderer:
// the page's main thread, the analysing worker and its helper) with V8's sampling profiler, taken
// of the second analysis in a tab (the first warms the tab). Not a test, not part of the bench.
//
// Usage: node bench/trace.mjs URL FILE... [--out trace.json] [--top N] [--first]
// Prints: the run's phases (change, progress updates, end), every main-thread task over 30 ms with
// the functions that took its time (self and inclusive), and per thread the functions that ran
// after the last progress update.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { takeOption } from './options.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => takeOption(argv, name, dflt);
const outFile = opt('--out', null);
const TOP = Number(opt('--top', 12));
const TASKS = Number(opt('--tasks', 6));
const FOCUS = opt('--focus', null); // a regex: inclusive times only of the functions it matches
// --first: trace the tab's first analysis (given 3 s after the page loads, as the bench gives it)
// instead of the second.
const FIRST = argv.includes('--first');
if (FIRST) argv.splice(argv.indexOf('--first'), 1);
const [url, ...files] = argv;

const OBSERVE = () => {
  const b = (window.__t = { start: null, end: null, progress: [], last: null, longtasks: [], state: 'idle' });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  document.addEventListener('change', (e) => {
    if (e.target && e.target.id === 'file-input') {
      b.start = performance.now(); b.end = null; b.progress = []; b.last = null; b.state = 'running';
      b.longtasks = [];
      performance.mark('t-start');
    }
  }, true);
  new MutationObserver(() => {
    const running = document.querySelector('.status.running');
    if (running) {
      const bar = document.getElementById('progress');
      const key = running.textContent + '|' + (bar ? bar.getAttribute('value') : '');
      if (key !== b.last) { b.last = key; b.progress.push(performance.now()); }
    } else if (b.state === 'running' && document.querySelector('.result')) {
      b.end = performance.now(); b.state = 'idle';
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-trace-'));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1440, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || (await context.newPage());
page.on('pageerror', (e) => console.error('pageerror', e.message));
await page.addInitScript(OBSERVE);
await page.goto(url);
await page.waitForSelector('#file-input', { state: 'attached', timeout: 60000 });
for (let i = 0; i < 200 && page.workers().length === 0; i++) await sleep(50);

async function analyse() {
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction(() => window.__t.end !== null, null, { timeout: 600000, polling: 100 });
  await sleep(1500); // the rows drawn after the result shows
  return page.evaluate(() => ({ ...window.__t }));
}

if (FIRST) await sleep(3000);
else await analyse(); // warm the tab
const cdp = await context.newCDPSession(page);
await cdp.send('Tracing.start', {
  transferMode: 'ReturnAsStream',
  traceConfig: {
    recordMode: 'recordAsMuchAsPossible',
    includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline',
      'v8.execute', 'disabled-by-default-v8.cpu_profiler', 'blink.user_timing', '__metadata',
      'v8.wasm', 'disabled-by-default-v8.wasm.detailed'],
  },
});
const b = await analyse();
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.end');
const { stream } = await done;
let text = '';
for (;;) {
  const r = await cdp.send('IO.read', { handle: stream, size: 1 << 22 });
  text += r.base64Encoded ? Buffer.from(r.data, 'base64').toString('utf8') : r.data;
  if (r.eof) break;
}
await cdp.send('IO.close', { handle: stream });
await context.close();
fs.rmSync(dir, { recursive: true, force: true });
if (outFile) fs.writeFileSync(outFile, text);
const trace = JSON.parse(text);
const events = Array.isArray(trace) ? trace : trace.traceEvents;

// Threads.
const threadName = new Map();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args.name);
const marks = events.filter((e) => e.cat && e.cat.includes('blink.user_timing') && e.name.startsWith('t-'));
const mainKey = marks.length ? `${marks[0].pid}:${marks[0].tid}` : null;
const markTs = (n) => marks.filter((m) => m.name === n).map((m) => m.ts).sort((x, y) => x - y);
const t0 = markTs('t-start')[0];
// Page times (performance.now) to trace times (µs) through the start mark.
const toTs = (pageMs) => t0 + (pageMs - b.start) * 1000;
const progress = b.progress.map(toTs);
const tEnd = toTs(b.end);
const ms = (ts) => ((ts - t0) / 1000).toFixed(0);
console.log(`run: ${((b.end - b.start) / 1000).toFixed(3)} s, ${b.progress.length} progress updates, last at ${(b.progress.at(-1) - b.start).toFixed(0)} ms, end ${(b.end - b.start).toFixed(0)} ms`);
let gap = 0; let gapAt = 0;
const pts = [b.start, ...b.progress, b.end];
for (let i = 1; i < pts.length; i++) if (pts[i] - pts[i - 1] > gap) { gap = pts[i] - pts[i - 1]; gapAt = pts[i - 1] - b.start; }
console.log(`longest progress gap ${gap.toFixed(0)} ms from ${gapAt.toFixed(0)} ms`);
console.log(`long tasks (observer): ${b.longtasks.map((t) => `${(t.start - b.start).toFixed(0)}+${t.duration.toFixed(0)}`).join(' ')}`);

// CPU profiles: one per thread, in chunks.
const profiles = new Map(); // id -> { key, nodes: Map, samples: [{ts, node}] }
for (const e of events) {
  if (e.name === 'Profile' && e.ph === 'P') {
    profiles.set(e.id, { key: `${e.pid}:${e.tid}`, nodes: new Map(), samples: [], last: e.args.data.startTime });
  }
}
for (const e of events) {
  if (e.name !== 'ProfileChunk') continue;
  const p = profiles.get(e.id);
  if (!p) continue;
  const d = e.args.data;
  const cp = d.cpuProfile || {};
  for (const n of cp.nodes || []) p.nodes.set(n.id, n);
  const deltas = d.timeDeltas || [];
  (cp.samples || []).forEach((s, i) => { p.last += deltas[i] || 0; p.samples.push({ ts: p.last, node: s }); });
}
function fname(n) {
  const f = n.callFrame;
  let name = f.functionName || '(anonymous)';
  if (!f.url && !f.functionName) name = `(${f.codeType || 'native'})`;
  return name.length > 90 ? name.slice(0, 90) + '…' : name;
}
function stackOf(p, id) {
  const out = [];
  let n = p.nodes.get(id);
  while (n) { out.push(n); n = n.parent !== undefined ? p.nodes.get(n.parent) : null; }
  return out;
}
for (const p of profiles.values()) {
  for (const n of p.nodes.values()) for (const c of n.children || []) { const ch = p.nodes.get(c); if (ch) ch.parent = n.id; }
  p.samples.sort((x, y) => x.ts - y.ts);
}
function breakdown(key, from, to, label) {
  const self = new Map(); const incl = new Map(); let total = 0;
  for (const p of profiles.values()) {
    if (p.key !== key) continue;
    for (let i = 0; i < p.samples.length; i++) {
      const s = p.samples[i];
      if (s.ts < from || s.ts > to) continue;
      const dt = i + 1 < p.samples.length ? Math.min(p.samples[i + 1].ts - s.ts, 10000) : 0;
      const st = stackOf(p, s.node);
      if (!st.length) continue;
      const top = fname(st[0]);
      if (top === '(idle)') continue;
      total += dt;
      self.set(top, (self.get(top) || 0) + dt);
      const seen = new Set();
      for (const n of st) { const nm = fname(n); if (seen.has(nm)) continue; seen.add(nm); incl.set(nm, (incl.get(nm) || 0) + dt); }
    }
  }
  const keep = (m) => FOCUS ? new Map([...m.entries()].filter(([n]) => new RegExp(FOCUS).test(n))) : m;
  const fmt = (m) => [...m.entries()].sort((x, y) => y[1] - x[1]).slice(0, TOP).map(([n, v]) => `    ${(v / 1000).toFixed(1).padStart(7)} ms  ${n}`).join('\n');
  console.log(`\n${label}: ${(total / 1000).toFixed(0)} ms sampled\n  self:\n${fmt(self)}\n  inclusive:\n${fmt(keep(incl))}`);
}

// Main-thread tasks over 30 ms.
const tasks = events.filter((e) => `${e.pid}:${e.tid}` === mainKey && e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur > 30000 && e.ts >= t0 - 1000);
tasks.sort((x, y) => x.ts - y.ts);
console.log(`\nmain-thread tasks over 30 ms (trace): ${tasks.map((t) => `${ms(t.ts)}+${(t.dur / 1000).toFixed(0)}`).join(' ')}`);
const seenTask = new Set();
for (const t of tasks.slice().sort((x, y) => y.dur - x.dur)) {
  if (seenTask.has(t.ts) || seenTask.size >= TASKS) continue;
  seenTask.add(t.ts);
  breakdown(mainKey, t.ts, t.ts + t.dur, `main task at ${ms(t.ts)} ms, ${(t.dur / 1000).toFixed(0)} ms`);
  // The browser's own work in it (style, layout, paint, script): trace events by name, nested
  // ones counted in their parents too.
  const by = new Map();
  for (const e of events) {
    if (`${e.pid}:${e.tid}` !== mainKey || e.ph !== 'X' || e.ts < t.ts || e.ts + e.dur > t.ts + t.dur || e === t) continue;
    if (/RunTask/.test(e.name)) continue;
    by.set(e.name, (by.get(e.name) || 0) + e.dur);
  }
  console.log('  trace events: ' + [...by.entries()].sort((x, y) => y[1] - x[1]).slice(0, 10).map(([n, d]) => `${n} ${(d / 1000).toFixed(1)}`).join(', '));
}
const lastP = progress.at(-1);
console.log(`\nafter the last progress (${ms(lastP)} ms) to the end (${ms(tEnd)} ms), by thread:`);
const keys = new Set([...profiles.values()].map((p) => p.key));
for (const k of keys) breakdown(k, lastP, tEnd, `${threadName.get(k) || k}`);
console.log('\nwhole run, by thread:');
for (const k of keys) breakdown(k, t0, tEnd, `${threadName.get(k) || k}`);

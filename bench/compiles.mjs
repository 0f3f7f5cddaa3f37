// What V8 optimises while the page analyses: every wasm function TurboFan compiles (V8's
// `--trace-wasm-compilation-times`, read from Chromium's stdout), split into before the analysis
// (the page's load and the worker's warm-up), during it (change event to result) and after it
// (the result drawn). On a two-core machine that compiling takes CPU from the workers and the
// page: a function that becomes hot only during the analysis (the helper's hand-over, the
// result's encoding and decoding, the result's first render) is compiled then. Not a test, not
// part of the bench.
//
// Usage: node bench/compiles.mjs URL [--names NAMED.wasm] [--delay MS] [--top N] FILE...
// `--names`: a build of the same wasm with its name section (function indices unchanged), e.g.
// `node_modules/.bin/wasm-opt -Oz -g target/loupe-web-bindgen/loupe_bg.wasm -o /tmp/named.wasm`
// after `cargo xtask dist` (dist's wasm has no names); without it functions are shown by index.
// `--delay`: give the files this long after the page loaded (default 3000 ms, as the bench does).
// Prints, per phase, how many functions TurboFan compiled and the CPU that took (ms), then the
// largest compiles of the analysis with their body size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { takeOption } from './options.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => takeOption(argv, name, dflt);
const namesFile = opt('--names', null);
const DELAY = Number(opt('--delay', 3000));
const TOP = Number(opt('--top', 20));
const [url, ...files] = argv;
if (!url || !files.length) {
  console.error('usage: node bench/compiles.mjs URL [--names NAMED.wasm] [--delay MS] [--top N] FILE...');
  process.exit(2);
}

/** Function names from a wasm file's `name` section (function index -> name). */
function wasmNames(file) {
  const b = fs.readFileSync(file);
  const names = new Map();
  let p = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    let x;
    do { x = b[p++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80);
    return r;
  };
  while (p < b.length) {
    const id = b[p++];
    const len = leb();
    const end = p + len;
    if (id === 0) {
      const nl = leb();
      const section = b.subarray(p, p + nl).toString();
      p += nl;
      while (section === 'name' && p < end) {
        const sub = b[p++];
        const subLen = leb();
        const subEnd = p + subLen;
        if (sub === 1) {
          for (let n = leb(); n > 0; n--) {
            const idx = leb();
            const l = leb();
            names.set(idx, b.subarray(p, p + l).toString().replace(/::h[0-9a-f]{16}$/, ''));
            p += l;
          }
        }
        p = subEnd;
      }
    }
    p = end;
  }
  return names;
}
const names = namesFile ? wasmNames(namesFile) : new Map();

// `Compiled function 0x...#230 using TurboFan, took 17327 μs and ...; bodysize 4823 codesize ...`
const LINE = /Compiled function \S*#(\d+) using TurboFan, took (\d+) μs.*bodysize (\d+)/;
const compiles = []; // { at (ms, Date.now), index, ms, body }
// Chromium's stdout reaches this process only through Playwright's `pw:browser` debug log (on
// stderr): it is switched on before Playwright loads, and its lines are taken off stderr here.
process.env.DEBUG = [process.env.DEBUG, 'pw:browser'].filter(Boolean).join(',');
const stderrWrite = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => {
  const text = String(chunk);
  if (!text.includes('pw:browser')) return stderrWrite(chunk, ...rest);
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m) compiles.push({ at: Date.now(), index: Number(m[1]), ms: Number(m[2]) / 1000, body: Number(m[3]) });
  }
  return true;
};
const { chromium } = await import('playwright-core');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-compiles-'));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--js-flags=--trace-wasm-compilation-times'],
});
const page = context.pages()[0] || (await context.newPage());
page.on('pageerror', (e) => console.error('pageerror', e.message));
const loaded = Date.now();
await page.goto(url);
await page.waitForSelector('#file-input', { state: 'attached', timeout: 60000 });
await sleep(DELAY);
const start = Date.now();
await page.setInputFiles('#file-input', files);
await page.waitForSelector('.result', { timeout: 600000 });
const end = Date.now();
await sleep(2000); // the rest of the result drawn
await context.close();
fs.rmSync(dir, { recursive: true, force: true });

const phases = [
  ['before (load, warm-up)', (c) => c.at < start],
  ['during the analysis', (c) => c.at >= start && c.at <= end],
  ['after (result drawn, 2 s)', (c) => c.at > end],
];
console.log(`load to files ${start - loaded} ms, analysis ${end - start} ms (as Playwright sees it)`);
for (const [label, within] of phases) {
  const cs = compiles.filter(within);
  const ms = cs.reduce((s, c) => s + c.ms, 0);
  console.log(`${label}: ${cs.length} functions, ${ms.toFixed(0)} ms of TurboFan`);
}
const name = (i) => names.get(i) || `wasm-function[${i}]`;
console.log(`\nlargest compiles during the analysis:`);
for (const c of compiles.filter(phases[1][1]).sort((x, y) => y.ms - x.ms).slice(0, TOP)) {
  console.log(`${c.ms.toFixed(1).padStart(8)} ms  +${String(c.at - start).padStart(5)} ms  body ${String(c.body).padStart(6)}  ${name(c.index).slice(0, 110)}`);
}

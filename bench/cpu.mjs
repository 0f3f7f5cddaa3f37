// Where the CPU of a page analysis goes: every thread of every Chromium process, from /proc, for
// each of N analyses (each in a new tab, given its files 3 s after the tab loaded, as the bench
// gives them). Wall time says how long; CPU per thread says which part of the work a change moved
// (the page's main thread, each worker, V8's compiler threads, the browser's reading), which wall
// times on a shared two-core machine, ±25 % from run to run, do not. Threads that end during the
// run (a helper worker) are polled every 200 ms so that their time counts.
// Not a test, not part of the bench.
//
// Usage: node bench/cpu.mjs URL RUNS FILE...
// Prints, per run: the wall time until Playwright sees the result (later than the bench's end
// mark, which the page's own observer takes: the main thread is busy drawing the result then),
// the CPU of all processes over that time, and per thread (process type, thread name; a process's
// main thread is `main`, the renderer's workers `worker`) the CPU in ms.
import { chromium } from 'playwright-core';
import fs from 'node:fs';

const [url, runs, ...files] = process.argv.slice(2);
if (!url || !files.length) {
  console.error('usage: node bench/cpu.mjs URL RUNS FILE...');
  process.exit(2);
}
const TICK_MS = 1000 / 100; // USER_HZ

/** CPU time (ticks) of every thread of every Chromium process, keyed by pid:tid. */
function snapshot() {
  const out = {};
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd;
    let tids;
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!/chrom/.test(cmd)) continue;
      tids = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // gone meanwhile
    }
    const type = (/--type=([a-z-]+)/.exec(cmd) || [null, 'browser'])[1];
    for (const tid of tids) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const label = pid === tid ? 'main' : /^DedicatedWorker/.test(name) ? 'worker' : name;
        out[`${pid}:${tid}`] = { key: `${type}:${label}:${tid}`, ticks: Number(fields[11]) + Number(fields[12]) };
      } catch {
        // the thread ended meanwhile
      }
    }
  }
  return out;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic'],
});
for (let r = 0; r < Number(runs); r++) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await page.waitForTimeout(3000);
  const before = snapshot();
  const last = {};
  const poll = setInterval(() => Object.assign(last, snapshot()), 200);
  const t0 = Date.now();
  await page.setInputFiles('#file-input', files);
  await page.waitForSelector('.result', { timeout: 120000 });
  const wall = Date.now() - t0;
  clearInterval(poll);
  Object.assign(last, snapshot());
  const byThread = {};
  let total = 0;
  for (const [id, t] of Object.entries(last)) {
    const ms = (t.ticks - (before[id] ? before[id].ticks : 0)) * TICK_MS;
    if (ms <= 0) continue;
    byThread[t.key] = ms;
    total += ms;
  }
  const top = Object.entries(byThread).filter(([, ms]) => ms >= 20).sort((a, b) => b[1] - a[1]);
  console.log(`run ${r + 1}: wall ${wall} ms, cpu ${total} ms: ${top.map(([k, ms]) => `${k}=${ms}`).join(' ')}`);
  await page.close();
}
await browser.close();

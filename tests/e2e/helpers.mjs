// Shared set-up for the end-to-end tests: Debian's Chromium through playwright-core, a fresh
// profile per test, every request recorded, dialogs and page errors collected.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = process.env.LOUPE_ROOT || path.resolve(import.meta.dirname, '../..');
export const URL_BASE = process.env.LOUPE_URL; // http://127.0.0.1:<port>/ serving dist/
export const FILE = process.env.LOUPE_FILE || path.join(ROOT, 'dist/loupe.html');
export const ARTIFACTS = process.env.LOUPE_ARTIFACTS || path.join(ROOT, 'tests/e2e/artifacts');
export const FIXTURES = path.join(ROOT, 'tests/fixtures');
fs.mkdirSync(ARTIFACTS, { recursive: true });

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Open the app (hosted URL, file://, or `opts.url`). Returns { page, requests, dialogs, errors, close }. */
export async function open(where = 'http', opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-pw-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    acceptDownloads: true,
    viewport: { width: 1440, height: 900 },
    locale: opts.locale || 'en-US',
    colorScheme: opts.colorScheme || 'light',
    bypassCSP: !!opts.bypassCSP, // only for injecting axe-core (tests/e2e/a11y.test.mjs)
  });
  const page = context.pages()[0] || (await context.newPage());
  const requests = [];
  const dialogs = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const url = opts.url || (where === 'file' ? 'file://' + FILE : URL_BASE);
  if (!url) throw new Error('LOUPE_URL is not set: run through `cargo xtask test`');
  await page.goto(url);
  await page.waitForSelector('#file-input', { state: 'attached', timeout: 30000 });
  return {
    page, requests, dialogs, errors, context,
    close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Every request went to the page's own files (or data:, blob:). */
export function foreignRequests(requests) {
  const own = URL_BASE ? new URL(URL_BASE).origin : null;
  return requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:') || u.startsWith('file://')) return false;
    if (own && u.startsWith(own + '/')) return false;
    return true;
  });
}

/** What the CLI finds in the same inputs: the page must show at least this. */
export function cli(paths, lang = 'en') {
  const exe = path.join(ROOT, 'target/debug/loupe');
  const out = execFileSync(exe, ['analyze', '--format', 'json', '--events', '--lang', lang, ...paths], {
    cwd: ROOT, maxBuffer: 64 << 20,
  }).toString();
  return JSON.parse(out);
}

export async function cardRules(page) {
  return page.$$eval('.card', (cards) => cards.map((c) => [c.dataset.rule, c.dataset.severity]));
}

export async function analyseFiles(page, files) {
  await page.setInputFiles('#file-input', files);
  await waitDone(page);
}

export async function waitDone(page) {
  await page.waitForSelector('.result', { timeout: 60000 });
  await page.waitForFunction(() => !document.querySelector('.status.running'), null, { timeout: 60000 });
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, name + '.png') });
}

/** Every IPv4/IPv6 address, FQDN, 32-hex PeerId and FileHead host name in `text`. */
export function identifiers(text) {
  const found = new Set();
  for (const m of text.matchAll(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g)) {
    if (m[0].split('.').every((o) => Number(o) <= 255)) found.add(m[0]);
  }
  for (const m of text.matchAll(/\b[0-9a-fA-F]{32}\b/g)) found.add(m[0]);
  for (const m of text.matchAll(/\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.){2,}[A-Za-z]{2,}\b/g)) {
    if (!/\.(txt|log|gz|zip|java|xml|json|properties|conf|cfg|sh|py)$/i.test(m[0])) found.add(m[0]);
  }
  for (const m of text.matchAll(/HostName\s*[:=]\s*([A-Za-z0-9-]{3,})/g)) found.add(m[1]);
  return [...found];
}

/** Run axe-core (the pinned npm package) on the page as it is; the context must be opened with
 * `bypassCSP: true`, the page's CSP forbids the injected script otherwise. */
export async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    const src = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
    await page.addScriptTag({ content: src });
  }
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

/** `count` SdlStat records of a trace, line `i` (from 1) reading `SdlStat line i of a long trace`:
 * text of no interest to the engine, in bulk. */
export function statLines(count) {
  const lines = [];
  for (let i = 1; i <= count; i++) lines.push(`${String(i).padStart(8, '0')}.001 |17:06:30.100 |AppInfo |SdlStat line ${i} of a long trace`);
  return lines.join('\n') + '\n';
}

/** Inputs that take the page a long while to read, so that the status line (progress, cancel) can
 * be looked at and used before the analysis ends: one trace of `copies` × 300,000 SdlStat lines
 * (about 22 MB each) in `dir`, given under `names` names (hard links: no more disk). One 350 MB
 * file took the page about 1 s here, less than axe and a screenshot of the status line: the
 * analysis ended before `#cancel` was clicked. Eight copies under 24 names are 4.2 GB to read. */
export function largeInputs(dir, copies = 8, names = 24) {
  const file = path.join(dir, 'large.txt');
  const text = statLines(300000);
  const fd = fs.openSync(file, 'w');
  for (let k = 0; k < copies; k++) fs.writeSync(fd, text);
  fs.closeSync(fd);
  const files = [file];
  for (let n = 2; n <= names; n++) {
    const link = path.join(dir, `large-${n}.txt`);
    fs.linkSync(file, link);
    files.push(link);
  }
  return files;
}

/**
 * A generated hub/spoke corpus: `attempts` ILS attempts planted in `size` of trace per side. Both
 * hosts' files are named alike (SDL001_600_000001.txt): each is renamed after its host, since the
 * file input gives the page base names only.
 */
export function generated(dir, size, attempts) {
  const xtask = path.join(ROOT, 'target/debug/xtask');
  const args = ['gen', '--size', size, '--attempts', String(attempts), '--seed', '7', '--out', dir];
  if (fs.existsSync(xtask)) execFileSync(xtask, args, { cwd: ROOT });
  else execFileSync('cargo', ['run', '-q', '-p', 'xtask', '--', ...args], { cwd: ROOT });
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.txt')) {
        const named = path.join(dir, `${path.basename(d)}-${e.name}`);
        fs.renameSync(p, named);
        files.push(named);
      }
    }
  };
  walk(dir);
  return files.sort();
}

// Installed before the page's scripts (`context.addInitScript`): keeps every message a worker sends to the page, as text.
export const recordWorkerMessages = () => {
  const Orig = window.Worker;
  window.__loupeMessages = [];
  window.Worker = class extends Orig {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        // The worker's messages are JSON, as UTF-8 bytes in an ArrayBuffer (a string from boot.js).
        if (typeof e.data === 'string') window.__loupeMessages.push(e.data);
        else if (e.data instanceof ArrayBuffer) window.__loupeMessages.push(new TextDecoder().decode(e.data));
      });
    }
  };
};


// Offline after one visit: the hosted build registers a service worker (sw.js, written by
// `cargo xtask dist`) caching only the page's own files. This test serves dist/ on its own port,
// loads the page once, stops the server, reloads and analyses a fixture. From file:// the single
// file works without one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { open, cli, cardRules, analyseFiles, shot, FIXTURES, ROOT } from './helpers.mjs';

const DIST = path.join(ROOT, 'dist');
const TYPES = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', wasm: 'application/wasm' };
const OWN = ['./', 'index.html', 'loupe.js', 'boot.js', 'loupe.css', 'loupe_bg.wasm'];

function serve() {
  const server = http.createServer((req, res) => {
    let name = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(DIST, name);
    if (!file.startsWith(DIST + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404); res.end(); return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file).slice(1)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('hosted: after one visit the page opens and analyses with the server gone', async () => {
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const app = await open('http', { url: origin + '/' });
  const { page } = app;
  try {
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 30000 });
    const sw = fs.readFileSync(path.join(DIST, 'sw.js'), 'utf8');
    const cacheName = sw.match(/var CACHE = "(loupe-[0-9a-f]{16})"/)[1];
    const cached = await page.evaluate(async () => {
      const out = {};
      for (const k of await caches.keys()) {
        out[k] = (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname.replace(/^\//, '') || './');
      }
      return out;
    });
    assert.deepEqual(Object.keys(cached), [cacheName], 'one cache, named by the content hash');
    assert.deepEqual([...cached[cacheName]].sort(), [...OWN].sort(), 'exactly the page\'s own files');

    // The server goes away; the page reloads and analyses from the cache.
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    const gone = await page.evaluate((u) => fetch(u + '/sw.js').then(() => 'reachable', () => 'gone'), origin);
    assert.equal(gone, 'gone', 'the server is stopped');
    await page.reload();
    await page.waitForSelector('#file-input', { state: 'attached', timeout: 30000 });
    const files = ['hub.txt', 'spoke.txt'].map((f) => path.join(FIXTURES, 'ils', 'm2-spoke-cert-not-trusted', f));
    await analyseFiles(page, files);
    assert.deepEqual(await cardRules(page), cli(files).findings.map((f) => [f.rule, f.severity]), 'offline analysis as the CLI');
    await shot(page, '23-offline-after-reload');
    assert.ok(app.requests.every((u) => u.startsWith(origin + '/') || u.startsWith('blob:') || u.startsWith('data:')), 'only the page\'s own files');
    assert.deepEqual(app.errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e)), []);
  } finally {
    await app.close();
    if (server.listening) server.close();
  }
});

test('file://: the single file registers no service worker and still works', async () => {
  const app = await open('file');
  const { page } = app;
  try {
    const regs = await page.evaluate(async () => {
      if (!('serviceWorker' in navigator)) return 0;
      try { return (await navigator.serviceWorker.getRegistrations()).length; } catch { return 0; }
    });
    assert.equal(regs, 0);
    const files = ['hub.txt', 'spoke.txt'].map((f) => path.join(FIXTURES, 'ils', 'm2-spoke-cert-not-trusted', f));
    await analyseFiles(page, files);
    assert.ok((await page.locator('.card').count()) > 0);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

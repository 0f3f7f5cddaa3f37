// The ladder diagram of a connection attempt and the map of the ILS network, in Chromium.
// Run by `cargo xtask test` with the other files of tests/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { open, analyseFiles, shot, FIXTURES, ARTIFACTS } from './helpers.mjs';

const ils = (scenario, files = ['hub.txt', 'spoke.txt']) => files.map((f) => path.join(FIXTURES, 'ils', scenario, f));
const THREE = ils('three-clusters', ['hub.txt', 'spoke-cucm11.txt', 'spoke-cucm12.txt']);

const steps = (page) => page.$$eval('svg[data-ladder] [data-step]', (gs) => gs.map((g) => [g.dataset.step, g.dataset.failing === 'true']));

test('a selected finding shows the ladder of its attempt; Enter on an arrow shows its lines', async () => {
  const app = await open();
  const { page } = app;
  try {
    await analyseFiles(page, ils('m2-spoke-cert-not-trusted'));
    assert.equal(await page.locator('svg[data-ladder]').count(), 0, 'no ladder before a selection');
    await page.click('.card[data-rule="ils.tls.peer-unknown"] button.title');
    await page.waitForSelector('svg[data-ladder]');
    assert.deepEqual(await steps(page), [['certificate', true], ['alarm', false], ['closed', false]]);
    // Every arrow is focusable and named.
    // The arrow's accessible name is its visible text: time, step, failing mark.
    const label = await page.$eval('svg[data-ladder] [data-step="certificate"]', (g) => g.textContent);
    assert.match(label, /^\d\d:\d\d:\d\d\.\d{3} certificate: .*\(failing step\)$/);
    await page.focus('svg[data-ladder] [data-step="alarm"]');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.step), 'closed', 'Tab goes to the next arrow');
    await page.keyboard.press('Enter');
    // The close request is hub line 8: selected in the side-by-side view, the arrow marked.
    await page.waitForSelector('#sbs .ev.sel[data-input="0"][data-line="8"]');
    await page.waitForSelector('svg[data-ladder] [data-step="closed"].active');
    await shot(page, 'ladder-01-light-en');
    await page.selectOption('#lang', 'ja');
    await page.waitForSelector('svg[data-ladder] [data-step="certificate"]');
    assert.match(await page.$eval('svg[data-ladder] [data-step="certificate"]', (g) => g.textContent), /証明書/);
    await shot(page, 'ladder-02-light-ja');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('the network map of three clusters: nodes, links by verdict, a link filters', async () => {
  const app = await open('http', { colorScheme: 'dark' });
  const { page } = app;
  try {
    await analyseFiles(page, THREE);
    await page.waitForSelector('[data-network-map]');
    const clusters = await page.$$eval('[data-network-map] [data-cluster]', (n) => n.map((g) => g.dataset.cluster));
    assert.deepEqual(clusters, ['com1150', 'cucm11', 'cucm12']);
    const links = await page.$$eval('[data-network-map] [data-link]', (n) => n.map((g) => [g.dataset.link, g.dataset.verdict]));
    assert.deepEqual(links, [['com1150—cucm11', 'ok'], ['com1150—cucm12', 'error']]);
    assert.equal(await page.locator('.card').count(), 2);
    await page.click('[data-link="com1150—cucm12"]');
    await page.waitForSelector('#pair-filter');
    assert.deepEqual(await page.$$eval('.card', (c) => c.map((x) => x.dataset.rule)), ['ils.password-mismatch']);
    const rowConns = await page.$$eval('#sbs .sbs-row:not(.head)', (r) => r.map((x) => x.dataset.connection));
    assert.deepEqual([...new Set(rowConns)], ['1'], 'only the rows of that pair');
    await shot(page, 'ladder-03-map-dark-en');
    await page.click('#pair-filter-clear');
    await page.waitForFunction(() => document.querySelectorAll('.card').length === 2);
    // The keyboard picks a link too.
    await page.focus('[data-link="com1150—cucm11"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-link="com1150—cucm11"][aria-pressed="true"]');
    assert.deepEqual(await page.$$eval('.card', (c) => c.map((x) => x.dataset.rule)), ['ils.joined.password']);
    // The failing attempt's ladder, in dark mode and Japanese.
    await page.click('#pair-filter-clear');
    await page.click('.card[data-rule="ils.password-mismatch"] button.title');
    await page.waitForSelector('svg[data-ladder]');
    assert.deepEqual(await steps(page), [['tcp-connect', false], ['password', true], ['alarm', false]]);
    await page.selectOption('#lang', 'ja');
    await page.waitForSelector('[data-network-map]');
    await shot(page, 'ladder-04-dark-ja');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

const rgb = (s) => s.match(/[\d.]+/g).slice(0, 3).map(Number);
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, b2] = rgb(c).map((v) => { const x = v / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The map as the browser lays it out: node boxes (circle and both labels, measured) apart,
 * inside the viewBox, and not all on one line. */
async function assertMapReadable(page, what) {
  const m = await page.$eval('[data-network-map]', (svg) => ({
    box: { width: svg.viewBox.baseVal.width, height: svg.viewBox.baseVal.height },
    nodes: [...svg.querySelectorAll('[data-cluster]')].map((g) => {
      const b = g.getBBox();
      const c = g.querySelector('circle');
      return { key: g.dataset.cluster, x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height, cx: +c.getAttribute('cx'), cy: +c.getAttribute('cy') };
    }),
  }));
  const n = m.nodes;
  assert.ok(n.length >= 3);
  const [a, b] = n;
  assert.ok(!n.slice(2).every((c) => (b.cx - a.cx) * (c.cy - a.cy) === (b.cy - a.cy) * (c.cx - a.cx)), `${what}: not all on one line ${JSON.stringify(n)}`);
  for (const [i, p] of n.entries()) {
    assert.ok(p.x0 >= 0 && p.y0 >= 0 && p.x1 <= m.box.width && p.y1 <= m.box.height, `${what}: ${p.key} inside the viewBox`);
    for (const q of n.slice(i + 1)) {
      assert.ok(p.x1 <= q.x0 || q.x1 <= p.x0 || p.y1 <= q.y0 || q.y1 <= p.y0, `${what}: ${p.key} and ${q.key} overlap`);
    }
  }
}

test('the map in two dimensions in both languages; the HTML export has a dark mode its diagrams follow', async () => {
  const app = await open('http');
  const { page, context } = app;
  try {
    await analyseFiles(page, THREE);
    await page.waitForSelector('[data-network-map]');
    await assertMapReadable(page, 'en');
    await page.locator('.network-map-wrap').screenshot({ path: path.join(ARTIFACTS, 'ladder-05-map-light-en.png') });
    await page.selectOption('#lang', 'ja');
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    await assertMapReadable(page, 'ja');
    assert.match(await page.locator('[data-cluster="com1150"]').textContent(), /ハブ/);
    await page.locator('.network-map-wrap').screenshot({ path: path.join(ARTIFACTS, 'ladder-06-map-light-ja.png') });
    await page.selectOption('#lang', 'en');

    // The HTML export, read in a dark page: the page is dark, the diagrams' text and lines light.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-html')]);
    const html = fs.readFileSync(await download.path(), 'utf8');
    assert.ok(html.includes('data-network-map') && html.includes('data-ladder'), 'the map and a ladder are embedded');
    const report = await context.newPage();
    const colours = async () => report.evaluate(() => {
      const cs = (el) => getComputedStyle(el);
      const out = { body: [cs(document.body).color, cs(document.body).backgroundColor], marks: [] };
      for (const svg of document.querySelectorAll('svg')) {
        const bg = cs(svg).backgroundColor;
        for (const el of svg.querySelectorAll('text')) out.marks.push(['text', el.textContent, cs(el).fill, bg]);
        for (const el of svg.querySelectorAll('line, polygon')) {
          out.marks.push([el.tagName, el.closest('[data-step],[data-link]')?.dataset.step || '', el.tagName === 'line' ? cs(el).stroke : cs(el).fill, bg]);
        }
      }
      return out;
    });
    for (const scheme of ['dark', 'light']) {
      await report.emulateMedia({ colorScheme: scheme });
      await report.setContent(html);
      const c = await colours();
      const bodyLum = rgb(c.body[1]).reduce((x, y) => x + y, 0) / 3;
      assert.ok(scheme === 'dark' ? bodyLum < 64 : bodyLum > 192, `${scheme}: page background ${c.body[1]}`);
      assert.ok(contrast(...c.body) >= 7, `${scheme}: body text ${c.body}`);
      assert.ok(c.marks.length > 10);
      for (const [tag, what, colour, bg] of c.marks) {
        const min = tag === 'text' ? 4.5 : 3;
        assert.ok(contrast(colour, bg) >= min, `${scheme}: ${tag} ${what} ${colour} on ${bg}: ${contrast(colour, bg).toFixed(2)}`);
      }
      if (scheme === 'dark') await report.screenshot({ path: path.join(ARTIFACTS, 'ladder-07-export-dark.png'), fullPage: true });
    }
    await report.close();
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

// The ladder diagram of a connection attempt and the map of the ILS network, in Chromium.
// Run by `cargo xtask test` with the other files of tests/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { open, analyseFiles, shot, FIXTURES } from './helpers.mjs';

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

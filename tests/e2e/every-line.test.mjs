// "Every line" in the side-by-side view: every line of both sides of one connection attempt, from
// its first to its last line on each side, read back from the dropped files on demand (as the raw
// view reads them): lines that are no event of the result, with their true line numbers, and never
// part of what the worker sent as the result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { open, cli, analyseFiles, shot, recordWorkerMessages, FIXTURES } from './helpers.mjs';

const SCENARIO = 'retries';
const files = ['hub.txt', 'spoke.txt'].map((f) => path.join(FIXTURES, 'ils', SCENARIO, f));

/** `text` as it appears inside a JSON string. */
const inJson = (text) => JSON.stringify(text).slice(1, -1);

for (const where of ['http', 'file']) {
  test(`every line (${where}): an attempt's lines on both sides, read back from the files`, async () => {
    const expected = cli(files);
    const joined = expected.connections.findIndex((c) => c.outcome === 'joined' && c.hub_input !== null && c.spoke_input !== null);
    assert.ok(joined >= 0, 'the fixture has a joined attempt seen on both sides');
    // The attempt's first and last line on each side.
    const windows = new Map();
    const eventLines = new Set();
    for (const ei of expected.connections[joined].events) {
      const e = expected.events[ei];
      eventLines.add(`${e.input}:${e.line}`);
      const w = windows.get(e.input) || { first: e.line, last: e.line };
      windows.set(e.input, { first: Math.min(w.first, e.line), last: Math.max(w.last, e.line) });
    }
    for (const e of expected.events) eventLines.add(`${e.input}:${e.line}`);
    const hub = expected.connections[joined].hub_input;
    const spoke = expected.connections[joined].spoke_input;
    assert.ok(windows.has(hub) && windows.has(spoke));
    // A timer signal between the attempt's first and last hub line: no event of the result.
    const hubFile = files.find((f) => expected.inputs[hub].name.endsWith(path.basename(f)));
    assert.ok(hubFile, 'the hub is one of the files');
    const hubLines = fs.readFileSync(hubFile, 'utf8').split('\n');
    const w = windows.get(hub);
    let timer = null;
    for (let n = w.first + 1; n < w.last; n++) {
      if (/\|SdlSig\s+\|\w*Timer\b/.test(hubLines[n - 1]) && !eventLines.has(`${hub}:${n}`)) { timer = n; break; }
    }
    assert.ok(timer, `a timer signal between hub lines ${w.first} and ${w.last}`);
    const timerText = hubLines[timer - 1].replace(/\r$/, '');

    const app = await open(where);
    const { page } = app;
    try {
      await app.context.addInitScript(recordWorkerMessages);
      await page.reload();
      await page.waitForSelector('#file-input', { state: 'attached', timeout: 30000 });
      await analyseFiles(page, files);
      const sent = await page.evaluate(() => window.__loupeMessages.length);
      assert.ok(sent > 0, 'the worker\'s messages are recorded');
      const resultText = await page.evaluate(() => window.__loupeMessages.join('\n'));
      assert.ok(!resultText.includes(inJson(timerText)), 'the result does not hold the timer line');

      await page.click('#filter-lines');
      await page.selectOption('#lines-scope', String(joined));
      const col = (input) => `#every-line .lines-col[data-input="${input}"]`;
      const row = `${col(hub)} .line-row[data-line="${timer}"]`;
      await page.waitForFunction((sel) => {
        const tx = document.querySelector(sel + ' .tx');
        return tx && tx.textContent.length > 0;
      }, row, { timeout: 30000 });
      assert.equal(await page.locator(`${row} .tx`).innerText(), timerText, 'the line as it is in the file, at its number');
      assert.equal(await page.locator(`${row}.is-event`).count(), 0, 'not marked as an event');

      // Each side: exactly the attempt's first to last line, the attempt's events marked.
      for (const [input, win] of [[hub, windows.get(hub)], [spoke, windows.get(spoke)]]) {
        const numbers = await page.$$eval(`${col(input)} .line-row`, (rows) => rows.map((r) => Number(r.dataset.line)));
        const want = Array.from({ length: win.last - win.first + 1 }, (_, i) => win.first + i);
        assert.deepEqual(numbers, want, `input ${input}: lines ${win.first}–${win.last}`);
        const marked = await page.$$eval(`${col(input)} .line-row.is-event`, (rows) => rows.map((r) => Number(r.dataset.line)));
        const events = expected.connections[joined].events.map((ei) => expected.events[ei]).filter((e) => e.input === input).map((e) => e.line);
        assert.deepEqual(marked, [...new Set(events)].sort((a, b) => a - b), `input ${input}: the attempt's events are marked`);
      }
      // The lines came from the worker's answers to line requests, after the result.
      const later = await page.evaluate((n) => window.__loupeMessages.slice(n), sent);
      assert.ok(later.some((m) => m.includes(inJson(timerText))), 'the line was read back on request');
      await shot(page, `every-line-${where}`);
    } finally {
      await app.close();
    }
  });
}

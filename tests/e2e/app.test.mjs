// End-to-end tests of the web app in Debian's Chromium: the served dist/ and dist/loupe.html from
// file://. Run by `cargo xtask test`, which builds dist/, serves it and sets LOUPE_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  open, foreignRequests, cli, cardRules, analyseFiles, waitDone, shot, identifiers, generated, largeInputs, statLines, FIXTURES,
} from './helpers.mjs';

const ils = (scenario) => ['hub.txt', 'spoke.txt'].map((f) => path.join(FIXTURES, 'ils', scenario, f));
const FAILURE = 'm2-spoke-cert-not-trusted';
const JOINED = 'm3-tls-password-joined';

function sameFindings(actual, expected, what) {
  assert.deepEqual(actual, expected.findings.map((f) => [f.rule, f.severity]), `${what}: the page shows what the CLI finds`);
}

async function exportText(page, format) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#export-${format}`)]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

test('hub + spoke through the file input: findings, side-by-side pairing, evidence highlighting', async () => {
  const app = await open('http');
  const { page } = app;
  try {
    await shot(page, '01-landing');
    await analyseFiles(page, ils(FAILURE));
    const expected = cli(ils(FAILURE));
    assert.ok(expected.findings.length > 0, 'the fixture has findings');
    sameFindings(await cardRules(page), expected, FAILURE);
    // Rule id shown like a linter code.
    const first = page.locator('.card').first();
    assert.equal(await first.locator('code.rule').innerText(), expected.findings[0].rule);

    // Clicking a finding highlights its evidence in the side-by-side view and scrolls to it.
    await first.locator('button.title').click();
    await page.waitForSelector('#sbs .ev.hl');
    const hl = await page.$$eval('#sbs .ev.hl', (els) => els.map((e) => [e.dataset.input, e.dataset.line]));
    assert.ok(hl.length >= 1, 'evidence highlighted');
    const selected = page.locator('#sbs .ev.sel').first();
    await selected.waitFor();
    assert.ok(await selected.isVisible());
    // Clicking a line tells which finding and connection it belongs to.
    await page.locator('#sbs .ev.hl').first().click();
    const detail = await page.locator('#line-detail').innerText();
    assert.match(detail, new RegExp(expected.findings[0].rule.replace(/\./g, '\\.')));
    await shot(page, '02-findings-side-by-side');

    // The joined scenario: the events of one connection sit on one row, hub beside spoke.
    await analyseFiles(page, ils(JOINED));
    sameFindings(await cardRules(page), cli(ils(JOINED)), JOINED);
    await page.click('#filter-all');
    const paired = await page.$$eval('#sbs .sbs-row.paired', (rows) => rows.map((r) => ({
      connection: r.dataset.connection,
      cells: [...r.querySelectorAll('.cell')].map((c) => c.querySelectorAll('.ev').length),
    })));
    assert.ok(paired.length >= 1, 'at least one row pairs hub and spoke');
    assert.ok(paired.every((r) => r.connection !== '' && r.cells.filter((n) => n > 0).length >= 2));
    const heads = await page.$$eval('#sbs .colhead', (h) => h.map((e) => e.dataset.role));
    assert.deepEqual(heads.slice(0, 2), ['hub', 'spoke'], 'hub column first, then spoke');
    assert.match(await page.locator('#clock-offset').innerText(), /./);
    await shot(page, '03-joined-side-by-side');

    assert.deepEqual(app.dialogs, []);
    assert.deepEqual(foreignRequests(app.requests), [], 'no request leaves the page');
  } finally {
    await app.close();
  }
});

test('drop: files dropped on the page are analysed', async () => {
  const app = await open('http');
  const { page } = app;
  try {
    const files = ils(FAILURE).map((f) => ({ name: path.basename(f), text: fs.readFileSync(f, 'utf8') }));
    await page.evaluate((files) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([f.text], f.name, { type: 'text/plain' }));
      const target = document.querySelector('.page');
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, files);
    await waitDone(page);
    sameFindings(await cardRules(page), cli(ils(FAILURE)), 'dropped');
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});

test('paste a snippet, switch to Japanese, SecureX checklist', async () => {
  const app = await open('http');
  const { page } = app;
  try {
    const file = path.join(FIXTURES, 'securex/seed_console_dns_session.txt');
    await page.fill('#paste', fs.readFileSync(file, 'utf8'));
    await page.click('#paste-go');
    await waitDone(page);
    const expected = cli([file]);
    sameFindings(await cardRules(page), expected, 'pasted');
    await page.click('#tab-checklist');
    const rows = await page.locator('#checklist tbody tr').count();
    assert.equal(rows, expected.checklist.length);
    // SecureX's end of life, said once above the checklist.
    assert.match(await page.locator('#checklist-note').textContent(), /end of life on 2024-07-31/);
    await shot(page, '04-securex-checklist');

    await page.selectOption('#lang', 'ja');
    await page.waitForSelector('text=検出結果');
    const ja = cli([file], 'ja');
    const titles = await page.$$eval('.card .title', (b) => b.map((e) => e.textContent));
    const want = ja.findings.map((f) => (typeof f.title === 'string' ? f.title : f.title.ja));
    assert.deepEqual(titles, want, 'finding titles in Japanese');
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    await shot(page, '05-japanese');
    await page.selectOption('#lang', 'en');
    await page.waitForSelector('text=Findings');
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});

test('export with redaction leaves no address, host name, FQDN or PeerId', async () => {
  const app = await open('http');
  const { page } = app;
  try {
    const inputs = [...ils(FAILURE), ...ils(JOINED)];
    await analyseFiles(page, inputs);
    const originals = new Set(inputs.flatMap((f) => identifiers(fs.readFileSync(f, 'utf8'))));
    assert.ok(originals.size >= 3, `the inputs hold identifiers: ${[...originals]}`);
    assert.ok(await page.isChecked('#redact'), 'redaction is on by default');
    for (const format of ['json', 'md', 'html']) {
      const { name, text } = await exportText(page, format);
      assert.match(name, /redacted/);
      for (const id of originals) {
        assert.ok(!text.includes(id), `${format} export: ${id} survived`);
      }
      assert.match(text, /ip-1/);
    }
    // Without redaction the JSON is the full analysis.
    await page.uncheck('#redact');
    const plain = await exportText(page, 'json');
    const parsed = JSON.parse(plain.text);
    assert.deepEqual(parsed.findings.map((f) => f.rule), cli(inputs).findings.map((f) => f.rule));
    assert.deepEqual(foreignRequests(app.requests), [], 'downloads are blob: URLs of the page');
  } finally {
    await app.close();
  }
});

test('HTML and script in file names and lines are shown as text, nothing runs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-xss-'));
  const name = '<img src=x onerror=alert(1)>.txt';
  const file = path.join(dir, name);
  const lines = [
    '00000001.001 |17:06:30.100 |AppInfo |IlsD <script>window.__pwned = 1; alert(2)</script>',
    '00000002.001 |17:06:30.200 |AppInfo |IlsD <img src=x onerror="window.__pwned = 1; alert(3)">',
    '<svg onload=alert(4)><a href="javascript:alert(5)">x</a>',
  ];
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const app = await open('http');
  const { page } = app;
  try {
    await analyseFiles(page, [file]);
    await page.click('#tab-inputs');
    await page.waitForSelector('#inputs-table');
    assert.ok((await page.locator('#inputs-table').innerText()).includes(name), 'the name is shown as text');
    await page.click('#tab-raw');
    await page.waitForFunction(() => [...document.querySelectorAll('.raw-row .tx')].some((e) => e.textContent.includes('<script>')));
    const raw = await page.locator('#raw-scroll').innerText();
    for (const l of lines) assert.ok(raw.includes(l), `line shown verbatim: ${l}`);
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script ran');
    assert.equal(await page.locator('img, script:not([src]):not([id]):not([type]) ~ script[src=x], svg[onload], a[href^="javascript"]').count(), 0);
    assert.equal(await page.evaluate(() => document.querySelectorAll('[onerror], [onload]').length), 0, 'no injected element');
    assert.deepEqual(app.dialogs, [], 'no dialog');
    assert.deepEqual(foreignRequests(app.requests), [], 'no request (not even to "x")');
    await shot(page, '06-hostile-raw');
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('raw view is virtualised; cancel; worker failure; main-thread fallback', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-big-'));
  const big = path.join(dir, 'big.txt');
  const N = 300000;
  fs.writeFileSync(big, statLines(N));
  const app = await open('http');
  const { page } = app;
  try {
    await analyseFiles(page, [big]);
    await page.click('#tab-raw');
    await page.waitForSelector('.raw-row');
    const rows = await page.locator('.raw-row').count();
    assert.ok(rows > 10 && rows < 200, `only visible rows are in the DOM (${rows})`);
    await page.fill('#raw-goto', String(N));
    await page.press('#raw-goto', 'Enter');
    await page.waitForFunction((n) => [...document.querySelectorAll('.raw-row .tx')].some((e) => e.textContent.includes(`line ${n} of`)), N);
    await shot(page, '07-raw-virtualised');

    // Cancel halfway: a larger input, cancelled while it is read.
    await page.setInputFiles('#file-input', largeInputs(dir));
    await page.waitForSelector('#cancel', { timeout: 20000 });
    await page.click('#cancel');
    await page.waitForSelector('text=Analysis cancelled.');
    await analyseFiles(page, ils(FAILURE));
    sameFindings(await cardRules(page), cli(ils(FAILURE)), 'after cancel');

    // A worker that fails: the error is shown and the page can start again.
    await page.evaluate(() => {
      window.__spawn = window.loupeSpawnWorker;
      window.loupeSpawnWorker = () => new Worker(URL.createObjectURL(new Blob(['throw new Error("worker exploded")'], { type: 'text/javascript' })));
    });
    // The spare started earlier takes the next set; the one started for the set after fails.
    await analyseFiles(page, ils(JOINED));
    await page.click('#new-analysis');
    await page.setInputFiles('#file-input', ils(JOINED));
    await page.waitForSelector('#error');
    assert.match(await page.locator('#error').innerText(), /worker exploded/);
    await shot(page, '08-worker-failed');
    await page.evaluate(() => { window.loupeSpawnWorker = window.__spawn; });
    await page.click('#retry');
    await analyseFiles(page, ils(JOINED));
    sameFindings(await cardRules(page), cli(ils(JOINED)), 'after a worker failure');

    // No worker at all: the page analyses on the main thread and says so.
    await page.evaluate(() => { window.loupeSpawnWorker = () => { throw new Error('no workers here'); }; });
    await page.click('#new-analysis');
    await analyseFiles(page, ils(FAILURE)); // the spare started before
    await page.click('#new-analysis');
    await analyseFiles(page, ils(FAILURE));
    assert.ok(await page.isVisible('#main-thread-notice'));
    sameFindings(await cardRules(page), cli(ils(FAILURE)), 'main thread');
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('dist/loupe.html from file:// analyses a file with no request at all', async () => {
  const app = await open('file', { colorScheme: 'dark' });
  const { page } = app;
  try {
    await analyseFiles(page, ils(FAILURE));
    sameFindings(await cardRules(page), cli(ils(FAILURE)), 'file://');
    assert.ok(!(await page.isVisible('#main-thread-notice')), 'the worker runs from a blob: URL');
    await page.locator('.card button.title').first().click();
    await page.waitForSelector('#sbs .ev.hl');
    await shot(page, '09-file-url-dark');
    const bad = app.requests.filter((u) => !u.startsWith('file://') && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(bad, []);
    assert.deepEqual(app.errors.filter((e) => !/favicon/i.test(e)), [], 'no error (CSP violations included)');
  } finally {
    await app.close();
  }
});

test('samples menu and Inputs tab with role correction', async () => {
  const app = await open('http', { locale: 'ja-JP' });
  const { page } = app;
  try {
    assert.equal(await page.getAttribute('html', 'lang'), 'ja', 'navigator.language picks Japanese');
    const options = await page.$$eval('#sample-select option', (o) => o.map((x) => x.textContent));
    assert.ok(options.length > 10, 'the seed scenarios are in the menu');
    const idx = await page.$$eval('#sample-select option', (o) => o.findIndex((x) => x.textContent.includes('m2') || x.textContent.includes('方法 2')));
    const value = await page.$$eval('#sample-select option', (o, i) => o[i].value, idx);
    await page.selectOption('#sample-select', value);
    await waitDone(page);
    assert.ok((await page.locator('.card').count()) > 0);
    await page.click('#tab-inputs');
    const selects = page.locator('#inputs-table select.role-select');
    assert.equal(await selects.count(), 2);
    const before = await selects.first().inputValue();
    const other = before === 'hub' ? 'spoke' : 'hub';
    await selects.first().selectOption(other);
    await waitDone(page);
    await page.click('#tab-inputs');
    assert.equal(await page.locator('#inputs-table select.role-select').first().inputValue(), other, 'role corrected and re-analysed');
    await shot(page, '10-inputs-ja');
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});

test('a second set of logs replaces the first: the spare worker takes over and the old one is released', async () => {
  const app = await open('http');
  const { page } = app;
  try {
    // The page's own workers: each starts a helper of its own ahead (`self.loupeHelper`), which
    // Playwright lists among the page's workers too.
    const pageWorkers = async () => {
      const out = [];
      for (const w of page.workers()) {
        if (!(await w.evaluate(() => self.loupeHelper === true).catch(() => true))) out.push(w);
      }
      return out;
    };
    // The page starts its worker and a spare one before any request.
    for (let i = 0; i < 200 && (await pageWorkers()).length < 2; i++) await page.waitForTimeout(50);
    assert.equal((await pageWorkers()).length, 2, 'a worker and a spare start with the page');
    const [first, spare] = await pageWorkers();
    let firstClosed = false;
    first.on('close', () => { firstClosed = true; });
    await analyseFiles(page, ils(FAILURE));
    assert.equal((await pageWorkers()).length, 2, 'the first set runs in the worker started with the page');
    await analyseFiles(page, ils(JOINED));
    sameFindings(await cardRules(page), cli(ils(JOINED)), 'second set');
    await page.waitForTimeout(300);
    assert.ok(firstClosed, 'the first worker was terminated, freeing its wasm memory');
    assert.ok((await pageWorkers()).includes(spare), 'the spare took over the second set');
    assert.equal((await pageWorkers()).length, 2, 'and a new spare waits');
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
  }
});

const thousands = (n) => n.toLocaleString('en-US');

/** Rows per side-by-side page (`ROWS_PER_PAGE` in crates/loupe-web/src/state.rs). */
const ROWS_PER_PAGE = 200;

/** Wait until the side-by-side page has drawn its `n` rows (it draws them a few per task). */
async function rowsDrawn(page, n) {
  await page.waitForFunction((n) => document.querySelectorAll('#sbs .sbs-row:not(.head)').length === n, n);
}

// The page draws a page's finding cards a few per task, as its rows.
async function cardsDrawn(page, n) {
  await page.waitForFunction((n) => document.querySelectorAll('.card').length === n, n);
}

async function pagerText(page, id) {
  return (await page.locator(`#${id} .pager-range`).innerText()).trim();
}

test('large inputs are paged: bounded cards and rows, true totals, evidence on another page, per-rule filter', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-paged-'));
  const files = generated(dir, '3MB', 600);
  const expected = cli(files);
  const total = expected.findings.length;
  assert.ok(total > 100, `the corpus needs several pages of findings (${total})`);
  const app = await open('http');
  const { page } = app;
  try {
    await analyseFiles(page, files);

    // Findings: one page of 50 (drawn a few cards per task), the true total, the CLI's first 50
    // in order.
    await cardsDrawn(page, 50);
    assert.equal(await pagerText(page, 'findings-pager'), `Findings 1–50 of ${thousands(total)}`);
    const want = expected.findings.map((f) => [f.rule, f.severity]);
    assert.deepEqual(await cardRules(page), want.slice(0, 50));

    // Side by side: a page of rows (drawn a few rows per task), the true total on both pagers.
    await page.click('#filter-all');
    const gridRows = Number(await page.getAttribute('#sbs', 'aria-rowcount')) - 1;
    assert.ok(gridRows > ROWS_PER_PAGE, `the corpus needs several pages of rows (${gridRows})`);
    assert.ok(gridRows >= expected.connections.length, 'every connection has a row');
    await rowsDrawn(page, ROWS_PER_PAGE);
    for (const id of ['rows-pager-top', 'rows-pager-bottom']) {
      assert.equal(await pagerText(page, id), `Rows 1–${ROWS_PER_PAGE} of ${thousands(gridRows)}`);
    }
    const rowPages = Math.ceil(gridRows / ROWS_PER_PAGE);
    await page.selectOption('#rows-pager-top select', { value: String(rowPages - 1) });
    await rowsDrawn(page, gridRows - (rowPages - 1) * ROWS_PER_PAGE);
    assert.equal(await pagerText(page, 'rows-pager-top'),
      `Rows ${thousands((rowPages - 1) * ROWS_PER_PAGE + 1)}–${thousands(gridRows)} of ${thousands(gridRows)}`);
    await page.click('#rows-pager-bottom .pager-prev');
    await page.waitForFunction((t) => document.querySelector('#rows-pager-top .pager-range').textContent.startsWith(t),
      `Rows ${thousands((rowPages - 2) * ROWS_PER_PAGE + 1)}–`);
    // Changing the search goes back to the first page.
    await page.fill('#search', 'a');
    await page.waitForFunction(() => !document.querySelector('#rows-pager-top') || document.querySelector('#rows-pager-top .pager-range').textContent.startsWith('Rows 1–'));
    await page.fill('#search', '');
    await rowsDrawn(page, ROWS_PER_PAGE);

    // The last page of findings; a finding's evidence on another page of rows is shown, highlighted.
    const pages = Math.ceil(total / 50);
    await page.selectOption('#findings-pager select', { value: String(pages - 1) });
    const first = (pages - 1) * 50 + 1;
    await page.waitForFunction((t) => document.querySelector('#findings-pager .pager-range').textContent === t,
      `Findings ${thousands(first)}–${thousands(total)} of ${thousands(total)}`);
    await cardsDrawn(page, total - first + 1);
    assert.deepEqual(await cardRules(page), want.slice(first - 1));
    // Evidence lines that are timeline events (the others open in the raw view).
    const eventTexts = expected.events.map((e) => e.text);
    const target = await page.$$eval('.card .ev-link[data-input]', (links, eventTexts) => {
      const events = new Set(eventTexts);
      const off = links.find((l) => events.has(l.querySelector('.text').textContent)
        && !document.querySelector(`#sbs .ev[data-input="${l.dataset.input}"][data-line="${l.dataset.line}"]`));
      const l = off || links[links.length - 1];
      l.scrollIntoView();
      return { input: l.dataset.input, line: l.dataset.line, offPage: Boolean(off) };
    }, eventTexts);
    assert.ok(target.offPage, 'a finding on the last page has evidence on another page of rows');
    await page.locator(`.card .ev-link[data-input="${target.input}"][data-line="${target.line}"]`).first().click();
    const shown = page.locator(`#sbs .ev.hl.sel[data-input="${target.input}"][data-line="${target.line}"]`);
    await shown.waitFor();
    assert.ok(await shown.isVisible(), 'scrolled to the evidence');
    assert.ok((await page.locator('#sbs .sbs-row:not(.head)').count()) <= ROWS_PER_PAGE);
    assert.equal(await page.locator('.card.selected').count(), 1, 'the finding stays on its page, selected');
    await shot(page, '11-paged-findings-and-rows');

    // The per-rule summary: counts as the CLI's, and a rule narrows the list.
    const counts = {};
    for (const f of expected.findings) counts[f.rule] = (counts[f.rule] || 0) + 1;
    const chips = await page.$$eval('#rule-summary .rule-chip', (cs) => cs.map((c) => [c.dataset.rule, c.querySelector('.n').textContent]));
    assert.deepEqual(Object.fromEntries(chips), Object.fromEntries(Object.entries(counts).map(([r, n]) => [r, thousands(n)])));
    const [rule, n] = Object.entries(counts).sort((a, b) => a[1] - b[1])[0];
    await page.click(`#rule-summary .rule-chip[data-rule="${rule}"]`);
    await page.waitForFunction((t) => document.querySelector('#findings-pager .pager-range').textContent === t,
      `Findings 1–${thousands(Math.min(n, 50))} of ${thousands(n)}`);
    await cardsDrawn(page, Math.min(n, 50));
    const only = await cardRules(page);
    assert.equal(only.length, Math.min(n, 50));
    assert.ok(only.every(([r]) => r === rule), 'only that rule is listed');
    assert.equal(await page.getAttribute(`#rule-summary .rule-chip[data-rule="${rule}"]`, 'aria-pressed'), 'true');
    await page.click('#rule-filter-clear');
    await page.waitForFunction((t) => document.querySelector('#findings-pager .pager-range').textContent === t,
      `Findings 1–50 of ${thousands(total)}`);

    // In Japanese too.
    await page.selectOption('#lang', 'ja');
    assert.equal(await pagerText(page, 'findings-pager'), `検出結果 1–50 件目（全 ${thousands(total)} 件）`);
    await page.selectOption('#lang', 'en');
    assert.deepEqual(app.errors, []);
    assert.deepEqual(foreignRequests(app.requests), []);
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('two files of the same name (one per node, as RTMT names them) keep their evidence apart', async () => {
  const scenario = 'm4-hub-cert-self-signed';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-same-name-'));
  const files = ils(scenario).map((f, i) => {
    const dir = path.join(tmp, i === 0 ? 'hub-node' : 'spoke-node');
    fs.mkdirSync(dir);
    const to = path.join(dir, 'SDL001_600_000001.txt');
    fs.copyFileSync(f, to);
    return to;
  });
  const app = await open('http');
  const { page } = app;
  try {
    await analyseFiles(page, files);
    const expected = cli(ils(scenario));
    sameFindings(await cardRules(page), expected, scenario);
    // The CLI's evidence is in the spoke's trace: the page names it apart from the hub's.
    assert.ok(expected.findings[0].evidence.every((e) => e.input.endsWith('spoke.txt')));
    const locs = await page.locator('.card').first().locator('.evidence .loc').allInnerTexts();
    assert.deepEqual(locs, expected.findings[0].evidence.map((e) => `SDL001_600_000001 (2).txt:${e.line}`));
    await page.locator('.card').first().locator('button.title').click();
    await page.waitForSelector('#sbs .ev.hl');
    const hl = await page.$$eval('#sbs .ev.hl', (els) => els.map((e) => [e.dataset.input, e.dataset.line]));
    // Inputs are in name order whatever order they were given in (the same report for the same
    // inputs): the spoke's file is the one named apart.
    const names = ['SDL001_600_000001.txt', 'SDL001_600_000001 (2).txt'].sort();
    const spoke = String(names.indexOf('SDL001_600_000001 (2).txt'));
    assert.deepEqual(hl, expected.findings[0].evidence.map((e) => [spoke, String(e.line)]), 'the spoke\'s lines, not the hub\'s');
  } finally {
    await app.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('repeated failures of one spoke are one finding; each attempt and its evidence one click away', async () => {
  const app = await open('http');
  const { page } = app;
  try {
    await analyseFiles(page, ils('retries'));
    const expected = cli(ils('retries'));
    sameFindings(await cardRules(page), expected, 'retries');
    const card = page.locator('.card[data-rule="ils.password-mismatch"]');
    assert.equal(await card.count(), 1, 'one finding for the four failures');
    const attempts = card.locator('details.attempts');
    assert.match(await attempts.locator('summary').first().innerText(), /Attempts: 4 \(first 2024\/03\/11 08:00:30, last 2024\/03\/11 08:02:00\)/);
    await attempts.locator('summary').first().click();
    const items = attempts.locator('ol > li');
    assert.equal(await items.count(), 4);
    // One click opens an attempt: its own evidence lines, with its own port.
    await items.nth(1).locator('summary').click();
    assert.match(await items.nth(1).innerText(), /Port=53974/);
    const joined = page.locator('.card[data-rule="ils.joined.password"] .what');
    assert.match(await joined.innerText(), /after 4 failed attempts/);
    await shot(page, '13-repeated-attempts');
  } finally {
    await app.close();
  }
});

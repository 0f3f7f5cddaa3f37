// Accessibility: axe-core on every view (landing, the status line while a file is read, findings + side by side, raw logs, SecureX
// checklist, inputs; the network map of three clusters, filtered by a link, and a ladder; the raw
// view of an input too long to keep whole, with its note), light and dark, English and Japanese:
// no serious or critical violation.
// The full results go to artifacts/axe.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { open, axe, analyseFiles, shot, largeInputs, statLines, FIXTURES, ARTIFACTS } from './helpers.mjs';

const INPUTS = [
  path.join(FIXTURES, 'ils', 'm2-spoke-cert-not-trusted', 'hub.txt'),
  path.join(FIXTURES, 'ils', 'm2-spoke-cert-not-trusted', 'spoke.txt'),
  path.join(FIXTURES, 'securex', 'seed_console_dns_session.txt'),
];
const THREE = ['hub.txt', 'spoke-cucm11.txt', 'spoke-cucm12.txt'].map((f) => path.join(FIXTURES, 'ils', 'three-clusters', f));
const VIEWS = [
  ['side-by-side', '#tab-sbs'],
  ['raw', '#tab-raw'],
  ['checklist', '#tab-checklist'],
  ['inputs', '#tab-inputs'],
];

test('axe: no serious or critical violation on any view, light and dark, English and Japanese', async () => {
  const results = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-a11y-'));
  // Read for several seconds, while axe runs on the status line.
  const large = largeInputs(dir);
  try {
    for (const colorScheme of ['light', 'dark']) {
      for (const locale of ['en-US', 'ja-JP']) {
        const app = await open('http', { colorScheme, locale, bypassCSP: true });
        const { page } = app;
        const record = async (view) => results.push({ view, theme: colorScheme, lang: locale, violations: await axe(page) });
        try {
          await record('landing');
          // The status line while a file is read: a bar that shows how much (its size is known),
          // the cancel button; then cancelled.
          await page.setInputFiles('#file-input', large);
          await page.waitForSelector('.status.running #progress[value]', { timeout: 20000 });
          await record('reading');
          assert.ok(await page.$('.status.running'), 'still reading when axe had run');
          await shot(page, `reading-${colorScheme}-${locale}`);
          await page.click('#cancel');
          await page.waitForFunction(() => !document.querySelector('.status.running'), null, { timeout: 20000 });
          await analyseFiles(page, INPUTS);
          await page.locator('.card button.title').first().click();
          await record('findings');
          for (const [view, tab] of VIEWS) {
            await page.click(tab);
            await page.waitForTimeout(200);
            await record(view);
          }
          // The network map (more than two clusters), a link's filter, and the failing attempt's ladder.
          await analyseFiles(page, THREE);
          await page.waitForSelector('[data-network-map]');
          await record('network map');
          await page.click('[data-link="com1150—cucm12"]');
          await page.waitForSelector('#pair-filter');
          await record('network map, filtered by a link');
          await page.click('#pair-filter-clear');
          await page.click('.card[data-rule="ils.password-mismatch"] button.title');
          await page.waitForSelector('svg[data-ladder]');
          await record('ladder');
        } finally {
          await app.close();
        }
      }
    }
    // The raw view of an input whose decoded text passes what the page keeps (768 MiB): its note
    // says only the first lines were kept. 865 MB of text in 62 MB of gzip (one member repeated,
    // under the 250:1 ratio limit); one analysis, then each theme and language.
    const long = cutInput(dir);
    const app = await open('http', { bypassCSP: true });
    const { page } = app;
    try {
      await analyseFiles(page, [long]);
      await page.click('#tab-raw');
      await page.waitForSelector('#raw-cut');
      for (const colorScheme of ['light', 'dark']) {
        for (const locale of ['en', 'ja']) {
          await page.selectOption('#theme', colorScheme);
          await page.selectOption('#lang', locale);
          const note = await page.textContent('#raw-cut');
          assert.match(note, locale === 'en' ? /^Only the first [\d,]+ lines of this input were kept/ : /最初の [\d,]+ 行だけを保持/, note);
          results.push({ view: 'raw, lines cut', theme: colorScheme, lang: locale, violations: await axe(page) });
          await shot(page, `raw-cut-${colorScheme}-${locale}`);
        }
      }
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(ARTIFACTS, 'axe.json'), JSON.stringify(results, null, 2));
  const bad = results.flatMap((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${r.view}/${r.theme}/${r.lang}: ${v.impact} ${v.id} ×${v.nodes.length} (${v.nodes.slice(0, 3).join(', ')})`));
  assert.equal(results.length, 4 * 11, 'eleven views in each of the four combinations');
  assert.deepEqual(bad, [], 'serious or critical axe violations');
});

/** A gzip trace of 865 MB of text in `dir`: one 8.6 MB member (120,000 numbered lines), 100 times. */
function cutInput(dir) {
  const member = zlib.gzipSync(Buffer.from(statLines(120000)));
  const file = path.join(dir, 'long.txt.gz');
  const fd = fs.openSync(file, 'w');
  for (let k = 0; k < 100; k++) fs.writeSync(fd, member);
  fs.closeSync(fd);
  return file;
}

// Two workers: with several files, the analysis worker starts a helper worker that reads about
// half of them (by size), and diagnoses both halves together. The result must be the one a single
// reader gives (the CLI on one thread), and the raw view must read each line back from its own file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { open, analyseFiles, recordWorkerMessages, FIXTURES, ROOT } from './helpers.mjs';

async function exportJson(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  return fs.readFileSync(await download.path(), 'utf8');
}

/** The CLI's JSON report of `names` in `dir`, read on one thread. */
function cliOneThread(dir, names) {
  const exe = path.join(ROOT, 'target/debug/loupe');
  return execFileSync(exe, ['analyze', '--format', 'json', '-j', '1', ...names], { cwd: dir, maxBuffer: 64 << 20 }).toString();
}

/** The progress messages the worker posted since `window.__loupeMessages` was emptied. */
function progressMessages(page) {
  return page.evaluate(() => window.__loupeMessages
    .map((m) => { try { return JSON.parse(m); } catch { return null; } })
    .filter((m) => m && m.type === 'progress')
    .map((m) => m.data));
}

/** The raw view shows each input of `report` with its own file's lines (from `plainDir`, by base
 *  name, `.gz` dropped), at their numbers. */
async function expectRawLines(page, report, plainDir) {
  await page.click('#tab-raw');
  for (let i = 0; i < report.inputs.length; i++) {
    const file = path.join(plainDir, path.basename(report.inputs[i].name).replace(/\.gz$/, ''));
    const lines = fs.readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/\r$/, ''));
    await page.selectOption('#raw-input', String(i));
    for (const n of [1, Math.min(40, lines.length - 1)]) {
      await page.waitForFunction(([n, text]) => {
        const row = document.querySelector(`.raw-row[data-line="${n}"] .tx`);
        return row && row.textContent === text;
      }, [n, lines[n - 1]], { timeout: 20000 });
    }
  }
}

for (const where of ['http', 'file']) {
  test(`two workers (${where}): the same report as one reader, lines read back from the right file, plain, gzip or UTF-16`, async () => {
    const app = await open(where);
    const { page } = app;
    try {
      await app.context.addInitScript(recordWorkerMessages);
      await page.reload();
      await page.waitForSelector('#file-input', { state: 'attached', timeout: 30000 });
      // Plain text (lines read back from the files' bytes); gzip, as CUCM writes its traces, and
      // UTF-16, as PowerShell's `>` writes a saved session (lines decoded again from the files,
      // a slice at a time, when the raw view asks for them).
      const cases = ['retries', 'three-clusters'].flatMap((scenario) =>
        ['plain', 'gzip', 'utf16'].map((encoding) => ({ scenario, encoding })));
      for (const { scenario, encoding } of cases) {
        const plainDir = path.join(FIXTURES, 'ils', scenario);
        let names = fs.readdirSync(plainDir).filter((n) => n.endsWith('.txt')).sort();
        let dir = plainDir;
        if (encoding !== 'plain') {
          dir = fs.mkdtempSync(path.join(os.tmpdir(), `loupe-${encoding}-${scenario}-`));
          for (const n of names) {
            const bytes = fs.readFileSync(path.join(plainDir, n));
            if (encoding === 'gzip') fs.writeFileSync(path.join(dir, `${n}.gz`), zlib.gzipSync(bytes));
            else fs.writeFileSync(path.join(dir, n), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8'), 'utf16le')]));
          }
          if (encoding === 'gzip') names = names.map((n) => `${n}.gz`);
        }
        assert.ok(names.length >= 2, `${scenario}: several files`);
        await page.evaluate(() => { window.__loupeMessages = []; });
        await analyseFiles(page, names.map((n) => path.join(dir, n)));
        // The worker said two workers were reading.
        const progress = await progressMessages(page);
        const workers = progress.map((p) => p.workers || 1);
        assert.ok(workers.includes(2), `${scenario}: a helper read part of the files (${workers})`);
        // Progress counts what both read, never going back, up to every byte and every file.
        const read = progress.map((p) => p.bytes_read);
        assert.ok(read.every((b, i) => i === 0 || b >= read[i - 1]), `${scenario}: progress goes forward (${read})`);
        const last = progress[progress.length - 1];
        assert.equal(last.bytes_read, last.bytes_total);
        assert.equal(last.inputs_done, names.length);
        // Then the diagnosis, step by step and in order (no more often than ten a second, so a
        // quick one shows few of its 17): the helper's part taken in first, the core's first step
        // next, the result prepared for the page last.
        const steps = progress.filter((p) => p.stage === 'diagnosing').map((p) => p.step);
        const at = steps.map((s) => s && s.done + (s.part || 0) / 1000);
        assert.ok(at.every((d, i) => i === 0 || d > at[i - 1]), `${scenario}: forward (${JSON.stringify(steps)})`);
        assert.ok(steps.every((s) => s.total === 17));
        assert.deepEqual(steps.slice(0, 2).map((s) => [s.done, s.what.kind]), [[0, 'taking-over'], [1, 'pairing-attempts']]);
        assert.deepEqual([steps.at(-1).done, steps.at(-1).what.kind], [16, 'preparing']);
        // The JSON report is the one the CLI writes reading on one thread.
        if (await page.isChecked('#redact')) await page.uncheck('#redact');
        const want = JSON.parse(cliOneThread(dir, names));
        const got = JSON.parse(await exportJson(page));
        assert.deepEqual(got, want, `${scenario} (${encoding}): same report`);
        // A step shown with a count says the count the report then shows.
        for (const s of steps.filter((s) => s.what.kind === 'connections' || s.what.kind === 'rule')) {
          assert.equal(s.what.connections, want.connections.length, `${scenario}: ${JSON.stringify(s)}`);
        }

        await expectRawLines(page, want, plainDir);
        await page.click('#tab-sbs');
        if (dir !== plainDir) fs.rmSync(dir, { recursive: true });
      }
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  });
}

/** CRC-32 (IEEE), for the zip below. */
function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/**
 * A zip archive of `entries` ([name, bytes]): stored (as RTMT's "Collect Files" zips its .gz
 * traces), or deflated (as a zip tool packs a folder of plain-text traces).
 */
function zipOf(entries, { deflate = false } = {}) {
  const locals = []; const centrals = []; let offset = 0;
  for (const [name, bytes] of entries) {
    const n = Buffer.from(name, 'utf8'); const crc = crc32(bytes);
    const data = deflate ? zlib.deflateRawSync(bytes) : bytes;
    const method = deflate ? 8 : 0;
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(method, 8); head.writeUInt16LE(0x21, 12);
    head.writeUInt32LE(crc, 14); head.writeUInt32LE(data.length, 18); head.writeUInt32LE(bytes.length, 22);
    head.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10); central.writeUInt16LE(0x21, 14); central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20); central.writeUInt32LE(bytes.length, 24); central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(head, n, data); centrals.push(central, n);
    offset += head.length + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

test("an RTMT zip of gzipped traces: found by its name or its first bytes, opened first and its entries shared by two workers; named as a trace, read whole; a zip of plain traces alike; the CLI's report, every entry's lines read back", async () => {
  const app = await open('http');
  const { page } = app;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-zip-'));
  try {
    await app.context.addInitScript(recordWorkerMessages);
    await page.reload();
    await page.waitForSelector('#file-input', { state: 'attached', timeout: 30000 });
    const plainDir = path.join(FIXTURES, 'ils', 'three-clusters');
    const names = fs.readdirSync(plainDir).filter((n) => n.endsWith('.txt')).sort();
    assert.ok(names.length >= 2);
    // One folder per node, the traces gzipped inside, as RTMT collects them.
    const entries = names.map((n) => [`${n.replace(/\.txt$/, '')}/cm/trace/ils/sdl/${n}.gz`, zlib.gzipSync(fs.readFileSync(path.join(plainDir, n)))]);
    const rtmt = zipOf(entries);
    // The plain traces of a folder, deflated: each entry is handed on compressed and inflated by
    // the worker that reads it, as a .gz entry is.
    const folder = zipOf(names.map((n) => [`sdl/${n}`, fs.readFileSync(path.join(plainDir, n))]), { deflate: true });
    // Named .zip, or named as no trace is (a download that lost its extension) and found by its
    // first bytes: opened first, its entries inputs of their own, read by two workers. Named as
    // a trace: found by its first bytes as it is read, and analysed whole by one worker.
    for (const [archive, bytes] of [['collect.zip', rtmt], ['collect.bin', rtmt], ['collect.txt', rtmt], ['folder.zip', folder]]) {
      const opened = !archive.endsWith('.txt');
      fs.writeFileSync(path.join(dir, archive), bytes);
      await page.evaluate(() => { window.__loupeMessages = []; });
      await analyseFiles(page, [path.join(dir, archive)]);
      const progress = await progressMessages(page);
      const last = progress[progress.length - 1];
      if (opened) assert.ok(progress.some((p) => p.workers === 2), `a helper read some entries (${progress.map((p) => p.workers)})`);
      // Opening the archive shows progress of its own, first its bytes then its entries.
      const opening = progress.filter((p) => p.stage === 'opening');
      if (opened) {
        const size = fs.statSync(path.join(dir, archive)).size;
        assert.ok(opening.length >= 2, `the opening of ${archive} is shown (${JSON.stringify(progress)})`);
        assert.ok(opening.every((p) => p.bytes_total === size), `${archive}: opening counts the archive's bytes`);
        assert.deepEqual(opening.at(-1), { ...opening.at(-1), bytes_read: size, inputs_done: names.length });
        assert.ok(progress.indexOf(opening.at(-1)) < progress.findIndex((p) => p.stage === 'reading'), 'opened before read');
      } else {
        assert.deepEqual(opening, [], `${archive} is not opened before it is read`);
      }
      assert.equal(last.inputs_total, opened ? names.length : 1, archive);
      assert.equal(last.inputs_done, last.inputs_total, archive);
      assert.equal(last.bytes_read, last.bytes_total, archive);
      if (await page.isChecked('#redact')) await page.uncheck('#redact');
      const want = JSON.parse(cliOneThread(dir, [archive]));
      assert.equal(want.inputs.length, names.length, `${archive}: every entry an input`);
      assert.deepEqual(JSON.parse(await exportJson(page)), want, `${archive}: same report`);
      await expectRawLines(page, want, plainDir);
      await page.click('#tab-sbs');
    }
    assert.deepEqual(app.errors, []);
  } finally {
    fs.rmSync(dir, { recursive: true });
    await app.close();
  }
});

// Installed before the page's scripts: the analysis worker's helper is a worker whose script
// throws at once (as when a browser refuses the nested worker's script).
const BROKEN_HELPER = () => {
  const prefix = "Object.defineProperty(self, 'loupeSpawnWorker', { configurable: false, set: function () {}, get: function () {" +
    " return function () { return new Worker(URL.createObjectURL(new Blob(['throw new Error(\"no helper here\")'], { type: 'text/javascript' }))); }; } });\n";
  const OrigBlob = window.Blob;
  window.Blob = function (parts, opts) {
    if (opts && /javascript/.test(opts.type || '') && Array.isArray(parts)) parts = [prefix, ...parts];
    return new OrigBlob(parts, opts);
  };
  window.Blob.prototype = OrigBlob.prototype;
};

test('a helper that cannot start: the worker reads its files itself, same report', async () => {
  const app = await open('http');
  const { page } = app;
  try {
    await app.context.addInitScript(BROKEN_HELPER);
    await app.context.addInitScript(recordWorkerMessages);
    await page.reload();
    await page.waitForSelector('#file-input', { state: 'attached', timeout: 30000 });
    const dir = path.join(FIXTURES, 'ils', 'retries');
    const names = fs.readdirSync(dir).filter((n) => n.endsWith('.txt')).sort();
    await analyseFiles(page, names.map((n) => path.join(dir, n)));
    assert.equal(await page.locator('#error').count(), 0, 'no failure shown');
    const progress = await progressMessages(page);
    const last = progress[progress.length - 1];
    assert.equal(last.workers, 1, 'one worker read everything');
    assert.equal(last.bytes_read, last.bytes_total);
    await page.uncheck('#redact');
    assert.deepEqual(JSON.parse(await exportJson(page)), JSON.parse(cliOneThread(dir, names)));
  } finally {
    await app.close();
  }
});

// The landing page's "What to collect" guide (both languages, copy buttons), the sample names,
// and the Japanese font stack. Screenshots: 20-guide-en.png, 21-guide-ja.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, foreignRequests, waitDone, shot, URL_BASE } from './helpers.mjs';

async function guideCommands(page) {
  return page.$$eval('#guide .cmd-text', (els) => els.map((e) => e.textContent));
}

test('the guide lists what to collect for each product, with copy buttons, in English and Japanese', async () => {
  const app = await open('http');
  const { page, context } = app;
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(URL_BASE).origin });
    assert.equal(await page.locator('#guide h2').innerText(), 'What to collect');
    assert.equal(await page.locator('#guide details').count(), 2, 'one section per product');
    const cmds = await guideCommands(page);
    for (const c of [
      'file get activelog /cm/trace/ils/sdl/*',
      'run sql select * from remotecluster',
      'show network',
      'nslookup api-sse.cisco.com',
      'curl -v https://est.sco.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem',
    ]) assert.ok(cmds.includes(c), `command listed: ${c}`);
    assert.ok(cmds.some((c) => c.includes('connector.log')), 'the connector log');
    const ils = await page.locator('#guide-ils').innerText();
    assert.match(ils, /Detailed/);
    assert.match(ils, /RTMT/);
    assert.match(ils, /ILS Clusters/);
    // Commands are text: the `*` and `|` survive, no element inside.
    assert.equal(await page.locator('#guide .cmd-text *').count(), 0);
    assert.equal(await page.locator('#guide .copy').count(), cmds.length, 'a copy button per command');

    // Copy: the clipboard holds the command, the button says so, then goes back.
    const line = page.locator('#guide .cmd-line', { hasText: 'run sql select * from remotecluster' });
    await line.locator('button.copy').click();
    await page.waitForSelector('#guide button.copy.copied');
    assert.equal(await line.locator('button.copy').innerText(), 'Copied');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'run sql select * from remotecluster');
    // Keyboard: Tab reaches a copy button and Enter copies.
    await page.locator('#guide-securex button.copy').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#guide button.copy.copied').length >= 1);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'show network');
    await page.waitForFunction(() => !document.querySelector('#guide button.copy.copied'), null, { timeout: 5000 });
    await page.locator('#guide').scrollIntoViewIfNeeded();
    await shot(page, '20-guide-en');

    // Japanese: translated guide and samples, a Japanese font stack, no font downloaded.
    await page.selectOption('#lang', 'ja');
    assert.equal(await page.locator('#guide h2').innerText(), '収集するもの');
    assert.match(await page.locator('#guide-ils').innerText(), /パブリッシャ/);
    assert.match(await page.locator('#guide-securex').innerText(), /エキスパートモード/);
    assert.deepEqual(await guideCommands(page), cmds, 'the same commands in both languages');
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.match(font, /^"Hiragino Sans"/, `Japanese font stack: ${font}`);
    assert.match(font, /Noto Sans CJK JP/);
    await page.locator('#guide').scrollIntoViewIfNeeded();
    await shot(page, '21-guide-ja');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('.page').evaluate((p) => p.scrollTo(0, 0));
    await shot(page, '22-landing-ja');

    assert.deepEqual(foreignRequests(app.requests), [], 'no request leaves the page');
    assert.ok(!app.requests.some((u) => /\.(woff2?|ttf|otf)(\?|$)/.test(u)), 'no font downloaded');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('sample names are written for people in both languages, grouped by product', async () => {
  for (const [locale, method2] of [['en-US', 'ILS, method 2: the hub\'s certificate is not trusted'], ['ja-JP', 'ILS 方法 2: ハブの証明書が信頼されていない']]) {
    const app = await open('http', { locale });
    const { page } = app;
    try {
      const groups = await page.$$eval('#sample-select optgroup', (g) => g.map((x) => x.label));
      assert.deepEqual(groups, ['CUCM ILS', 'SecureX']);
      const labels = await page.$$eval('#sample-select optgroup option', (o) => o.map((x) => x.textContent));
      assert.ok(labels.length > 20);
      assert.ok(labels.includes(method2), `${locale}: ${method2}`);
      for (const l of labels) {
        assert.doesNotMatch(l, /[a-z0-9]+[-_][a-z0-9]+[-_]/, `no folder name: ${l}`);
        assert.doesNotMatch(l, / — |\bh clock\b/, `no prefix: ${l}`);
        if (locale === 'ja-JP') assert.match(l, /[\u3040-\u30ff\u4e00-\u9fff]/, `Japanese: ${l}`);
      }
      // A sample still analyses.
      const value = await page.$eval('#sample-select', (s, want) => [...s.options].find((o) => o.textContent === want).value, method2);
      await page.selectOption('#sample-select', value);
      await waitDone(page);
      assert.ok((await page.locator('.card').count()) > 0);
    } finally {
      await app.close();
    }
  }
});

// Keyboard only: every action on the page is reached with Tab (arrow keys inside the tab list and
// radio groups, Enter on a <summary> to open it) and shows a visible focus indicator.
//
// A walk presses Tab from the top of the page until focus leaves it. The actions are enumerated
// from the DOM (buttons, links, inputs, selects, textareas, summaries, [tabindex], ARIA buttons,
// tabs and links, and anything drawn with a pointer cursor), never listed by hand: a new control
// that Tab cannot reach makes the test fail. An element "shows focus" when its computed outline,
// box-shadow, border, background, fill or stroke (or one of its descendants') differs from the
// same element unfocused. Every step between walks is taken with the keyboard too (the file
// chooser is opened with Enter). The walk counts go to artifacts/keyboard.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { open, waitDone, shot, generated, largeInputs, FIXTURES, ARTIFACTS } from './helpers.mjs';

const THREE = ['hub.txt', 'spoke-cucm11.txt', 'spoke-cucm12.txt'].map((f) => path.join(FIXTURES, 'ils', 'three-clusters', f));
const RETRIES = ['hub.txt', 'spoke.txt'].map((f) => path.join(FIXTURES, 'ils', 'retries', f))
  .concat(path.join(FIXTURES, 'securex', 'seed_console_dns_session.txt'));

// Installed in the page: enumerate actions, snapshot their look, record what was focused.
function install() {
  if (window.__kbd) return;
  const SELECTOR = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex], '
    + '[role=button], [role=link], [role=tab], [role=checkbox], [role=radio], [role=menuitem], [contenteditable]';
  const shown = (el) => el.isConnected && el.getClientRects().length > 0
    && el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  const clickable = (el) => getComputedStyle(el).cursor === 'pointer'
    && !(el.parentElement && getComputedStyle(el.parentElement).cursor === 'pointer')
    && !(el.tagName === 'LABEL' && el.control) && !el.closest('label');
  const PROPS = ['outlineStyle', 'outlineWidth', 'outlineColor', 'outlineOffset', 'boxShadow', 'backgroundColor',
    'borderTopColor', 'borderBottomColor', 'borderLeftColor', 'fill', 'stroke', 'strokeWidth', 'textDecorationLine'];
  const look = (el) => [el, ...el.querySelectorAll('*')].slice(0, 40).map((n) => {
    const s = getComputedStyle(n);
    return PROPS.map((p) => (p.startsWith('outline') && s.outlineStyle === 'none' ? 'none' : s[p])).join('|');
  }).join('\n');
  const name = (el) => {
    const id = el.id ? `#${el.id}` : '';
    const data = ['step', 'link', 'rule', 'connection'].map((d) => (el.dataset[d] ? `[data-${d}="${el.dataset[d]}"]` : '')).join('');
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${id}${data} "${text}"`;
  };
  const k = {
    reached: new Set(),
    base: new WeakMap(),
    first: null,
    /** Visible actions Tab must reach: not disabled, not taken out of the tab order on purpose
     * (tabindex=-1: tabs and radios are reached with arrow keys, checked separately). */
    actions() {
      const all = new Set([...document.querySelectorAll(SELECTOR)]);
      for (const el of document.querySelectorAll('body *')) if (clickable(el)) all.add(el);
      return [...all].filter((el) => shown(el) && !el.disabled && !el.closest('[inert]')
        && el.getAttribute('tabindex') !== '-1'
        && !(el.type === 'radio' && !el.checked && document.querySelector(`input[type=radio][name="${el.name}"]:checked`)));
    },
    /** The look of every action not seen yet, unfocused (call while none of them has focus). */
    snapshot() {
      for (const el of k.actions()) if (!k.base.has(el) && el !== document.activeElement) k.base.set(el, look(el));
    },
    /** What has focus now, and whether it looks different from when it had not. */
    current() {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      const wrapped = el === k.first;
      k.first = k.first || el;
      k.reached.add(el);
      return {
        name: name(el),
        wrapped,
        visible: k.base.has(el) ? look(el) !== k.base.get(el) : null,
        summaryClosed: el.tagName === 'SUMMARY' && !el.parentElement.open,
      };
    },
    missing() {
      return k.actions().filter((el) => !k.reached.has(el)).map(name);
    },
    name,
  };
  window.__kbd = k;
}

/** Tab once around the page; opens closed <summary>s with Enter.
 * Returns what was focused. Fails on a focus without a visible indicator or an action not reached. */
async function walk(page, label) {
  await page.evaluate(install);
  await page.evaluate(() => {
    document.activeElement?.blur();
    Object.assign(window.__kbd, { reached: new Set(), base: new WeakMap(), first: null });
    window.__kbd.snapshot();
  });
  const stops = [];
  const invisible = [];
  const unchecked = [];
  let outside = 0;
  for (let i = 0; i < 800; i++) {
    await page.keyboard.press('Tab');
    const cur = await page.evaluate(() => window.__kbd.current());
    // Past the last stop focus leaves the page; the next Tab starts again at the top. The walk
    // ends when it comes back to its first stop (it may start mid-page: Chromium starts from the
    // last focused element even after blur()).
    if (!cur) {
      if (++outside > 2) break;
      continue;
    }
    outside = 0;
    if (cur.wrapped) break;
    stops.push(cur.name);
    if (cur.visible === false) invisible.push(cur.name);
    if (cur.visible === null) unchecked.push(cur.name);
    if (cur.summaryClosed) {
      await page.keyboard.press('Enter'); // opening it shows its content, which Tab must reach too
      await page.evaluate(() => window.__kbd.snapshot());
    }
  }
  const missing = await page.evaluate(() => window.__kbd.missing());
  assert.deepEqual(invisible, [], `${label}: focused without a visible focus indicator`);
  assert.deepEqual(unchecked, [], `${label}: focused, but not an action the walk knew of`);
  assert.deepEqual(missing, [], `${label}: actions Tab never reached`);
  assert.ok(stops.length > 3, `${label}: the walk went somewhere (${stops.length} stops)`);
  return stops;
}

/** Press Tab until `selector` has focus (from wherever focus is). */
async function tabTo(page, selector, max = 400) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${selector}`);
}

const focusedMatches = (page, s) => page.evaluate((sel) => document.activeElement?.matches(sel) || false, s);

/** Open the file chooser with Enter on the "choose files" button and pick `files`. The page's
 * 'filechooser' listener must be attached beforehand (Playwright intercepts the dialog only then). */
async function chooseByKeyboard(page, choosers, files, wait = true) {
  await tabTo(page, '.dropzone button.btn.primary');
  const n = choosers.length;
  await page.keyboard.press('Enter');
  for (let i = 0; i < 100 && choosers.length === n; i++) await page.waitForTimeout(50);
  assert.equal(choosers.length, n + 1, 'Enter opens the file chooser');
  await choosers[n].setFiles(files);
  if (wait) await waitDone(page);
}

test('keyboard only: every action is reached with Tab and shows where focus is', async () => {
  const app = await open('http');
  const { page } = app;
  const walks = {};
  const has = (stops, re) => stops.some((s) => re.test(s));
  const choosers = [];
  page.on('filechooser', (c) => choosers.push(c));
  try {
    // The landing page: language, theme, samples, pickers, paste, the guide's copy buttons.
    let stops = await walk(page, 'landing');
    walks.landing = stops.length;
    for (const re of [/#lang/, /#theme/, /#sample-select/, /^button "Choose files/, /#paste /, /#paste-go/, /^summary /, /^button .*"Copy/]) {
      assert.ok(has(stops, re), `landing: ${re} reached (${stops.join(' | ')})`);
    }
    assert.equal(stops.filter((s) => /^button .*"Copy/.test(s)).length,
      await page.locator('#guide button.copy').count(), 'every copy button');

    // Three clusters, picked with the keyboard: the map, the cards, the side-by-side rows.
    await chooseByKeyboard(page, choosers, THREE);
    await page.waitForSelector('[data-network-map]');
    stops = await walk(page, 'findings and side by side');
    walks.findings = stops.length;
    for (const re of [/#new-analysis/, /#export-md/, /#export-html/, /#export-json/, /#redact/, /#tab-sbs/,
      /\[data-link="com1150—cucm11"\]/, /\[data-link="com1150—cucm12"\]/, /#finding-0-title/, /#finding-1-title/,
      /#filter-events/, /#search/, /^button "\d\d:\d\d/]) {
      assert.ok(has(stops, re), `findings: ${re} reached`);
    }

    // A map link with Enter: the filter and its clear control.
    await page.evaluate(() => document.activeElement?.blur());
    await tabTo(page, '[data-link="com1150—cucm12"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#pair-filter');
    await shot(page, 'keyboard-01-map-link-focus');
    stops = await walk(page, 'pair filter');
    walks.pairFilter = stops.length;
    assert.ok(has(stops, /#pair-filter-clear/));
    await tabTo(page, '#pair-filter-clear');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.card').length === 2);

    // A finding with Enter: its ladder; each arrow is a stop, Enter shows its line.
    await tabTo(page, '.card[data-rule="ils.password-mismatch"] button.title');
    await page.keyboard.press('Enter');
    await page.waitForSelector('svg[data-ladder]');
    stops = await walk(page, 'ladder');
    walks.ladder = stops.length;
    const steps = await page.$$eval('svg[data-ladder] [data-step]', (g) => g.map((x) => x.dataset.step));
    for (const s of steps) assert.ok(has(stops, new RegExp(`\\[data-step="${s}"\\]`)), `ladder arrow ${s} reached`);
    await tabTo(page, 'svg[data-ladder] [data-step="password"]');
    await shot(page, 'keyboard-02-ladder-arrow-focus');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#sbs .ev.sel');

    // The filter radios: the checked one is a Tab stop, the arrow keys move within the group.
    await tabTo(page, 'input[name=filter]:checked');
    const checked = await page.evaluate(() => document.activeElement.id);
    const radios = ['filter-events', 'filter-all', 'filter-lines'];
    assert.ok(radios.includes(checked), `a filter radio is checked: ${checked}`);
    const other = radios[(radios.indexOf(checked) + 1) % radios.length];
    await page.keyboard.press('ArrowRight');
    assert.ok(await focusedMatches(page, `#${other}:checked`), `ArrowRight moves from ${checked} to ${other}`);
    await page.keyboard.press('ArrowLeft');
    assert.ok(await focusedMatches(page, `#${checked}:checked`));

    // The tabs: one Tab stop, arrow keys move between them; a walk of each view.
    const tabs = ['tab-sbs', 'tab-raw', 'tab-checklist', 'tab-inputs'];
    await tabTo(page, '[role=tab][aria-selected=true]');
    for (const id of tabs.slice(1)) {
      await page.keyboard.press('ArrowRight');
      assert.ok(await focusedMatches(page, `#${id}[aria-selected=true]`), `ArrowRight reaches ${id}`);
      stops = await walk(page, id);
      walks[id] = stops.length;
      assert.ok(has(stops, new RegExp(`#${id}`)), `${id}: the selected tab is a Tab stop`);
      await tabTo(page, `#${id}`);
    }
    await page.keyboard.press('ArrowRight');
    assert.ok(await focusedMatches(page, '#tab-sbs[aria-selected=true]'), 'the arrows wrap around');

    // Repeated attempts and SecureX: the attempts list, each attempt's evidence toggle, the
    // checklist, and paging through a raw log.
    await tabTo(page, '#new-analysis');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.dropzone');
    await chooseByKeyboard(page, choosers, RETRIES);
    stops = await walk(page, 'attempts');
    walks.attempts = stops.length;
    const attempts = await page.locator('.card details.attempts li summary').count();
    assert.ok(attempts >= 4, `the attempts are listed (${attempts})`);
    assert.equal(await page.locator('.card details.attempts[open] li details[open]').count(), attempts,
      'Enter opened every attempt\'s evidence');
    assert.ok((await page.locator('.card details.attempts li details .ev-link').count()) > 0);

    await tabTo(page, '[role=tab][aria-selected=true]');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#raw-scroll');
    await tabTo(page, '#raw-scroll');
    const before = await page.$eval('#raw-scroll', (e) => e.scrollTop);
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await page.waitForFunction((b) => document.querySelector('#raw-scroll').scrollTop > b, before);
    await page.keyboard.press('End');
    await page.waitForFunction(() => {
      const s = document.querySelector('#raw-scroll');
      return s.scrollTop + s.clientHeight >= s.scrollHeight - 2;
    });
    // Go to a line from the keyboard.
    await tabTo(page, '#raw-goto');
    await page.keyboard.type('120');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#raw-scroll .raw-row.sel[data-line="120"]');
    await tabTo(page, '[role=tab][aria-selected=true]');
    await page.keyboard.press('ArrowRight');
    assert.ok(await focusedMatches(page, '#tab-checklist[aria-selected=true]'));
    stops = await walk(page, 'checklist');
    walks.checklist = stops.length;

    // Cancel, while a large input is read: reached with Tab, shows focus, Enter cancels.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-kbd-'));
    try {
      const huge = largeInputs(dir);
      await tabTo(page, '#new-analysis');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.dropzone');
      await chooseByKeyboard(page, choosers, huge, false);
      await page.waitForSelector('#cancel', { timeout: 20000 });
      await page.evaluate(() => { document.activeElement?.blur(); window.__kbd.base = new WeakMap(); window.__kbd.snapshot(); });
      await tabTo(page, '#cancel', 40);
      const cur = await page.evaluate(() => window.__kbd.current());
      assert.equal(cur.visible, true, `#cancel shows focus: ${JSON.stringify(cur)}`);
      await page.keyboard.press('Enter');
      await page.waitForSelector('text=Analysis cancelled.');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    const total = Object.values(walks).reduce((a, b) => a + b, 0);
    fs.writeFileSync(path.join(ARTIFACTS, 'keyboard.json'), JSON.stringify({ walks, total }, null, 2));
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('keyboard only: the pagers of a large analysis are reached with Tab, show focus and turn pages', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-kbd-paged-'));
  const app = await open('http');
  const { page } = app;
  const choosers = [];
  page.on('filechooser', (c) => choosers.push(c));
  const range = (id) => page.locator(`#${id} .pager-range`).innerText();
  // Too many actions on these pages for a whole walk: Tab from where focus is to one control,
  // which must then look focused.
  const reach = async (selector) => {
    await page.evaluate(install);
    await page.evaluate(() => { window.__kbd.base = new WeakMap(); window.__kbd.snapshot(); });
    // Focus the control just before it in document order (a whole walk over hundreds of cards
    // and rows is too slow), then Tab: it must be the next stop, or close to it.
    await page.evaluate((sel) => {
      const target = document.querySelector(sel);
      const all = [...document.querySelectorAll('a[href], button, input, select, summary, [tabindex]')]
        .filter((e) => !e.disabled && e.getAttribute('tabindex') !== '-1' && e.getClientRects().length > 0);
      const before = all.filter((e) => e.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING);
      before[before.length - 1]?.focus();
    }, selector);
    for (let i = 0; i < 10 && !(await focusedMatches(page, selector)); i++) await page.keyboard.press('Tab');
    assert.ok(await focusedMatches(page, selector), `Tab reached ${selector}`);
    const cur = await page.evaluate(() => window.__kbd.current());
    assert.equal(cur.visible, true, `${selector} shows focus: ${JSON.stringify(cur)}`);
  };
  // A page of findings or of side-by-side rows is drawn a few items per task: wait for all of it
  // before Tabbing past it (Tab from the last control before a target would otherwise land in
  // items drawn after that control was focused).
  const pageDrawn = (pager, label, items) => page.waitForFunction(([pager, label, items]) => {
    const text = document.querySelector(`${pager} .pager-range`)?.textContent || '';
    const m = new RegExp(`^${label} (\\d[\\d,]*)–(\\d[\\d,]*)`).exec(text);
    const n = m ? Number(m[2].replace(/,/g, '')) - Number(m[1].replace(/,/g, '')) + 1 : -1;
    return document.querySelectorAll(items).length === n;
  }, [pager, label, items]);
  const rowsDrawn = () => pageDrawn('#rows-pager-top', 'Rows', '#sbs .sbs-row:not(.head)');
  const cardsDrawn = () => pageDrawn('#findings-pager', 'Findings', '.card');
  try {
    // Hundreds of planted attempts: several pages of findings and of side-by-side rows.
    await chooseByKeyboard(page, choosers, generated(dir, '3MB', 600));
    await page.waitForSelector('#findings-pager');
    assert.match(await range('findings-pager'), /^Findings 1–50 of /);
    await cardsDrawn();
    await reach('#findings-pager .pager-next');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#findings-pager .pager-range').textContent.startsWith('Findings 51–100'));
    await cardsDrawn();
    await reach('#findings-pager .pager-prev');
    await reach('#findings-pager select');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('#findings-pager .pager-range').textContent.startsWith('Findings 101–150'));
    await cardsDrawn();

    // Side by side, reached with the tab list's arrow keys: both row pagers.
    await reach('[role=tab][aria-selected=true]');
    for (let i = 0; i < 6 && !(await focusedMatches(page, '#tab-sbs[aria-selected=true]')); i++) {
      await page.keyboard.press('ArrowRight');
    }
    assert.ok(await focusedMatches(page, '#tab-sbs[aria-selected=true]'), 'side by side reached with the arrow keys');
    await page.waitForSelector('#rows-pager-top');
    assert.match(await range('rows-pager-top'), /^Rows 1–200 of /);
    await rowsDrawn();
    await reach('#rows-pager-top .pager-next');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#rows-pager-top .pager-range').textContent.startsWith('Rows 201–'));
    await rowsDrawn();
    await reach('#rows-pager-bottom .pager-next');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#rows-pager-top .pager-range').textContent.startsWith('Rows 401–'));
    await rowsDrawn();
    await reach('#rows-pager-top select');
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction(() => document.querySelector('#rows-pager-top .pager-range').textContent.startsWith('Rows 201–'));
    await rowsDrawn();
    await reach('#rows-pager-bottom .pager-prev');
    await shot(page, 'keyboard-03-rows-pager');
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Browser tests of the gradebook UI (issue 6): Debian's chromium driven by playwright-core, through nginx,
// against the real gradebook-service and the legacy stand-in. Run by dev.apiary.e2e.GradebookUiIT, or by hand:
//   APIARY_BASE_URL=http://localhost:8080 APIARY_LEGACY_URL=http://localhost:3000 npm test
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = (process.env.APIARY_BASE_URL || 'http://localhost:8080').replace(/\/$/, '');
const LEGACY = (process.env.APIARY_LEGACY_URL || 'http://localhost:3000').replace(/\/$/, '');
const API_KEY = process.env.APIARY_API_KEY || 'dev-key';
const SECTION = Number(process.env.GRADEBOOK_UI_SECTION || 104);
const OTHER_SECTION = Number(process.env.GRADEBOOK_UI_OTHER_SECTION || 105);
const ARTIFACTS = path.resolve(process.env.GRADEBOOK_UI_ARTIFACTS || path.join(import.meta.dirname, '..', 'target', 'ui-artifacts'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const LIVE_WITHIN_MS = 1000;

fs.mkdirSync(ARTIFACTS, { recursive: true });

// ---- HTTP helpers (node's fetch) ----

async function http(method, url, { body, headers = {} } = {}) {
  const res = await fetch(url, {
    method,
    headers: { Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not json */
  }
  if (!res.ok) throw new Error(`${method} ${url} -> ${res.status}: ${text.slice(0, 300)}`);
  return json;
}

const mintToken = async ({ sections, ttl = 900, sub = 'e2e-teacher', name = 'E2E Teacher' }) =>
  (await http('GET', `${LEGACY}/demo/token?sub=${encodeURIComponent(sub)}&name=${encodeURIComponent(name)}&role=teacher&sections=${sections.join(',')}&ttl_seconds=${ttl}`)).token;

const source = (id) => http('GET', `${LEGACY}/api/v1/sections/${id}/gradebook`);

/** The service's own stateless calculator on the given source data: students' computed grades by id. */
async function calculate(src) {
  const answer = await http('POST', `${BASE}/api/gradebook/v1/calculate`, { body: src, headers: { Authorization: `Bearer ${API_KEY}` } });
  const students = Array.isArray(answer) ? answer : answer.students;
  return new Map(students.map((s) => [String(s.id), s]));
}

/** Writes a score as the legacy app itself (it publishes the change event): "another client". */
const legacyWrite = (sectionId, sc) =>
  http('POST', `${LEGACY}/demo/sections/${sectionId}/scores`, {
    body: { student_id: sc.student_id, assignment_id: sc.assignment_id, score: sc.score, excused: !!sc.excused, missing: !!sc.missing },
  });

// Same text as the page's frozen grade columns (src/model.js gradeText).
function gradeText(g) {
  if (!g || g.percent === null || g.percent === undefined) return '–';
  const p = `${Number(g.percent).toFixed(2)}%`;
  return g.letter ? `${p} ${g.letter}` : p;
}
const fmt = (n) => String(Math.round(Number(n) * 100) / 100);

function scoreOf(src, sid, aid) {
  return src.scores.find((s) => String(s.student_id) === String(sid) && String(s.assignment_id) === String(aid)) || null;
}

// ---- browser ----

let browser;
const restore = []; // scores to put back after the run, as the legacy app had them

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  for (const sc of restore.reverse()) {
    try {
      await legacyWrite(SECTION, sc);
    } catch (e) {
      console.error(`could not restore ${sc.student_id}/${sc.assignment_id}: ${e.message}`);
    }
  }
  if (browser) await browser.close();
});

async function openSection(sectionId, token) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  const puts = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => r.method() === 'PUT' && puts.push(r.url()));
  await page.goto(`${BASE}/gradebook/sections/${sectionId}#token=${token}`);
  return { page, context, problems, puts };
}

const cell = (page, sid, aid) => page.locator(`td[data-sid="${sid}"][data-aid="${aid}"]`);
const gradeCell = (page, sid, view) => page.locator(`tr[data-sid="${sid}"] td[data-grade="${view}"]`);

/** A graded assignment of this student and a new score for it that changes the current grade (by the calculator). */
async function findChangingEdit(src, sid, before) {
  const graded = src.scores.filter(
    (s) => String(s.student_id) === sid && !s.excused && s.score !== null && s.score !== undefined,
  );
  for (const sc of graded) {
    const a = src.assignments.find((x) => x.id === sc.assignment_id);
    if (!a || a.omit_from_final_grade || !(a.points_possible > 0)) continue;
    for (const candidate of [0, a.points_possible, Math.round(a.points_possible / 2)]) {
      if (Number(candidate) === Number(sc.score)) continue;
      const changed = structuredClone(src);
      scoreOf(changed, sid, sc.assignment_id).score = candidate;
      const after = (await calculate(changed)).get(sid);
      if (gradeText(after.current) !== gradeText(before.current)) return { original: sc, score: candidate, expected: after };
    }
  }
  throw new Error(`no edit of student ${sid} changes the current grade`);
}

describe('gradebook UI through nginx', () => {
  test('the legacy app’s link opens the section, showing the calculator’s grades for every student', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      // the legacy page's "open gradebook" link: it mints a token and redirects to /gradebook/sections/{id}#token=
      await page.goto(`${BASE}/sections/${SECTION}/open-gradebook`);
      await page.locator('table.grid').waitFor({ timeout: 15000 });
      assert.equal(new URL(page.url()).pathname, `/gradebook/sections/${SECTION}`);
      assert.equal(new URL(page.url()).hash, '', 'the token is taken out of the address bar');
      const token = await page.evaluate(() => sessionStorage.getItem('apiary.gradebook.token'));
      assert.deepEqual(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sections, [SECTION]);

      const src = await source(SECTION);
      const expected = await calculate(src);
      assert.equal(await page.locator('tbody tr').count(), src.students.length);
      for (const st of src.students) {
        const want = expected.get(String(st.id));
        assert.equal(await gradeCell(page, st.id, 'current').textContent(), gradeText(want.current), `current grade of student ${st.id}`);
        assert.equal(await gradeCell(page, st.id, 'final').textContent(), gradeText(want.final), `final grade of student ${st.id}`);
      }
      // raw scores: a graded one, an ungraded one (distinct from 0), an excused one
      const someGraded = src.scores.find((s) => s.score !== null && !s.excused);
      assert.equal((await cell(page, someGraded.student_id, someGraded.assignment_id).textContent()).trim(), fmt(someGraded.score));
      const excused = src.scores.find((s) => s.excused);
      if (excused) assert.equal((await cell(page, excused.student_id, excused.assignment_id).textContent()).trim(), 'EX');
      const st0 = src.students[0];
      const ungradedA = src.assignments.find((a) => {
        const s = scoreOf(src, st0.id, a.id);
        return !s || (s.score === null && !s.excused && !s.missing);
      });
      if (ungradedA) {
        const c = cell(page, st0.id, ungradedA.id);
        assert.equal((await c.textContent()).trim(), '–');
        assert.match(await c.getAttribute('class'), /ungraded/);
      }
      // group headers carry weights and drop rules
      const headers = await page.locator('thead tr.groups th.group').allTextContents();
      assert.equal(headers.length, src.groups.length);
      const ruled = src.groups.find((g) => g.rules && g.rules.drop_lowest > 0);
      if (ruled) assert.ok(headers.some((h) => h.includes(ruled.name) && h.includes(`drop lowest ${ruled.rules.drop_lowest}`)), headers.join(' | '));

      await page.locator('.live.live').waitFor({ timeout: 10000 });
      await page.screenshot({ path: path.join(ARTIFACTS, 'gradebook-section.png') });

      // a reload of the tab still works: the token stayed in sessionStorage, not in the URL
      await page.reload();
      await page.locator('table.grid').waitFor({ timeout: 15000 });
      assert.equal(await gradeCell(page, src.students[0].id, 'current').textContent(), gradeText(expected.get(String(src.students[0].id)).current));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('editing a score saves it and the grade changes as the calculator says; a rejected score is put back', async () => {
    const token = await mintToken({ sections: [SECTION] });
    const { page, context, problems, puts } = await openSection(SECTION, token);
    try {
      await page.locator('table.grid').waitFor({ timeout: 15000 });
      const src = await source(SECTION);
      const sid = String(src.students[0].id);
      const before = (await calculate(src)).get(sid);
      const edit = await findChangingEdit(src, sid, before);
      restore.push(edit.original);
      const aid = edit.original.assignment_id;

      // keyboard only: Tab into the grid, arrows to the cell, type, Enter — like a spreadsheet
      await page.getByLabel('Filter students').focus();
      for (let i = 0; i < 20 && !(await page.evaluate(() => document.activeElement?.matches('td.cell'))); i++) {
        await page.keyboard.press('Tab');
      }
      assert.ok(await page.evaluate(() => document.activeElement?.matches('td.cell')), 'Tab reaches the grid');
      const rowIndex = await page.evaluate((s) => [...document.querySelectorAll('tbody tr')].findIndex((tr) => tr.dataset.sid === s), sid);
      const colIndex = await page.evaluate((a) => [...document.querySelectorAll('thead th.assignment')].findIndex((th) => th.dataset.aid === a), String(aid));
      assert.ok(rowIndex >= 0 && colIndex >= 0);
      for (let i = 0; i < rowIndex; i++) await page.keyboard.press('ArrowDown');
      for (let i = 0; i < colIndex; i++) await page.keyboard.press('ArrowRight');
      assert.equal(await page.evaluate(() => document.activeElement?.id), `cell-${sid}-${aid}`);
      await page.keyboard.type(String(edit.score));
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        ([s, want]) => document.querySelector(`tr[data-sid="${s}"] td[data-grade="current"]`)?.textContent === want,
        [sid, gradeText(edit.expected.current)],
        { timeout: 10000 },
      );
      assert.equal(await gradeCell(page, sid, 'final').textContent(), gradeText(edit.expected.final));
      assert.equal((await cell(page, sid, aid).textContent()).trim(), fmt(edit.score));
      const stored = scoreOf(await source(SECTION), sid, aid);
      assert.equal(Number(stored.score), Number(edit.score), 'the legacy app (system of record) has the new score');

      // a negative score is refused by the service: the error is shown and the value goes back
      if (rowIndex < (await page.locator('tbody tr').count()) - 1) await page.keyboard.press('ArrowUp'); // Enter moved down
      assert.equal(await page.evaluate(() => document.activeElement?.id), `cell-${sid}-${aid}`);
      await page.keyboard.type('-5');
      await page.keyboard.press('Enter');
      await page.locator('.save-error').waitFor({ timeout: 10000 });
      assert.match(await page.locator('.save-error').textContent(), /Not saved/);
      await page.waitForFunction(
        ([s, a, want]) => document.querySelector(`td[data-sid="${s}"][data-aid="${a}"]`)?.textContent.trim() === want,
        [sid, String(aid), fmt(edit.score)],
        { timeout: 10000 },
      );
      assert.equal(Number(scoreOf(await source(SECTION), sid, aid).score), Number(edit.score), 'nothing half-written');

      // Escape cancels an edit: nothing is sent, the value stays
      if (rowIndex < (await page.locator('tbody tr').count()) - 1) await page.keyboard.press('ArrowUp'); // Enter moved down
      assert.equal(await page.evaluate(() => document.activeElement?.id), `cell-${sid}-${aid}`);
      const putsBefore = puts.length;
      await page.keyboard.press('9');
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'INPUT');
      await page.keyboard.press('Escape');
      assert.equal(puts.length, putsBefore, 'Escape sends nothing');
      assert.equal(await page.evaluate(() => document.activeElement?.id), `cell-${sid}-${aid}`);
      assert.equal((await cell(page, sid, aid).textContent()).trim(), fmt(edit.score));

      // M marks the submission missing, from the cell; the legacy app records it
      await page.keyboard.press('m');
      await cell(page, sid, aid).locator('sup.m-flag').waitFor({ timeout: 10000 });
      const deadline = Date.now() + 10000;
      while (!scoreOf(await source(SECTION), sid, aid).missing) {
        assert.ok(Date.now() < deadline, 'the legacy app has the missing flag');
        await new Promise((r) => setTimeout(r, 100));
      }
      await page.screenshot({ path: path.join(ARTIFACTS, 'gradebook-edited.png') });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a change made by another client appears within a second', async () => {
    const token = await mintToken({ sections: [SECTION] });
    const { page, context } = await openSection(SECTION, token);
    try {
      await page.locator('table.grid').waitFor({ timeout: 15000 });
      await page.locator('.live.live').waitFor({ timeout: 10000 }); // the event stream is connected
      const src = await source(SECTION);
      const st = src.students[src.students.length - 1];
      const sid = String(st.id);
      const before = (await calculate(src)).get(sid);
      const edit = await findChangingEdit(src, sid, before);
      restore.push(edit.original);
      const aid = edit.original.assignment_id;

      const t0 = Date.now();
      await legacyWrite(SECTION, { ...edit.original, score: edit.score });
      await page.waitForFunction(
        ([s, a, want, g]) =>
          document.querySelector(`td[data-sid="${s}"][data-aid="${a}"]`)?.textContent.trim() === want &&
          document.querySelector(`tr[data-sid="${s}"] td[data-grade="current"]`)?.textContent === g,
        [sid, String(aid), fmt(edit.score), gradeText(edit.expected.current)],
        { timeout: 10000, polling: 'raf' },
      );
      const elapsed = Date.now() - t0;
      console.log(`live update shown ${elapsed} ms after the other client's write started`);
      assert.ok(elapsed < LIVE_WITHIN_MS, `the change appeared after ${elapsed} ms`);

      // another teacher in another browser edits a cell: the first page shows it too
      const other = await openSection(SECTION, await mintToken({ sections: [SECTION], sub: 'e2e-teacher-2', name: 'Second Teacher' }));
      try {
        await other.page.locator('table.grid').waitFor({ timeout: 15000 });
        const src2 = await source(SECTION);
        const target = src2.scores.find(
          (x) => String(x.student_id) === sid && x.assignment_id !== aid && !x.excused && x.score !== null && Number(x.score) !== 1,
        );
        restore.push(target);
        await cell(other.page, sid, target.assignment_id).click();
        await other.page.keyboard.type('1');
        const t1 = Date.now();
        await other.page.keyboard.press('Enter');
        await page.waitForFunction(
          ([s, a]) => document.querySelector(`td[data-sid="${s}"][data-aid="${a}"]`)?.textContent.trim() === '1',
          [sid, String(target.assignment_id)],
          { timeout: 10000, polling: 'raf' },
        );
        const elapsed2 = Date.now() - t1;
        console.log(`another teacher's edit shown ${elapsed2} ms after Enter`);
        assert.ok(elapsed2 < LIVE_WITHIN_MS, `the other teacher's change appeared after ${elapsed2} ms`);
      } finally {
        await other.context.close();
      }
    } finally {
      await context.close();
    }
  });

  test('a section the token does not allow says so', async () => {
    const token = await mintToken({ sections: [SECTION] });
    const { page, context } = await openSection(OTHER_SECTION, token);
    try {
      const heading = page.getByRole('heading', { name: 'You cannot open this section' });
      await heading.waitFor({ timeout: 15000 });
      assert.equal(await page.locator('table.grid').count(), 0);
      await page.screenshot({ path: path.join(ARTIFACTS, 'gradebook-forbidden.png') });
    } finally {
      await context.close();
    }
  });

  test('an expired or forged token gives a clear message, not a blank page', async () => {
    const token = await mintToken({ sections: [SECTION], ttl: 1 });
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp * 1000;
    const deadline = Date.now() + 5000;
    while (Date.now() <= exp) {
      assert.ok(Date.now() < deadline, 'the token should have expired by now');
      await new Promise((r) => setTimeout(r, 100));
    }
    // (the service's own expiry check, and any clock leeway it allows, is gradebook-service's test; the page reads exp)
    const res = await fetch(`${BASE}/api/gradebook/v1/sections/${SECTION}`, { headers: { Authorization: `Bearer ${token}` } });
    console.log(`the service answers an expired token with ${res.status}`);
    const { page, context } = await openSection(SECTION, token);
    try {
      await page.getByRole('heading', { name: 'Session expired' }).waitFor({ timeout: 15000 });
      assert.match(await page.locator('.notice').textContent(), /Open the gradebook again from the school app/);
    } finally {
      await context.close();
    }
    // a token that looks fine to the browser (exp ahead) but whose signature is wrong: the service's 401 is shown
    const good = await mintToken({ sections: [SECTION] });
    const [h, p] = good.split('.');
    const forged = `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}`;
    const second = await openSection(SECTION, forged);
    try {
      await second.page.getByRole('heading', { name: 'Session expired' }).waitFor({ timeout: 15000 });
      assert.match(await second.page.locator('.notice').textContent(), /no longer valid/);
      assert.equal(await second.page.locator('table.grid').count(), 0);
    } finally {
      await second.context.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  assignmentMeans,
  cellOf,
  describeRules,
  dropState,
  dropTooltip,
  filterStudents,
  gradeText,
  normalise,
  parseEntry,
  sortStudents,
} from '../src/model.js';
import { claims, isExpired, takeToken, TOKEN_KEY } from '../src/auth.js';
import { sectionIdFromPath } from '../src/App.jsx';
import { fakeJwt, section101 } from './fixtures.js';

describe('normalise', () => {
  it('orders columns by group, keeping source order inside a group', () => {
    const m = normalise(section101());
    expect(m.columns.map((a) => a.id)).toEqual([201, 202, 203, 301, 302]);
  });

  it('indexes scores; a missing entry is ungraded, not zero', () => {
    const m = normalise(section101());
    expect(cellOf(m, 5001, 201)).toEqual({ score: 9.5, excused: false, missing: false });
    expect(cellOf(m, 5001, 203)).toEqual({ score: null, excused: false, missing: false });
    expect(cellOf(m, 5002, 201).score).toBe(0);
    expect(cellOf(m, 5001, 302).excused).toBe(true);
  });
});

describe('applyUpdate', () => {
  it('takes a PUT answer that is the student itself', () => {
    const m = normalise(section101());
    const next = applyUpdate(m, { id: 5001, name: 'José Núñez', current: { score: 50, possible: 100, percent: 50, letter: 'F' } });
    expect(next.studentsById['5001'].current.percent).toBe(50);
    expect(next.studentsById['5001'].groups).toEqual(m.studentsById['5001'].groups);
    expect(next.scores['5002']).toBe(m.scores['5002']);
  });

  it('takes an event with the student under "student" and the score beside it', () => {
    const m = normalise(section101());
    const next = applyUpdate(m, {
      section_id: 101,
      student_id: 5003,
      assignment_id: 203,
      score: 7,
      excused: false,
      missing: false,
      student: { id: 5003, current: { score: 70, possible: 100, percent: 70, letter: 'C' } },
    });
    expect(cellOf(next, 5003, 203).score).toBe(7);
    expect(next.studentsById['5003'].current.letter).toBe('C');
    expect(next.studentsById['5003'].name).toBe('Zoë Brown');
  });

  it('takes a nested score object', () => {
    const m = normalise(section101());
    const next = applyUpdate(m, { student: { id: 5001 }, score: { assignment_id: 203, score: 3, excused: false, missing: false } });
    expect(cellOf(next, 5001, 203).score).toBe(3);
  });

  it('leaves the model alone for an event it cannot read', () => {
    const m = normalise(section101());
    expect(applyUpdate(m, { section_id: 101 })).toBe(m);
  });
});

describe('parseEntry', () => {
  it.each([
    ['8', 8],
    [' 9.5 ', 9.5],
    ['9,5', 9.5],
    ['.5', 0.5],
    ['0', 0],
    ['-1', -1],
  ])('%s is the score %s', (text, score) => {
    expect(parseEntry(text)).toEqual({ ok: true, score, excused: false });
  });

  it('empty means ungraded and EX means excused', () => {
    expect(parseEntry('')).toEqual({ ok: true, score: null, excused: false });
    expect(parseEntry('ex')).toEqual({ ok: true, score: null, excused: true });
    expect(parseEntry('Excused')).toEqual({ ok: true, score: null, excused: true });
  });

  it('rejects text that is not a number', () => {
    const r = parseEntry('abc');
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/not a number/);
    expect(parseEntry('1.2.3').ok).toBe(false);
  });
});

describe('means, sorting, filtering', () => {
  it('averages graded, not excused scores per assignment', () => {
    const m = normalise(section101());
    const means = assignmentMeans(m, m.studentIds);
    expect(means['201']).toEqual({ mean: 4.75, count: 2 });
    expect(means['203']).toEqual({ mean: 10, count: 1 });
    expect(means['302']).toBeNull();
  });

  it('sorts by grade with ungraded students last in both directions', () => {
    const m = normalise(section101());
    expect(sortStudents(m, m.studentIds, { by: 'current', dir: 'desc' })).toEqual(['5001', '5002', '5003']);
    expect(sortStudents(m, m.studentIds, { by: 'current', dir: 'asc' })).toEqual(['5002', '5001', '5003']);
    expect(sortStudents(m, m.studentIds, { by: 'name', dir: 'asc' })).toEqual(['5002', '5001', '5003']);
    expect(sortStudents(m, m.studentIds, { by: 'name', dir: 'desc' })).toEqual(['5003', '5001', '5002']);
  });

  it('filters names without caring about accents or case', () => {
    const m = normalise(section101());
    expect(filterStudents(m, 'jose')).toEqual(['5001']);
    expect(filterStudents(m, 'ZOE')).toEqual(['5003']);
    expect(filterStudents(m, '5002')).toEqual(['5002']);
    expect(filterStudents(m, '')).toEqual(m.studentIds);
  });
});

describe('drop rules and grades', () => {
  it('knows which view dropped a score and says why', () => {
    const m = normalise(section101());
    const s = m.studentsById['5003'];
    const d = dropState(s, 11, 203);
    expect(d).toEqual({ current: false, final: true });
    const byId = new Map(m.columns.map((a) => [String(a.id), a]));
    expect(describeRules(m.groupById.get('11'), byId)).toBe('drop lowest 1 · never drop HW 3');
    expect(describeRules(m.groupById.get('12'), byId)).toBe('');
    expect(dropTooltip(m.groupById.get('11'), dropState(m.studentsById['5001'], 11, 202), byId)).toMatch(
      /^Dropped: Homework rule \(drop lowest 1/,
    );
  });

  it('shows a missing grade as a dash, not 0%', () => {
    expect(gradeText({ percent: null })).toBe('–');
    expect(gradeText({ percent: 0, letter: 'F' })).toBe('0.00% F');
    expect(gradeText({ percent: 91.25, letter: null })).toBe('91.25%');
  });
});

describe('token handling', () => {
  it('takes the token from the fragment, keeps it for the tab, removes it from the URL', () => {
    const token = fakeJwt({ sub: 't1', sections: [101], exp: 4102444800 });
    window.history.replaceState(null, '', `/gradebook/sections/101?x=1#token=${token}`);
    expect(takeToken()).toBe(token);
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe(token);
    expect(window.location.hash).toBe('');
    expect(window.location.pathname + window.location.search).toBe('/gradebook/sections/101?x=1');
    expect(takeToken()).toBe(token); // a reload of the same tab still works
  });

  it('reads expiry and claims without trusting them', () => {
    const token = fakeJwt({ sub: 't1', name: 'Ms Ada', sections: [101], exp: 1000 });
    expect(claims(token).name).toBe('Ms Ada');
    expect(isExpired(token, 999_000)).toBe(false);
    expect(isExpired(token, 1_000_000)).toBe(true);
    expect(claims('not-a-jwt')).toBeNull();
    expect(isExpired('not-a-jwt')).toBe(false);
  });

  it('finds the section id in the path', () => {
    expect(sectionIdFromPath('/gradebook/sections/101')).toBe('101');
    expect(sectionIdFromPath('/gradebook/sections/101/')).toBe('101');
    expect(sectionIdFromPath('/gradebook/')).toBeNull();
    expect(sectionIdFromPath('/gradebook/sections/abc')).toBeNull();
  });
});

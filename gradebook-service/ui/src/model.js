// Pure functions over the gradebook data: no React, no fetch. Unit-tested in test/model.test.js.

const key = (id) => String(id);

/** Turns GET /sections/{id} into the shape the grid works with. */
export function normalise(data) {
  const groups = data.groups || [];
  const assignments = data.assignments || [];
  const groupIndex = new Map(groups.map((g, i) => [key(g.id), i]));
  const columns = assignments
    .map((a, i) => ({ a, i }))
    .sort((x, y) => {
      const gx = groupIndex.get(key(x.a.group_id)) ?? Infinity;
      const gy = groupIndex.get(key(y.a.group_id)) ?? Infinity;
      return gx - gy || x.i - y.i;
    })
    .map(({ a }) => a);
  const groupById = new Map(groups.map((g) => [key(g.id), g]));
  const studentsById = {};
  for (const s of data.students || []) studentsById[key(s.id)] = s;
  const scores = {};
  for (const s of data.students || []) scores[key(s.id)] = {};
  for (const sc of data.scores || []) {
    const sid = key(sc.student_id);
    if (!scores[sid]) scores[sid] = {};
    scores[sid][key(sc.assignment_id)] = toCell(sc);
  }
  return {
    section: data.section || {},
    weighting: data.weighting || 'points',
    gradingStandard: data.grading_standard || null,
    groups,
    groupById,
    columns,
    studentsById,
    studentIds: (data.students || []).map((s) => key(s.id)),
    scores,
    hasScores: Array.isArray(data.scores),
    meta: pickMeta(data),
  };
}

function pickMeta(data) {
  const meta = {};
  for (const k of ['data_as_of', 'patched_at', 'age_seconds', 'as_of']) {
    if (data[k] !== undefined) meta[k] = data[k];
  }
  return meta;
}

function toCell(sc) {
  return {
    score: sc.score === undefined ? null : sc.score,
    excused: !!sc.excused,
    missing: !!sc.missing,
  };
}

export const EMPTY_CELL = Object.freeze({ score: null, excused: false, missing: false });

export function cellOf(model, studentId, assignmentId) {
  const row = model.scores[key(studentId)];
  return (row && row[key(assignmentId)]) || EMPTY_CELL;
}

/** A new model with one score replaced (only that student's row object changes). */
export function applyScore(model, sc) {
  const sid = key(sc.student_id);
  const aid = key(sc.assignment_id);
  const row = { ...(model.scores[sid] || {}), [aid]: toCell(sc) };
  return { ...model, scores: { ...model.scores, [sid]: row } };
}

/** A new model with one student's computed grades replaced. */
export function applyStudent(model, student) {
  if (!student || student.id === undefined) return model;
  const sid = key(student.id);
  const old = model.studentsById[sid];
  const merged = { ...(old || {}), ...student };
  const ids = old ? model.studentIds : [...model.studentIds, sid];
  return { ...model, studentsById: { ...model.studentsById, [sid]: merged }, studentIds: ids };
}

/**
 * The PUT answer and the SSE `score` event both carry the student's recomputed grades,
 * either as the student object itself or under "student"; they may carry the new score too.
 */
export function applyUpdate(model, payload) {
  if (!payload || typeof payload !== 'object') return model;
  let next = model;
  const student = payload.student || (payload.current !== undefined && payload.id !== undefined ? payload : null);
  const scoreSource = payload.score && typeof payload.score === 'object' ? payload.score : payload;
  if (scoreSource.assignment_id !== undefined && ('score' in scoreSource || 'excused' in scoreSource)) {
    const studentId = scoreSource.student_id ?? (student && student.id);
    if (studentId !== undefined) next = applyScore(next, { ...scoreSource, student_id: studentId });
  }
  if (student) {
    const { scores: studentScores, ...grades } = student;
    // gradebook-service sends the student's score entries with its grades: they replace that row.
    if (Array.isArray(studentScores)) next = replaceRow(next, student.id, studentScores);
    next = applyStudent(next, grades);
  }
  return next;
}

function replaceRow(model, studentId, entries) {
  const row = {};
  for (const sc of entries) row[key(sc.assignment_id)] = toCell(sc);
  return { ...model, scores: { ...model.scores, [key(studentId)]: row } };
}

/** Where a score stands with respect to the group's drop rules, in each view. */
export function dropState(student, groupId, assignmentId) {
  const g = student && (student.groups || []).find((x) => key(x.id ?? x.group_id) === key(groupId));
  if (!g) return { current: false, final: false };
  const has = (view) => ((g[view] && g[view].dropped) || []).some((id) => key(id) === key(assignmentId));
  return { current: has('current'), final: has('final') };
}

export function describeRules(group, assignmentsById) {
  const r = (group && group.rules) || {};
  const parts = [];
  if (r.drop_lowest) parts.push(`drop lowest ${r.drop_lowest}`);
  if (r.drop_highest) parts.push(`drop highest ${r.drop_highest}`);
  if (r.never_drop && r.never_drop.length && (r.drop_lowest || r.drop_highest)) {
    const names = r.never_drop.map((id) => {
      const a = assignmentsById && assignmentsById.get(key(id));
      return a ? a.name : `#${id}`;
    });
    parts.push(`never drop ${names.join(', ')}`);
  }
  return parts.join(' · ');
}

export function dropTooltip(group, drop, assignmentsById) {
  const rules = describeRules(group, assignmentsById) || 'its drop rules';
  const name = group ? group.name : 'this group';
  if (drop.current && drop.final) return `Dropped: ${name} rule (${rules}) leaves this score out of the current and final grade`;
  if (drop.current) return `Dropped from the current grade by ${name} rule (${rules}); it counts in the final grade`;
  if (drop.final) return `Dropped from the final grade by ${name} rule (${rules}); it counts in the current grade`;
  return '';
}

export function formatNumber(n) {
  if (n === null || n === undefined || n === '') return '';
  const num = typeof n === 'number' ? n : Number(n);
  if (!Number.isFinite(num)) return String(n);
  return String(Math.round(num * 100) / 100);
}

export function formatPercent(p) {
  if (p === null || p === undefined) return '–';
  return `${Number(p).toFixed(2)}%`;
}

export function gradeText(g) {
  if (!g || g.percent === null || g.percent === undefined) return '–';
  return g.letter ? `${formatPercent(g.percent)} ${g.letter}` : formatPercent(g.percent);
}

export function gradeTitle(g, weighting) {
  if (!g) return 'No grade yet';
  if (g.percent === null || g.percent === undefined) return 'No grade: nothing counts yet';
  if (weighting === 'percent') return `${formatPercent(g.percent)} (weighted by group)`;
  return `${formatNumber(g.score)} / ${formatNumber(g.possible)} points`;
}

/** Parses what a teacher typed into a cell. */
export function parseEntry(text) {
  const t = String(text).trim();
  if (t === '' || t === '-' || t === '–') return { ok: true, score: null, excused: false };
  if (/^(ex|exc|excused)$/i.test(t)) return { ok: true, score: null, excused: true };
  const normalised = t.replace(',', '.');
  if (!/^-?\d*\.?\d+$|^-?\d+\.$/.test(normalised)) {
    return { ok: false, error: `"${t}" is not a number (type a score, EX for excused, or leave empty for ungraded)` };
  }
  return { ok: true, score: Number(normalised), excused: false };
}

/** Mean of graded, not excused scores per assignment over the given students (null if none). */
export function assignmentMeans(model, studentIds) {
  const means = {};
  for (const a of model.columns) {
    let sum = 0;
    let n = 0;
    for (const sid of studentIds) {
      const c = cellOf(model, sid, a.id);
      if (!c.excused && c.score !== null && c.score !== undefined) {
        sum += Number(c.score);
        n += 1;
      }
    }
    means[key(a.id)] = n ? { mean: sum / n, count: n } : null;
  }
  return means;
}

export function gradeMean(model, studentIds, view) {
  let sum = 0;
  let n = 0;
  for (const sid of studentIds) {
    const g = model.studentsById[sid] && model.studentsById[sid][view];
    if (g && g.percent !== null && g.percent !== undefined) {
      sum += Number(g.percent);
      n += 1;
    }
  }
  return n ? sum / n : null;
}

export function fold(s) {
  return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function filterStudents(model, query) {
  const q = fold(query || '').trim();
  if (!q) return model.studentIds;
  return model.studentIds.filter((sid) => {
    const s = model.studentsById[sid];
    return fold(s.name || '').includes(q) || sid === q;
  });
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** sort: {by: 'name'|'current'|'final', dir: 'asc'|'desc'}. Students without a grade go last either way. */
export function sortStudents(model, ids, sort) {
  const sign = sort.dir === 'desc' ? -1 : 1;
  const byName = (a, b) => collator.compare(model.studentsById[a].name || '', model.studentsById[b].name || '');
  if (sort.by === 'name') return [...ids].sort((a, b) => sign * byName(a, b) || Number(a) - Number(b));
  const pct = (sid) => {
    const g = model.studentsById[sid][sort.by];
    return g && g.percent !== null && g.percent !== undefined ? Number(g.percent) : null;
  };
  return [...ids].sort((a, b) => {
    const pa = pct(a);
    const pb = pct(b);
    if (pa === null && pb === null) return byName(a, b);
    if (pa === null) return 1;
    if (pb === null) return -1;
    return sign * (pa - pb) || byName(a, b);
  });
}

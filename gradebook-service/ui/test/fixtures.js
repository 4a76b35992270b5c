// Gradebook data in the shape of GET /api/gradebook/v1/sections/{id} (issue 5 / docs/grading.md section 9),
// plus the raw scores in the legacy source format.

const g = (score, possible, percent, letter) => ({ score, possible, percent, letter });
const grp = (id, current, final, droppedCurrent = [], droppedFinal = droppedCurrent) => ({
  id,
  current: { ...current, dropped: droppedCurrent },
  final: { ...final, dropped: droppedFinal },
});

export function section101() {
  return {
    section: { id: 101, name: 'Grade 7 Science A', term: '2026 T1' },
    weighting: 'percent',
    grading_standard: [['A', 0.94], ['A-', 0.9], ['B+', 0.87], ['B', 0.84], ['C', 0.7], ['F', 0]],
    as_of: '2026-11-26T07:00:00Z',
    groups: [
      { id: 11, name: 'Homework', weight: 25, rules: { drop_lowest: 1, drop_highest: 0, never_drop: [203] } },
      { id: 12, name: 'Tests', weight: 75, rules: { drop_lowest: 0, drop_highest: 0, never_drop: [] } },
    ],
    assignments: [
      { id: 201, group_id: 11, name: 'HW 1', points_possible: 10, omit_from_final_grade: false },
      { id: 301, group_id: 12, name: 'Test 1', points_possible: 50, omit_from_final_grade: false },
      { id: 202, group_id: 11, name: 'HW 2', points_possible: 10, omit_from_final_grade: false },
      { id: 203, group_id: 11, name: 'HW 3', points_possible: 10, omit_from_final_grade: false },
      { id: 302, group_id: 12, name: 'Test 2', points_possible: 50, omit_from_final_grade: false },
    ],
    students: [
      {
        id: 5001,
        name: 'José Núñez',
        current: g(91.25, 100, 91.25, 'A-'),
        final: g(51.25, 100, 51.25, 'F'),
        groups: [grp(11, g(9.5, 10, 95), g(9.5, 20, 47.5), [202], [202]), grp(12, g(45, 50, 90), g(45, 50, 90))],
      },
      {
        id: 5002,
        name: 'Ada Lovelace',
        current: g(85, 100, 85, 'B'),
        final: g(55, 100, 55, 'F'),
        groups: [grp(11, g(20, 20, 100), g(20, 20, 100), [201], [201]), grp(12, g(40, 50, 80), g(40, 100, 40))],
      },
      {
        id: 5003,
        name: 'Zoë Brown',
        current: g(null, 0, null, null),
        final: g(0, 100, 0, 'F'),
        groups: [grp(11, g(0, 0, null), g(0, 20, 0), [], [203]), grp(12, g(0, 0, null), g(0, 100, 0))],
      },
    ],
    scores: [
      { student_id: 5001, assignment_id: 201, score: 9.5, excused: false, missing: false },
      { student_id: 5001, assignment_id: 202, score: 6, excused: false, missing: false },
      { student_id: 5001, assignment_id: 301, score: 45, excused: false, missing: false },
      { student_id: 5001, assignment_id: 302, score: null, excused: true, missing: false },
      { student_id: 5002, assignment_id: 201, score: 0, excused: false, missing: false },
      { student_id: 5002, assignment_id: 202, score: 10, excused: false, missing: false },
      { student_id: 5002, assignment_id: 203, score: 10, excused: false, missing: false },
      { student_id: 5002, assignment_id: 301, score: 40, excused: false, missing: false },
      { student_id: 5002, assignment_id: 302, score: null, excused: false, missing: true },
    ],
  };
}

/** A big section (students x assignments in 6 groups) for render tests. */
export function bigSection(nStudents = 40, nAssignments = 80) {
  const groups = Array.from({ length: 6 }, (_, i) => ({
    id: 1 + i,
    name: `Group ${i + 1}`,
    weight: [10, 15, 20, 25, 20, 10][i],
    rules: { drop_lowest: i % 2, drop_highest: 0, never_drop: [] },
  }));
  const assignments = Array.from({ length: nAssignments }, (_, i) => ({
    id: 1000 + i,
    group_id: 1 + (i % 6),
    name: `A${i + 1}`,
    points_possible: 10,
    omit_from_final_grade: false,
  }));
  const students = Array.from({ length: nStudents }, (_, i) => ({
    id: 9000 + i,
    name: `Student ${String(i + 1).padStart(2, '0')}`,
    current: g(80 + (i % 20), 100, 80 + (i % 20), 'B'),
    final: g(70 + (i % 20), 100, 70 + (i % 20), 'C'),
    groups: groups.map((gr) => grp(gr.id, g(8, 10, 80), g(8, 10, 80))),
  }));
  const scores = [];
  for (const s of students) for (const a of assignments) if ((s.id + a.id) % 7) scores.push({ student_id: s.id, assignment_id: a.id, score: (s.id + a.id) % 11, excused: false, missing: false });
  return { section: { id: 777, name: 'Big section', term: '2026 T1' }, weighting: 'percent', grading_standard: null, groups, assignments, students, scores };
}

/** An unsigned JWT-shaped token with the given claims (the browser only reads claims for display). */
export function fakeJwt(claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;
}

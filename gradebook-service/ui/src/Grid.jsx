import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  assignmentMeans,
  cellOf,
  describeRules,
  dropState,
  dropTooltip,
  EMPTY_CELL,
  formatNumber,
  formatPercent,
  gradeMean,
  gradeText,
  gradeTitle,
  parseEntry,
} from './model.js';

const k = (id) => String(id);
export const cellId = (sid, aid) => `cell-${sid}-${aid}`;

function cellText(cell) {
  if (cell.excused) return 'EX';
  if (cell.score === null || cell.score === undefined) return '';
  return formatNumber(cell.score);
}

function describeCell(cell, assignment) {
  const parts = [];
  if (cell.excused) parts.push('Excused: does not count');
  else if (cell.score === null || cell.score === undefined) parts.push('Not graded yet');
  else parts.push(`${formatNumber(cell.score)} / ${formatNumber(assignment.points_possible ?? 0)}`);
  if (cell.missing) parts.push('marked missing');
  return parts.join(', ');
}

const Cell = memo(function Cell({ sid, assignment, group, assignmentsById, cell, student, active, editing, pending, onEditKeyDown, onEditChange, onEditBlur }) {
  const aid = k(assignment.id);
  const drop = dropState(student, assignment.group_id, aid);
  const ungraded = !cell.excused && (cell.score === null || cell.score === undefined);
  const classes = ['cell'];
  if (active) classes.push('active');
  if (cell.excused) classes.push('excused');
  if (ungraded) classes.push('ungraded');
  if (cell.missing) classes.push('missing');
  if (drop.current) classes.push('dropped');
  else if (drop.final && !ungraded) classes.push('dropped-final');
  if (pending) classes.push('pending');
  let title = describeCell(cell, assignment);
  if (drop.current || drop.final) title += `. ${dropTooltip(group, drop, assignmentsById)}`;

  let content;
  if (editing) {
    content = (
      <input
        className="cell-input"
        autoFocus
        aria-label={`Score for ${student.name}, ${assignment.name}`}
        aria-invalid={editing.error ? 'true' : undefined}
        value={editing.value}
        onChange={onEditChange}
        onKeyDown={onEditKeyDown}
        onBlur={onEditBlur}
        onFocus={(e) => {
          if (editing.selectAll) e.target.select();
          else e.target.setSelectionRange(e.target.value.length, e.target.value.length);
        }}
      />
    );
  } else if (cell.excused) {
    content = <span className="ex">EX</span>;
  } else if (ungraded) {
    content = <span className="ng">{cell.missing ? 'missing' : '–'}</span>;
  } else if (drop.current) {
    content = <s>{formatNumber(cell.score)}</s>;
  } else {
    content = <span>{formatNumber(cell.score)}</span>;
  }
  return (
    <td
      id={cellId(sid, aid)}
      role="gridcell"
      className={classes.join(' ')}
      data-sid={sid}
      data-aid={aid}
      tabIndex={active && !editing ? 0 : -1}
      title={title}
      aria-selected={active ? 'true' : undefined}
      aria-busy={pending ? 'true' : undefined}
    >
      {content}
      {cell.missing && !ungraded && !editing ? <sup className="m-flag" aria-label="missing">M</sup> : null}
    </td>
  );
});

const Row = memo(function Row({ sid, student, rowScores, columns, groupById, assignmentsById, weighting, activeAid, editing, pendingRow, onEditKeyDown, onEditChange, onEditBlur }) {
  return (
    <tr data-sid={sid}>
      <th scope="row" className="frozen name" title={`Student ${sid}`}>
        {student.name}
      </th>
      <td className="frozen grade current" title={gradeTitle(student.current, weighting)} data-grade="current">
        {gradeText(student.current)}
      </td>
      <td className="frozen grade final" title={gradeTitle(student.final, weighting)} data-grade="final">
        {gradeText(student.final)}
      </td>
      {columns.map((a) => {
        const aid = k(a.id);
        const active = activeAid === aid;
        return (
          <Cell
            key={aid}
            sid={sid}
            assignment={a}
            group={groupById.get(k(a.group_id))}
            assignmentsById={assignmentsById}
            cell={(rowScores && rowScores[aid]) || EMPTY_CELL}
            student={student}
            active={active}
            editing={active ? editing : null}
            pending={!!(pendingRow && pendingRow[aid])}
            onEditKeyDown={active ? onEditKeyDown : undefined}
            onEditChange={active ? onEditChange : undefined}
            onEditBlur={active ? onEditBlur : undefined}
          />
        );
      })}
    </tr>
  );
});

const ariaSort = (sort, by) => (sort.by === by ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');

function SortButton({ label, by, sort, onSort }) {
  const activeSort = sort.by === by;
  const arrow = activeSort ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '';
  const next = activeSort && sort.dir === 'asc' ? 'desc' : 'asc';
  return (
    <button
      type="button"
      className="sort"
      aria-label={`Sort by ${label.toLowerCase()}${activeSort ? `, now ${sort.dir === 'asc' ? 'ascending' : 'descending'}` : ''}`}
      onClick={() => onSort({ by, dir: activeSort ? next : by === 'name' ? 'asc' : 'desc' })}
    >
      {label}
      {arrow}
    </button>
  );
}

/**
 * The spreadsheet. rowIds: the students to show, in order. onCommit(sid, aid, next) saves one cell
 * ({score, excused, missing}); it resolves/rejects when the server answers.
 */
export default function Grid({ model, rowIds, sort, onSort, onCommit, pending, readOnly }) {
  const columns = model.columns;
  const assignmentsById = useMemo(() => new Map(columns.map((a) => [k(a.id), a])), [columns]);
  const [active, setActive] = useState(() => ({ sid: rowIds[0] ?? null, aid: columns[0] ? k(columns[0].id) : null }));
  const [editing, setEditing] = useState(null); // {value, error, selectAll}
  const editSession = useRef(0);
  const pendingFocus = useRef(null); // the cell to focus after the next render

  // Keep the active cell on a visible row/column when filters or data change.
  const rowIndex = rowIds.indexOf(active.sid);
  const colIndex = columns.findIndex((a) => k(a.id) === active.aid);
  const r = rowIndex < 0 ? 0 : rowIndex;
  const c = colIndex < 0 ? 0 : colIndex;
  const activeSid = rowIds[r] ?? null;
  const activeAid = columns[c] ? k(columns[c].id) : null;

  const stateRef = useRef();
  stateRef.current = { r, c, activeSid, activeAid, editing, rowIds, columns, model, readOnly };

  const focusCell = useCallback((sid, aid) => {
    const el = document.getElementById(cellId(sid, aid));
    if (!el) return;
    if (document.activeElement !== el) el.focus({ preventScroll: true });
    if (el.scrollIntoView) el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, []);

  const moveTo = useCallback((nr, nc, { focus = true } = {}) => {
    const s = stateRef.current;
    const rr = Math.max(0, Math.min(s.rowIds.length - 1, nr));
    const cc = Math.max(0, Math.min(s.columns.length - 1, nc));
    const sid = s.rowIds[rr];
    const aid = s.columns[cc] && k(s.columns[cc].id);
    if (sid === undefined || aid === undefined) return;
    setActive({ sid, aid });
    if (focus) pendingFocus.current = { sid, aid };
  }, []);

  useLayoutEffect(() => {
    if (pendingFocus.current && !editing) {
      const { sid, aid } = pendingFocus.current;
      pendingFocus.current = null;
      focusCell(sid, aid);
    }
  });

  const startEdit = useCallback((initial, selectAll) => {
    const s = stateRef.current;
    if (s.readOnly || s.activeSid === null || s.activeAid === null) return;
    editSession.current += 1;
    setEditing({ value: initial, error: null, selectAll, session: editSession.current });
  }, []);

  const save = useCallback(
    (sid, aid, next) => {
      const old = cellOf(stateRef.current.model, sid, aid);
      if (old.score === next.score && old.excused === next.excused && old.missing === next.missing) return;
      onCommit(sid, aid, next);
    },
    [onCommit],
  );

  /** Commits the editor. Returns false (and keeps editing) when the text is not a score. */
  const commitEdit = useCallback(
    (dr, dc, focus = true) => {
      const s = stateRef.current;
      if (!s.editing) return true;
      const parsed = parseEntry(s.editing.value);
      if (!parsed.ok) {
        setEditing({ ...s.editing, error: parsed.error, selectAll: false });
        return false;
      }
      const old = cellOf(s.model, s.activeSid, s.activeAid);
      const next = parsed.excused
        ? { score: old.score, excused: true, missing: old.missing }
        : { score: parsed.score, excused: false, missing: parsed.score === null ? old.missing : false };
      editSession.current += 1; // a later blur of this editor is not a second commit
      setEditing(null);
      save(s.activeSid, s.activeAid, next);
      moveTo(s.r + dr, s.c + dc, { focus });
      return true;
    },
    [moveTo, save],
  );

  const cancelEdit = useCallback(() => {
    const s = stateRef.current;
    editSession.current += 1;
    setEditing(null);
    moveTo(s.r, s.c);
  }, [moveTo]);

  const onEditChange = useCallback((e) => {
    const value = e.target.value;
    setEditing((ed) => (ed ? { ...ed, value, error: null, selectAll: false } : ed));
  }, []);

  const onEditKeyDown = useCallback(
    (e) => {
      e.stopPropagation();
      if (e.key === 'Enter') {
        e.preventDefault();
        commitEdit(e.shiftKey ? -1 : 1, 0);
      } else if (e.key === 'Tab') {
        e.preventDefault();
        commitEdit(0, e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        cancelEdit();
      }
    },
    [commitEdit, cancelEdit],
  );

  const onEditBlur = useCallback(() => {
    const session = stateRef.current.editing && stateRef.current.editing.session;
    // Clicking elsewhere saves, like a spreadsheet; Enter/Tab/Escape already closed this session.
    queueMicrotask(() => {
      const s = stateRef.current;
      if (s.editing && s.editing.session === session) {
        const parsed = parseEntry(s.editing.value);
        if (!parsed.ok) {
          editSession.current += 1;
          setEditing(null);
          return;
        }
        commitEdit(0, 0, false); // focus went elsewhere on purpose: leave it there
      }
    });
  }, [commitEdit]);

  const toggle = useCallback(
    (field) => {
      const s = stateRef.current;
      if (s.readOnly || s.activeSid === null || s.activeAid === null) return;
      const old = cellOf(s.model, s.activeSid, s.activeAid);
      save(s.activeSid, s.activeAid, { ...old, [field]: !old[field] });
    },
    [save],
  );

  const clear = useCallback(() => {
    const s = stateRef.current;
    if (s.readOnly || s.activeSid === null || s.activeAid === null) return;
    const old = cellOf(s.model, s.activeSid, s.activeAid);
    save(s.activeSid, s.activeAid, { score: null, excused: false, missing: old.missing });
  }, [save]);

  const onKeyDown = useCallback(
    (e) => {
      const s = stateRef.current;
      if (s.editing) return;
      if (!e.target.closest || !e.target.closest('td[data-aid]')) return;
      const page = 10;
      const mod = e.ctrlKey || e.metaKey;
      switch (e.key) {
        case 'ArrowUp':
          e.preventDefault();
          return moveTo(s.r - 1, s.c);
        case 'ArrowDown':
          e.preventDefault();
          return moveTo(s.r + 1, s.c);
        case 'ArrowLeft':
          e.preventDefault();
          return moveTo(s.r, s.c - 1);
        case 'ArrowRight':
          e.preventDefault();
          return moveTo(s.r, s.c + 1);
        case 'PageUp':
          e.preventDefault();
          return moveTo(s.r - page, s.c);
        case 'PageDown':
          e.preventDefault();
          return moveTo(s.r + page, s.c);
        case 'Home':
          e.preventDefault();
          return moveTo(mod ? 0 : s.r, 0);
        case 'End':
          e.preventDefault();
          return moveTo(mod ? s.rowIds.length - 1 : s.r, s.columns.length - 1);
        case 'Tab': {
          const nc = s.c + (e.shiftKey ? -1 : 1);
          if (nc < 0 || nc >= s.columns.length) return; // leave the grid
          e.preventDefault();
          return moveTo(s.r, nc);
        }
        case 'Enter':
        case 'F2': {
          e.preventDefault();
          return startEdit(cellText(cellOf(s.model, s.activeSid, s.activeAid)), true);
        }
        case 'Delete':
        case 'Backspace':
          e.preventDefault();
          return clear();
        default:
          break;
      }
      if (mod || e.altKey) return;
      if (e.key === 'e' || e.key === 'E' || e.key === 'x' || e.key === 'X') {
        e.preventDefault();
        return toggle('excused');
      }
      if (e.key === 'm' || e.key === 'M') {
        e.preventDefault();
        return toggle('missing');
      }
      if (/^[0-9.,-]$/.test(e.key)) {
        e.preventDefault();
        return startEdit(e.key, false);
      }
    },
    [moveTo, startEdit, clear, toggle],
  );

  const onClick = useCallback(
    (e) => {
      const td = e.target.closest && e.target.closest('td[data-aid]');
      if (!td || (stateRef.current.editing && td.querySelector('input'))) return;
      setActive({ sid: td.dataset.sid, aid: td.dataset.aid });
      pendingFocus.current = { sid: td.dataset.sid, aid: td.dataset.aid };
    },
    [],
  );

  const onDoubleClick = useCallback(
    (e) => {
      const td = e.target.closest && e.target.closest('td[data-aid]');
      if (!td) return;
      const cell = cellOf(stateRef.current.model, td.dataset.sid, td.dataset.aid);
      startEdit(cellText(cell), true);
    },
    [startEdit],
  );

  // Group header spans, in column order.
  const groupSpans = useMemo(() => {
    const spans = [];
    for (const a of columns) {
      const last = spans[spans.length - 1];
      if (last && k(last.groupId) === k(a.group_id)) last.span += 1;
      else spans.push({ groupId: a.group_id, span: 1 });
    }
    return spans;
  }, [columns]);

  const means = useMemo(() => assignmentMeans(model, rowIds), [model, rowIds]);
  const activeStudent = activeSid !== null ? model.studentsById[activeSid] : null;
  const activeAssignment = activeAid !== null ? assignmentsById.get(activeAid) : null;
  const activeCell = activeSid !== null && activeAid !== null ? cellOf(model, activeSid, activeAid) : EMPTY_CELL;
  const activeDrop = activeStudent && activeAssignment ? dropState(activeStudent, activeAssignment.group_id, activeAid) : { current: false, final: false };

  return (
    <div className="grid-wrap">
      <div className="cell-bar" role="group" aria-label="Selected cell">
        {activeStudent && activeAssignment ? (
          <>
            <span className="where">
              <strong>{activeStudent.name}</strong> · {activeAssignment.name}{' '}
              <span className="muted">({describeCell(activeCell, activeAssignment)})</span>
              {activeDrop.current || activeDrop.final ? (
                <span className="drop-note"> · {dropTooltip(model.groupById.get(k(activeAssignment.group_id)), activeDrop, assignmentsById)}</span>
              ) : null}
            </span>
            <button type="button" aria-pressed={activeCell.excused} disabled={readOnly} onClick={() => toggle('excused')}>
              Excused <kbd>E</kbd>
            </button>
            <button type="button" aria-pressed={activeCell.missing} disabled={readOnly} onClick={() => toggle('missing')}>
              Missing <kbd>M</kbd>
            </button>
            <button type="button" disabled={readOnly} onClick={clear}>
              Clear <kbd>Del</kbd>
            </button>
          </>
        ) : (
          <span className="muted">No student matches.</span>
        )}
        {editing && editing.error ? (
          <span className="edit-error" role="alert">
            {editing.error}
          </span>
        ) : null}
      </div>
      <div className="scroller" data-testid="scroller">
        <table
          className="grid"
          role="grid"
          aria-label={`Gradebook of ${model.section.name || 'section'}`}
          aria-rowcount={rowIds.length + 3}
          aria-colcount={columns.length + 3}
          onKeyDown={onKeyDown}
          onClick={onClick}
          onDoubleClick={onDoubleClick}
        >
          <colgroup>
            <col className="c-name" />
            <col className="c-grade" />
            <col className="c-grade" />
            {columns.map((a) => (
              <col key={a.id} className="c-cell" />
            ))}
          </colgroup>
          <thead>
            <tr className="groups">
              <th className="frozen corner" colSpan={3} scope="colgroup">
                {model.weighting === 'percent' ? 'Weighted by group' : 'Total points'}
              </th>
              {groupSpans.map(({ groupId, span }, i) => {
                const g = model.groupById.get(k(groupId));
                const rules = describeRules(g, assignmentsById);
                return (
                  <th key={`${groupId}-${i}`} colSpan={span} scope="colgroup" className="group" data-group={groupId}>
                    <span className="gname">{g ? g.name : 'Other'}</span>
                    {g && model.weighting === 'percent' ? <span className="weight"> {formatNumber(g.weight ?? 0)}%</span> : null}
                    {rules ? <span className="rules" title={`Drop rules: ${rules}`}>{rules}</span> : null}
                  </th>
                );
              })}
            </tr>
            <tr className="assignments">
              <th className="frozen name" scope="col" aria-sort={ariaSort(sort, 'name')}>
                <SortButton label="Name" by="name" sort={sort} onSort={onSort} />
              </th>
              <th className="frozen grade current" scope="col" aria-sort={ariaSort(sort, 'current')}>
                <SortButton label="Current" by="current" sort={sort} onSort={onSort} />
              </th>
              <th className="frozen grade final" scope="col" aria-sort={ariaSort(sort, 'final')}>
                <SortButton label="Final" by="final" sort={sort} onSort={onSort} />
              </th>
              {columns.map((a) => (
                <th key={a.id} scope="col" className={`assignment${a.omit_from_final_grade ? ' omitted' : ''}`} data-aid={a.id} title={a.name}>
                  <span className="aname">{a.name}</span>
                  <span className="points">
                    {formatNumber(a.points_possible ?? 0)} pts{a.omit_from_final_grade ? ' · not counted' : ''}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rowIds.map((sid) => {
              const isActiveRow = sid === activeSid;
              return (
                <Row
                  key={sid}
                  sid={sid}
                  student={model.studentsById[sid]}
                  rowScores={model.scores[sid]}
                  columns={columns}
                  groupById={model.groupById}
                  assignmentsById={assignmentsById}
                  weighting={model.weighting}
                  activeAid={isActiveRow ? activeAid : null}
                  editing={isActiveRow ? editing : null}
                  pendingRow={pending[sid]}
                  onEditKeyDown={onEditKeyDown}
                  onEditChange={onEditChange}
                  onEditBlur={onEditBlur}
                />
              );
            })}
          </tbody>
          <tfoot>
            <tr className="means">
              <th scope="row" className="frozen name" title="Mean of the graded, not excused scores of the students shown">
                Mean
              </th>
              <td className="frozen grade current" data-mean="current">{formatPercent(gradeMean(model, rowIds, 'current'))}</td>
              <td className="frozen grade final" data-mean="final">{formatPercent(gradeMean(model, rowIds, 'final'))}</td>
              {columns.map((a) => {
                const m = means[k(a.id)];
                return (
                  <td key={a.id} className="mean" data-aid={undefined} data-mean-aid={a.id} title={m ? `Mean of ${m.count} graded` : 'Nothing graded yet'}>
                    {m ? formatNumber(m.mean) : '–'}
                  </td>
                );
              })}
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}

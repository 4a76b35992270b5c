import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Grid from './Grid.jsx';
import { ApiError, eventsUrl, fetchSection, putScore } from './api.js';
import { claims, isExpired, msUntilExpiry, takeToken } from './auth.js';
import { applyScore, applyUpdate, cellOf, filterStudents, normalise, sortStudents } from './model.js';

export function sectionIdFromPath(pathname) {
  const m = /\/sections\/(\d+)\/?$/.exec(pathname || '');
  return m ? m[1] : null;
}

const EXPIRED = 'Your gradebook session has expired or is no longer valid. Open the gradebook again from the school app to get a new one.';

function Notice({ kind, title, children }) {
  return (
    <div className={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <h2>{title}</h2>
      {children}
    </div>
  );
}

function describeLoadError(err) {
  if (!(err instanceof ApiError)) return { kind: 'error', title: 'Something went wrong', text: String(err && err.message) };
  switch (err.status) {
    case 401:
      return { kind: 'expired', title: 'Session expired', text: EXPIRED };
    case 403:
      return { kind: 'forbidden', title: 'You cannot open this section', text: 'Your account does not give you access to this section. If you think it should, ask the school office.' };
    case 404:
      return { kind: 'error', title: 'Section not found', text: 'There is no such section, or it was removed.' };
    case 502:
    case 503:
    case 504:
      return { kind: 'error', title: 'The school app did not answer', text: `${err.message} Try again in a moment.`, retry: true };
    default:
      return { kind: 'error', title: 'The gradebook could not be loaded', text: err.message, retry: true };
  }
}

function SectionList({ token }) {
  const c = claims(token);
  const sections = (c && c.sections) || [];
  return (
    <main className="page">
      <h1>Gradebook</h1>
      {sections.length ? (
        <ul className="sections">
          {sections.map((s) => (
            <li key={s}>
              <a href={`${import.meta.env.BASE_URL}sections/${s}`}>Section {s}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>Open a gradebook from the school app.</p>
      )}
    </main>
  );
}

export default function App({ location = window.location }) {
  const [token] = useState(() => takeToken());
  const sectionId = sectionIdFromPath(location.pathname);
  if (!token) {
    return (
      <main className="page">
        <Notice kind="expired" title="Not signed in">
          <p>Open the gradebook from the school app; it signs you in for this page.</p>
        </Notice>
      </main>
    );
  }
  if (!sectionId) return <SectionList token={token} />;
  return <Section sectionId={sectionId} token={token} />;
}

export function Section({ sectionId, token }) {
  const [model, setModel] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [expired, setExpired] = useState(() => isExpired(token));
  const [errors, setErrors] = useState([]); // save failures: {id, text}
  const [status, setStatus] = useState('');
  const [pending, setPending] = useState({}); // sid -> {aid: true}
  const [live, setLive] = useState('connecting'); // connecting | live | reconnecting | stopped
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState({ by: 'name', dir: 'asc' });
  const modelRef = useRef(null);
  modelRef.current = model;
  const errorSeq = useRef(0);
  // Values typed here whose save has not been answered yet: a live event must not show the old value meanwhile.
  const unsaved = useRef(new Map());
  const withUnsaved = useCallback((m) => {
    let next = m;
    for (const [k, cell] of unsaved.current) {
      const [sid, aid] = k.split(':');
      next = applyScore(next, { student_id: sid, assignment_id: aid, ...cell });
    }
    return next;
  }, []);
  const who = claims(token);

  const addError = useCallback((text) => {
    errorSeq.current += 1;
    const id = errorSeq.current;
    setErrors((list) => [...list.slice(-4), { id, text }]);
  }, []);

  const load = useCallback(
    async (signal) => {
      try {
        const data = await fetchSection(sectionId, token, { signal });
        setModel(normalise(data));
        setLoadError(null);
      } catch (err) {
        if (signal && signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) setExpired(true);
        setLoadError(describeLoadError(err));
      }
    },
    [sectionId, token],
  );

  useEffect(() => {
    if (expired) return undefined;
    const ctrl = new AbortController();
    load(ctrl.signal);
    return () => ctrl.abort();
  }, [load, expired]);

  // The token is short-lived: say so the moment it runs out instead of failing on the next save.
  useEffect(() => {
    const ms = msUntilExpiry(token);
    if (ms === null || expired) return undefined;
    const t = setTimeout(() => setExpired(true), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    return () => clearTimeout(t);
  }, [token, expired]);

  // Live updates: Server-Sent Events from gradebook-service, fed by the Redis change events.
  const loaded = model !== null;
  useEffect(() => {
    // For the browser tests and the render benchmark: when the first grid was on screen.
    if (loaded && typeof performance !== 'undefined' && performance.mark) performance.mark('gradebook:rendered');
  }, [loaded]);
  useEffect(() => {
    if (!loaded || expired || typeof EventSource === 'undefined') return undefined;
    const es = new EventSource(eventsUrl(sectionId, token));
    let hadError = false;
    let reloadTimer = null;
    const reloadSoon = () => {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => load(), 150);
    };
    es.onopen = () => {
      setLive('live');
      if (hadError) reloadSoon(); // we may have missed changes while disconnected
      hadError = false;
    };
    es.onerror = () => {
      hadError = true;
      if (isExpired(token)) {
        es.close();
        setExpired(true);
        setLive('stopped');
      } else {
        setLive(es.readyState === EventSource.CLOSED ? 'stopped' : 'reconnecting');
      }
    };
    es.addEventListener('score', (e) => {
      let data;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      if (data.section_id !== undefined && String(data.section_id) !== String(sectionId)) return;
      const before = modelRef.current;
      const after = applyUpdate(before, data);
      if (after === before) reloadSoon();
      else setModel(withUnsaved(after));
    });
    es.addEventListener('reload', reloadSoon);
    return () => {
      clearTimeout(reloadTimer);
      es.close();
    };
  }, [loaded, expired, sectionId, token, load, withUnsaved]);

  const onCommit = useCallback(
    async (sid, aid, next) => {
      const m = modelRef.current;
      const old = cellOf(m, sid, aid);
      const student = m.studentsById[sid];
      const assignment = m.columns.find((a) => String(a.id) === String(aid));
      const label = `${student ? student.name : sid}, ${assignment ? assignment.name : aid}`;
      const unsavedKey = `${sid}:${aid}`;
      unsaved.current.set(unsavedKey, next);
      setModel((cur) => applyScore(cur, { student_id: sid, assignment_id: aid, ...next }));
      setPending((p) => ({ ...p, [sid]: { ...(p[sid] || {}), [aid]: true } }));
      setStatus(`Saving ${label}…`);
      try {
        const answer = await putScore(sectionId, token, {
          student_id: Number(sid),
          assignment_id: Number(aid),
          score: next.score,
          excused: next.excused,
          missing: next.missing,
        });
        if (unsaved.current.get(unsavedKey) === next) unsaved.current.delete(unsavedKey);
        setModel((cur) => withUnsaved(applyUpdate(cur, answer)));
        setStatus(`Saved ${label}.`);
      } catch (err) {
        if (unsaved.current.get(unsavedKey) === next) unsaved.current.delete(unsavedKey);
        // Put the old value back unless something newer (a live event) replaced ours meanwhile.
        setModel((cur) => {
          const now = cellOf(cur, sid, aid);
          const ours = now.score === next.score && now.excused === next.excused && now.missing === next.missing;
          return ours ? applyScore(cur, { student_id: sid, assignment_id: aid, ...old }) : cur;
        });
        if (err instanceof ApiError && err.status === 401) setExpired(true);
        const detail = err instanceof ApiError && err.fieldMessages.length ? err.fieldMessages.join('; ') : err.message;
        const prefix = err instanceof ApiError && err.status === 403 ? 'You cannot change this section' : 'Not saved';
        addError(`${prefix}: ${label}: ${detail}. The previous value is back.`);
        setStatus(`Not saved: ${label}.`);
      } finally {
        setPending((p) => {
          const row = { ...(p[sid] || {}) };
          delete row[aid];
          return { ...p, [sid]: row };
        });
      }
    },
    [sectionId, token, addError, withUnsaved],
  );

  const rowIds = useMemo(() => {
    if (!model) return [];
    return sortStudents(model, filterStudents(model, query), sort);
  }, [model, query, sort]);

  if (!model) {
    if (expired) {
      return (
        <main className="page">
          <Notice kind="expired" title="Session expired">
            <p>{EXPIRED}</p>
          </Notice>
        </main>
      );
    }
    if (loadError) {
      return (
        <main className="page">
          <Notice kind={loadError.kind === 'error' ? 'error' : 'warn'} title={loadError.title}>
            <p>{loadError.text}</p>
            {loadError.retry ? (
              <button type="button" onClick={() => load()}>
                Try again
              </button>
            ) : null}
          </Notice>
        </main>
      );
    }
    return (
      <main className="page">
        <p className="loading" role="status">
          Loading gradebook…
        </p>
      </main>
    );
  }

  const { section } = model;
  return (
    <main className="page gradebook" data-section={sectionId}>
      <header className="top">
        <div>
          <h1>{section.name || `Section ${sectionId}`}</h1>
          <p className="muted">
            {section.term ? `${section.term} · ` : ''}
            {model.studentIds.length} students · {model.columns.length} assignments
            {who && who.name ? ` · ${who.name}` : ''}
            {model.meta.data_as_of ? ` · source data of ${new Date(model.meta.patched_at || model.meta.data_as_of).toLocaleTimeString()}` : ''}
          </p>
        </div>
        <div className="tools">
          <label>
            Filter students{' '}
            <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name or id" />
          </label>
          <span className={`live ${live}`} role="status" title="Changes by others appear here as they happen">
            {live === 'live' ? '● Live' : live === 'reconnecting' ? '○ Reconnecting…' : live === 'stopped' ? '○ Live updates stopped' : '○ Connecting…'}
          </span>
        </div>
      </header>
      {expired ? (
        <Notice kind="expired" title="Session expired">
          <p>{EXPIRED} Nothing you type now can be saved.</p>
        </Notice>
      ) : null}
      {loadError && !expired ? (
        <Notice kind="error" title={loadError.title}>
          <p>{loadError.text}</p>
        </Notice>
      ) : null}
      {errors.length ? (
        <div className="errors" role="alert">
          {errors.map((e) => (
            <p key={e.id} className="save-error">
              {e.text}{' '}
              <button type="button" className="link" onClick={() => setErrors((l) => l.filter((x) => x.id !== e.id))} aria-label="Dismiss">
                ×
              </button>
            </p>
          ))}
        </div>
      ) : null}
      <Grid model={model} rowIds={rowIds} sort={sort} onSort={setSort} onCommit={onCommit} pending={pending} readOnly={expired} />
      <p className="help muted">
        Arrows move · type a score to edit · Enter / Tab save and move (Shift goes back) · Esc cancels · E excused · M missing · Delete clears ·
        struck-through scores are dropped by the group's rules · – is not graded yet (not zero)
      </p>
      <p className="sr-only" aria-live="polite">
        {status}
      </p>
    </main>
  );
}


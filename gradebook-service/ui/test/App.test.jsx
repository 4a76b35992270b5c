import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../src/App.jsx';
import { TOKEN_KEY } from '../src/auth.js';
import { cellId } from '../src/Grid.jsx';
import { bigSection, fakeJwt, section101 } from './fixtures.js';

// The page opens its event stream after the section loads; wait for it rather than assume it exists.
async function liveStream() {
  await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(0));
  return FakeEventSource.instances[0];
}

// A stand-in for gradebook-service's HTTP API (fetch) and its SSE stream (EventSource), both in memory.
class FakeEventSource {
  static instances = [];
  static CLOSED = 2;
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.listeners = {};
    this.closed = false;
    FakeEventSource.instances.push(this);
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen && this.onopen();
    });
  }
  addEventListener(type, fn) {
    (this.listeners[type] ||= []).push(fn);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type, data) {
    for (const fn of this.listeners[type] || []) fn({ data: JSON.stringify(data) });
  }
}

function json(status, body, type = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

let server;
function fakeServer(data = section101()) {
  const s = {
    data,
    requests: [],
    // the answer of gradebook-service: {section_id, score, student: {id, name, current, final, groups, scores}}
    putHandler: (body) => {
      const student = s.data.students.find((x) => x.id === body.student_id);
      const entries = s.data.scores.filter((x) => x.student_id === body.student_id && x.assignment_id !== body.assignment_id);
      const score = { student_id: body.student_id, assignment_id: body.assignment_id, score: body.score, excused: body.excused, missing: body.missing };
      return json(200, {
        section_id: 101,
        score,
        student: { ...student, current: { score: 77.7, possible: 100, percent: 77.7, letter: 'C' }, scores: [...entries, score] },
      });
    },
    async fetch(url, init = {}) {
      const method = init.method || 'GET';
      const auth = (init.headers && init.headers.Authorization) || '';
      s.requests.push({ url, method, auth, body: init.body ? JSON.parse(init.body) : undefined });
      const path = url.split('?')[0];
      if (method === 'GET' && /\/sections\/\d+$/.test(path)) {
        if (path.endsWith('/sections/102')) return json(403, { title: 'Forbidden', status: 403, detail: 'section 102 is not yours' }, 'application/problem+json');
        // another school's section: the service answers exactly as for an unknown id
        if (path.endsWith('/sections/302')) return json(404, { title: 'Not found', status: 404, detail: 'No section with id 302', id: '302' }, 'application/problem+json');
        if (path.endsWith('/sections/401')) return json(401, { title: 'Unauthorized', status: 401, detail: 'token expired' }, 'application/problem+json');
        if (path.endsWith('/sections/502') && !s.legacyBack) {
          return json(502, { title: 'Bad Gateway', status: 502, detail: 'The legacy app answered 500.' }, 'application/problem+json');
        }
        // as the service: the score entries only when asked for
        if (!url.endsWith('?scores=true')) return json(200, { ...s.data, scores: undefined });
        return json(200, s.data);
      }
      if (method === 'PUT') return s.putHandler(JSON.parse(init.body));
      return json(404, { title: 'Not Found', status: 404 }, 'application/problem+json');
    },
  };
  return s;
}

const FUTURE = Math.floor(Date.now() / 1000) + 3600;
// the claims the legacy app mints (gradebook-service checks them; the page only reads name and exp)
const token = fakeJwt({
  sub: 't1', name: 'Ms Ada', role: 'teacher', school_id: 'lakeview', sections: [101, 302],
  iat: FUTURE - 3600, exp: FUTURE, iss: 'apiary-legacy-app', aud: 'apiary-gradebook',
});

function open(path, tok = token) {
  window.history.replaceState(null, '', `${path}#token=${tok}`);
  return render(<App />);
}

const cell = (sid, aid) => document.getElementById(cellId(sid, aid));
const row = (name) => screen.getByRole('rowheader', { name }).closest('tr');
const grade = (name, view) => row(name).querySelector(`[data-grade="${view}"]`).textContent;

beforeEach(() => {
  server = fakeServer();
  FakeEventSource.instances = [];
  vi.stubGlobal('fetch', (url, init) => server.fetch(url, init));
  vi.stubGlobal('EventSource', FakeEventSource);
  Element.prototype.scrollIntoView = function scrollIntoView() {};
});
afterEach(() => vi.unstubAllGlobals());

describe('loading', () => {
  it('shows the grid with frozen grades, weights, drop rules, points', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    expect(screen.getByRole('heading', { name: 'Grade 7 Science A' })).toBeTruthy();
    expect(grade('José Núñez', 'current')).toBe('91.25% A-');
    expect(grade('José Núñez', 'final')).toBe('51.25% F');
    expect(grade('Zoë Brown', 'current')).toBe('–');
    const hw = document.querySelector('th[data-group="11"]');
    expect(hw.textContent).toContain('Homework');
    expect(hw.textContent).toContain('25%');
    expect(hw.textContent).toContain('drop lowest 1 · never drop HW 3');
    expect(document.querySelector('th[data-aid="301"]').textContent).toBe('Test 150 pts');
  });

  it('sends the token as a bearer token and keeps it out of the URL', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    expect(server.requests[0].auth).toBe(`Bearer ${token}`);
    expect(window.location.hash).toBe('');
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe(token);
    expect((await liveStream()).url).toBe(`/api/gradebook/v1/sections/101/events?access_token=${encodeURIComponent(token)}`);
  });

  it('tells ungraded, zero, excused, missing and dropped apart', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    expect(cell('5001', '203').textContent).toBe('–');
    expect(cell('5001', '203').className).toContain('ungraded');
    expect(cell('5002', '201').textContent).toBe('0');
    expect(cell('5002', '201').className).not.toContain('ungraded');
    expect(cell('5001', '302').textContent).toBe('EX');
    expect(cell('5002', '302').textContent).toBe('missing');
    const dropped = cell('5001', '202');
    expect(dropped.querySelector('s').textContent).toBe('6');
    expect(dropped.title).toMatch(/Dropped: Homework rule \(drop lowest 1/);
    // keyboard users get the same explanation beside the selected cell
    fireEvent.click(dropped);
    expect(screen.getByLabelText('Selected cell').textContent).toMatch(/6 \/ 10.*Dropped: Homework rule \(drop lowest 1/);
    // an ungraded score dropped only in the final view is not struck through
    expect(cell('5003', '203').querySelector('s')).toBeNull();
  });

  it('shows a per-assignment mean of graded scores', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    expect(document.querySelector('[data-mean-aid="201"]').textContent).toBe('4.75');
    expect(document.querySelector('[data-mean-aid="302"]').textContent).toBe('–');
    expect(document.querySelector('[data-mean="current"]').textContent).toBe('88.13%');
  });
});

describe('auth messages', () => {
  it('an expired token gives a clear message and no request', async () => {
    open('/gradebook/sections/101', fakeJwt({ sub: 't1', sections: [101], exp: 1000 }));
    expect(await screen.findByText('Session expired')).toBeTruthy();
    expect(screen.getByText(/Open the gradebook again from the school app/)).toBeTruthy();
    expect(server.requests).toHaveLength(0);
  });

  it('a 401 from the service is shown as an expired session', async () => {
    open('/gradebook/sections/401');
    expect(await screen.findByText('Session expired')).toBeTruthy();
  });

  it('a 403 says the section cannot be opened', async () => {
    open('/gradebook/sections/102');
    expect(await screen.findByRole('heading', { name: 'You cannot open this section' })).toBeTruthy();
  });

  it("another school's section is not found, as an unknown one, and opens no stream", async () => {
    open('/gradebook/sections/302');
    expect(await screen.findByRole('heading', { name: 'Section not found' })).toBeTruthy();
    expect(screen.queryByRole('grid')).toBeNull();
    expect(FakeEventSource.instances.length).toBe(0);
  });

  it('a failing legacy app is explained, with a way to try again', async () => {
    open('/gradebook/sections/502');
    expect(await screen.findByRole('heading', { name: 'The school app did not answer' })).toBeTruthy();
    expect(screen.getByText(/The legacy app answered 500\. Try again in a moment\./)).toBeTruthy();
    server.legacyBack = true;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('grid')).toBeTruthy();
  });

  it('without any token it says how to get in', async () => {
    window.history.replaceState(null, '', '/gradebook/sections/101');
    render(<App />);
    expect(screen.getByText('Not signed in')).toBeTruthy();
  });

  it('a token that runs out while the page is open stops editing and says so', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const soon = fakeJwt({ sub: 't1', sections: [101], exp: Math.floor(Date.now() / 1000) + 5 });
      open('/gradebook/sections/101', soon);
      await screen.findByRole('grid');
      await act(async () => {
        vi.advanceTimersByTime(6000);
      });
      expect(screen.getByText('Session expired')).toBeTruthy();
      expect(screen.getByRole('button', { name: /Excused/ }).disabled).toBe(true);
      expect(FakeEventSource.instances[0].closed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('editing like a spreadsheet', () => {
  it('type, Enter: saves through PUT, updates the grade from the answer, moves down', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    fireEvent.click(cell('5001', '203'));
    fireEvent.keyDown(cell('5001', '203'), { key: '8' });
    const input = screen.getByLabelText('Score for José Núñez, HW 3');
    expect(input.value).toBe('8');
    fireEvent.change(input, { target: { value: '8.5' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(grade('José Núñez', 'current')).toBe('77.70% C'));
    const put = server.requests.find((r) => r.method === 'PUT');
    expect(put.url).toBe('/api/gradebook/v1/sections/101/scores');
    expect(put.body).toEqual({ student_id: 5001, assignment_id: 203, score: 8.5, excused: false, missing: false });
    expect(cell('5001', '203').textContent).toBe('8.5');
    // rows are sorted by name: Ada, José, Zoë — Enter moved to Zoë's HW 3
    expect(document.activeElement).toBe(cell('5003', '203'));
  });

  it('Tab saves and moves right, Shift+Tab left; Escape cancels without saving', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    fireEvent.click(cell('5002', '201'));
    fireEvent.keyDown(cell('5002', '201'), { key: 'Enter' });
    const input = screen.getByLabelText('Score for Ada Lovelace, HW 1');
    expect(input.value).toBe('0');
    fireEvent.change(input, { target: { value: '5' } });
    fireEvent.keyDown(input, { key: 'Tab' });
    await waitFor(() => expect(server.requests.some((r) => r.method === 'PUT')).toBe(true));
    expect(document.activeElement).toBe(cell('5002', '202'));

    fireEvent.keyDown(cell('5002', '202'), { key: '3' });
    const second = screen.getByLabelText('Score for Ada Lovelace, HW 2');
    fireEvent.keyDown(second, { key: 'Escape' });
    expect(cell('5002', '202').textContent).toBe('10');
    expect(document.activeElement).toBe(cell('5002', '202'));
    expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);

    fireEvent.keyDown(cell('5002', '202'), { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(cell('5002', '201'));
  });

  it('arrow keys move, Home and End jump, Tab at the edge leaves the grid', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    const start = cell('5002', '201');
    expect(start.tabIndex).toBe(0); // the grid is one tab stop
    start.focus();
    fireEvent.keyDown(start, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(cell('5001', '201'));
    fireEvent.keyDown(document.activeElement, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(cell('5001', '202'));
    fireEvent.keyDown(document.activeElement, { key: 'End' });
    expect(document.activeElement).toBe(cell('5001', '302'));
    const ev = fireEvent.keyDown(document.activeElement, { key: 'Tab' });
    expect(ev).toBe(true); // not prevented: focus may leave
    fireEvent.keyDown(document.activeElement, { key: 'Home', ctrlKey: true });
    expect(document.activeElement).toBe(cell('5002', '201'));
  });

  it('a failed save shows the error and puts the old value back', async () => {
    server.putHandler = () =>
      json(400, { title: 'Bad Request', status: 400, detail: 'Invalid score', errors: [{ field: 'score', message: 'must not be negative' }] }, 'application/problem+json');
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    fireEvent.click(cell('5001', '201'));
    fireEvent.keyDown(cell('5001', '201'), { key: '-' });
    const input = screen.getByLabelText('Score for José Núñez, HW 1');
    fireEvent.change(input, { target: { value: '-3' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    const alert = await screen.findByText(/Not saved: José Núñez, HW 1: score: must not be negative/);
    expect(alert).toBeTruthy();
    expect(cell('5001', '201').textContent).toBe('9.5');
    expect(grade('José Núñez', 'current')).toBe('91.25% A-');
  });

  it('leaving the editor for another control saves and leaves the focus there', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    fireEvent.click(cell('5001', '203'));
    fireEvent.keyDown(cell('5001', '203'), { key: '7' });
    const filter = screen.getByLabelText(/Filter students/);
    await act(async () => filter.focus());
    await waitFor(() => expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(1));
    expect(server.requests.at(-1).body).toMatchObject({ student_id: 5001, assignment_id: 203, score: 7 });
    expect(screen.queryByLabelText('Score for José Núñez, HW 3')).toBeNull();
    expect(document.activeElement).toBe(filter);
  });

  it('text that is not a score keeps the editor open with a message', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    fireEvent.click(cell('5001', '201'));
    fireEvent.keyDown(cell('5001', '201'), { key: 'F2' });
    const input = screen.getByLabelText('Score for José Núñez, HW 1');
    fireEvent.change(input, { target: { value: 'abc' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByRole('alert').textContent).toMatch(/"abc" is not a number/);
    expect(screen.getByLabelText('Score for José Núñez, HW 1')).toBeTruthy();
    expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('E marks excused, M marks missing, Delete clears; the buttons do the same', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    fireEvent.click(cell('5001', '201'));
    fireEvent.keyDown(cell('5001', '201'), { key: 'e' });
    await waitFor(() => expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(1));
    expect(server.requests.at(-1).body).toEqual({ student_id: 5001, assignment_id: 201, score: 9.5, excused: true, missing: false });
    await waitFor(() => expect(cell('5001', '201').textContent).toBe('EX'));

    fireEvent.keyDown(cell('5001', '201'), { key: 'ArrowRight' });
    fireEvent.keyDown(cell('5001', '202'), { key: 'm' });
    await waitFor(() => expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(2));
    expect(server.requests.at(-1).body).toMatchObject({ assignment_id: 202, score: 6, missing: true });

    fireEvent.keyDown(cell('5001', '202'), { key: 'Delete' });
    await waitFor(() => expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(3));
    expect(server.requests.at(-1).body).toMatchObject({ assignment_id: 202, score: null, excused: false });

    fireEvent.click(screen.getByRole('button', { name: /Excused/ }));
    await waitFor(() => expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(4));
    expect(server.requests.at(-1).body).toMatchObject({ assignment_id: 202, excused: true });
  });
});

describe('live updates', () => {
  it('a score event from another client updates the cell and the grades', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    const es = await liveStream();
    await act(async () => {
      es.emit('score', {
        section_id: 101,
        student_id: 5003,
        assignment_id: 301,
        score: 42,
        excused: false,
        missing: false,
        student: { id: 5003, current: { score: 84, possible: 100, percent: 84, letter: 'B' } },
      });
    });
    expect(cell('5003', '301').textContent).toBe('42');
    expect(grade('Zoë Brown', 'current')).toBe('84.00% B');
  });

  it('an event in the shape gradebook-service sends (the student with all its scores) updates the row', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    const es = await liveStream();
    await act(async () => {
      es.emit('ready', { section_id: 101 });
      es.emit('score', {
        section_id: 101,
        student: {
          id: 5001,
          name: 'José Núñez',
          current: { score: 60, possible: 100, percent: 60, letter: 'D-' },
          final: { score: 40, possible: 100, percent: 40, letter: 'F' },
          groups: [],
          scores: [
            { student_id: 5001, assignment_id: 201, score: 9.5, excused: false, missing: false },
            { student_id: 5001, assignment_id: 202, score: 6, excused: false, missing: false },
            { student_id: 5001, assignment_id: 203, score: 2, excused: false, missing: false },
            { student_id: 5001, assignment_id: 301, score: 45, excused: false, missing: false },
          ],
        },
      });
    });
    expect(cell('5001', '203').textContent).toBe('2');
    expect(cell('5001', '302').textContent).toBe('–'); // no longer excused: the entry is gone
    expect(grade('José Núñez', 'current')).toBe('60.00% D-');
    expect(grade('José Núñez', 'final')).toBe('40.00% F');
  });

  it('a live event does not undo a value whose save is still on its way', async () => {
    let answer;
    server.putHandler = () => new Promise((resolve) => (answer = resolve));
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    fireEvent.click(cell('5002', '202'));
    fireEvent.keyDown(cell('5002', '202'), { key: '4' });
    fireEvent.keyDown(screen.getByLabelText('Score for Ada Lovelace, HW 2'), { key: 'Enter' });
    expect(cell('5002', '202').textContent).toBe('4');
    expect(cell('5002', '202').getAttribute('aria-busy')).toBe('true');
    const ada = section101().students[1];
    const stream = await liveStream();
    await act(async () => {
      stream.emit('score', {
        section_id: 101,
        student: { ...ada, scores: section101().scores.filter((x) => x.student_id === 5002) },
      });
    });
    expect(cell('5002', '202').textContent).toBe('4');
    await act(async () => {
      answer(json(200, { section_id: 101, score: { student_id: 5002, assignment_id: 202, score: 4, excused: false, missing: false }, student: { ...ada, current: { score: 70, possible: 100, percent: 70, letter: 'C' } } }));
    });
    await waitFor(() => expect(grade('Ada Lovelace', 'current')).toBe('70.00% C'));
    expect(cell('5002', '202').textContent).toBe('4');
    expect(cell('5002', '202').getAttribute('aria-busy')).toBeNull();
  });

  it('after the stream reconnects the section is fetched again (events may have been missed)', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    const es = await liveStream();
    await waitFor(() => expect(screen.getByText('● Live')).toBeTruthy());
    const gets = () => server.requests.filter((r) => r.method === 'GET').length;
    expect(gets()).toBe(1);
    await act(async () => es.onerror());
    expect(screen.getByText('○ Reconnecting…')).toBeTruthy();
    await act(async () => es.onopen());
    await waitFor(() => expect(gets()).toBe(2));
    expect(screen.getByText('● Live')).toBeTruthy();
  });

  it('a reload event fetches the section again', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    server.data = { ...section101(), section: { id: 101, name: 'Renamed section', term: '2026 T1' } };
    const stream = await liveStream();
    await act(async () => stream.emit('reload', {}));
    expect(await screen.findByRole('heading', { name: 'Renamed section' })).toBeTruthy();
  });
});

describe('sorting and filtering', () => {
  it('sorts by final grade and filters by name', async () => {
    open('/gradebook/sections/101');
    await screen.findByRole('grid');
    const names = () => screen.getAllByRole('rowheader').map((h) => h.textContent).filter((n) => n !== 'Mean');
    expect(names()).toEqual(['Ada Lovelace', 'José Núñez', 'Zoë Brown']);
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByRole('button', { name: /Sort by final/ }));
    expect(names()).toEqual(['Ada Lovelace', 'José Núñez', 'Zoë Brown']); // 55, 51.25, 0
    expect(screen.getByRole('columnheader', { name: /Final/ }).getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('none');
    fireEvent.click(screen.getByRole('button', { name: /Sort by final/ }));
    expect(names()).toEqual(['Zoë Brown', 'José Núñez', 'Ada Lovelace']);
    fireEvent.click(screen.getByRole('button', { name: /Sort by name/ }));
    fireEvent.click(screen.getByRole('button', { name: /Sort by name/ }));
    expect(names()).toEqual(['Zoë Brown', 'José Núñez', 'Ada Lovelace']);
    fireEvent.change(screen.getByLabelText(/Filter students/), { target: { value: 'nun' } });
    expect(names()).toEqual(['José Núñez']);
    expect(document.querySelector('[data-mean-aid="201"]').textContent).toBe('9.5');
  });
});

describe('a 40 x 80 section', () => {
  it('renders every student and assignment', async () => {
    server = fakeServer(bigSection(40, 80));
    open('/gradebook/sections/777');
    const grid = await screen.findByRole('grid');
    expect(within(grid).getAllByRole('row')).toHaveLength(40 + 3);
    expect(grid.querySelectorAll('td.cell')).toHaveLength(3200);
  });
});

// Talks to gradebook-service (through nginx): /api/gradebook/v1.

export const API_BASE = '/api/gradebook/v1';

export class ApiError extends Error {
  constructor(status, problem, fallback) {
    const detail = problem && (problem.detail || problem.title);
    super(detail || fallback || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || null;
  }

  /** Field-level messages from a problem+json answer, e.g. "score: must be at least 0". */
  get fieldMessages() {
    const errors = (this.problem && this.problem.errors) || [];
    return errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
  }
}

async function readProblem(res) {
  const type = res.headers.get('content-type') || '';
  if (type.includes('json')) {
    try {
      return await res.json();
    } catch {
      return null;
    }
  }
  return null;
}

async function call(path, token, init = {}) {
  let res;
  try {
    res = await fetch(API_BASE + path, {
      ...init,
      headers: {
        Accept: 'application/json, application/problem+json',
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(init.headers || {}),
      },
    });
  } catch (e) {
    throw new ApiError(0, null, 'The gradebook service cannot be reached. Check your connection and try again.');
  }
  if (!res.ok) {
    throw new ApiError(res.status, await readProblem(res), res.statusText);
  }
  if (res.status === 204) return null;
  return res.json();
}

export function fetchSection(sectionId, token, { signal } = {}) {
  // the grid shows every score: ask for the score entries too (left out by default)
  return call(`/sections/${encodeURIComponent(sectionId)}?scores=true`, token, { signal });
}

/** body: {student_id, assignment_id, score, excused, missing}. Answers the student's recomputed grades. */
export function putScore(sectionId, token, body) {
  return call(`/sections/${encodeURIComponent(sectionId)}/scores`, token, {
    method: 'PUT',
    body: JSON.stringify(body),
  });
}

export function eventsUrl(sectionId, token) {
  return `${API_BASE}/sections/${encodeURIComponent(sectionId)}/events?access_token=${encodeURIComponent(token)}`;
}

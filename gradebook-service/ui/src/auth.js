// The legacy app hands the gradebook a short-lived JWT in the URL fragment
// (/gradebook/sections/101#token=...). The fragment never reaches a server or a log;
// we move it to sessionStorage (this tab only) and take it out of the address bar.

export const TOKEN_KEY = 'apiary.gradebook.token';

/** Reads #token=... from the location, stores it, strips it from the URL. Returns the token in use or null. */
export function takeToken(win = window) {
  const hash = win.location.hash || '';
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const fromUrl = params.get('token') || params.get('access_token');
  if (fromUrl) {
    try {
      win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      /* storage disabled: keep it in memory only */
    }
    params.delete('token');
    params.delete('access_token');
    const rest = params.toString();
    const url = win.location.pathname + win.location.search + (rest ? '#' + rest : '');
    win.history.replaceState(win.history.state, '', url);
    return fromUrl;
  }
  try {
    return win.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function base64UrlDecode(part) {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * The token's claims, for display only (name, sections, exp). The signature is the
 * server's business; the browser never trusts these for access decisions.
 */
export function claims(token) {
  if (!token) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    return JSON.parse(base64UrlDecode(parts[1]));
  } catch {
    return null;
  }
}

/** True when the token carries an exp claim that is in the past (with a small skew allowance). */
export function isExpired(token, nowMs = Date.now(), skewMs = 0) {
  const c = claims(token);
  if (!c || typeof c.exp !== 'number') return false;
  return c.exp * 1000 + skewMs <= nowMs;
}

/** Milliseconds until the token expires, or null if it has no exp. */
export function msUntilExpiry(token, nowMs = Date.now()) {
  const c = claims(token);
  if (!c || typeof c.exp !== 'number') return null;
  return c.exp * 1000 - nowMs;
}

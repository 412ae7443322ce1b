// The widget's session: {session_id, token, expires_at} from POST /api/session, kept in
// sessionStorage so that a reload of the page continues the same conversation.

const STORAGE_KEY = "insatslotsen.session";

export class SessionExpired extends Error {}

export function storedSession(storage = window.sessionStorage) {
  try {
    const value = JSON.parse(storage.getItem(STORAGE_KEY));
    return value && value.session_id && value.token ? value : null;
  } catch {
    return null;
  }
}

function store(session, storage) {
  storage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

async function requestSession(body) {
  const response = await fetch("/api/session", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status === 401) throw new SessionExpired();
  if (!response.ok) throw new Error(`POST /api/session: ${response.status}`);
  return response.json();
}

/**
 * The session to talk in: the stored one renewed (same session_id, fresh token), or a new one
 * when there is none or the server no longer accepts it. `renewed` says which.
 */
export async function openSession(storage = window.sessionStorage) {
  const previous = storedSession(storage);
  if (previous) {
    try {
      return { session: store(await requestSession({ token: previous.token }), storage), renewed: true };
    } catch (error) {
      if (!(error instanceof SessionExpired)) throw error;
    }
  }
  return { session: store(await requestSession({}), storage), renewed: false };
}

/** Milliseconds until the token should be renewed: a minute before it expires, at least 5 s. */
export function renewalDelay(session, now = Date.now()) {
  const expires = Date.parse(session.expires_at);
  if (Number.isNaN(expires)) return 60_000;
  return Math.max(5_000, expires - now - 60_000);
}

export async function renewSession(session, storage = window.sessionStorage) {
  return store(await requestSession({ token: session.token }), storage);
}

/** Logging in and out, and keeping the vocabulary (scales) and the parts list at hand offline. */
import { api, ApiError, NetworkError, setUnauthorizedHandler } from './api';
import { forgetCaches, kvDelete, kvGet, kvSet } from './db';
import { disablePush, resyncPush } from './push';
import { navigate } from './router';
import { getState, setState } from './store';
import type { Part, Session } from './types';
import { refreshQueue } from './sync';

export async function startSession(session: Session): Promise<void> {
  await kvSet('session', session);
  setState({ session, loginReason: '' });
  void loadScales();
  await refreshQueue();
}

let ending: Promise<void> | null = null;

/** Forget the token here; unsent check-ins stay on the phone until this person logs in again. */
export function endSession(reason = ''): Promise<void> {
  // Several requests can meet the same 401 at once: end the session only once.
  ending ??= (async () => {
    const session = getState().session;
    if (session) await forgetCaches(session.user.id);
    else await kvDelete('session');
    setState({ session: null, pending: [], held: [], loginReason: reason });
    navigate('/login', true);
  })().finally(() => {
    ending = null;
  });
  return ending;
}

export async function logout(): Promise<void> {
  const userId = getState().session?.user.id;
  try {
    // This phone stops getting this person's reminders: the next person to use it may not be them.
    if (userId) await disablePush(userId).catch(() => undefined);
    await api.logout();
  } catch (error) {
    // Offline or already expired: the token is forgotten here either way.
    if (!(error instanceof NetworkError || error instanceof ApiError)) throw error;
  }
  await endSession();
}

setUnauthorizedHandler(() => {
  if (getState().session) void endSession('Your session has ended. Please log in again.');
});

/**
 * The check-in's vocabulary, the crisis lines and the questionnaires' text, so that the support
 * screen works offline, and a PHQ-9 answered offline shows the crisis lines at once.
 */
export async function loadScales(): Promise<void> {
  void api
    .crisisResources()
    .then((crisis) => kvSet('crisis', crisis))
    .catch(() => undefined);
  void api
    .questionnaires()
    .then((qs) => kvSet('questionnaires', qs))
    .catch(() => undefined);
  try {
    const scales = await api.scales();
    await kvSet('scales', scales);
    setState({ scales });
  } catch {
    const cached = await kvGet('scales');
    if (cached) setState({ scales: cached });
  }
}

/** The client's parts, fresh when online, else the copy kept on this phone. */
export async function loadParts(includeArchived = false): Promise<{ parts: Part[]; offline: boolean }> {
  const userId = getState().session?.user.id;
  if (!userId) return { parts: [], offline: false };
  try {
    const parts = await api.parts(includeArchived);
    if (!includeArchived) await kvSet(`parts:${userId}`, parts);
    return { parts, offline: false };
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    const cached = (await kvGet(`parts:${userId}`)) ?? [];
    return { parts: cached, offline: true };
  }
}

export async function rememberPart(part: Part): Promise<void> {
  const userId = getState().session?.user.id;
  if (!userId) return;
  const cached = (await kvGet(`parts:${userId}`)) ?? [];
  await kvSet(`parts:${userId}`, [...cached.filter((p) => p.id !== part.id), part]);
}

export async function restoreSession(): Promise<void> {
  const session = await kvGet('session');
  if (session && new Date(session.expires_at).getTime() > Date.now()) {
    setState({ session });
    const scales = await kvGet('scales');
    if (scales) setState({ scales });
    void loadScales();
    void resyncPush(session.user.id).catch(() => undefined); // offline: next start
    await refreshQueue();
  } else if (session) {
    await kvDelete('session');
  }
  setState({ ready: true });
}

/** The page's side of the offline queue: when to replay, and keeping the pending list on screen. */
import { getState, notify, setState } from './store';
import { CHANNEL, enqueue, held, pending, replay, SYNC_TAG, type ReplayOutcome } from './queue';
import type { CheckinCreate } from './types';

interface SyncRegistration extends ServiceWorkerRegistration {
  sync?: { register(tag: string): Promise<void> };
}

export async function refreshQueue(): Promise<void> {
  const userId = getState().session?.user.id;
  if (!userId) return;
  const [p, h] = await Promise.all([pending(userId), held(userId)]);
  setState({ pending: p, held: h });
}

/** Ask the browser to replay when the network is back, even if the app is closed by then. */
async function requestBackgroundSync(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  const registration = (await navigator.serviceWorker.getRegistration()) as SyncRegistration | undefined;
  if (!registration?.sync || !registration.active) return false;
  try {
    await registration.sync.register(SYNC_TAG);
    return true;
  } catch {
    return false; // permission or policy: start-up and `online` still replay
  }
}

let onAuthLost: () => void = () => {};
export function setAuthLostHandler(handler: () => void): void {
  onAuthLost = handler;
}

/** Send what is queued now; keep it and ask for a background sync when that fails. */
export async function flush(): Promise<ReplayOutcome | null> {
  if (!getState().session) return null;
  const outcome = await replay();
  await refreshQueue();
  if (outcome.stopped === 'offline' || outcome.stopped === 'server') await requestBackgroundSync();
  if (outcome.stopped === 'auth') onAuthLost();
  if (outcome.held.length) {
    notify('A check-in could not be saved as it was. It is kept on this phone: see Today.');
  }
  return outcome;
}

/**
 * What became of a check-in just saved: sent; held (refused, kept readable); or kept on the
 * phone because the network is away ('offline'), the server failed ('server'), or anything
 * else stopped the replay ('waiting'). Only 'offline' may be called offline.
 */
export type Submitted = 'sent' | 'held' | 'offline' | 'server' | 'waiting';

/** Store a finished check-in on the phone first, then try to send it. */
export async function submitCheckin(body: CheckinCreate): Promise<Submitted> {
  const userId = getState().session!.user.id;
  await enqueue(userId, body);
  await refreshQueue();
  return sendQueued(body.client_id);
}

/** Try to send what is queued, and say what became of one check-in in it. */
export async function sendQueued(clientId: string): Promise<Submitted> {
  const outcome = await flush();
  if (outcome?.sent.includes(clientId)) return 'sent';
  if (outcome?.held.includes(clientId)) return 'held';
  if (outcome?.stopped === 'offline' || outcome?.stopped === 'server') return outcome.stopped;
  return 'waiting';
}

export function startSync(): void {
  window.addEventListener('online', () => {
    setState({ online: true });
    void flush();
  });
  window.addEventListener('offline', () => setState({ online: false }));
  if (typeof BroadcastChannel !== 'undefined') {
    new BroadcastChannel(CHANNEL).onmessage = () => void refreshQueue();
  }
  void flush();
}

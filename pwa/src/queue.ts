/**
 * The offline queue of check-ins (one named queue in IndexedDB, oldest first).
 *
 * Every check-in goes through it, online or not: it is stored on the phone first and then sent,
 * so closing the app mid-request cannot lose it. Replay sends the oldest entries (up to the
 * batch endpoint's 100) and removes those the server settled: 201/200 (stored), 410 (deleted
 * meanwhile), 409/422 (refused: moved to the held store so the words stay readable). A network
 * error, a 5xx, a 401 or any other answer keeps every entry and stops, for a later retry.
 * Replaying twice is safe: the API is idempotent on client_id. Used by the page and the worker.
 */
import { db, HELD, journalKey, kvGet, QUEUE, type HeldEntry, type QueueEntry } from './db';
import type { JournalCache } from './journal';
import type { BatchResult, CheckinCreate } from './types';

export const BATCH_MAX = 100;
export const SYNC_TAG = 'partwise-checkins';
export const CHANNEL = 'partwise-queue';

export type StopReason = 'offline' | 'server' | 'auth' | 'refused';

export interface ReplayOutcome {
  sent: string[];
  held: string[];
  dropped: string[];
  stopped: StopReason | null;
}

export async function enqueue(userId: string, body: CheckinCreate): Promise<void> {
  const entry: QueueEntry = { client_id: body.client_id, user_id: userId, queued_at: Date.now(), attempts: 0, body };
  const d = await db();
  const tx = d.transaction(QUEUE, 'readwrite');
  // The same UUID queued twice (a double tap) stays one entry.
  if (!(await tx.store.index('client_id').getKey(body.client_id))) await tx.store.add(entry);
  await tx.done;
  announce();
}

export async function pending(userId: string): Promise<QueueEntry[]> {
  return (await (await db()).getAll(QUEUE)).filter((e) => e.user_id === userId);
}

export async function held(userId: string): Promise<HeldEntry[]> {
  return (await (await db()).getAll(HELD)).filter((e) => e.user_id === userId);
}

export async function dismissHeld(clientId: string): Promise<void> {
  await (await db()).delete(HELD, clientId);
  announce();
}

/** Tell every open page (and the worker) that the queue changed. */
export function announce(outcome?: ReplayOutcome): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ type: 'queue-changed', outcome });
  channel.close();
}

/** Run `fn` while no replay runs (across the page and the worker), so the queue holds still. */
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? (locks.request('partwise-replay', fn) as Promise<T>) : fn();
}

/** Replay the queue; one replay at a time across the page and the worker. */
export async function replay(): Promise<ReplayOutcome> {
  const outcome = await exclusive(replayUnlocked);
  if (outcome.sent.length || outcome.held.length || outcome.dropped.length) announce(outcome);
  return outcome;
}

/**
 * Change a check-in that has not been sent yet: its new answers replace the old ones in the
 * queue (same client_id, same time and day). False when it is no longer waiting (it was sent
 * meanwhile): then it is the server's copy that must be changed.
 */
export async function updateQueued(clientId: string, body: CheckinCreate): Promise<boolean> {
  const changed = await exclusive(async () => {
    const d = await db();
    const tx = d.transaction(QUEUE, 'readwrite');
    const seq = await tx.store.index('client_id').getKey(clientId);
    const entry = seq === undefined ? undefined : await tx.store.get(seq);
    if (entry) await tx.store.put({ ...entry, body: { ...body, client_id: clientId } });
    await tx.done;
    return Boolean(entry);
  });
  if (changed) announce();
  return changed;
}

/** Take a check-in that has not been sent yet off the phone; false when it was sent meanwhile. */
export async function removeQueued(clientId: string): Promise<boolean> {
  const removed = await exclusive(async () => {
    const d = await db();
    const tx = d.transaction(QUEUE, 'readwrite');
    const seq = await tx.store.index('client_id').getKey(clientId);
    if (seq !== undefined) await tx.store.delete(seq);
    await tx.done;
    return seq !== undefined;
  });
  if (removed) announce();
  return removed;
}

async function replayUnlocked(): Promise<ReplayOutcome> {
  const outcome: ReplayOutcome = { sent: [], held: [], dropped: [], stopped: null };
  for (;;) {
    const session = await kvGet('session');
    if (!session) return { ...outcome, stopped: 'auth' };
    const batch = (await pending(session.user.id)).slice(0, BATCH_MAX);
    if (!batch.length) return outcome;
    const settled = outcome.sent.length + outcome.held.length + outcome.dropped.length;
    const stopped = await sendBatch(session.token, batch, outcome);
    if (stopped) return { ...outcome, stopped };
    // Nothing settled (an answer this code does not know): stop rather than loop.
    if (outcome.sent.length + outcome.held.length + outcome.dropped.length === settled) {
      return { ...outcome, stopped: 'refused' };
    }
  }
}

async function sendBatch(token: string, batch: QueueEntry[], outcome: ReplayOutcome): Promise<StopReason | null> {
  let response: Response;
  try {
    response = await fetch('/api/v1/checkins/batch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ checkins: batch.map((e) => e.body) }),
    });
  } catch (error) {
    await noteFailure(batch, `network: ${String(error)}`);
    return 'offline';
  }
  if (response.status === 401) return 'auth';
  if (!response.ok) {
    // A 5xx is a failure like a network error (workbox issue 2599); any other answer to the
    // batch as a whole is not something a retry fixes by itself, so it waits for the user.
    await noteFailure(batch, `HTTP ${response.status}`);
    return response.status >= 500 ? 'server' : 'refused';
  }
  const { results } = (await response.json()) as { results: BatchResult[] };
  await settle(batch, results, outcome);
  return null;
}

async function settle(batch: QueueEntry[], results: BatchResult[], outcome: ReplayOutcome): Promise<void> {
  const d = await db();
  const tx = d.transaction([QUEUE, HELD, 'kv'], 'readwrite');
  const queue = tx.objectStore(QUEUE);
  // A check-in sent leaves the queue and enters this phone's copy of the journal in one step:
  // read in between, the journal would lose it until the server's list came back.
  const journals = new Map<string, JournalCache>();
  for (const result of results) {
    const entry = batch[result.index];
    if (!entry || entry.seq === undefined) continue;
    if (result.status === 200 || result.status === 201) {
      outcome.sent.push(entry.client_id);
      if (result.checkin) {
        const key = journalKey(entry.user_id);
        const copy = journals.get(key) ?? ((await tx.objectStore('kv').get(key)) as JournalCache | undefined);
        if (copy) {
          const others = copy.checkins.filter((c) => c.client_id !== entry.client_id);
          journals.set(key, { ...copy, checkins: [result.checkin, ...others] });
        }
      }
    } else if (result.status === 409 || result.status === 422) {
      const heldEntry: HeldEntry = {
        client_id: entry.client_id,
        user_id: entry.user_id,
        status: result.status,
        message: result.message ?? '',
        errors: result.errors,
        held_at: Date.now(),
        body: entry.body,
      };
      await tx.objectStore(HELD).put(heldEntry);
      outcome.held.push(entry.client_id);
    } else if (result.status === 410) {
      outcome.dropped.push(entry.client_id);
    } else {
      continue; // unknown per-item answer: keep it
    }
    await queue.delete(entry.seq);
  }
  for (const [key, copy] of journals) await tx.objectStore('kv').put(copy, key);
  await tx.done;
}

async function noteFailure(batch: QueueEntry[], error: string): Promise<void> {
  const d = await db();
  const tx = d.transaction(QUEUE, 'readwrite');
  for (const entry of batch) {
    const current = await tx.store.get(entry.seq!);
    if (current) await tx.store.put({ ...current, attempts: current.attempts + 1, last_error: error });
  }
  await tx.done;
}

/** Forget a deleted account's unsent and held check-ins on this phone. */
export async function dropUser(userId: string): Promise<void> {
  const d = await db();
  const tx = d.transaction([QUEUE, HELD], 'readwrite');
  for (const entry of await tx.objectStore(QUEUE).getAll()) {
    if (entry.user_id === userId && entry.seq !== undefined) await tx.objectStore(QUEUE).delete(entry.seq);
  }
  for (const entry of await tx.objectStore(HELD).getAll()) {
    if (entry.user_id === userId) await tx.objectStore(HELD).delete(entry.client_id);
  }
  await tx.done;
  announce();
}

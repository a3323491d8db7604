/**
 * The phone's own store (IndexedDB through `idb`), shared by the page and the service worker.
 *
 * The session token lives here rather than in localStorage because the service worker must read
 * it to replay the offline queue on a Background Sync event, and workers cannot see localStorage.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { JournalCache } from './journal';
import type { CheckinCreate, CrisisResources, Part, Questionnaire, Scales, Session } from './types';

/** One check-in waiting to be sent, oldest first (the key orders the queue). */
export interface QueueEntry {
  seq?: number;
  client_id: string;
  user_id: string;
  queued_at: number;
  attempts: number;
  last_error?: string;
  body: CheckinCreate;
}

/** A check-in the server refused (409 conflict or 422 invalid): kept so it stays readable. */
export interface HeldEntry {
  client_id: string;
  user_id: string;
  status: number;
  message: string;
  errors?: Record<string, unknown>;
  held_at: number;
  body: CheckinCreate;
}

interface KV {
  session: Session;
  scales: Scales;
  /** Public, not personal: kept so that the support screen works offline. */
  crisis: CrisisResources;
  /** Public too: the questionnaires' text, so that one can be opened (and item 9 answered) offline. */
  questionnaires: Questionnaire[];
  [key: `parts:${string}`]: Part[];
  /** Unfinished check-ins: `draft:<user>` a new one, `draft:<user>:<client_id>` a change to one. */
  [key: `draft:${string}`]: unknown;
  /** The journal as last read from the server, readable offline. */
  [key: `journal:${string}`]: JournalCache;
  /** This device's push subscription as the server knows it. */
  [key: `push:${string}`]: { id: string; endpoint: string };
}

interface PartwiseDB extends DBSchema {
  kv: { key: string; value: unknown };
  'checkin-queue': { key: number; value: QueueEntry; indexes: { client_id: string } };
  'checkin-held': { key: string; value: HeldEntry };
}

export const QUEUE = 'checkin-queue' as const;
export const HELD = 'checkin-held' as const;
/** The key of a user's copy of their journal in `kv`. */
export const journalKey = (userId: string) => `journal:${userId}` as const;

let dbPromise: Promise<IDBPDatabase<PartwiseDB>> | undefined;

export function db(): Promise<IDBPDatabase<PartwiseDB>> {
  dbPromise ??= openDB<PartwiseDB>('partwise', 1, {
    upgrade(database) {
      database.createObjectStore('kv');
      const queue = database.createObjectStore(QUEUE, { keyPath: 'seq', autoIncrement: true });
      queue.createIndex('client_id', 'client_id', { unique: true });
      database.createObjectStore(HELD, { keyPath: 'client_id' });
    },
  });
  return dbPromise;
}

// A page going into the back/forward cache lets go of the database, so that it never holds up
// another tab, a fresh load of the app, or the service worker; it reopens on the next use.
if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => {
    const open = dbPromise;
    dbPromise = undefined;
    void open?.then((database) => database.close());
  });
}

export async function kvGet<K extends keyof KV & string>(key: K): Promise<KV[K] | undefined> {
  return (await (await db()).get('kv', key)) as KV[K] | undefined;
}

export async function kvSet<K extends keyof KV & string>(key: K, value: KV[K]): Promise<void> {
  await (await db()).put('kv', value, key);
}

export async function kvDelete(key: string): Promise<void> {
  await (await db()).delete('kv', key);
}

/** Every key that starts with `prefix`. */
const startingWith = (prefix: string) => IDBKeyRange.bound(prefix, `${prefix}\uffff`);

/** Forget what this phone cached for a user (not their unsent check-ins). */
export async function forgetCaches(userId: string): Promise<void> {
  const d = await db();
  const tx = d.transaction('kv', 'readwrite');
  const keys = ['session', `parts:${userId}`, `push:${userId}`, journalKey(userId)];
  await Promise.all([
    ...keys.map((key) => tx.store.delete(key)),
    tx.store.delete(startingWith(`draft:${userId}`)),
    tx.done,
  ]);
}

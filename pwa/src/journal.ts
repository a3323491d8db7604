/**
 * The journal on this phone: my check-ins as the server has them (a copy is kept in IndexedDB so
 * that they stay readable offline) together with the ones still waiting to be sent or held.
 * Every entry is known by its client_id, which the phone made and which never changes.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, NetworkError } from './api';
import { journalKey, kvGet, kvSet } from './db';
import { held, pending, removeQueued, updateQueued } from './queue';
import { getState, useStore } from './store';
import { sendQueued, type Submitted } from './sync';
import type { Checkin, CheckinCreate, CheckinPatch } from './types';

/** Check-ins per page read from the server (the API allows up to 200). */
export const PAGE_SIZE = 50;

export type EntryState = 'saved' | 'pending' | 'held';

export interface JournalEntry {
  client_id: string;
  /** The server's id; null while the check-in is only on this phone. */
  id: string | null;
  state: EntryState;
  body: CheckinCreate;
}

export interface Journal {
  entries: JournalEntry[];
  /** Read from this phone's copy because the server could not be reached. */
  offline: boolean;
  /** Older check-ins exist beyond what is loaded. */
  more: boolean;
}

/** What the phone keeps of the server's journal: the pages read so far, newest first. */
export interface JournalCache {
  checkins: Checkin[];
  more: boolean;
}

function userId(): string {
  const id = getState().session?.user.id;
  if (!id) throw new Error('Not logged in.');
  return id;
}

/** Newest day first; within a day, the latest written first. */
function byDate(a: JournalEntry, b: JournalEntry): number {
  return b.body.local_date.localeCompare(a.body.local_date) || (b.body.recorded_at ?? '').localeCompare(a.body.recorded_at ?? '');
}

async function merge(user: string, cache: JournalCache, offline: boolean): Promise<Journal> {
  const [waiting, refused] = await Promise.all([pending(user), held(user)]);
  const onServer = new Set(cache.checkins.map((c) => c.client_id));
  const entries: JournalEntry[] = cache.checkins.map((c) => ({ client_id: c.client_id, id: c.id, state: 'saved', body: c }));
  for (const q of waiting) if (!onServer.has(q.client_id)) entries.push({ client_id: q.client_id, id: null, state: 'pending', body: q.body });
  for (const h of refused) if (!onServer.has(h.client_id)) entries.push({ client_id: h.client_id, id: null, state: 'held', body: h.body });
  return { entries: entries.sort(byDate), offline, more: cache.more };
}

/** The newest `pages` pages of the journal, from the server when it answers, else this phone's copy. */
export async function loadJournal(pages = 1): Promise<Journal> {
  const user = userId();
  try {
    const checkins: Checkin[] = [];
    let more = true;
    for (let page = 1; page <= pages && more; page++) {
      const batch = await api.checkins(page, PAGE_SIZE);
      checkins.push(...batch);
      more = batch.length === PAGE_SIZE;
    }
    const cache = { checkins, more };
    await kvSet(journalKey(user), cache);
    return merge(user, cache, false);
  } catch (error) {
    if (!(error instanceof NetworkError || (error instanceof ApiError && error.isServerFault))) throw error;
    return cachedJournal(true);
  }
}

/**
 * This phone's copy only (no request): for a first paint, and to find one entry offline.
 * `offline` says whether it stands in for a server that could not be reached.
 */
export async function cachedJournal(offline = false): Promise<Journal> {
  const user = userId();
  return merge(user, (await kvGet(journalKey(user))) ?? { checkins: [], more: false }, offline);
}

/** Whether this phone has read the journal from the server before (its copy may be empty). */
async function hasCopy(): Promise<boolean> {
  return (await kvGet(journalKey(userId()))) !== undefined;
}

async function patchCache(change: (checkins: Checkin[]) => Checkin[]): Promise<void> {
  const user = userId();
  const cache = (await kvGet(journalKey(user))) ?? { checkins: [], more: false };
  await kvSet(journalKey(user), { ...cache, checkins: change(cache.checkins) });
}

/** Every answer of a check-in as a PATCH: what is not answered is cleared. */
export function asPatch(body: CheckinCreate): CheckinPatch {
  return {
    mood: body.mood ?? null,
    energy: body.energy ?? null,
    emotions: body.emotions ?? [],
    parts: body.parts ?? [],
    self_energy: body.self_energy ?? null,
    regulation: body.regulation ?? null,
    attachment: body.attachment ?? null,
    inner_child_note: body.inner_child_note ?? null,
    note: body.note ?? null,
  };
}

/** Where an entry's server copy is, when it was sent after this screen read the journal. */
async function serverId(clientId: string): Promise<string | null> {
  const found = (await loadJournal()).entries.find((e) => e.client_id === clientId);
  return found?.id ?? null;
}

/**
 * Save new answers for an entry. One still waiting on the phone is changed in the queue (and
 * sent with the rest); one the server has is corrected there, which needs a connection: the
 * NetworkError then reaches the caller, who keeps the answers.
 */
export async function saveEntry(entry: JournalEntry, body: CheckinCreate): Promise<Submitted> {
  if (entry.state === 'pending' && (await updateQueued(entry.client_id, body))) return sendQueued(entry.client_id);
  const id = entry.id ?? (await serverId(entry.client_id));
  if (!id) throw new ApiError(404, 'This check-in is no longer stored.');
  const stored = await api.updateCheckin(id, asPatch(body));
  await patchCache((list) => list.map((c) => (c.client_id === stored.client_id ? stored : c)));
  return 'sent';
}

/** Delete an entry: from the queue if it is still waiting, else on the server (online only). */
export async function deleteEntry(entry: JournalEntry): Promise<void> {
  if (entry.state === 'pending' && (await removeQueued(entry.client_id))) return;
  const id = entry.id ?? (await serverId(entry.client_id));
  if (id) {
    try {
      await api.deleteCheckin(id);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error; // already gone
    }
  }
  await patchCache((list) => list.filter((c) => c.client_id !== entry.client_id));
}

/** The day's mean mood, per local date (days with a check-in but no mood map to null). */
export function moodByDay(entries: JournalEntry[]): Map<string, number | null> {
  const sums = new Map<string, { total: number; n: number }>();
  for (const e of entries) {
    const day = sums.get(e.body.local_date) ?? { total: 0, n: 0 };
    if (e.body.mood != null) {
      day.total += e.body.mood;
      day.n += 1;
    }
    sums.set(e.body.local_date, day);
  }
  return new Map([...sums].map(([date, { total, n }]) => [date, n ? Math.round((total / n) * 10) / 10 : null]));
}

/** The first words of a text, cut at a word boundary. */
export function firstWords(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, '')}…`;
}

/**
 * The journal for a screen: this phone's copy at once, then the server's; read again whenever
 * the queue changes (a check-in sent or saved) and when `pages` grows ("show older").
 */
export function useJournal(pages = 1): { journal: Journal | null; error: unknown; reload: () => void } {
  const { pending: waiting, held: refused } = useStore();
  const [journal, setJournal] = useState<Journal | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    let fresh = false;
    // Read only while this screen and its session are there (a log-out can come mid-way).
    const fromPhone = () =>
      live && getState().session
        ? cachedJournal()
            .then((j) => live && !fresh && setJournal(j))
            .catch(() => undefined)
        : undefined;
    // This phone's copy first, when it has one: a slow network then delays nothing.
    if (getState().session) void hasCopy().then((has) => has && fromPhone(), () => undefined);
    loadJournal(pages)
      .then((j) => {
        fresh = true;
        if (live) {
          setJournal(j);
          setError(null);
        }
      })
      .catch((e) => {
        if (!live) return;
        setError(e);
        void fromPhone(); // whatever failed, the screen shows what the phone has
      });
    return () => {
      live = false;
    };
  }, [pages, waiting, refused, round]);
  return { journal, error, reload: () => setRound((n) => n + 1) };
}

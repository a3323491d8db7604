/** The app's shared state: a tiny observable store read through the `useStore` hook. */
import { useLayoutEffect, useState } from 'preact/hooks';
import type { HeldEntry, QueueEntry } from './db';
import type { Scales, Session } from './types';

export interface State {
  ready: boolean;
  session: Session | null;
  scales: Scales | null;
  online: boolean;
  pending: QueueEntry[];
  held: HeldEntry[];
  /** A short message for the polite live region ("Saved."). */
  notice: string;
  /** Why the user is on the login screen, when it was not their choice. */
  loginReason: string;
}

let state: State = {
  ready: false,
  session: null,
  scales: null,
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  pending: [],
  held: [],
  notice: '',
  loginReason: '',
};
const listeners = new Set<() => void>();

export function getState(): State {
  return state;
}

export function setState(patch: Partial<State>): void {
  state = { ...state, ...patch };
  listeners.forEach((listener) => listener());
}

export function useStore(): State {
  const [, force] = useState(0);
  const rendered = state;
  useLayoutEffect(() => {
    const listener = () => force((n) => n + 1);
    listeners.add(listener);
    // A change between this render and subscribing (a fast IndexedDB read) is not missed.
    if (state !== rendered) listener();
    return () => listeners.delete(listener);
  }, []);
  return state;
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
let noticeSince = 0;
/** How long a notice goes along to the next screen: one said as a screen is left ("X is on
 * your map", then the list) is read there; an older one would only sit over the new screen. */
const NOTICE_CARRIES_MS = 1500;

/** Announce a short message politely; it clears itself after a while. */
export function notify(message: string): void {
  clearTimeout(noticeTimer);
  noticeSince = Date.now();
  setState({ notice: message });
  noticeTimer = setTimeout(() => setState({ notice: '' }), 6000);
}

/** Another screen is shown: a notice that has had its time there goes. */
export function screenChanged(): void {
  if (state.notice && Date.now() - noticeSince > NOTICE_CARRIES_MS) {
    clearTimeout(noticeTimer);
    setState({ notice: '' });
  }
}

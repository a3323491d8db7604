/** What the worker pushes (api/domain/payloads.py) and how the service worker shows it. */

export interface PushPayload {
  type: 'reminder' | 'digest' | 'test';
  title: string;
  body: string;
  /** Where a tap leads: "/#/checkin", "/#/digests/2026-W47". */
  url: string;
}

/** The message a tapped notification sends an open app window: go to this screen. */
export const OPEN_MESSAGE = 'partwise-open';

/** A hash route from a payload's url; anything not on this app leads to Today. */
export function routeOf(url: string | undefined): string {
  const match = /^\/?#(\/[\w\-/]*)$/.exec(url ?? '');
  return match && match[1] !== '/' ? match[1] : '/today';
}

export function notificationFor(payload: Partial<PushPayload>): { title: string; options: NotificationOptions } {
  const type = payload.type ?? 'reminder';
  return {
    title: payload.title || 'Partwise',
    options: {
      body: payload.body ?? '',
      icon: '/icons/icon-192.png',
      badge: '/icons/badge-96.png',
      lang: 'en',
      // A newer reminder replaces an older one on the lock screen instead of piling up.
      tag: type,
      data: { path: routeOf(payload.url) },
    },
  };
}

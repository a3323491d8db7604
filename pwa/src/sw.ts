/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell so it opens offline, replays the check-in queue on
 * Background Sync, and shows reminders and digests pushed by the worker. API requests are never
 * cached: no route matches them, so they go straight to the network (health data stays out of
 * Cache Storage).
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { api } from './api';
import { kvGet, kvSet } from './db';
import { OPEN_MESSAGE, notificationFor, type PushPayload } from './push-payload';
import { replay, SYNC_TAG } from './queue';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

interface PushSubscriptionChangeEvent extends ExtendableEvent {
  readonly newSubscription: PushSubscription | null;
  readonly oldSubscription: PushSubscription | null;
}

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}

self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// Client-side routes are hash routes, but a deep link or start_url still gets the shell offline.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/api\//, /^\/healthz$/, /^\/readyz$/],
  }),
);

async function replayForSync(): Promise<void> {
  const outcome = await replay();
  // Rejecting tells the browser the sync failed, so it tries again later with back-off.
  if (outcome.stopped === 'offline' || outcome.stopped === 'server') {
    throw new Error(`check-in replay stopped: ${outcome.stopped}`);
  }
}

self.addEventListener('sync', (event) => {
  const sync = event as SyncEvent;
  if (sync.tag === SYNC_TAG) sync.waitUntil(replayForSync());
});

self.addEventListener('push', (event) => {
  let payload: Partial<PushPayload> = {};
  try {
    payload = event.data?.json() ?? {};
  } catch {
    // Not JSON: still show something rather than nothing (browsers penalise silent pushes).
  }
  const { title, options } = notificationFor(payload);
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const path: string = event.notification.data?.path ?? '/today';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) {
        // The open app moves to the screen itself (a hash route: no reload, nothing lost).
        open.postMessage({ type: OPEN_MESSAGE, path });
        await open.focus();
        return;
      }
      await self.clients.openWindow(`/#${path}`);
    })(),
  );
});

// The browser renewed (or dropped) the subscription: tell the server, so reminders keep coming.
self.addEventListener('pushsubscriptionchange', (event) => {
  const change = event as PushSubscriptionChangeEvent;
  change.waitUntil(
    (async () => {
      const session = await kvGet('session');
      if (!session || !(await kvGet(`push:${session.user.id}`))) return; // not turned on here
      const subscription =
        change.newSubscription ??
        (await self.registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: change.oldSubscription?.options.applicationServerKey ?? null,
        }));
      const saved = await api.subscribe(subscription.toJSON());
      await kvSet(`push:${session.user.id}`, { id: saved.id, endpoint: subscription.endpoint });
    })(),
  );
});

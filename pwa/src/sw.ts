/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell so it opens offline, and replays the check-in
 * queue on Background Sync. API requests are never cached: no route matches them, so they go
 * straight to the network (health data stays out of Cache Storage).
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { replay, SYNC_TAG } from './queue';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

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

/**
 * Web push on this device: ask for permission only when the user turns it on, subscribe with the
 * server's VAPID key, register the subscription with the API, and undo all of it when turned off.
 */
import { api, ApiError } from './api';
import { kvDelete, kvGet, kvSet } from './db';
import type { PushSubscriptionInfo } from './types';

export type PushState = 'unsupported' | 'unavailable' | 'denied' | 'off' | 'on';

function supported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  if (!supported()) return undefined;
  return navigator.serviceWorker.getRegistration();
}

/** The state shown in settings: on only when this browser and the server both know the device. */
export async function pushState(userId: string): Promise<PushState> {
  const reg = await registration();
  if (!reg) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const [subscription, known] = await Promise.all([reg.pushManager.getSubscription(), kvGet(`push:${userId}`)]);
  return subscription && known?.endpoint === subscription.endpoint ? 'on' : 'off';
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** The server's VAPID key, or null when it sends no pushes. */
async function serverKey(): Promise<string | null> {
  try {
    return (await api.vapidKey()).public_key;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Subscribe with the server's key (again, if the key changed) and register the device. */
async function register(userId: string, key: string): Promise<void> {
  const ready = await navigator.serviceWorker.ready;
  let subscription = await ready.pushManager.getSubscription();
  if (subscription && !sameKey(subscription, key)) {
    await subscription.unsubscribe(); // made with another server key: it would be refused
    subscription = null;
  }
  const subscribe = () => ready.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  subscription ??= await subscribe();
  let saved: PushSubscriptionInfo;
  try {
    // Posting a known endpoint again is an update: the server then knows the device is alive.
    saved = await api.subscribe(subscription.toJSON());
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    // This browser's subscription was registered by another account that used this phone: a new
    // one is made for this account (the other account's lapses at the push service).
    await subscription.unsubscribe();
    subscription = await subscribe();
    saved = await api.subscribe(subscription.toJSON());
  }
  await kvSet(`push:${userId}`, { id: saved.id, endpoint: subscription.endpoint });
}

/** Call from a tap: the permission prompt must follow a user action. */
export async function enablePush(userId: string): Promise<PushState> {
  if (!(await registration())) return 'unsupported';
  const key = await serverKey();
  if (!key) return 'unavailable';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission === 'denied' ? 'denied' : 'off';
  await register(userId, key);
  return 'on';
}

/**
 * At start, where notifications were turned on: register the device again, never asking
 * anything. The server may have let it go (too many devices, a push service refusing it, a new
 * VAPID key), and this is what brings it back without the user noticing.
 */
export async function resyncPush(userId: string): Promise<void> {
  if (!(await registration()) || Notification.permission !== 'granted' || !(await kvGet(`push:${userId}`))) return;
  const key = await serverKey();
  if (key) await register(userId, key);
  else await forgetPush(userId);
}

function sameKey(subscription: PushSubscription, key: string): boolean {
  const current = subscription.options?.applicationServerKey;
  if (!current) return true;
  const a = new Uint8Array(current);
  const b = keyBytes(key);
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export async function disablePush(userId: string): Promise<PushState> {
  const known = await kvGet(`push:${userId}`);
  if (known) {
    try {
      await api.unsubscribe(known.id);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error; // already gone there
    }
  }
  return forgetPush(userId);
}

/** Unsubscribe this browser only (the server side is already gone, e.g. the account is deleted). */
export async function forgetPush(userId: string): Promise<PushState> {
  await kvDelete(`push:${userId}`);
  const reg = await registration();
  await (await reg?.pushManager.getSubscription())?.unsubscribe();
  return reg ? 'off' : 'unsupported';
}

/**
 * Web push on this device: ask for permission only when the user turns it on, subscribe with the
 * server's VAPID key, register the subscription with the API, and undo all of it when turned off.
 */
import { api, ApiError } from './api';
import { kvDelete, kvGet, kvSet } from './db';

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

/** Call from a tap: the permission prompt must follow a user action. */
export async function enablePush(userId: string): Promise<PushState> {
  const reg = await registration();
  if (!reg) return 'unsupported';
  let key: string;
  try {
    key = (await api.vapidKey()).public_key;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return 'unavailable';
    throw error;
  }
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission === 'denied' ? 'denied' : 'off';
  const ready = await navigator.serviceWorker.ready;
  let subscription = await ready.pushManager.getSubscription();
  if (subscription && !sameKey(subscription, key)) {
    await subscription.unsubscribe(); // made with another server key: it would be refused
    subscription = null;
  }
  subscription ??= await ready.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  const saved = await api.subscribe(subscription.toJSON());
  await kvSet(`push:${userId}`, { id: saved.id, endpoint: subscription.endpoint });
  return 'on';
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

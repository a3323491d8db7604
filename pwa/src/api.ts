/** The API client for the page: JSON in and out, the bearer token, errors as values to show. */
import { kvGet } from './db';
import type { Checkin, Part, PartInput, Scales, Session, User } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The request never reached the server (offline, DNS, connection reset). */
export class NetworkError extends Error {}

let onUnauthorized: () => void = () => {};

/** What to do when the server no longer accepts the token (the app sends the user to log in). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export async function request<T>(method: Method, path: string, body?: unknown, auth = true): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth) {
    const session = await kvGet('session');
    if (session) headers.Authorization = `Bearer ${session.token}`;
  }
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new NetworkError('You seem to be offline.');
  }
  if (response.status === 204) return undefined as T;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (response.status === 401 && auth) onUnauthorized();
    throw new ApiError(response.status, data.message || `The server answered ${response.status}.`, flatten(data.errors));
  }
  return data as T;
}

/** flask-smorest nests field errors under their location ("json"): bring them up one level. */
function flatten(errors: unknown): Record<string, unknown> {
  if (!errors || typeof errors !== 'object') return {};
  const e = errors as Record<string, unknown>;
  return (e.json as Record<string, unknown>) ?? e;
}

/** A message for a field from a 422, as one readable string. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const value = error.errors[field];
  if (!value) return undefined;
  return Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : 'Please check this.';
}

export const api = {
  register: (body: { email: string; password: string; role: string; display_name: string; timezone: string }) =>
    request<Session>('POST', '/auth/register', body, false),
  login: (email: string, password: string) => request<Session>('POST', '/auth/login', { email, password }, false),
  logout: () => request<void>('POST', '/auth/logout'),
  me: () => request<User>('GET', '/me'),
  updateMe: (body: Partial<Pick<User, 'display_name' | 'timezone' | 'reminders'>>) => request<User>('PATCH', '/me', body),
  scales: () => request<Scales>('GET', '/meta/scales', undefined, false),
  parts: (includeArchived = false) =>
    request<Part[]>('GET', `/parts?page_size=200${includeArchived ? '&include_archived=true' : ''}`),
  createPart: (body: PartInput) => request<Part>('POST', '/parts', body),
  updatePart: (id: string, body: PartInput) => request<Part>('PATCH', `/parts/${encodeURIComponent(id)}`, body),
  checkinsOn: (localDate: string) => request<Checkin[]>('GET', `/checkins?from=${localDate}&to=${localDate}`),
};

/** The API client for the page: JSON in and out, the bearer token, errors as values to show. */
import { kvGet } from './db';
import type {
  AccessLogEntry,
  Caseload,
  Checkin,
  CheckinPatch,
  ClientTrends,
  ConsentingClient,
  CrisisResources,
  Digest,
  Grant,
  InstrumentHistory,
  Invitation,
  Part,
  PartInput,
  PushSubscriptionInfo,
  Questionnaire,
  QuestionnaireResponse,
  QuestionnaireTrend,
  Scales,
  Scope,
  Session,
  Trends,
  User,
} from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: Record<string, unknown> = {},
    /** The whole JSON body of the refusal (a 422 may carry more than errors, e.g. crisis lines). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The server failed (5xx): not the user's input, and not the network either. */
  get isServerFault(): boolean {
    return this.status >= 500;
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

/**
 * `auth`: send the bearer token. 'password' also sends it, for a request that confirms a password:
 * its 401 means a wrong password, not a lost session.
 */
type Auth = boolean | 'password';

async function send(method: Method, path: string, body: unknown, auth: Auth, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
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
  if (!response.ok) {
    const data = await response.json().catch(() => ({}));
    if (response.status === 401 && auth === true) onUnauthorized();
    throw new ApiError(response.status, data.message || `The server answered ${response.status}.`, flatten(data.errors), data);
  }
  return response;
}

export async function request<T>(method: Method, path: string, body?: unknown, auth: Auth = true): Promise<T> {
  const response = await send(method, path, body, auth, 'application/json');
  if (response.status === 204) return undefined as T;
  return (await response.json().catch(() => ({}))) as T;
}

/** Fetch a file with the bearer token and hand it to the browser as a download. */
export async function download(path: string, fallbackName: string, accept = '*/*'): Promise<void> {
  const response = await send('GET', path, undefined, true, accept);
  const named = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '');
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = named?.[1] ?? fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** flask-smorest nests field errors under their location ("json"): bring them up one level. */
function flatten(errors: unknown): Record<string, unknown> {
  if (!errors || typeof errors !== 'object') return {};
  const e = errors as Record<string, unknown>;
  return (e.json as Record<string, unknown>) ?? e;
}

interface ProblemWords {
  /** What to say offline (default: this needs a connection). */
  offline?: string;
  /** What to say for a 422 whose fields are marked on the form (default: the server's words). */
  invalid?: string;
}

/** What to say when the server itself failed: never its raw words ("Internal Server Error"). */
export const SERVER_FAULT = 'Partwise could not answer just now. Nothing you saved is lost: please try again in a few minutes.';

/** One sentence for an error to show the user: offline, the server's own words, or a fallback. */
export function problemText(error: unknown, words: ProblemWords = {}): string {
  if (error instanceof NetworkError) return words.offline ?? 'This needs a connection. Please try again when you are back online.';
  if (error instanceof ApiError && error.isServerFault) return SERVER_FAULT;
  if (error instanceof ApiError) return error.status === 422 && words.invalid ? words.invalid : error.message;
  return 'Something went wrong. Please try again.';
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
  logoutEverywhere: () => request<{ revoked: number }>('POST', '/auth/logout-everywhere'),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('POST', '/auth/password', { current_password: currentPassword, new_password: newPassword }, 'password'),
  me: () => request<User>('GET', '/me'),
  updateMe: (body: Partial<Pick<User, 'display_name' | 'timezone' | 'reminders'>>) => request<User>('PATCH', '/me', body),
  scales: () => request<Scales>('GET', '/meta/scales', undefined, false),
  parts: (includeArchived = false) =>
    request<Part[]>('GET', `/parts?page_size=200${includeArchived ? '&include_archived=true' : ''}`),
  createPart: (body: PartInput) => request<Part>('POST', '/parts', body),
  updatePart: (id: string, body: PartInput) => request<Part>('PATCH', `/parts/${encodeURIComponent(id)}`, body),
  /** My check-ins, newest first: one page of the journal. */
  checkins: (page: number, pageSize: number) => request<Checkin[]>('GET', `/checkins?page=${page}&page_size=${pageSize}`),
  updateCheckin: (id: string, body: CheckinPatch) => request<Checkin>('PATCH', `/checkins/${encodeURIComponent(id)}`, body),
  deleteCheckin: (id: string) => request<void>('DELETE', `/checkins/${encodeURIComponent(id)}`),

  trends: (from: string, to: string) => request<Trends>('GET', `/trends?from=${from}&to=${to}`),
  digests: () => request<Digest[]>('GET', '/digests?page_size=60'),
  digest: (week: string) => request<Digest>('GET', `/digests/${encodeURIComponent(week)}`),

  questionnaires: () => request<Questionnaire[]>('GET', '/questionnaires'),
  answer: (id: string, body: { client_id: string; answers: number[]; difficulty?: number | null; local_date: string; recorded_at: string }) =>
    request<QuestionnaireResponse>('POST', `/questionnaires/${encodeURIComponent(id)}/responses`, body),
  responses: (id: string) => request<QuestionnaireResponse[]>('GET', `/questionnaires/${encodeURIComponent(id)}/responses?page_size=50`),
  questionnaireTrend: (id: string) => request<QuestionnaireTrend>('GET', `/questionnaires/${encodeURIComponent(id)}/trend`),
  crisisResources: () => request<CrisisResources>('GET', `/crisis-resources?locale=${encodeURIComponent(navigator.language)}`),

  vapidKey: () => request<{ public_key: string }>('GET', '/push/vapid-public-key'),
  subscribe: (subscription: PushSubscriptionJSON) => request<PushSubscriptionInfo>('POST', '/push/subscriptions', subscription),
  unsubscribe: (id: string) => request<void>('DELETE', `/push/subscriptions/${encodeURIComponent(id)}`),
  testPush: () => request<{ sent: number; devices: { id: string; outcome: string }[] }>('POST', '/push/test'),

  invitations: () => request<Invitation[]>('GET', '/sharing/invitations'),
  invite: (scopes: Scope[], grantEndsAt: string | null) =>
    request<Invitation>('POST', '/sharing/invitations', { scopes, grant_ends_at: grantEndsAt }),
  cancelInvitation: (id: string) => request<void>('DELETE', `/sharing/invitations/${encodeURIComponent(id)}`),
  grants: () => request<Grant[]>('GET', '/sharing/grants?page_size=100'),
  narrowGrant: (id: string, body: { scopes?: Scope[]; ends_at?: string }) =>
    request<Grant>('PATCH', `/sharing/grants/${encodeURIComponent(id)}`, body),
  revokeGrant: (id: string) => request<void>('DELETE', `/sharing/grants/${encodeURIComponent(id)}`),
  accessLog: () => request<AccessLogEntry[]>('GET', '/sharing/access-log?page_size=100'),

  deleteAccount: (password: string) => request<void>('DELETE', '/me', { password }, 'password'),
  importArchive: (archive: unknown) =>
    request<Record<'parts' | 'checkins' | 'questionnaire_responses', { created: number; existing: number }>>('POST', '/me/import', archive),

  redeem: (code: string) => request<{ client: { display_name: string } }>('POST', '/therapist/invitations/redeem', { code }),
  clients: () => request<ConsentingClient[]>('GET', '/therapist/clients?page_size=100'),
  client: (id: string) => request<ConsentingClient>('GET', `/therapist/clients/${encodeURIComponent(id)}`),
  labelClient: (id: string, label: string) =>
    request<ConsentingClient>('PATCH', `/therapist/clients/${encodeURIComponent(id)}`, { label }),
  clientTrends: (id: string) => request<ClientTrends>('GET', `/therapist/clients/${encodeURIComponent(id)}/trends`),
  clientDigests: (id: string) => request<Digest[]>('GET', `/therapist/clients/${encodeURIComponent(id)}/digests?page_size=12`),
  clientQuestionnaires: (id: string) =>
    request<{ instruments: InstrumentHistory[] }>('GET', `/therapist/clients/${encodeURIComponent(id)}/questionnaires`),
  clientNotes: (id: string) =>
    request<{ local_date: string; note: string | null; inner_child_note: string | null }[]>(
      'GET',
      `/therapist/clients/${encodeURIComponent(id)}/notes?page_size=30`,
    ),
  caseload: () => request<Caseload>('GET', '/therapist/caseload'),
};

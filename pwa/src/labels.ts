/** Words shown for the API's vocabulary (the values themselves come from /meta/scales). */
import type { PartRole } from './types';

export const ROLE_LABEL: Record<PartRole, string> = {
  manager: 'Managers',
  firefighter: 'Firefighters',
  exile: 'Exiles',
  unknown: 'Not sure yet',
};

export const ROLE_SINGULAR: Record<PartRole, string> = {
  manager: 'Manager',
  firefighter: 'Firefighter',
  exile: 'Exile',
  unknown: 'Not sure yet',
};

export const ROLE_HINT: Record<PartRole, string> = {
  manager: 'Protects ahead of time, keeping things under control.',
  firefighter: 'Jumps in when pain breaks through, to numb or distract.',
  exile: 'Carries old pain and burdens, often young.',
  unknown: 'Parts you are still getting to know.',
};

export const PART_ROLES: PartRole[] = ['manager', 'firefighter', 'exile', 'unknown'];

const STRATEGY_LABEL: Record<string, string> = {
  reappraisal: 'seeing it differently',
  distraction: 'distraction',
  reaching_out: 'reaching out',
  breathing: 'breathing',
  grounding: 'grounding',
  movement: 'movement',
  unblending: 'unblending from a part',
  self_compassion: 'self-compassion',
  journaling: 'journaling',
  suppression: 'pushing it down',
  rumination: 'going over it again and again',
  avoidance: 'avoiding it',
  other: 'something else',
};

export function strategyLabel(value: string): string {
  return STRATEGY_LABEL[value] ?? value.replace(/_/g, ' ');
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const WEEKDAYS = [
  { iso: 1, short: 'Mon', long: 'Monday' },
  { iso: 2, short: 'Tue', long: 'Tuesday' },
  { iso: 3, short: 'Wed', long: 'Wednesday' },
  { iso: 4, short: 'Thu', long: 'Thursday' },
  { iso: 5, short: 'Fri', long: 'Friday' },
  { iso: 6, short: 'Sat', long: 'Saturday' },
  { iso: 7, short: 'Sun', long: 'Sunday' },
];

/** Today's date on this device, YYYY-MM-DD (the check-in's local_date). */
export function localDate(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function parseDate(isoDate: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/*
 * One date format everywhere: a day is "Sat 5 Dec" (with the year when it is not this year), a
 * week "30 Nov – 6 Dec", a moment "Sat 5 Dec, 14:05". The words follow the phone's language.
 */

const thisYear = (d: Date) => d.getFullYear() === new Date().getFullYear();

function day(d: Date, withWeekday = true): string {
  return d.toLocaleDateString(undefined, {
    ...(withWeekday ? { weekday: 'short' } : {}),
    day: 'numeric',
    month: 'short',
    ...(thisYear(d) ? {} : { year: 'numeric' }),
  });
}

/** "Sat 5 Dec" for a local ISO date (YYYY-MM-DD). */
export function formatDay(isoDate: string): string {
  return day(parseDate(isoDate));
}

/** "Sat 5 Dec" for a UTC timestamp, on this device's calendar. */
export function formatDate(iso: string): string {
  return day(new Date(iso));
}

/** "Sat 5 Dec, 14:05" for a UTC timestamp, in this device's zone. */
export function formatMoment(iso: string): string {
  const d = new Date(iso);
  return `${day(d)}, ${d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`;
}

/** "14:05" for a UTC timestamp, in this device's zone. */
export function formatClock(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** "30 Nov – 6 Dec" for a local ISO week from its first and last day. */
export function weekSpan(start: string, end: string): string {
  return `${day(parseDate(start), false)} – ${day(parseDate(end), false)}`;
}

/** A date n days before (negative: after) an ISO date, as an ISO date. */
export function daysBefore(isoDate: string, n: number): string {
  const d = parseDate(isoDate);
  d.setDate(d.getDate() - n);
  return localDate(d);
}

/** One decimal, the way the digest writes numbers ("5.8"). */
export function one(value: number): string {
  return (Math.round(value * 10) / 10).toFixed(1);
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Short names of what a therapist may see (the long ones come from /meta/scales). */
export const SCOPE_NAME: Record<string, string> = {
  weekly_trends: 'weekly trends',
  digests: 'weekly reflections',
  questionnaires: 'questionnaire scores',
  notes: 'your written notes',
};

/** What a therapist looked at, for the access log. */
const READ_NAME: Record<string, string> = {
  'clients.list': 'their list of clients (with your latest week and anything that may need their attention)',
  weekly_trends: 'your weekly trends',
  caseload: 'figures over all their clients (including you)',
  digests: 'your weekly reflections',
  questionnaires: 'your questionnaire scores',
  notes: 'your written notes',
  'export.csv': 'a download of your trends and scores (CSV)',
  'export.fhir': 'a download of your trends and scores (FHIR)',
  'export.pdf': 'a one-page summary of your trends and scores (PDF)',
};

export function readName(what: string): string {
  return READ_NAME[what] ?? what;
}

export function listOf(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

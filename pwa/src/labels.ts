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

export function formatDay(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
}

export function formatTime(ms: number | string): string {
  return new Date(ms).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}

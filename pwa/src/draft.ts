/**
 * A check-in being written: the answers as the flow holds them, and how they become the API's
 * body. Unanswered stays unanswered: nothing here fills in a default.
 */
import { localDate } from './labels';
import type { Checkin, CheckinCreate, Rating, StepKey } from './types';

export interface Draft {
  client_id: string;
  started_at: string;
  step: number;
  mood: Rating;
  energy: Rating;
  emotions: { name: string; intensity: Rating }[];
  /** blended: null when a stored check-in never said (kept so, unless the switch is touched). */
  parts: { part: string; intensity: Rating; blended: boolean | null }[];
  self: Record<string, Rating>;
  /** Was there a hard moment? null: not answered; false: "no" (stored as no). */
  hardMoment: boolean | null;
  regulation: { peak_intensity: Rating; strategies: string[]; success: Rating; minutes: string };
  attachment: { anxiety: Rating; avoidance: Rating; reached_out: boolean | null; felt_supported: boolean | null };
  inner_child_note: string;
  note: string;
}

/** The full flow's steps in their one order; a person may leave any of them out (settings). */
export const STEPS: { key: StepKey; title: string }[] = [
  { key: 'feel', title: 'How are you, right now?' },
  { key: 'emotions', title: 'What are you feeling?' },
  { key: 'parts', title: 'Which parts are here?' },
  { key: 'self', title: 'Self-energy' },
  { key: 'moment', title: 'A hard moment' },
  { key: 'attachment', title: 'Closeness and distance' },
  { key: 'notes', title: 'Anything else?' },
];

export const ALL_STEP_KEYS: StepKey[] = STEPS.map((s) => s.key);

/** Only until /meta/scales has been fetched once (it is cached on the phone after that). */
export const MINUTES_FALLBACK = 1440;

export function newDraft(): Draft {
  return {
    client_id: crypto.randomUUID(),
    started_at: new Date().toISOString(),
    step: 0,
    mood: null,
    energy: null,
    emotions: [],
    parts: [],
    self: {},
    hardMoment: null,
    regulation: { peak_intensity: null, strategies: [], success: null, minutes: '' },
    attachment: { anxiety: null, avoidance: null, reached_out: null, felt_supported: null },
    inner_child_note: '',
    note: '',
  };
}

/** A draft holding a stored (or queued) check-in's answers, to change them. */
export function draftOf(body: CheckinCreate | Checkin): Draft {
  const blank = newDraft();
  const r = body.regulation;
  const a = body.attachment;
  const details = Boolean(r && (r.peak_intensity != null || r.success != null || r.minutes_to_settle != null || r.strategies?.length));
  return {
    ...blank,
    client_id: body.client_id,
    mood: body.mood ?? null,
    energy: body.energy ?? null,
    emotions: (body.emotions ?? []).map((e) => ({ name: e.name, intensity: e.intensity ?? null })),
    parts: (body.parts ?? []).map((p) => ({ part: p.part, intensity: p.intensity ?? null, blended: p.blended ?? null })),
    self: Object.fromEntries(Object.entries(body.self_energy ?? {}).filter(([, v]) => v != null)),
    hardMoment: r ? (r.occurred ?? (details ? true : null)) : null,
    regulation: {
      peak_intensity: r?.peak_intensity ?? null,
      strategies: r?.strategies ?? [],
      success: r?.success ?? null,
      minutes: r?.minutes_to_settle != null ? String(r.minutes_to_settle) : '',
    },
    attachment: {
      anxiety: a?.anxiety ?? null,
      avoidance: a?.avoidance ?? null,
      reached_out: a?.reached_out ?? null,
      felt_supported: a?.felt_supported ?? null,
    },
    inner_child_note: body.inner_child_note ?? '',
    note: body.note ?? '',
  };
}

const nonNull = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== '')) as Partial<T>;

export type Answers = Omit<CheckinCreate, 'client_id' | 'recorded_at' | 'local_date'>;

export function validMinutes(text: string, max: number): boolean {
  const minutes = text.trim();
  return /^\d+$/.test(minutes) && Number(minutes) <= max;
}

/** Only what was answered. */
export function answersOf(d: Draft, maxMinutes: number): Answers {
  const body: Answers = {};
  if (d.mood !== null) body.mood = d.mood;
  if (d.energy !== null) body.energy = d.energy;
  if (d.emotions.length) body.emotions = d.emotions.map((e) => nonNull(e) as { name: string });
  if (d.parts.length) body.parts = d.parts.map((p) => nonNull(p) as { part: string });
  const self = nonNull(d.self);
  if (Object.keys(self).length) body.self_energy = self as Record<string, number>;
  if (d.hardMoment === false) body.regulation = { occurred: false };
  if (d.hardMoment === true) {
    const minutes = d.regulation.minutes.trim();
    body.regulation = {
      occurred: true,
      ...nonNull({
        peak_intensity: d.regulation.peak_intensity,
        success: d.regulation.success,
        minutes_to_settle: validMinutes(minutes, maxMinutes) ? Number(minutes) : null,
      }),
      strategies: d.regulation.strategies,
    };
  }
  const attachment = nonNull(d.attachment);
  if (Object.keys(attachment).length) body.attachment = attachment;
  if (d.inner_child_note.trim()) body.inner_child_note = d.inner_child_note.trim();
  if (d.note.trim()) body.note = d.note.trim();
  return body;
}

export function hasAnswer(answers: Answers): boolean {
  return Object.keys(answers).length > 0;
}

/** A new check-in's body: written now, on this device's date. */
export function bodyForNow(d: Draft, answers: Answers, now = new Date()): CheckinCreate {
  return { client_id: d.client_id, recorded_at: now.toISOString(), local_date: localDate(now), ...answers };
}

/** A past day filled in later: its date, and no time (the server notes when it was written). */
export function bodyForDay(d: Draft, answers: Answers, date: string): CheckinCreate {
  return { client_id: d.client_id, local_date: date, ...answers };
}

/** The steps that hold an answer in a draft (shown when changing it, even if left out since). */
export function answeredSteps(d: Draft): StepKey[] {
  const answered: Record<StepKey, boolean> = {
    feel: d.mood !== null || d.energy !== null,
    emotions: d.emotions.length > 0,
    parts: d.parts.length > 0,
    self: Object.values(d.self).some((v) => v !== null),
    moment: d.hardMoment !== null,
    attachment: Object.values(d.attachment).some((v) => v !== null),
    notes: Boolean(d.inner_child_note.trim() || d.note.trim()),
  };
  return ALL_STEP_KEYS.filter((k) => answered[k]);
}

/** The steps to walk through, in the one order: those chosen, plus any `also` (answered ones). */
export function stepsFor(chosen: StepKey[] | undefined, also: StepKey[] = []): typeof STEPS {
  const wanted = new Set([...(chosen?.length ? chosen : ALL_STEP_KEYS), ...also]);
  return STEPS.filter((s) => wanted.has(s.key));
}

/** Skipping a step leaves its questions unanswered. */
export function clearStep(key: StepKey): Partial<Draft> {
  const blank = newDraft();
  switch (key) {
    case 'feel':
      return { mood: null, energy: null };
    case 'emotions':
      return { emotions: [] };
    case 'parts':
      return { parts: [] };
    case 'self':
      return { self: {} };
    case 'moment':
      return { hardMoment: null, regulation: blank.regulation };
    case 'attachment':
      return { attachment: blank.attachment };
    case 'notes':
      return { inner_child_note: '', note: '' };
  }
}

/**
 * Shapes of the API's JSON. The answers' shapes are the OpenAPI document's own (/api/openapi.json),
 * generated into api-schema.d.ts by `npm run api-types`; what the page sends is written here.
 */
import type { components } from './api-schema';

type Schemas = components['schemas'];

export type Role = 'client' | 'therapist';
export type PartRole = 'manager' | 'firefighter' | 'exile' | 'unknown';

export interface Reminders {
  enabled?: boolean;
  local_time?: string;
  weekdays?: number[];
}

/** GET /me. */
export type User = Schemas['User'];

/** The full check-in's steps that a person may leave out (the review always stays). */
export type StepKey = 'feel' | 'emotions' | 'parts' | 'self' | 'moment' | 'attachment' | 'notes';

export interface Session {
  token: string;
  expires_at: string;
  user: User;
}

export interface Scales {
  scale_min: number;
  scale_max: number;
  self_energy_cs: string[];
  part_roles: PartRole[];
  regulation_strategies: string[];
  suggested_emotions: string[];
  note_max_chars: number;
  minutes_to_settle_max: number;
  acute_change_threshold: number;
  sharing_scopes: { scope: Scope; label: string; default: boolean }[];
  checkin_steps?: { key: StepKey; label: string }[];
}

export type Part = Schemas['Part'];

export type PartInput = Partial<Pick<Part, 'name' | 'role' | 'fears' | 'needs' | 'body_location' | 'notes'>> & {
  archived?: boolean;
};

export type Rating = number | null;

export interface Emotion { name: string; intensity?: Rating }
export interface ActivePart { part: string; intensity?: Rating; blended?: boolean | null }
export type SelfEnergy = Record<string, Rating>;
export interface Regulation {
  /** false: the person said there was no hard moment (an answer, not a gap). */
  occurred?: boolean | null;
  peak_intensity?: Rating;
  strategies?: string[];
  success?: Rating;
  minutes_to_settle?: number | null;
}
export interface Attachment {
  anxiety?: Rating;
  avoidance?: Rating;
  reached_out?: boolean | null;
  felt_supported?: boolean | null;
}

/** The body of POST /api/v1/checkins (CheckinCreate). */
export interface CheckinCreate {
  client_id: string;
  /** When it was written; left out for a past day filled in later (the server stamps it). */
  recorded_at?: string;
  local_date: string;
  mood?: Rating;
  energy?: Rating;
  emotions?: Emotion[];
  parts?: ActivePart[];
  self_energy?: SelfEnergy | null;
  regulation?: Regulation | null;
  attachment?: Attachment | null;
  inner_child_note?: string | null;
  note?: string | null;
}

/** PATCH /checkins/{id}: only what changes; null clears an answer. */
export type CheckinPatch = Partial<Omit<CheckinCreate, 'client_id' | 'recorded_at' | 'local_date'>>;

export type Checkin = Schemas['Checkin'];

export type BatchResult = Schemas['CheckinBatchResult'];

export interface DigestPrefs {
  enabled?: boolean;
  weekday?: number;
  local_time?: string;
  channel?: 'push' | 'email' | 'both';
  include_summary_in_email?: boolean;
}

/** One point of a daily series: the day's mean, how many check-ins, and the smoothed value. */
export type DailyPoint = Schemas['DailyPoint'];
/** One local ISO week's figures for a measure; null where INSIGHTS.md's minimum is not met. */
export type WeeklyPoint = Schemas['WeeklyPoint'];
export type MeasureSummary = Schemas['WindowDescribed'];
export type PartActivity = Schemas['PartActivity'];
export type Trends = Schemas['Trends'];
export type Digest = Schemas['Digest'];

export interface Band {
  key: string;
  min_total: number;
  max_total: number;
  label: string;
}

export interface Questionnaire {
  id: string;
  title: string;
  name: string;
  stem: string;
  items: string[];
  answer_options: string[];
  max_total: number;
  bands: Band[];
  difficulty_question?: string | null;
  difficulty_options?: string[] | null;
  reliable_change?: number | null;
  /** The item whose answer above 0 shows crisis resources at once (PHQ-9 item 9), if any. */
  crisis_item?: number | null;
  /** Who learns of an answer above 0 to that item, in the product's one wording. */
  crisis_note?: string | null;
}

export interface CrisisResource {
  name: string;
  description: string;
  phone?: string;
  text?: string;
  url?: string;
}

export interface CrisisResources {
  locale: string;
  message: string;
  resources: CrisisResource[];
}

export interface QuestionnaireResponse {
  id: string;
  client_id: string;
  instrument: string;
  answers: number[];
  difficulty: number | null;
  total: number;
  band: string;
  band_label: string;
  flags: string[];
  local_date: string;
  recorded_at: string;
  crisis_resources?: CrisisResources;
}

export interface Person {
  id: string;
  display_name: string;
  email: string;
}

export type Scope = 'weekly_trends' | 'digests' | 'questionnaires' | 'notes';

export interface Invitation {
  id: string;
  scopes: Scope[];
  grant_ends_at: string | null;
  expires_at: string;
  created_at: string;
  code?: string;
}

export interface Grant {
  id: string;
  therapist: Person | null;
  scopes: Scope[];
  status: 'active' | 'revoked' | 'expired';
  accepted_at: string;
  ends_at: string | null;
  revoked_at: string | null;
}

export interface AccessLogEntry {
  id: string;
  at: string;
  what: string;
  scopes: Scope[];
  grant_id: string | null;
  therapist: Person | null;
}

export interface PushSubscriptionInfo {
  id: string;
  endpoint: string;
  user_agent?: string;
}

export interface TherapistGrant {
  id: string;
  scopes: Scope[];
  accepted_at: string;
  ends_at: string | null;
  /** The name the therapist keeps the client under in their records and downloads. */
  label: string | null;
}

/** Something in a client's shared data that may need the therapist's attention (never a diagnosis). */
export type AttentionItem =
  | { kind: 'no_recent_checkins'; text: string; days: number | null; last_checkin: string | null }
  | {
      kind: 'reliable_worsening';
      text: string;
      /** 'phq9' or 'gad7' (a total, with `date`), or 'mood' (a weekly mean, with `week`). */
      measure: string;
      value: number;
      reference: number;
      change: number;
      threshold: number;
      date?: string;
      week?: string;
    }
  | { kind: 'item9'; text: string; date: string };

export interface ClientWeek {
  week: string;
  start: string;
  end: string;
  checkin_days: number;
  adherence: number;
  mood: { mean: number | null; n: number };
  self_energy: { mean: number | null; n: number };
}

export interface ConsentingClient {
  client: Person;
  grant: TherapistGrant;
  latest_week?: ClientWeek | null;
  attention: AttentionItem[];
}

export interface ClientTrends {
  client_id: string;
  timezone: string;
  from: string;
  to: string;
  weeks: { week: string; start: string; end: string; checkin_days: number; adherence: number }[];
  weekly: Record<string, WeeklyPoint[]>;
}

export interface InstrumentHistory {
  instrument: string;
  title: string;
  series: { local_date: string; total: number; band: string; flags: string[] }[];
  change: number | null;
  reliable_change: number | null;
  reliable: boolean | null;
  note: string;
  /** The product's sentence on PHQ-9 item 9 answered above 0 (ISO dates), if it was. */
  flag_text?: string | null;
}

/** A caseload cell: a value, or suppressed because fewer than k clients stand behind it. */
export interface Cell {
  value: number | null;
  clients: number | string;
  suppressed: boolean;
}

export interface Caseload {
  from: string;
  to: string;
  k: number;
  clients: Cell;
  weeks: { week: string; start: string; end: string; clients_with_data: Cell; mood_mean: Cell; self_energy_mean: Cell; adherence: Cell }[];
}

export interface QuestionnaireTrend {
  instrument: string;
  series: { local_date: string; total: number; band: string }[];
  change: number | null;
  reliable_change: number | null;
  reliable: boolean | null;
  note: string;
}

/** Shapes of the API's JSON (see /api/openapi.json). */

export type Role = 'client' | 'therapist';
export type PartRole = 'manager' | 'firefighter' | 'exile' | 'unknown';

export interface Reminders {
  enabled?: boolean;
  local_time?: string;
  weekdays?: number[];
}

export interface User {
  id: string;
  email: string;
  role: Role;
  display_name: string;
  timezone: string;
  reminders?: Reminders;
  digest?: DigestPrefs;
  /** The steps of the full check-in this person chose, in order (all when absent). */
  checkin_steps?: StepKey[];
  created_at?: string;
}

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

export interface Part {
  id: string;
  name: string;
  role: PartRole;
  fears: string;
  needs: string;
  body_location: string;
  notes: string;
  archived: boolean;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

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

export interface Checkin extends CheckinCreate {
  id: string;
  timezone: string;
  created_at: string;
  updated_at: string;
}

export interface BatchResult {
  index: number;
  client_id: string | null;
  status: number;
  message?: string;
  errors?: Record<string, unknown>;
  checkin?: Checkin;
}

export interface DigestPrefs {
  enabled?: boolean;
  weekday?: number;
  local_time?: string;
  channel?: 'push' | 'email' | 'both';
  include_summary_in_email?: boolean;
}

/** One point of a daily series: the day's mean, how many check-ins, and the smoothed value. */
export interface DailyPoint {
  date: string;
  value: number | null;
  n: number;
  ewma: number | null;
}

/** One local ISO week's figures for a measure; null where INSIGHTS.md's minimum is not met. */
export interface WeeklyPoint {
  week: string;
  start: string;
  end: string;
  n: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  sd: number | null;
  relative_sd: number | null;
  ci95: [number, number] | null;
  pairs: number;
  rmssd: number | null;
  pac: number | null;
}

export interface MeasureSummary {
  n: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  sd: number | null;
  ci95: [number, number] | null;
  pairs: number;
  rmssd: number | null;
  pac: number | null;
  inertia: number | null;
  /** Why a figure is left out (null above), in words, by figure: "sd", "rmssd", "inertia". */
  withheld?: Record<string, string>;
}

export interface PartActivity {
  part: string;
  days: number;
  blended: number;
  blended_known: number;
}

export interface Trends {
  timezone: string;
  from: string;
  to: string;
  daily: Record<string, DailyPoint[]>;
  weekly: Record<string, WeeklyPoint[]>;
  weekly_parts?: { week: string; checkin_days: number; parts: PartActivity[] }[];
  summary: {
    days: number;
    checkin_days: number;
    adherence: number;
    mood?: MeasureSummary;
    energy?: MeasureSummary;
    self_energy?: { n: number; mean: number | null; strongest: string[]; weakest: string[] };
    parts?: PartActivity[];
    regulation?: { episodes: number; mean_success: number | null; median_minutes_to_settle: number | null; best_strategies: { strategy: string; used_with?: string[]; mean_success: number; n: number }[] };
  };
}

export interface Digest {
  week: string;
  start: string;
  end: string;
  in_progress: boolean;
  summary: {
    /** One plain sentence that opens the reflection (older servers may not send it). */
    headline?: string;
    /** At most three of the week's most telling facts. */
    highlights?: string[];
    paragraph: string;
    bullets: string[];
  };
  data: { checkin_days: number; days_in_week: number; mood?: { n: number; mean: number | null } };
}

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

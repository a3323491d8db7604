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
  created_at?: string;
}

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
  recorded_at: string;
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

/** The daily check-in: a short guided flow, every step but the review can be skipped. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, NetworkError } from '../api';
import { Chips, Field, Rating, Switch, YesNo } from '../components/controls';
import { Summary } from '../components/summary';
import { kvDelete, kvGet, kvSet } from '../db';
import { capitalise, localDate, strategyLabel } from '../labels';
import { loadParts, rememberPart } from '../session';
import { useStore } from '../store';
import { submitCheckin } from '../sync';
import type { CheckinCreate, Part, Rating as R } from '../types';

interface Draft {
  client_id: string;
  started_at: string;
  step: number;
  mood: R;
  energy: R;
  emotions: { name: string; intensity: R }[];
  parts: { part: string; intensity: R; blended: boolean }[];
  self: Record<string, R>;
  hardMoment: boolean | null;
  regulation: { peak_intensity: R; strategies: string[]; success: R; minutes: string };
  attachment: { anxiety: R; avoidance: R; reached_out: boolean | null; felt_supported: boolean | null };
  inner_child_note: string;
  note: string;
}

function newDraft(): Draft {
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

/** Only until /meta/scales has been fetched once (it is cached on the phone after that). */
const MINUTES_FALLBACK = 1440;

const STEPS = [
  { key: 'feel', title: 'How are you, right now?' },
  { key: 'emotions', title: 'What are you feeling?' },
  { key: 'parts', title: 'Which parts are here?' },
  { key: 'self', title: 'Self-energy' },
  { key: 'moment', title: 'A hard moment' },
  { key: 'attachment', title: 'Closeness and distance' },
  { key: 'notes', title: 'Anything else?' },
  { key: 'review', title: 'Look it over' },
] as const;

const nonNull = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== '')) as Partial<T>;

/** The API body: only what was answered; recorded now, on this device's date. */
function toBody(d: Draft, maxMinutes: number): CheckinCreate {
  const now = new Date();
  const body: CheckinCreate = { client_id: d.client_id, recorded_at: now.toISOString(), local_date: localDate(now) };
  if (d.mood !== null) body.mood = d.mood;
  if (d.energy !== null) body.energy = d.energy;
  if (d.emotions.length) body.emotions = d.emotions.map((e) => nonNull(e) as { name: string });
  if (d.parts.length) body.parts = d.parts.map((p) => nonNull(p) as { part: string });
  const self = nonNull(d.self);
  if (Object.keys(self).length) body.self_energy = self as Record<string, number>;
  if (d.hardMoment) {
    const minutes = d.regulation.minutes.trim();
    const valid = /^\d+$/.test(minutes) && Number(minutes) <= maxMinutes;
    body.regulation = nonNull({
      peak_intensity: d.regulation.peak_intensity,
      success: d.regulation.success,
      minutes_to_settle: valid ? Number(minutes) : null,
    });
    body.regulation.strategies = d.regulation.strategies;
  }
  const attachment = nonNull(d.attachment);
  if (Object.keys(attachment).length) body.attachment = attachment;
  if (d.inner_child_note.trim()) body.inner_child_note = d.inner_child_note.trim();
  if (d.note.trim()) body.note = d.note.trim();
  return body;
}

function hasAnswer(body: CheckinCreate): boolean {
  const { client_id: _c, recorded_at: _r, local_date: _l, ...answers } = body;
  return Object.keys(answers).length > 0;
}

type Done = 'sent' | 'pending' | 'held';

export function CheckinFlow() {
  const { session, scales } = useStore();
  const userId = session!.user.id;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [parts, setParts] = useState<Part[]>([]);
  const [partsOffline, setPartsOffline] = useState(false);
  const [done, setDone] = useState<Done | null>(null);
  const [saving, setSaving] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    kvGet(`draft:${userId}`).then((saved) => setDraft((saved as Draft | undefined) ?? newDraft()));
    loadParts()
      .then(({ parts: list, offline }) => {
        setParts(list.filter((p) => !p.archived));
        setPartsOffline(offline);
      })
      .catch(() => setParts([]));
  }, [userId]);

  // Keep the unfinished check-in on the phone, so leaving the app loses nothing.
  useEffect(() => {
    if (draft && !done && (draft.step > 0 || hasAnswer(toBody(draft, MINUTES_FALLBACK)))) void kvSet(`draft:${userId}`, draft);
  }, [draft, done, userId]);

  const step = draft?.step ?? 0;
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
    window.scrollTo(0, 0);
  }, [step, done]);

  const partNames = useMemo(() => Object.fromEntries(parts.map((p) => [p.id, p.name])), [parts]);

  if (!draft) return <p class="hint">Opening your check-in…</p>;

  const update = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const go = (to: number) => update({ step: Math.max(0, Math.min(STEPS.length - 1, to)) });
  const body = toBody(draft, scales?.minutes_to_settle_max ?? MINUTES_FALLBACK);

  async function save() {
    setSaving(true);
    try {
      const outcome = await submitCheckin(body);
      await kvDelete(`draft:${userId}`);
      setDone(outcome);
    } finally {
      setSaving(false);
    }
  }

  if (done) {
    return (
      <section class="checkin done">
        <h1 tabIndex={-1} ref={headingRef} class="screen-title">
          {done === 'sent' ? 'Saved. Thank you.' : done === 'pending' ? 'Kept on this phone' : 'Kept on this phone, with a question'}
        </h1>
        <p class="lede">
          {done === 'sent' && 'Whatever today held, you made room to notice it. That matters.'}
          {done === 'pending' && 'You seem to be offline. Your check-in is safe here and will be sent by itself when the connection is back.'}
          {done === 'held' && 'The server could not take this check-in as it was. Your words are kept: you can read them on Today.'}
        </p>
        <a class="button primary block" href="#/today">
          Back to Today
        </a>
      </section>
    );
  }

  const current = STEPS[step];
  const isReview = current.key === 'review';
  return (
    <section class="checkin">
      <div class="flow-top">
        <p class="progress-label" id="progress-label">
          Step {step + 1} of {STEPS.length}
        </p>
        <progress max={STEPS.length} value={step + 1} aria-labelledby="progress-label" />
        <a class="link" href="#/today">
          Leave for now<span class="sr-only"> (your answers are kept)</span>
        </a>
      </div>
      <h1 tabIndex={-1} ref={headingRef} class="screen-title">
        {current.title}
      </h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (isReview) void save();
          else go(step + 1);
        }}
      >
        <div class="step">
          {current.key === 'feel' && <FeelStep draft={draft} update={update} />}
          {current.key === 'emotions' && <EmotionsStep draft={draft} update={update} suggested={scales?.suggested_emotions ?? []} />}
          {current.key === 'parts' && (
            <PartsStep draft={draft} update={update} parts={parts} offline={partsOffline} onNewPart={(p) => setParts([...parts, p])} />
          )}
          {current.key === 'self' && <SelfStep draft={draft} update={update} cs={scales?.self_energy_cs ?? []} />}
          {current.key === 'moment' && <MomentStep draft={draft} update={update} strategies={scales?.regulation_strategies ?? []} max={scales?.minutes_to_settle_max ?? MINUTES_FALLBACK} />}
          {current.key === 'attachment' && <AttachmentStep draft={draft} update={update} />}
          {current.key === 'notes' && <NotesStep draft={draft} update={update} max={scales?.note_max_chars ?? 5000} />}
          {isReview && (
            <>
              <Summary body={body} partNames={partNames} />
              {!hasAnswer(body) && <p class="callout">Answer at least one question to save a check-in.</p>}
              <div class="jump">
                <p class="hint">Want to change something?</p>
                <div class="chip-row">
                  {STEPS.slice(0, -1).map((s, i) => (
                    <button type="button" class="chip" key={s.key} onClick={() => go(i)}>
                      <span class="sr-only">Change </span>
                      {s.title}
                    </button>
                  ))}
                </div>
              </div>
            </>
          )}
        </div>
        <div class="flow-actions">
          {step > 0 && (
            <button type="button" class="secondary" onClick={() => go(step - 1)}>
              Back
            </button>
          )}
          {!isReview && (
            <button type="button" class="secondary" onClick={() => update({ ...clearStep(current.key), step: step + 1 })}>
              Skip<span class="sr-only"> this step</span>
            </button>
          )}
          <button type="submit" class="primary" disabled={saving || (isReview && !hasAnswer(body))}>
            {isReview ? (saving ? 'Saving…' : 'Save check-in') : 'Next'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Skipping a step leaves its questions unanswered. */
function clearStep(key: (typeof STEPS)[number]['key']): Partial<Draft> {
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
    default:
      return {};
  }
}

interface StepProps {
  draft: Draft;
  update: (patch: Partial<Draft>) => void;
}

function FeelStep({ draft, update }: StepProps) {
  return (
    <>
      <Rating label="Mood" low="very low" high="very good" value={draft.mood} onChange={(mood) => update({ mood })} />
      <Rating label="Energy" low="empty" high="full of energy" value={draft.energy} onChange={(energy) => update({ energy })} />
    </>
  );
}

function EmotionsStep({ draft, update, suggested }: StepProps & { suggested: string[] }) {
  const [own, setOwn] = useState('');
  const names = draft.emotions.map((e) => e.name);
  const toggle = (name: string) =>
    update({
      emotions: names.includes(name) ? draft.emotions.filter((e) => e.name !== name) : [...draft.emotions, { name, intensity: null }],
    });
  const addOwn = () => {
    const name = own.trim();
    if (name && !names.some((n) => n.toLowerCase() === name.toLowerCase())) toggle(name);
    setOwn('');
  };
  const options = [...new Set([...suggested, ...names])].map((v) => ({ value: v, label: v }));
  return (
    <>
      <Chips legend="Tap any that fit" options={options} selected={names} onToggle={toggle} />
      <div class="inline-add">
        <Field label="In your own words" value={own} onInput={setOwn} maxLength={40} />
        <button type="button" class="secondary" onClick={addOwn} disabled={!own.trim()}>
          Add<span class="sr-only"> this feeling</span>
        </button>
      </div>
      {draft.emotions.map((e, i) => (
        <Rating
          key={e.name}
          label={`How strong is ${e.name}?`}
          low="barely there"
          high="very strong"
          value={e.intensity}
          onChange={(intensity) => update({ emotions: draft.emotions.map((x, j) => (i === j ? { ...x, intensity } : x)) })}
        />
      ))}
    </>
  );
}

function PartsStep({ draft, update, parts, offline, onNewPart }: StepProps & { parts: Part[]; offline: boolean; onNewPart: (p: Part) => void }) {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const selected = draft.parts.map((p) => p.part);
  const toggle = (id: string) =>
    update({
      parts: selected.includes(id) ? draft.parts.filter((p) => p.part !== id) : [...draft.parts, { part: id, intensity: null, blended: false }],
    });
  const setOne = (id: string, patch: Partial<Draft['parts'][number]>) =>
    update({ parts: draft.parts.map((p) => (p.part === id ? { ...p, ...patch } : p)) });

  async function addPart() {
    setBusy(true);
    setProblem('');
    try {
      const part = await api.createPart({ name: name.trim() });
      await rememberPart(part);
      onNewPart(part);
      update({ parts: [...draft.parts, { part: part.id, intensity: null, blended: false }] });
      setName('');
    } catch (error) {
      setProblem(
        error instanceof NetworkError
          ? 'Naming a part needs a connection. You could mention it in your note and add it under Parts later.'
          : error instanceof ApiError
            ? error.message
            : 'That did not work. Please try again.',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {parts.length ? (
        <Chips
          legend="Tap the parts you notice today"
          options={parts.map((p) => ({ value: p.id, label: p.name }))}
          selected={selected}
          onToggle={toggle}
          hint={offline ? 'Showing the parts saved on this phone.' : undefined}
        />
      ) : (
        <p class="hint">You have not named any parts yet. You can name one here.</p>
      )}
      {draft.parts.map((p) => {
        const partName = parts.find((x) => x.id === p.part)?.name ?? 'This part';
        return (
          <div class="card part-detail" key={p.part}>
            <h2>{partName}</h2>
            <Rating label={`How present is ${partName}?`} low="in the background" high="very present" value={p.intensity} onChange={(intensity) => setOne(p.part, { intensity })} />
            <Switch label={`I felt blended with ${partName} (it took over)`} checked={p.blended} onChange={(blended) => setOne(p.part, { blended })} />
          </div>
        );
      })}
      <div class="inline-add">
        <Field label="Name a new part" value={name} onInput={setName} maxLength={80} hint="For example: the Worrier, the Busy One." />
        <button type="button" class="secondary" onClick={addPart} disabled={busy || !name.trim()}>
          Add<span class="sr-only"> this part</span>
        </button>
      </div>
      {problem && <p class="error" role="alert">{problem}</p>}
    </>
  );
}

function SelfStep({ draft, update, cs }: StepProps & { cs: string[] }) {
  return (
    <>
      <p class="hint">The 8 Cs of Self. Rate only the ones you want to; all are optional.</p>
      {cs.map((c) => (
        <Rating key={c} label={capitalise(c)} low="none" high="a lot" value={draft.self[c] ?? null} onChange={(v) => update({ self: { ...draft.self, [c]: v } })} />
      ))}
    </>
  );
}

function MomentStep({ draft, update, strategies, max }: StepProps & { strategies: string[]; max: number }) {
  const r = draft.regulation;
  const setR = (patch: Partial<Draft['regulation']>) => update({ regulation: { ...r, ...patch } });
  const minutes = r.minutes.trim();
  const minutesError = minutes && !(/^\d+$/.test(minutes) && Number(minutes) <= max) ? `A whole number of minutes, up to ${max}.` : undefined;
  return (
    <>
      <YesNo legend="Was there a hard moment today?" value={draft.hardMoment} onChange={(hardMoment) => update({ hardMoment })} />
      {draft.hardMoment && (
        <>
          <Rating label="At its strongest, how intense was it?" low="mild" high="overwhelming" value={r.peak_intensity} onChange={(peak_intensity) => setR({ peak_intensity })} />
          <Chips
            legend="What did you do with it?"
            options={strategies.map((s) => ({ value: s, label: strategyLabel(s) }))}
            selected={r.strategies}
            onToggle={(s) => setR({ strategies: r.strategies.includes(s) ? r.strategies.filter((x) => x !== s) : [...r.strategies, s] })}
          />
          <Rating label="How well did it help?" low="not at all" high="completely" value={r.success} onChange={(success) => setR({ success })} />
          <Field label="Minutes until you felt settled" value={r.minutes} onInput={(m) => setR({ minutes: m })} inputMode="numeric" error={minutesError} />
        </>
      )}
    </>
  );
}

function AttachmentStep({ draft, update }: StepProps) {
  const a = draft.attachment;
  const setA = (patch: Partial<Draft['attachment']>) => update({ attachment: { ...a, ...patch } });
  return (
    <>
      <Rating label="Worry about closeness" hint="Fearing someone might leave, or needing reassurance." low="none" high="a lot" value={a.anxiety} onChange={(anxiety) => setA({ anxiety })} />
      <Rating label="Pulling away" hint="Wanting distance, keeping to yourself." low="none" high="a lot" value={a.avoidance} onChange={(avoidance) => setA({ avoidance })} />
      <YesNo legend="Did you reach out to someone?" value={a.reached_out} onChange={(reached_out) => setA({ reached_out })} />
      <YesNo legend="Did you feel supported?" value={a.felt_supported} onChange={(felt_supported) => setA({ felt_supported })} />
    </>
  );
}

function NotesStep({ draft, update, max }: StepProps & { max: number }) {
  return (
    <>
      <Field
        label="A note from or to your inner child"
        hint="What did the younger you feel or need today?"
        value={draft.inner_child_note}
        onInput={(inner_child_note) => update({ inner_child_note })}
        multiline
        maxLength={max}
      />
      <Field label="Anything else you want to remember" value={draft.note} onInput={(note) => update({ note })} multiline maxLength={max} />
    </>
  );
}

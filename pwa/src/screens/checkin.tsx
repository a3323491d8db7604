/**
 * The check-in: a short guided flow through the steps this person chose (settings); every step
 * but the review can be skipped. The same flow fills in a past day, and changes a check-in
 * already made (from the journal, or "add more" after a quick mood on Today).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, NetworkError, problemText } from '../api';
import { Chips, Field, Rating, Switch, YesNo } from '../components/controls';
import { Summary } from '../components/summary';
import { kvDelete, kvGet, kvSet } from '../db';
import {
  answeredSteps,
  answersOf,
  bodyForDay,
  bodyForNow,
  clearStep,
  draftOf,
  hasAnswer,
  MINUTES_FALLBACK,
  newDraft,
  stepsFor,
  validMinutes,
  type Draft,
} from '../draft';
import { cachedJournal, loadJournal, saveEntry, type JournalEntry } from '../journal';
import { capitalise, formatDay, localDate, strategyLabel } from '../labels';
import { loadParts, rememberPart } from '../session';
import { useStore } from '../store';
import { submitCheckin, type Submitted } from '../sync';
import type { CheckinCreate, Part } from '../types';

/** Today's check-in, a past day filled in later, or a change to a check-in already made. */
export type FlowMode = { kind: 'today' } | { kind: 'day'; date: string } | { kind: 'edit'; clientId: string };

function draftKey(userId: string, mode: FlowMode): `draft:${string}` {
  if (mode.kind === 'day') return `draft:${userId}:day:${mode.date}`;
  if (mode.kind === 'edit') return `draft:${userId}:${mode.clientId}`;
  return `draft:${userId}`;
}

/** Where "back" leads: Today, or the journal entry being changed. */
function backTo(mode: FlowMode): { href: string; label: string } {
  if (mode.kind === 'edit') return { href: `#/journal/${encodeURIComponent(mode.clientId)}`, label: 'Back to this check-in' };
  if (mode.kind === 'day') return { href: '#/journal', label: 'Back to your journal' };
  return { href: '#/today', label: 'Back to Today' };
}

const REVIEW = { key: 'review', title: 'Look it over' } as const;

const DONE_WORDS: Record<Submitted, [string, string]> = {
  sent: ['Saved. Thank you.', 'Whatever the day held, you made room to notice it. That matters.'],
  offline: ['Kept on this phone', 'You seem to be offline. Your check-in is safe here and is sent by itself when the connection is back.'],
  server: [
    'Kept on this phone',
    'Partwise’s server could not take it just now. Your check-in is safe here and is sent by itself in a little while.',
  ],
  waiting: ['Kept on this phone', 'Your check-in is safe here and is sent the next time Partwise can reach its server.'],
  held: ['Kept on this phone, with a question', 'The server could not take this check-in as it was. Your words are kept: you can read them in your journal.'],
};

export function CheckinFlow({ mode }: { mode: FlowMode }) {
  const { session, scales } = useStore();
  const userId = session!.user.id;
  const key = draftKey(userId, mode);
  const [draft, setDraft] = useState<Draft | null>(null);
  /** When changing a check-in: the entry as it was. */
  const [entry, setEntry] = useState<JournalEntry | null>(null);
  const [missing, setMissing] = useState(false);
  const [parts, setParts] = useState<Part[]>([]);
  const [partsOffline, setPartsOffline] = useState(false);
  const [done, setDone] = useState<Submitted | null>(null);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    let live = true;
    (async () => {
      const saved = (await kvGet(key)) as Draft | undefined;
      if (mode.kind !== 'edit') {
        if (live) setDraft(saved ?? newDraft());
        return;
      }
      const find = (entries: JournalEntry[]) => entries.find((e) => e.client_id === mode.clientId);
      const found = find((await cachedJournal()).entries) ?? find((await loadJournal()).entries);
      if (!live) return;
      if (!found) return setMissing(true);
      setEntry(found);
      setDraft(saved ?? draftOf(found.body));
    })().catch(() => live && setMissing(true));
    loadParts(true)
      .then(({ parts: list, offline }) => {
        if (!live) return;
        setParts(list);
        setPartsOffline(offline);
      })
      .catch(() => setParts([]));
    return () => {
      live = false;
    };
  }, [key]);

  const maxMinutes = scales?.minutes_to_settle_max ?? MINUTES_FALLBACK;
  const answers = draft ? answersOf(draft, maxMinutes) : {};
  // Keep the unfinished check-in on the phone, so leaving the app loses nothing.
  useEffect(() => {
    if (draft && !done && (draft.step > 0 || hasAnswer(answers) || mode.kind === 'edit')) void kvSet(key, draft);
  }, [draft, done, key]);

  // When changing a check-in, the steps it has answers for stay, even if left out since.
  const also = useMemo(() => (entry ? answeredSteps(draftOf(entry.body)) : []), [entry]);
  const chosen = session!.user.checkin_steps;
  const steps = useMemo(() => [...stepsFor(chosen, also), REVIEW], [chosen, also]);
  const step = Math.min(draft?.step ?? 0, steps.length - 1);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
    window.scrollTo(0, 0);
  }, [step, done]);

  // Archived parts still name what an older check-in held; only active ones are offered.
  const partNames = useMemo(() => Object.fromEntries(parts.map((p) => [p.id, p.name])), [parts]);
  const back = backTo(mode);

  if (missing) {
    return (
      <section class="checkin">
        <h1 tabIndex={-1} class="screen-title">
          This check-in is not here
        </h1>
        <p class="lede">It may have been deleted, or it is not on this phone and there is no connection to fetch it.</p>
        <a class="button secondary block" href="#/journal">
          Go to your journal
        </a>
      </section>
    );
  }
  if (!draft) return <p class="hint">Opening your check-in…</p>;

  const update = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const go = (to: number) => update({ step: Math.max(0, Math.min(steps.length - 1, to)) });
  const day = mode.kind === 'day' ? mode.date : mode.kind === 'edit' && entry ? entry.body.local_date : localDate();
  const isToday = day === localDate();

  function body(): CheckinCreate {
    if (mode.kind === 'edit' && entry) {
      const { client_id, recorded_at, local_date } = entry.body;
      return { client_id, local_date, ...(recorded_at ? { recorded_at } : {}), ...answers };
    }
    return mode.kind === 'day' && !isToday ? bodyForDay(draft!, answers, mode.date) : bodyForNow(draft!, answers);
  }

  async function save() {
    setSaving(true);
    setProblem('');
    try {
      const outcome = mode.kind === 'edit' && entry ? await saveEntry(entry, body()) : await submitCheckin(body());
      await kvDelete(key);
      setDone(outcome);
    } catch (error) {
      // Only a change to a check-in the server holds can fail here; the answers stay in the draft.
      setProblem(
        problemText(error, {
          offline: 'Changing a saved check-in needs a connection. Your changes are kept here: save again when you are back online.',
        }),
      );
    } finally {
      setSaving(false);
    }
  }

  if (done) {
    const [title, words] = mode.kind === 'edit' && done === 'sent' ? ['Your changes are saved.', 'Thank you for coming back to it.'] : DONE_WORDS[done];
    return (
      <section class="checkin done">
        <h1 tabIndex={-1} ref={headingRef} class="screen-title">
          {title}
        </h1>
        <p class="lede">{words}</p>
        <a class="button primary block" href={back.href}>
          {back.label}
        </a>
        {mode.kind === 'today' && (
          <a class="button secondary block" href="#/journal">
            See your journal
          </a>
        )}
      </section>
    );
  }

  const current = steps[step];
  const isReview = current.key === 'review';
  const when = isToday ? 'today' : 'that day';
  return (
    <section class="checkin">
      <div class="flow-top">
        <p class="progress-label" id="progress-label">
          {mode.kind === 'edit' ? 'Changing' : isToday ? 'Step' : `${formatDay(day)} ·`} {step + 1} of {steps.length}
        </p>
        <progress max={steps.length} value={step + 1} aria-labelledby="progress-label" />
        <a class="link" href={back.href}>
          Leave for now<span class="sr-only"> (your answers are kept)</span>
        </a>
      </div>
      {!isToday && <p class="hint day-note">For {formatDay(day)}</p>}
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
            <PartsStep
              draft={draft}
              update={update}
              parts={parts.filter((p) => !p.archived || draft.parts.some((d) => d.part === p.id))}
              offline={partsOffline}
              onNewPart={(p) => setParts([...parts, p])}
            />
          )}
          {current.key === 'self' && <SelfStep draft={draft} update={update} cs={scales?.self_energy_cs ?? []} />}
          {current.key === 'moment' && <MomentStep draft={draft} update={update} strategies={scales?.regulation_strategies ?? []} max={maxMinutes} when={when} />}
          {current.key === 'attachment' && <AttachmentStep draft={draft} update={update} />}
          {current.key === 'notes' && <NotesStep draft={draft} update={update} max={scales?.note_max_chars ?? 5000} />}
          {isReview && (
            <>
              <Summary body={body()} partNames={partNames} />
              {!hasAnswer(answers) && <p class="callout">Answer at least one question to save a check-in.</p>}
              {problem && (
                <p class="error" role="alert">
                  {problem}
                </p>
              )}
              <div class="jump">
                <p class="hint">Want to change something?</p>
                <div class="chip-row">
                  {steps.slice(0, -1).map((s, i) => (
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
          {!isReview && mode.kind === 'edit' && (
            // Changing a check-in: skipping would clear what is there; go straight to saving instead.
            <button type="button" class="secondary" onClick={() => go(steps.length - 1)}>
              Look it over
            </button>
          )}
          {!isReview && mode.kind !== 'edit' && (
            <button type="button" class="secondary" onClick={() => update({ ...clearStep(current.key), step: step + 1 })}>
              Skip<span class="sr-only"> this step</span>
            </button>
          )}
          <button type="submit" class="primary" disabled={saving || (isReview && !hasAnswer(answers))}>
            {isReview ? (saving ? 'Saving…' : mode.kind === 'edit' ? 'Save changes' : 'Save check-in') : 'Next'}
          </button>
        </div>
      </form>
    </section>
  );
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
            <Switch label={`I felt blended with ${partName} (it took over)`} checked={Boolean(p.blended)} onChange={(blended) => setOne(p.part, { blended })} />
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

function MomentStep({ draft, update, strategies, max, when }: StepProps & { strategies: string[]; max: number; when: string }) {
  const r = draft.regulation;
  const setR = (patch: Partial<Draft['regulation']>) => update({ regulation: { ...r, ...patch } });
  const minutes = r.minutes.trim();
  const minutesError = minutes && !validMinutes(minutes, max) ? `A whole number of minutes, up to ${max}.` : undefined;
  return (
    <>
      <YesNo legend={`Was there a hard moment ${when}?`} value={draft.hardMoment} onChange={(hardMoment) => update({ hardMoment })} />
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

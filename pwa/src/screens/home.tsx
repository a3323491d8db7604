/**
 * Today: a mood in two taps (rate, save), the last seven days at a glance, the last note's first
 * words, what is waiting on this phone, and one suggestion of what to do next. No streaks, no
 * counting of missed days: a day without a check-in is simply open.
 */
import { useEffect, useState } from 'preact/hooks';
import { ScreenTitle, Rating } from '../components/controls';
import { Summary } from '../components/summary';
import { kvDelete, kvGet, type HeldEntry } from '../db';
import { firstWords, moodByDay, useJournal, type JournalEntry } from '../journal';
import { daysBefore, formatClock, formatDay, localDate } from '../labels';
import { dismissHeld } from '../queue';
import { flush, submitCheckin, type Submitted } from '../sync';
import { notify, useStore } from '../store';

function heldMessage(entry: HeldEntry): string {
  if (entry.status === 409) {
    return 'This check-in was already saved once with different answers, so this copy was not saved again. Your words are still here.';
  }
  const fields = Object.keys(entry.errors ?? {}).join(', ');
  return `Some answers could not be accepted${fields ? ` (${fields})` : ''}. Your words are still here, so nothing is lost.`;
}

const entryHref = (e: JournalEntry) => `#/journal/${encodeURIComponent(e.client_id)}`;
const editHref = (e: JournalEntry) => `#/journal/${encodeURIComponent(e.client_id)}/edit`;

const QUICK_SAVED: Record<Submitted, string> = {
  sent: 'Saved.',
  offline: 'Kept on this phone: you seem to be offline. It is sent by itself when the connection is back.',
  server: 'Kept on this phone: Partwise’s server could not take it just now. It is sent by itself in a little while.',
  waiting: 'Kept on this phone. It is sent the next time Partwise can reach its server.',
  held: 'Kept on this phone, but the server could not take it as it was: see “Needs a look” below.',
};

export function Home() {
  const { session, pending, held, online } = useStore();
  const { journal } = useJournal();
  const [hasDraft, setHasDraft] = useState<boolean | null>(null);
  const [sending, setSending] = useState(false);
  const today = localDate();
  const userId = session!.user.id;

  useEffect(() => {
    let live = true;
    kvGet(`draft:${userId}`).then((draft) => live && setHasDraft(Boolean(draft)));
    return () => {
      live = false;
    };
  }, [userId]);

  async function sendNow() {
    setSending(true);
    try {
      await flush();
    } finally {
      setSending(false);
    }
  }

  async function discardDraft() {
    await kvDelete(`draft:${userId}`);
    setHasDraft(false);
  }

  const entries = journal?.entries ?? [];
  const todays = entries.filter((e) => e.body.local_date === today);
  const name = session!.user.display_name;
  // The screen is drawn once what it shows is known (this phone's copy comes in milliseconds),
  // so that nothing jumps when it arrives.
  if (journal === null || hasDraft === null) {
    return (
      <section>
        <ScreenTitle>{name ? `Hello, ${name}` : 'Hello'}</ScreenTitle>
        <p class="lede">{formatDay(today)}</p>
        <p class="hint">Opening your journal…</p>
      </section>
    );
  }
  return (
    <section>
      <ScreenTitle>{name ? `Hello, ${name}` : 'Hello'}</ScreenTitle>
      <p class="lede">{formatDay(today)}</p>

      <TodayCard todays={todays} hasDraft={hasDraft} onDiscardDraft={discardDraft} />

      {!online && <p class="callout">You are offline. Everything you write is kept on this phone.</p>}

      <WeekGlance entries={entries} today={today} />
      <NextStep entries={entries} todays={todays} />

      {pending.length > 0 && (
        <div class="card" aria-labelledby="pending-title">
          <h2 id="pending-title">Waiting to be sent ({pending.length})</h2>
          <p class="hint">Kept safely on this phone. They are sent by themselves when Partwise can reach its server.</p>
          <ul class="plain">
            {pending.map((p) => (
              <li key={p.client_id} class="pending-item">
                <span class="badge">Waiting</span> Check-in for {formatDay(p.body.local_date)}
                {p.body.recorded_at ? `, ${formatClock(p.body.recorded_at)}` : ''}
              </li>
            ))}
          </ul>
          <button type="button" class="secondary block" onClick={sendNow} disabled={sending}>
            {sending ? 'Sending…' : 'Try sending now'}
          </button>
        </div>
      )}

      {held.length > 0 && (
        <div class="card" aria-labelledby="held-title">
          <h2 id="held-title">Needs a look ({held.length})</h2>
          {held.map((h) => (
            <div key={h.client_id} class="held-item">
              <p>
                <strong>Check-in for {formatDay(h.body.local_date)}.</strong> {heldMessage(h)}
              </p>
              <details>
                <summary>Show what you wrote</summary>
                <Summary body={h.body} />
              </details>
              <button type="button" class="link" onClick={() => dismissHeld(h.client_id)}>
                Remove this copy from the phone
              </button>
            </div>
          ))}
        </div>
      )}
      <nav class="card links" aria-label="More for today">
        <ul class="plain">
          <li>
            <a href="#/digests/current">This week so far</a>
          </li>
          <li>
            <a href="#/questionnaires">Questionnaires</a>
          </li>
          <li>
            <a href="#/support">Need to talk to someone now?</a>
          </li>
        </ul>
      </nav>
    </section>
  );
}

/** The quick mood: tap the scale, tap save. Then "add more" leads into the full flow for it. */
function TodayCard({ todays, hasDraft, onDiscardDraft }: { todays: JournalEntry[]; hasDraft: boolean; onDiscardDraft: () => void }) {
  const [mood, setMood] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<{ clientId: string; mood: number; outcome: Submitted } | null>(null);
  const latest = todays[0];

  async function save() {
    if (mood === null) return;
    setSaving(true);
    try {
      const now = new Date();
      const body = { client_id: crypto.randomUUID(), recorded_at: now.toISOString(), local_date: localDate(now), mood };
      const outcome = await submitCheckin(body);
      setSaved({ clientId: body.client_id, mood, outcome });
      setMood(null);
      notify(outcome === 'sent' ? `Mood ${mood} saved.` : `Mood ${mood} kept on this phone.`);
    } finally {
      setSaving(false);
    }
  }

  if (saved) {
    return (
      <div class="card today" aria-labelledby="today-title">
        <h2 id="today-title">Today</h2>
        <p class="today-status">
          <strong>Mood {saved.mood} of 10.</strong> {QUICK_SAVED[saved.outcome]}
        </p>
        <a class="button primary block" href={`#/journal/${encodeURIComponent(saved.clientId)}/edit`}>
          Add more<span class="sr-only"> to this check-in</span>
        </a>
        <button type="button" class="link" onClick={() => setSaved(null)}>
          Rate your mood again
        </button>
      </div>
    );
  }

  return (
    <div class="card today" aria-labelledby="today-title">
      <h2 id="today-title">Today</h2>
      {latest ? (
        <p class="today-status">
          You checked in today{latest.body.recorded_at && localDate(new Date(latest.body.recorded_at)) === latest.body.local_date ? ` at ${formatClock(latest.body.recorded_at)}` : ''}
          {latest.body.mood != null ? ` (mood ${latest.body.mood})` : ''}. Thank you for making the time.
        </p>
      ) : (
        <p class="today-status">No check-in yet today. How is your mood right now? Rate it and save it: that is a check-in.</p>
      )}
      <form
        class="quick-mood"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Rating label={latest ? 'Your mood now' : 'Mood'} low="very low" high="very good" value={mood} onChange={setMood} optional={false} />
        <button type="submit" class="primary block" disabled={mood === null || saving}>
          {saving ? 'Saving…' : mood === null ? 'Rate your mood to save it' : `Save mood ${mood}`}
        </button>
      </form>
      <div class="actions">
        {latest && (
          <a class="button secondary" href={editHref(latest)}>
            Add more to today’s
          </a>
        )}
        <a class="button secondary" href="#/checkin">
          {hasDraft ? 'Continue your check-in' : 'Full check-in'}
        </a>
      </div>
      {hasDraft && (
        <button type="button" class="link" onClick={onDiscardDraft}>
          Discard the unfinished check-in
        </button>
      )}
    </div>
  );
}

/** Seven days ending today: a dot per day with its mood; an open day can be filled in. */
function WeekGlance({ entries, today }: { entries: JournalEntry[]; today: string }) {
  const moods = moodByDay(entries);
  const days = Array.from({ length: 7 }, (_, i) => daysBefore(today, 6 - i));
  const latestOn = (day: string) => entries.find((e) => e.body.local_date === day);
  const withCheckin = days.filter((d) => moods.has(d)).length;
  return (
    <div class="card" aria-labelledby="week-title">
      <h2 id="week-title">Your last seven days</h2>
      <ol class="week-dots">
        {days.map((day) => {
          const entry = latestOn(day);
          const mood = moods.get(day);
          const weekday = new Date(`${day}T12:00:00`).toLocaleDateString(undefined, { weekday: 'short' });
          const label = entry ? (mood != null ? `mood ${mood}` : 'a check-in without a mood') : day === today ? 'no check-in yet' : 'open: fill it in';
          return (
            <li key={day}>
              {/* The link's visible text (the mood) is part of its name; the weekday is shown below it. */}
              <a
                href={entry ? entryHref(entry) : day === today ? '#/checkin' : `#/checkin/${day}`}
                aria-label={`${formatDay(day)}: ${label}`}
                class={`dot${entry ? ' filled' : ''}`}
                style={mood != null ? { '--mood': String(mood) } : undefined}
              >
                {mood != null ? (
                  String(mood) // the day's mean, one decimal when more than one check-in
                ) : entry ? (
                  <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d="M5 12.5l4.5 4.5L19 7.5" />
                  </svg>
                ) : null}
              </a>
              <span class="dow" aria-hidden="true">
                {weekday}
              </span>
            </li>
          );
        })}
      </ol>
      <p class="hint">
        {withCheckin === 0
          ? 'Nothing written these seven days, and that is okay. Tap an open day to fill it in.'
          : `Check-ins on ${withCheckin} of these days. Tap a day to read it, or an open one to fill it in.`}
      </p>
    </div>
  );
}

/** The last note's first words, and one suggestion of what to do next. */
function NextStep({ entries, todays }: { entries: JournalEntry[]; todays: JournalEntry[] }) {
  const withNote = entries.find((e) => e.body.note || e.body.inner_child_note);
  const noteToday = todays.some((e) => e.body.note || e.body.inner_child_note);
  let next: { href: string; text: string } | null = null;
  if (todays.length && !noteToday) next = { href: editHref(todays[0]), text: 'Add a few words about today' };
  else if (todays.length) next = { href: '#/digests/current', text: 'Read how this week is going' };
  return (
    <>
      {withNote && (
        <div class="card last-note" aria-labelledby="last-note-title">
          <h2 id="last-note-title">Your last note</h2>
          <p class="hint">{formatDay(withNote.body.local_date)}</p>
          <blockquote>{firstWords(withNote.body.note || withNote.body.inner_child_note || '')}</blockquote>
          <a class="standalone" href={entryHref(withNote)}>
            Read it in your journal
          </a>
        </div>
      )}
      {next && (
        <p class="next">
          <span class="next-label">Next: </span>
          <a class="standalone" href={next.href}>
            {next.text}
          </a>
        </p>
      )}
    </>
  );
}

/**
 * The journal: every check-in, newest first, readable offline (what is on this phone); open one
 * to read it whole, change it or delete it; fill in a day that was missed.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { problemText } from '../api';
import { ScreenTitle } from '../components/controls';
import { Summary } from '../components/summary';
import { deleteEntry, firstWords, useJournal, type JournalEntry } from '../journal';
import { daysBefore, formatClock, formatDay, localDate } from '../labels';
import { dismissHeld } from '../queue';
import { navigate } from '../router';
import { loadParts } from '../session';
import { notify, useStore } from '../store';

/** When a check-in was written on its own day, the time; otherwise when it was filled in. */
function written(b: JournalEntry['body']): string {
  if (!b.recorded_at) return 'Filled in later';
  const on = localDate(new Date(b.recorded_at));
  return on === b.local_date ? `Written at ${formatClock(b.recorded_at)}` : `Filled in on ${formatDay(on)}`;
}

const STATE_BADGE = { saved: null, pending: 'Waiting to be sent', held: 'Needs a look' } as const;

/** Part ids to names, archived parts included (an old check-in may name one). */
function usePartNames(): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    loadParts(true)
      .then(({ parts }) => setNames(Object.fromEntries(parts.map((p) => [p.id, p.name]))))
      .catch(() => undefined);
  }, []);
  return names;
}

export function JournalList() {
  const [pages, setPages] = useState(1);
  const { journal, error } = useJournal(pages);
  const names = usePartNames();
  const entries = journal?.entries ?? [];
  return (
    <section>
      <ScreenTitle>Journal</ScreenTitle>
      <p class="lede">Your check-ins, newest first. Open one to read it, change it or delete it.</p>
      <FillInDay />
      {journal?.offline && <p class="callout">You are offline: this is what is kept on this phone.</p>}
      {error && !journal ? <p class="callout">{problemText(error)}</p> : null}
      {!journal && !error && <p class="hint">Opening your journal…</p>}
      {journal && entries.length === 0 && <p class="hint">Nothing here yet. Each check-in you make appears here.</p>}
      <ol class="plain journal">
        {entries.map((e) => (
          <li key={e.client_id}>
            <EntryCard entry={e} names={names} />
          </li>
        ))}
      </ol>
      {journal?.more && !journal.offline && (
        <button type="button" class="secondary block" onClick={() => setPages(pages + 1)}>
          Show older check-ins
        </button>
      )}
    </section>
  );
}

function EntryCard({ entry, names }: { entry: JournalEntry; names: Record<string, string> }) {
  const b = entry.body;
  const parts = (b.parts ?? []).map((p) => names[p.part]).filter(Boolean);
  const note = b.note || b.inner_child_note;
  const badge = STATE_BADGE[entry.state];
  return (
    <a class="card entry-link" href={`#/journal/${encodeURIComponent(entry.client_id)}`}>
      <span class="entry-head">
        <strong>{formatDay(b.local_date)}</strong>
        {b.recorded_at && localDate(new Date(b.recorded_at)) === b.local_date && <span class="hint"> · {formatClock(b.recorded_at)}</span>}
        {b.mood != null && <span class="mood-badge">Mood {b.mood}</span>}
      </span>
      {badge && <span class="badge">{badge}</span>}
      {parts.length > 0 && <span class="entry-parts">{parts.join(', ')}</span>}
      {note ? <span class="excerpt">{firstWords(note, 120)}</span> : null}
    </a>
  );
}

/** A day that was missed: choose it, then the check-in is for that day. */
function FillInDay() {
  const today = localDate();
  const [day, setDay] = useState(daysBefore(today, 1));
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(day) && day <= today;
  return (
    <form
      class="card fill-in"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) navigate(day === today ? '/checkin' : `/checkin/${day}`);
      }}
    >
      <h2>Fill in a day</h2>
      <div class="field">
        <label for="fill-day">Which day?</label>
        <input id="fill-day" type="date" value={day} max={today} onInput={(e) => setDay((e.target as HTMLInputElement).value)} />
      </div>
      <button type="submit" class="secondary block" disabled={!valid}>
        Write for {valid ? formatDay(day) : 'this day'}
      </button>
    </form>
  );
}

export function JournalEntryView({ clientId }: { clientId: string }) {
  const { journal, error } = useJournal();
  const { online } = useStore();
  const names = usePartNames();
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const entry = useMemo(() => journal?.entries.find((e) => e.client_id === clientId), [journal, clientId]);

  async function remove() {
    if (!entry) return;
    setBusy(true);
    setProblem('');
    try {
      if (entry.state === 'held') await dismissHeld(entry.client_id);
      else await deleteEntry(entry);
      notify('The check-in is deleted.');
      navigate('/journal', true);
    } catch (err) {
      setProblem(problemText(err, { offline: 'Deleting a saved check-in needs a connection. Please try again when you are back online.' }));
    } finally {
      setBusy(false);
    }
  }

  if (!entry) {
    return (
      <section>
        <ScreenTitle>Check-in</ScreenTitle>
        {journal || error ? (
          <p class="callout">This check-in is not here: it may have been deleted, or it is not on this phone.</p>
        ) : (
          <p class="hint">Opening…</p>
        )}
        <a class="standalone" href="#/journal">
          Back to your journal
        </a>
      </section>
    );
  }

  const b = entry.body;
  return (
    <section>
      <ScreenTitle>{formatDay(b.local_date)}</ScreenTitle>
      <p class="lede">
        {written(b)}
        {entry.state === 'pending' && ' · waiting to be sent'}
      </p>
      {entry.state === 'held' && <p class="callout">The server could not take this check-in as it was. Your words are kept here on this phone.</p>}
      <div class="card">
        <Summary body={b} partNames={names} />
      </div>
      {confirm ? (
        <div class="card confirm" role="group" aria-labelledby="confirm-delete">
          <p id="confirm-delete">
            <strong>Delete this check-in for good?</strong> It cannot be brought back.
          </p>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setConfirm(false)}>
              Keep it
            </button>
            <button type="button" class="primary danger" disabled={busy} onClick={remove}>
              {busy ? 'Deleting…' : 'Delete'}
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          {entry.state !== 'held' && (
            <a class="button primary" href={`#/journal/${encodeURIComponent(entry.client_id)}/edit`}>
              Change it
            </a>
          )}
          <button type="button" class="secondary" onClick={() => setConfirm(true)}>
            Delete<span class="sr-only"> this check-in</span>
          </button>
        </div>
      )}
      {!online && entry.state === 'saved' && <p class="hint">Changing or deleting a saved check-in needs a connection.</p>}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <p>
        <a class="standalone" href="#/journal">
          Back to your journal
        </a>
      </p>
    </section>
  );
}

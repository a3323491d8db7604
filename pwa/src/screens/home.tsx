/** Today: whether today's check-in is done, what is waiting on this phone, and the way in. */
import { useEffect, useState } from 'preact/hooks';
import { api, NetworkError } from '../api';
import { ScreenTitle } from '../components/controls';
import { Summary } from '../components/summary';
import { kvDelete, kvGet, type HeldEntry } from '../db';
import { formatDay, formatTime, localDate } from '../labels';
import { dismissHeld } from '../queue';
import { flush } from '../sync';
import { useStore } from '../store';

type TodayStatus = 'loading' | 'done' | 'not-yet' | 'unknown';

function heldMessage(entry: HeldEntry): string {
  if (entry.status === 409) {
    return 'This check-in was already saved once with different answers, so this copy was not saved again. Your words are still here.';
  }
  const fields = Object.keys(entry.errors ?? {}).join(', ');
  return `Some answers could not be accepted${fields ? ` (${fields})` : ''}. Your words are still here, so nothing is lost.`;
}

export function Home() {
  const { session, pending, held, online } = useStore();
  const [status, setStatus] = useState<TodayStatus>('loading');
  const [hasDraft, setHasDraft] = useState(false);
  const [sending, setSending] = useState(false);
  const today = localDate();
  const userId = session!.user.id;
  const pendingToday = pending.some((p) => p.body.local_date === today);

  useEffect(() => {
    let live = true;
    api
      .checkinsOn(today)
      .then((list) => live && setStatus(list.length ? 'done' : 'not-yet'))
      .catch((error) => live && setStatus(error instanceof NetworkError ? 'unknown' : 'not-yet'));
    kvGet(`draft:${userId}`).then((draft) => live && setHasDraft(Boolean(draft)));
    return () => {
      live = false;
    };
  }, [today, userId, pending.length]);

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

  const name = session!.user.display_name;
  const done = status === 'done' || pendingToday;
  return (
    <section>
      <ScreenTitle>{name ? `Hello, ${name}` : 'Hello'}</ScreenTitle>
      <p class="lede">{formatDay(today)}</p>

      <div class="card today" aria-busy={status === 'loading'}>
        <h2>Today</h2>
        <p class="today-status">
          {status === 'loading' && !pendingToday && 'Looking for today’s check-in…'}
          {status === 'done' && 'You checked in today. Thank you for making the time.'}
          {status !== 'done' && pendingToday && 'Today’s check-in is kept on this phone and will be sent soon.'}
          {status === 'not-yet' && !pendingToday && 'No check-in yet today. It takes about two minutes.'}
          {status === 'unknown' && !pendingToday && 'You are offline. A check-in made now stays on this phone until it can be sent.'}
        </p>
        <a class={`button block ${done ? 'secondary' : 'primary'}`} href="#/checkin">
          {hasDraft ? 'Continue your check-in' : done ? 'Check in again' : 'Start today’s check-in'}
        </a>
        {hasDraft && (
          <button type="button" class="link" onClick={discardDraft}>
            Discard the unfinished check-in
          </button>
        )}
      </div>

      {!online && <p class="callout">You are offline. Everything you write is kept on this phone.</p>}

      {pending.length > 0 && (
        <div class="card" aria-labelledby="pending-title">
          <h2 id="pending-title">Waiting to be sent ({pending.length})</h2>
          <p class="hint">Kept safely on this phone. They are sent by themselves when the connection is back.</p>
          <ul class="plain">
            {pending.map((p) => (
              <li key={p.client_id} class="pending-item">
                <span class="badge">Pending</span> Check-in from {formatTime(p.body.recorded_at)}
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
                <strong>Check-in from {formatTime(h.body.recorded_at)}.</strong> {heldMessage(h)}
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

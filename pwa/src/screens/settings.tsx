/**
 * Me: display name, time zone, the daily reminder and the weekly reflection, notifications on
 * this phone, the way to sharing, questionnaires and my data; log out.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, fieldError, NetworkError, problemText } from '../api';
import { Field, NewPasswordField, ScreenTitle, Switch } from '../components/controls';
import { kvSet } from '../db';
import { ALL_STEP_KEYS, STEPS } from '../draft';
import { WEEKDAYS } from '../labels';
import { disablePush, enablePush, pushState, type PushState } from '../push';
import { endSession, logout } from '../session';
import { getState, notify, setState, useStore } from '../store';
import type { DigestPrefs, StepKey, User } from '../types';

const deviceZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function zones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  const list = intl.supportedValuesOf?.('timeZone') ?? [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

export function Settings() {
  const { session, pending, scales } = useStore();
  const [user, setUser] = useState<User>(session!.user);
  const [name, setName] = useState(user.display_name);
  const [zone, setZone] = useState(user.timezone);
  const [enabled, setEnabled] = useState(user.reminders?.enabled ?? false);
  const [time, setTime] = useState(user.reminders?.local_time ?? '20:00');
  const [days, setDays] = useState<number[]>(user.reminders?.weekdays ?? [1, 2, 3, 4, 5, 6, 7]);
  const [digest, setDigest] = useState<DigestPrefs>(user.digest ?? {});
  const [steps, setSteps] = useState<StepKey[]>(user.checkin_steps ?? ALL_STEP_KEYS);
  const [push, setPush] = useState<PushState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirmLogout, setConfirmLogout] = useState(false);
  const zoneList = useMemo(zones, []);

  const edited = useRef(false);
  useEffect(() => {
    api
      .me()
      .then((fresh) => {
        if (edited.current) return; // never overwrite what the user has started to change

        setUser(fresh);
        setName(fresh.display_name);
        setZone(fresh.timezone);
        setEnabled(fresh.reminders?.enabled ?? false);
        setTime(fresh.reminders?.local_time ?? '20:00');
        setDays(fresh.reminders?.weekdays ?? [1, 2, 3, 4, 5, 6, 7]);
        setDigest(fresh.digest ?? {});
        setSteps(fresh.checkin_steps ?? ALL_STEP_KEYS);
      })
      .catch(() => {}); // offline: the copy from login is shown
  }, []);

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const fresh = await api.updateMe({
        display_name: name.trim(),
        timezone: zone.trim(),
        reminders: { enabled, local_time: time, weekdays: [...days].sort() },
        ...(user.role === 'client' ? { digest, checkin_steps: steps } : {}),
      });
      setUser(fresh);
      const current = getState().session;
      if (current) {
        const session = { ...current, user: fresh };
        await kvSet('session', session);
        setState({ session });
      }
      notify('Your settings are saved.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const toggleDay = (iso: number) => setDays(days.includes(iso) ? days.filter((d) => d !== iso) : [...days, iso]);
  const reminderError = fieldError(error, 'reminders');
  return (
    <section>
      <ScreenTitle>Me</ScreenTitle>
      <p class="lede">
        Signed in as <strong>{user.email}</strong>
        {user.role === 'therapist' ? ' (therapist)' : ''}.
      </p>
      <form onSubmit={save} onInput={() => (edited.current = true)} onChange={() => (edited.current = true)}>
        <Field label="Display name" value={name} onInput={setName} maxLength={80} autocomplete="nickname" error={fieldError(error, 'display_name')} />
        <Field
          label="Time zone"
          value={zone}
          onInput={setZone}
          list="zone-list"
          required
          hint="Start typing a city, e.g. Berlin. Days and reminders follow this zone."
          error={fieldError(error, 'timezone')}
        />
        <datalist id="zone-list">
          {zoneList.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        {zone !== deviceZone() && (
          <button type="button" class="link" onClick={() => setZone(deviceZone())}>
            Use this phone’s time zone ({deviceZone()})
          </button>
        )}
        {user.role === 'client' && (
          <fieldset class="group">
            <legend>Daily reminder</legend>
            <Switch label="Remind me to check in" checked={enabled} onChange={setEnabled} />
            {enabled && push !== null && push !== 'on' && (
              <p class="callout">
                {push === 'off'
                  ? 'This phone does not receive them yet: turn on notifications below.'
                  : 'This phone cannot receive them: see “Notifications on this phone” below.'}
              </p>
            )}
            <Field label="Remind me at" type="time" value={time} onInput={setTime} required hint="In your time zone." />
            <fieldset class="weekdays">
              <legend>On these days</legend>
              <div class="chip-row">
                {WEEKDAYS.map((d) => (
                  <label class="day" key={d.iso}>
                    <input type="checkbox" checked={days.includes(d.iso)} onChange={() => toggleDay(d.iso)} />
                    <span aria-hidden="true">{d.short}</span>
                    <span class="sr-only">{d.long}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            {reminderError && <p class="error">{reminderError}</p>}
          </fieldset>
        )}
        {user.role === 'client' && <DigestFields digest={digest} onChange={setDigest} error={fieldError(error, 'digest')} />}
        {user.role === 'client' && (
          <StepFields steps={steps} onChange={setSteps} labels={scales?.checkin_steps} error={fieldError(error, 'checkin_steps')} />
        )}
        {error ? (
          <p class="error" role="alert">
            {error instanceof NetworkError
              ? 'Saving needs a connection. Please try again when you are back online.'
              : error instanceof ApiError && error.status === 422
                ? 'Please check the fields marked above.'
                : error instanceof ApiError
                  ? error.message
                  : 'Something went wrong.'}
          </p>
        ) : null}
        <button type="submit" class="primary block" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
      </form>

      <Notifications userId={user.id} state={push} onState={setPush} />

      <nav class="card links" aria-label="More">
        <ul class="plain">
          {user.role === 'client' && (
            <>
              <li>
                <a href="#/sharing">Sharing with my therapist</a>
              </li>
              <li>
                <a href="#/questionnaires">Questionnaires</a>
              </li>
            </>
          )}
          <li>
            <a href="#/data">My data: download or delete</a>
          </li>
          <li>
            <a href="#/support">Talk to someone now</a>
          </li>
        </ul>
      </nav>

      <PasswordAndSessions />

      <div class="card logout">
        <h2>Log out</h2>
        {confirmLogout && pending.length > 0 ? (
          <>
            <p class="callout">
              {pending.length === 1 ? 'One check-in has' : `${pending.length} check-ins have`} not been sent yet. They stay on this phone and are sent when you
              log in again.
            </p>
            <button type="button" class="secondary block" onClick={() => void logout()}>
              Log out anyway
            </button>
          </>
        ) : (
          <button type="button" class="secondary block" onClick={() => (pending.length ? setConfirmLogout(true) : void logout())}>
            Log out
          </button>
        )}
      </div>
    </section>
  );
}

const CHANNELS: { value: NonNullable<DigestPrefs['channel']>; label: string }[] = [
  { value: 'push', label: 'Notification' },
  { value: 'email', label: 'Email' },
  { value: 'both', label: 'Both' },
];

function DigestFields({ digest, onChange, error }: { digest: DigestPrefs; onChange: (d: DigestPrefs) => void; error?: string }) {
  const set = (patch: Partial<DigestPrefs>) => onChange({ ...digest, ...patch });
  const channel = digest.channel ?? 'push';
  return (
    <fieldset class="group">
      <legend>Weekly reflection</legend>
      <Switch label="Tell me when my weekly reflection is ready" checked={digest.enabled ?? true} onChange={(on) => set({ enabled: on })} />
      <div class="field">
        <label for="digest-day">Ready on</label>
        <select id="digest-day" value={String(digest.weekday ?? 7)} onChange={(e) => set({ weekday: Number((e.target as HTMLSelectElement).value) })}>
          {WEEKDAYS.map((d) => (
            <option key={d.iso} value={String(d.iso)}>
              {d.long}
            </option>
          ))}
        </select>
      </div>
      <Field label="Ready at" type="time" value={digest.local_time ?? '18:00'} onInput={(local_time) => set({ local_time })} required hint="In your time zone." />
      <fieldset class="segmented">
        <legend>By</legend>
        <div class="segments">
          {CHANNELS.map((c) => (
            <label class="segment" key={c.value}>
              <input type="radio" name="digest-channel" checked={channel === c.value} onChange={() => set({ channel: c.value })} />
              <span>{c.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {channel !== 'push' && (
        <Switch
          label="Put the reflection itself in the email (otherwise only a link to it)"
          checked={digest.include_summary_in_email ?? false}
          onChange={(on) => set({ include_summary_in_email: on })}
        />
      )}
      {error && <p class="error">{error}</p>}
    </fieldset>
  );
}

const PUSH_WORDS: Record<PushState, string> = {
  unsupported: 'This browser cannot show notifications from Partwise. On an iPhone, add Partwise to your home screen first.',
  unavailable: 'This server is not set up to send notifications.',
  denied: 'Notifications are blocked for Partwise in this browser’s settings. Allow them there to get reminders.',
  off: 'Reminders and weekly reflections are not sent to this phone.',
  on: 'Reminders and weekly reflections come to this phone.',
};

/** Which steps the full check-in walks through (the quick mood on Today is always there). */
function StepFields({ steps, onChange, labels, error }: { steps: StepKey[]; onChange: (s: StepKey[]) => void; labels?: { key: StepKey; label: string }[]; error?: string }) {
  const label = (key: StepKey) => labels?.find((l) => l.key === key)?.label ?? STEPS.find((s) => s.key === key)!.title;
  const toggle = (key: StepKey) => {
    const next = steps.includes(key) ? steps.filter((k) => k !== key) : [...steps, key];
    onChange(ALL_STEP_KEYS.filter((k) => next.includes(k)));
  };
  return (
    <fieldset class="group">
      <legend>Your check-in</legend>
      <p class="hint">Choose what the full check-in asks. Leave out what you do not use; the review step always stays.</p>
      <div class="check-list">
        {ALL_STEP_KEYS.map((key) => (
          <label class="check" key={key}>
            <input type="checkbox" checked={steps.includes(key)} disabled={steps.length === 1 && steps.includes(key)} onChange={() => toggle(key)} />
            <span>{label(key)}</span>
          </label>
        ))}
      </div>
      {steps.length === 1 && <p class="hint">At least one step stays.</p>}
      {error && <p class="error">{error}</p>}
    </fieldset>
  );
}

/** Notifications on this device: off until the user turns them on (then the browser asks). */
function Notifications({ userId, state, onState: setPush }: { userId: string; state: PushState | null; onState: (s: PushState) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');

  useEffect(() => {
    pushState(userId)
      .then(setPush)
      .catch(() => setPush('unsupported'));
  }, [userId]);

  async function act(change: () => Promise<PushState>, done: (s: PushState) => string) {
    setBusy(true);
    setProblem('');
    try {
      const next = await change();
      setPush(next);
      notify(done(next));
    } catch (error) {
      setProblem(error instanceof NetworkError ? 'This needs a connection.' : error instanceof ApiError ? error.message : 'That did not work. Please try again.');
    } finally {
      setBusy(false);
    }
  }

  async function test() {
    const result = await api.testPush();
    return result.sent ? 'A test notification is on its way.' : 'The test could not reach this phone. Try turning notifications off and on again.';
  }

  return (
    <div class="card">
      <h2>Notifications on this phone</h2>
      <p>{state ? PUSH_WORDS[state] : 'Checking…'}</p>
      <p class="hint">They never say anything about your check-ins: a lock screen is not private.</p>
      {state === 'off' && (
        <button type="button" class="primary block" disabled={busy} onClick={() => act(() => enablePush(userId), (s) => (s === 'on' ? 'Notifications are on.' : PUSH_WORDS[s]))}>
          Turn on notifications
        </button>
      )}
      {state === 'on' && (
        <div class="actions">
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              test()
                .then(notify, () => setProblem('The test notification could not be sent.'))
                .finally(() => setBusy(false));
            }}
          >
            Send a test
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => act(() => disablePush(userId), () => 'Notifications are off on this phone.')}>
            Turn off
          </button>
        </div>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

/** Change the password (other devices are logged out), or end the session on every device. */
function PasswordAndSessions() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirmAll, setConfirmAll] = useState(false);

  async function change(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      notify('Your password is changed. Your other devices are logged out.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function everywhere() {
    setBusy(true);
    try {
      await api.logoutEverywhere();
      await endSession('You logged out on every device.');
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <div class="card">
      <h2>Password and devices</h2>
      <details>
        <summary>Change my password</summary>
        <form onSubmit={change}>
          <Field label="Current password" type="password" value={current} onInput={setCurrent} required autocomplete="current-password" error={fieldError(error, 'current_password')} />
          <NewPasswordField label="New password" value={next} onInput={setNext} error={fieldError(error, 'new_password')} />
          <button type="submit" class="secondary block" disabled={busy || !current || !next}>
            {busy ? 'Changing…' : 'Change my password'}
          </button>
        </form>
      </details>
      {confirmAll ? (
        <div class="confirm">
          <p>Log out on every device, this one too? Unsent check-ins stay on each phone until you log in there again.</p>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setConfirmAll(false)}>
              Stay logged in
            </button>
            <button type="button" class="primary" disabled={busy} onClick={everywhere}>
              Log out everywhere
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="secondary block" onClick={() => setConfirmAll(true)}>
          Log out on every device…
        </button>
      )}
      {error ? (
        <p class="error" role="alert">
          {problemText(error, { invalid: 'Please check the fields marked above.' })}
        </p>
      ) : null}
    </div>
  );
}

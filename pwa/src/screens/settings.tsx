/** Me: display name, time zone, reminder time and days; log out. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, fieldError, NetworkError } from '../api';
import { Field, ScreenTitle, Switch } from '../components/controls';
import { kvSet } from '../db';
import { WEEKDAYS } from '../labels';
import { logout } from '../session';
import { getState, notify, setState, useStore } from '../store';
import type { User } from '../types';

const deviceZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function zones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  const list = intl.supportedValuesOf?.('timeZone') ?? [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

export function Settings() {
  const { session, pending } = useStore();
  const [user, setUser] = useState<User>(session!.user);
  const [name, setName] = useState(user.display_name);
  const [zone, setZone] = useState(user.timezone);
  const [enabled, setEnabled] = useState(user.reminders?.enabled ?? false);
  const [time, setTime] = useState(user.reminders?.local_time ?? '20:00');
  const [days, setDays] = useState<number[]>(user.reminders?.weekdays ?? [1, 2, 3, 4, 5, 6, 7]);
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
            <Field label="At" type="time" value={time} onInput={setTime} required hint="In your time zone." />
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

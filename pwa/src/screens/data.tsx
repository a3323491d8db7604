/** My data: download everything I entered (JSON or CSV), bring an export back, delete my account. */
import { useState } from 'preact/hooks';
import { api, download, problemText } from '../api';
import { Field, ScreenTitle } from '../components/controls';
import { localDate } from '../labels';
import { forgetPush } from '../push';
import { dropUser } from '../queue';
import { endSession } from '../session';
import { getState, notify, useStore } from '../store';

const problem = (error: unknown) =>
  error instanceof SyntaxError ? 'This file is not a Partwise export (it is not JSON).' : problemText(error);

const CSV_KINDS = [
  { what: 'checkins', label: 'Check-ins' },
  { what: 'parts', label: 'Parts' },
  { what: 'questionnaires', label: 'Questionnaire answers' },
];

export function MyData() {
  const { session } = useStore();
  const isClient = session?.user.role === 'client';
  const [error, setError] = useState<unknown>(null);
  const [imported, setImported] = useState('');
  const day = localDate();

  const save = (path: string, name: string) => download(path, name).catch(setError);

  async function importFile(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setError(null);
    setImported('');
    try {
      const counts = await api.importArchive(JSON.parse(await file.text()));
      const added = counts.checkins.created + counts.parts.created + counts.questionnaire_responses.created;
      setImported(
        added
          ? `Added ${counts.checkins.created} check-ins, ${counts.parts.created} parts and ${counts.questionnaire_responses.created} questionnaire answers. What was already here stayed as it was.`
          : 'Everything in this file is already in your journal: nothing was added.',
      );
    } catch (err) {
      setError(err);
    } finally {
      input.value = '';
    }
  }

  return (
    <section>
      <ScreenTitle>My data</ScreenTitle>
      <p class="lede">Everything you wrote is yours: take it with you, or delete it.</p>
      {error ? (
        <p class="error" role="alert">
          {problem(error)}
        </p>
      ) : null}
      <div class="card">
        <h2>Download</h2>
        <p>One file with everything you entered, which Partwise can read back in.</p>
        <button type="button" class="secondary block" onClick={() => save('/me/export', `partwise-export-${day}.json`)}>
          Download everything (JSON)
        </button>
        {isClient && (
          <>
            <p>Or tables for a spreadsheet:</p>
            <div class="chip-row">
              {CSV_KINDS.map((k) => (
                <button type="button" class="secondary" key={k.what} onClick={() => save(`/me/export.csv?what=${k.what}`, `partwise-${k.what}-${day}.csv`)}>
                  {k.label} (CSV)
                </button>
              ))}
            </div>
          </>
        )}
      </div>
      {isClient && (
        <div class="card">
          <h2>Bring an export back</h2>
          <p>Adds what is in a Partwise JSON export to this journal. Nothing already here is changed or doubled.</p>
          <label class="button secondary block file-pick">
            Choose an export file…
            <input type="file" accept="application/json,.json" class="sr-only" onChange={importFile} />
          </label>
          {imported && <p role="status">{imported}</p>}
        </div>
      )}
      <DeleteAccount />
    </section>
  );
}

function DeleteAccount() {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function remove(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const userId = getState().session!.user.id;
      await api.deleteAccount(password);
      // Nothing of the account stays on this phone either.
      await Promise.all([dropUser(userId), forgetPush(userId).catch(() => undefined)]);
      await endSession('Your account and everything in it are deleted.');
      notify('Your account is deleted.');
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <div class="card danger-zone">
      <h2>Delete my account</h2>
      <p>
        This deletes your account and everything in it for good: check-ins, parts, notes, reflections, scores and sharing.
        Therapists you share with lose access at once. Download your data first if you want to keep it.
      </p>
      {!open ? (
        <button type="button" class="secondary block" onClick={() => setOpen(true)}>
          Delete my account…
        </button>
      ) : (
        <form onSubmit={remove}>
          <Field label="Your password, to confirm" type="password" value={password} onInput={setPassword} required autocomplete="current-password" />
          {error ? (
            <p class="error" role="alert">
              {problem(error)}
            </p>
          ) : null}
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setOpen(false)}>
              Keep my account
            </button>
            <button type="submit" class="primary danger" disabled={busy || !password}>
              {busy ? 'Deleting…' : 'Delete for good'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

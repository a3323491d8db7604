/** My parts: a parts map the client grows, grouped by role; name, edit, archive, bring back. */
import { useEffect, useState } from 'preact/hooks';
import { api, fieldError, problemText } from '../api';
import { Field, ScreenTitle } from '../components/controls';
import { PART_ROLES, ROLE_HINT, ROLE_LABEL, ROLE_SINGULAR } from '../labels';
import { navigate } from '../router';
import { loadParts, rememberPart } from '../session';
import { notify } from '../store';
import type { Part, PartInput, PartRole } from '../types';

const problem = (error: unknown) => problemText(error, { invalid: 'Please check the fields marked below.' });

export function PartsList() {
  const [parts, setParts] = useState<Part[] | null>(null);
  const [offline, setOffline] = useState(false);
  const [showArchived, setShowArchived] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = () =>
    loadParts(showArchived)
      .then((r) => {
        setParts(r.parts);
        setOffline(r.offline);
      })
      .catch(setError);
  useEffect(() => void load(), [showArchived]);

  async function bringBack(part: Part) {
    try {
      await rememberPart(await api.updatePart(part.id, { archived: false }));
      notify(`${part.name} is back on your map.`);
      await load();
    } catch (err) {
      setError(err);
    }
  }

  const active = (parts ?? []).filter((p) => !p.archived);
  const archived = (parts ?? []).filter((p) => p.archived);
  return (
    <section>
      <ScreenTitle>My parts</ScreenTitle>
      <p class="lede">Every part has a good intention, even when it does not feel that way.</p>
      <a class="button primary block" href="#/parts/new">
        Name a new part
      </a>
      {offline && <p class="callout">You are offline: showing the parts saved on this phone.</p>}
      {error ? <p class="error" role="alert">{problem(error)}</p> : null}
      {parts === null && !error && <p class="hint">Loading your parts…</p>}
      {parts !== null && active.length === 0 && (
        <p class="hint">No parts yet. When you notice one, give it a name: the Worrier, the Busy One, Little One…</p>
      )}
      {PART_ROLES.map((role) => {
        const group = active.filter((p) => p.role === role);
        if (!group.length) return null;
        return (
          <section key={role} class="role-group" aria-labelledby={`role-${role}`}>
            <h2 id={`role-${role}`}>{ROLE_LABEL[role]}</h2>
            <p class="hint">{ROLE_HINT[role]}</p>
            <ul class="plain part-grid">
              {group.map((p) => (
                <li key={p.id}>
                  <PartCard part={p} />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      <label class="check">
        <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived((e.target as HTMLInputElement).checked)} />
        <span>Show archived parts</span>
      </label>
      {showArchived && parts !== null && (
        <section aria-labelledby="role-archived" class="role-group">
          <h2 id="role-archived">Archived</h2>
          {archived.length === 0 ? (
            <p class="hint">No archived parts.</p>
          ) : (
            <ul class="plain part-grid">
              {archived.map((p) => (
                <li key={p.id} class="card part-card archived">
                  <h3>{p.name}</h3>
                  <button type="button" class="secondary" onClick={() => bringBack(p)}>
                    Bring back<span class="sr-only"> {p.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </section>
  );
}

function PartCard({ part }: { part: Part }) {
  const rows: [string, string][] = [
    ['Afraid of', part.fears],
    ['Needs', part.needs],
    ['Felt in', part.body_location],
    ['Notes', part.notes],
  ];
  return (
    <article class="card part-card" aria-labelledby={`part-${part.id}`}>
      <h3 id={`part-${part.id}`}>{part.name}</h3>
      <dl class="summary">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
      <a class="button secondary" href={`#/parts/${part.id}`}>
        Edit<span class="sr-only"> {part.name}</span>
      </a>
    </article>
  );
}

const EMPTY: Required<Omit<PartInput, 'archived'>> = { name: '', role: 'unknown', fears: '', needs: '', body_location: '', notes: '' };

export function PartForm({ id }: { id: string | null }) {
  const [form, setForm] = useState(EMPTY);
  const [loaded, setLoaded] = useState(id === null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!id) return;
    loadParts(true)
      .then(({ parts }) => {
        const part = parts.find((p) => p.id === id);
        if (part) {
          const { name, role, fears, needs, body_location, notes } = part;
          setForm({ name, role, fears, needs, body_location, notes });
        }
        setLoaded(true);
      })
      .catch(setError);
  }, [id]);

  const set = (patch: Partial<typeof EMPTY>) => setForm({ ...form, ...patch });

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { ...form, name: form.name.trim() };
      const part = id ? await api.updatePart(id, body) : await api.createPart(body);
      await rememberPart(part);
      notify(id ? `${part.name} is updated.` : `${part.name} is on your map.`);
      navigate('/parts');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function archive() {
    if (!id) return;
    setBusy(true);
    try {
      const part = await api.updatePart(id, { archived: true });
      await rememberPart(part);
      notify(`${part.name} is archived. You can bring it back any time.`);
      navigate('/parts');
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <section>
      <ScreenTitle>{id ? 'Edit part' : 'Name a new part'}</ScreenTitle>
      {!loaded && !error && <p class="hint">Loading…</p>}
      {loaded && (
        <form onSubmit={save}>
          <Field label="Name" value={form.name} onInput={(name) => set({ name })} required maxLength={80} hint="What you call this part." error={fieldError(error, 'name')} />
          <fieldset class="roles">
            <legend>What does it do?</legend>
            {PART_ROLES.map((role) => (
              <label class="role-option" key={role}>
                <input type="radio" name="role" checked={form.role === role} onChange={() => set({ role: role as PartRole })} />
                <span>
                  <strong>{ROLE_SINGULAR[role]}</strong>
                  <span class="hint">{ROLE_HINT[role]}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <Field label="What is it afraid of?" value={form.fears} onInput={(fears) => set({ fears })} multiline maxLength={1000} error={fieldError(error, 'fears')} />
          <Field label="What does it need?" value={form.needs} onInput={(needs) => set({ needs })} multiline maxLength={1000} error={fieldError(error, 'needs')} />
          <Field label="Where do you feel it in your body?" value={form.body_location} onInput={(body_location) => set({ body_location })} maxLength={80} error={fieldError(error, 'body_location')} />
          <Field label="Notes" value={form.notes} onInput={(notes) => set({ notes })} multiline rows={4} maxLength={5000} error={fieldError(error, 'notes')} />
          {error ? <p class="error" role="alert">{problem(error)}</p> : null}
          <div class="flow-actions">
            <a class="button secondary" href="#/parts">
              Cancel
            </a>
            <button type="submit" class="primary" disabled={busy || !form.name.trim()}>
              {busy ? 'Saving…' : 'Save'}
            </button>
          </div>
          {id && (
            <button type="button" class="link danger" onClick={archive} disabled={busy}>
              Archive this part
            </button>
          )}
        </form>
      )}
    </section>
  );
}

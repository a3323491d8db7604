/**
 * Sharing with my therapist: make a one-time invitation code for chosen scopes, see and narrow or
 * revoke every grant, and read every time a therapist looked at my data.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, problemText } from '../api';
import { ScreenTitle } from '../components/controls';
import { formatDate, formatMoment, listOf, localDate, readName, SCOPE_NAME } from '../labels';
import { notify, useStore } from '../store';
import type { AccessLogEntry, Grant, Invitation, Scope } from '../types';

const problem = (error: unknown) =>
  problemText(error, { offline: 'Sharing needs a connection. Please try again when you are back online.' });

const scopeNames = (scopes: Scope[]) => listOf(scopes.map((s) => SCOPE_NAME[s] ?? s));

export function Sharing() {
  const [invitations, setInvitations] = useState<Invitation[] | null>(null);
  const [grants, setGrants] = useState<Grant[] | null>(null);
  const [log, setLog] = useState<AccessLogEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = () =>
    Promise.all([api.invitations(), api.grants(), api.accessLog()])
      .then(([i, g, l]) => {
        setInvitations(i);
        setGrants(g);
        setLog(l);
        setError(null);
      })
      .catch(setError);
  useEffect(() => void load(), []);

  const active = (grants ?? []).filter((g) => g.status === 'active');
  const ended = (grants ?? []).filter((g) => g.status !== 'active');
  return (
    <section>
      <ScreenTitle>Sharing with my therapist</ScreenTitle>
      <p class="lede">Nothing is shared unless you choose it. You can share less, or stop, at any time; it takes effect at once.</p>
      {error ? <p class="callout">{problem(error)}</p> : null}
      <InviteForm onCreated={load} />

      {invitations && invitations.length > 0 && (
        <div class="card">
          <h2>Codes not used yet</h2>
          <ul class="plain">
            {invitations.map((i) => (
              <li key={i.id} class="row">
                <span>
                  For {scopeNames(i.scopes)}; works until {formatMoment(i.expires_at)}.
                </span>
                <button
                  type="button"
                  class="link danger"
                  onClick={() =>
                    api
                      .cancelInvitation(i.id)
                      .then(() => notify('The code is cancelled.'))
                      .then(load)
                      .catch(setError)
                  }
                >
                  Cancel<span class="sr-only"> this code</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <h2>Who can see what</h2>
      {grants !== null && active.length === 0 && <p class="hint">You are not sharing with anyone right now.</p>}
      {active.map((g) => (
        <GrantCard key={g.id} grant={g} onChange={load} onError={setError} />
      ))}
      {ended.length > 0 && (
        <details>
          <summary>Ended ({ended.length})</summary>
          <ul class="plain">
            {ended.map((g) => (
              <li key={g.id} class="card">
                {g.therapist?.display_name || g.therapist?.email || 'A deleted account'}: {scopeNames(g.scopes)}.{' '}
                {g.status === 'revoked' && g.revoked_at ? `You stopped it on ${formatDate(g.revoked_at)}.` : 'It reached its end date.'}
              </li>
            ))}
          </ul>
        </details>
      )}

      <h2>Who looked, and when</h2>
      {log !== null && log.length === 0 && <p class="hint">Nobody has looked at your data.</p>}
      {log && log.length > 0 && (
        <ul class="plain access-log">
          {log.map((entry) => (
            <li key={entry.id}>
              <strong>{entry.therapist?.display_name || entry.therapist?.email || 'A deleted account'}</strong> looked at{' '}
              {readName(entry.what)}
              <span class="hint"> · {formatMoment(entry.at)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function InviteForm({ onCreated }: { onCreated: () => void }) {
  const { scales, session } = useStore();
  const options = scales?.sharing_scopes ?? [];
  const [chosen, setChosen] = useState<Scope[] | null>(null);
  const [until, setUntil] = useState('');
  const [created, setCreated] = useState<Invitation | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const scopes = chosen ?? options.filter((o) => o.default).map((o) => o.scope);

  async function create(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The end of the chosen day, on this phone's clock.
      const ends = until ? new Date(`${until}T23:59:59`).toISOString() : null;
      setCreated(await api.invite(scopes, ends));
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (created) {
    return (
      <div class="card invite-code" role="status">
        <h2>Your code</h2>
        <p class="code" aria-label={`Code: ${created.code?.split('').join(' ')}`}>
          {created.code}
        </p>
        <p>
          Give it to your therapist. It works once, until {formatMoment(created.expires_at)}, and is shown only now. It shares{' '}
          {scopeNames(created.scopes)}
          {created.grant_ends_at ? ` until ${formatDate(created.grant_ends_at)}` : ' until you stop it'}.
        </p>
        <div class="actions">
          {'clipboard' in navigator && (
            <button type="button" class="secondary" onClick={() => navigator.clipboard.writeText(created.code ?? '').then(() => notify('Copied.'))}>
              Copy the code
            </button>
          )}
          <button type="button" class="secondary" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      </div>
    );
  }

  return (
    <form class="card" onSubmit={create}>
      <h2>Invite your therapist</h2>
      <fieldset>
        <legend>What they may see</legend>
        {options.map((o) => (
          <label class="check" key={o.scope}>
            <input
              type="checkbox"
              checked={scopes.includes(o.scope)}
              onChange={() => setChosen(scopes.includes(o.scope) ? scopes.filter((s) => s !== o.scope) : [...scopes, o.scope])}
            />
            <span>{o.label.charAt(0).toUpperCase() + o.label.slice(1)}</span>
          </label>
        ))}
      </fieldset>
      <p class="hint">
        {session?.user.display_name
          ? `Your therapist sees you as “${session.user.display_name}”, the name you chose under Me, with your email.`
          : 'Your therapist sees your email. You can choose a name for them to see under Me.'}
      </p>
      {scopes.includes('notes') && (
        <p class="callout">Your notes are the most personal part of your journal. Share them only if you want your therapist to read them.</p>
      )}
      <div class="field">
        <label for="share-until">
          Share until <span class="optional">(optional)</span>
        </label>
        <p class="hint" id="share-until-hint">
          Leave empty to share until you stop it.
        </p>
        <input id="share-until" type="date" value={until} min={localDate()} aria-describedby="share-until-hint" onInput={(e) => setUntil((e.target as HTMLInputElement).value)} />
      </div>
      {error ? <p class="error" role="alert">{problem(error)}</p> : null}
      <button type="submit" class="primary block" disabled={busy || scopes.length === 0}>
        {busy ? 'Creating…' : 'Create a code'}
      </button>
    </form>
  );
}

function GrantCard({ grant, onChange, onError }: { grant: Grant; onChange: () => void; onError: (e: unknown) => void }) {
  const [editing, setEditing] = useState(false);
  const [keep, setKeep] = useState<Scope[]>(grant.scopes);
  const [confirm, setConfirm] = useState(false);
  const who = grant.therapist?.display_name || grant.therapist?.email || 'Your therapist';

  const narrow = () =>
    api
      .narrowGrant(grant.id, { scopes: keep })
      .then(() => notify(`${who} now sees less.`))
      .then(() => setEditing(false))
      .then(onChange)
      .catch(onError);
  const revoke = () =>
    api
      .revokeGrant(grant.id)
      .then(() => notify(`You stopped sharing with ${who}.`))
      .then(onChange)
      .catch(onError);

  return (
    <article class="card grant" aria-labelledby={`grant-${grant.id}`}>
      <h3 id={`grant-${grant.id}`}>{who}</h3>
      {grant.therapist?.email && <p class="hint">{grant.therapist.email}</p>}
      <p>
        Sees {scopeNames(grant.scopes)}, since {formatDate(grant.accepted_at)}
        {grant.ends_at ? `, until ${formatDate(grant.ends_at)}` : ', until you stop it'}.
      </p>
      {editing ? (
        <fieldset>
          <legend>Keep sharing</legend>
          {grant.scopes.map((s) => (
            <label class="check" key={s}>
              <input type="checkbox" checked={keep.includes(s)} onChange={() => setKeep(keep.includes(s) ? keep.filter((k) => k !== s) : [...keep, s])} />
              <span>{SCOPE_NAME[s] ?? s}</span>
            </label>
          ))}
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="button" class="primary" disabled={keep.length === 0 || keep.length === grant.scopes.length} onClick={narrow}>
              Share less
            </button>
          </div>
        </fieldset>
      ) : confirm ? (
        <div class="confirm">
          <p>
            Stop sharing with {who}? They lose access at once. To share again later, you would make a new code.
          </p>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setConfirm(false)}>
              Keep sharing
            </button>
            <button type="button" class="primary danger" onClick={revoke}>
              Stop sharing
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          {grant.scopes.length > 1 && (
            <button type="button" class="secondary" onClick={() => setEditing(true)}>
              Share less<span class="sr-only"> with {who}</span>
            </button>
          )}
          <button type="button" class="secondary" onClick={() => setConfirm(true)}>
            Stop sharing<span class="sr-only"> with {who}</span>
          </button>
        </div>
      )}
    </article>
  );
}

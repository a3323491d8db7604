/**
 * The therapist's side: redeem a client's code, my consenting clients, one client's shared trends
 * and scores, the caseload view, and the CSV/FHIR downloads. Only what each grant covers is asked
 * for; every read is logged where the client can see it, and the screens say so.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, download, NetworkError, problemText } from '../api';
import { Chart } from '../components/chart';
import { Field, ScreenTitle } from '../components/controls';
import { formatDate, formatDay, listOf, one, percent, SCOPE_NAME, weekSpan } from '../labels';
import { notify } from '../store';
import type { Caseload, Cell, ClientTrends, ConsentingClient, Digest, InstrumentHistory, Scope } from '../types';

const LOGGED = 'Each time you open this, the client can see it in their access log.';

export function Clients() {
  const [clients, setClients] = useState<ConsentingClient[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => api.clients().then(setClients).catch(setError);
  useEffect(() => void load(), []);

  return (
    <section>
      <ScreenTitle>My clients</ScreenTitle>
      <p class="lede">Clients who share with you now, and only what each chose to share. {LOGGED}</p>
      <RedeemForm onRedeemed={load} />
      {error ? <p class="callout">{problemText(error)}</p> : null}
      {clients === null && !error && <p class="hint">Loading…</p>}
      {clients !== null && clients.length === 0 && <p class="hint">No client shares with you yet. When one gives you a code, enter it above.</p>}
      <ul class="plain">
        {(clients ?? []).map(({ client, grant, latest_week: week }) => (
          <li key={client.id}>
            <a class="card digest-link" href={`#/clients/${client.id}`}>
              <strong>{client.display_name || client.email}</strong>
              <span class="hint">
                Shares {listOf(grant.scopes.map((s) => SCOPE_NAME[s] ?? s))}
                {grant.ends_at ? ` until ${formatDate(grant.ends_at)}` : ''}.
              </span>
              {week ? (
                <span>
                  Week of {weekSpan(week.start, week.end)}: {week.checkin_days} check-in days
                  {week.mood.mean !== null && `, mood ${one(week.mood.mean)}`}
                  {week.self_energy.mean !== null && `, Self-energy ${one(week.self_energy.mean)}`}.
                </span>
              ) : grant.scopes.includes('weekly_trends') ? (
                <span>No complete week with check-ins yet.</span>
              ) : null}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function RedeemForm({ onRedeemed }: { onRedeemed: () => void }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function redeem(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.redeem(code.trim());
      notify(`${result.client.display_name || 'Your client'} now shares with you.`);
      setCode('');
      onRedeemed();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" onSubmit={redeem}>
      <h2>Enter a client’s code</h2>
      <Field label="Invitation code" value={code} onInput={setCode} required autocomplete="off" hint="Eight letters and digits, like 4Z87-8EHF." error={error instanceof ApiError ? error.message : undefined} />
      {error instanceof NetworkError ? <p class="error" role="alert">{problemText(error)}</p> : null}
      <button type="submit" class="primary block" disabled={busy || !code.trim()}>
        {busy ? 'Checking…' : 'Redeem the code'}
      </button>
    </form>
  );
}

export function ClientView({ id }: { id: string }) {
  const [entry, setEntry] = useState<ConsentingClient | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api
      .clients()
      .then((list) => setEntry(list.find((c) => c.client.id === id) ?? null))
      .catch(setError);
  }, [id]);

  const scopes = entry?.grant.scopes ?? [];
  const has = (s: Scope) => scopes.includes(s);
  const name = entry ? entry.client.display_name || entry.client.email : 'Client';
  return (
    <section>
      <ScreenTitle>{name}</ScreenTitle>
      {error ? <p class="callout">{problemText(error)}</p> : null}
      {entry === undefined && !error && <p class="hint">Loading…</p>}
      {entry === null && <p class="callout">This client does not share anything with you (any more).</p>}
      {entry && (
        <>
          <p class="lede">
            Shares {listOf(scopes.map((s) => SCOPE_NAME[s] ?? s))} since {formatDate(entry.grant.accepted_at)}
            {entry.grant.ends_at ? `, until ${formatDate(entry.grant.ends_at)}` : ''}. {LOGGED}
          </p>
          {has('weekly_trends') && <ClientTrendsCard id={id} />}
          {has('questionnaires') && <ClientScores id={id} />}
          {has('digests') && <ClientDigests id={id} />}
          {has('notes') && <ClientNotes id={id} />}
          {(has('weekly_trends') || has('questionnaires')) && <Downloads id={id} />}
        </>
      )}
      <p>
        <a href="#/clients">All my clients</a>
      </p>
    </section>
  );
}

function ClientTrendsCard({ id }: { id: string }) {
  const [trends, setTrends] = useState<ClientTrends | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void api.clientTrends(id).then(setTrends).catch(setError), [id]);
  if (error) return <p class="callout">{problemText(error)}</p>;
  if (!trends) return <p class="hint">Loading weekly trends…</p>;
  const weeks = trends.weeks;
  const mean = (key: string) => (trends.weekly[key] ?? []).map((w) => w.mean);
  const sd = trends.weekly.mood ?? [];
  return (
    <>
      <Chart
        title="Weekly trends"
        description={`Weekly means (0 to 10) over ${weeks.length} local weeks; a week with fewer check-ins says less.`}
        dates={weeks.map((w) => w.start)}
        series={[
          { label: 'Mood', values: mean('mood'), color: '--chart-1', style: 'line' },
          { label: 'Self-energy', values: mean('self_energy'), color: '--chart-2', style: 'line' },
          { label: 'Worry about closeness', values: mean('anxiety'), color: '--chart-3', style: 'line' },
        ]}
        rowHeader="Week"
        rowLabel={(_, i) => weekSpan(weeks[i].start, weeks[i].end)}
      >
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Check-in days and mood spread per week">
          <table>
            <thead>
              <tr>
                <th scope="col">Week</th>
                <th scope="col">Days</th>
                <th scope="col">Mood SD</th>
                <th scope="col">Mood RMSSD</th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((w, i) => (
                <tr key={w.week}>
                  <th scope="row">{weekSpan(w.start, w.end)}</th>
                  <td>{w.checkin_days}</td>
                  <td>{sd[i]?.sd != null ? one(sd[i].sd!) : '–'}</td>
                  <td>{sd[i]?.rmssd != null ? one(sd[i].rmssd!) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="hint">SD needs at least 5 days in a week and RMSSD at least 4 pairs of consecutive days: “–” where a week has fewer.</p>
      </Chart>
    </>
  );
}

function ClientScores({ id }: { id: string }) {
  const [history, setHistory] = useState<InstrumentHistory[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void api.clientQuestionnaires(id).then((h) => setHistory(h.instruments)).catch(setError), [id]);
  return (
    <div class="card">
      <h2>Questionnaire scores</h2>
      {error ? <p class="callout">{problemText(error)}</p> : null}
      {history !== null && history.length === 0 && <p class="hint">No questionnaire answered yet.</p>}
      {(history ?? []).map((h) => {
        const last = h.series.at(-1);
        const flagged = h.series.filter((p) => p.flags.length > 0);
        return (
          <div key={h.instrument} class="score-history">
            <h3>{h.title}</h3>
            {last && (
              <p>
                Latest: {last.total} on {formatDay(last.local_date)} ({last.band.replace(/_/g, ' ')}). {h.note}
              </p>
            )}
            {flagged.length > 0 && (
              <p class="callout">
                Item 9 (thoughts of being better off dead or of self-harm) was answered above 0 on{' '}
                {listOf(flagged.map((p) => formatDay(p.local_date)))}. The client was shown crisis resources at once; nobody was
                alerted.
              </p>
            )}
            <p class="hint">{h.series.map((p) => `${p.total}`).join(' → ')}</p>
          </div>
        );
      })}
    </div>
  );
}

function ClientDigests({ id }: { id: string }) {
  const [digests, setDigests] = useState<Digest[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void api.clientDigests(id).then(setDigests).catch(setError), [id]);
  return (
    <div class="card">
      <h2>Weekly reflections</h2>
      {error ? <p class="callout">{problemText(error)}</p> : null}
      {digests !== null && digests.length === 0 && <p class="hint">No finished week yet.</p>}
      {(digests ?? []).slice(0, 6).map((d) => (
        <details key={d.week}>
          <summary>Week of {weekSpan(d.start, d.end)}</summary>
          <p>{d.summary.paragraph}</p>
          <ul>
            {d.summary.bullets.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </details>
      ))}
    </div>
  );
}

/** Notes are read only when asked for: opening the client's page does not read them. */
function ClientNotes({ id }: { id: string }) {
  const [notes, setNotes] = useState<{ local_date: string; note: string | null; inner_child_note: string | null }[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <div class="card">
      <h2>Written notes</h2>
      {notes === null ? (
        <>
          <p>This client shares their notes with you. Reading them is logged like every other read.</p>
          <button type="button" class="secondary block" onClick={() => api.clientNotes(id).then(setNotes).catch(setError)}>
            Read the latest notes
          </button>
        </>
      ) : notes.length === 0 ? (
        <p class="hint">No notes yet.</p>
      ) : (
        <ul class="plain notes">
          {notes.map((n, i) => (
            <li key={`${n.local_date}-${i}`}>
              <p class="hint">{formatDay(n.local_date)}</p>
              {n.note && <p>{n.note}</p>}
              {n.inner_child_note && <p>Inner child: {n.inner_child_note}</p>}
            </li>
          ))}
        </ul>
      )}
      {error ? <p class="callout">{problemText(error)}</p> : null}
    </div>
  );
}

/** The name a download gets if the server's Content-Disposition cannot be read. */
const FALLBACK_NAME = { csv: 'trends.csv', fhir: 'fhir.json', pdf: 'summary.pdf' } as const;

function Downloads({ id }: { id: string }) {
  const [error, setError] = useState<unknown>(null);
  const save = (kind: keyof typeof FALLBACK_NAME) =>
    download(`/therapist/clients/${encodeURIComponent(id)}/export.${kind}`, `partwise-client-${FALLBACK_NAME[kind]}`).catch(setError);
  return (
    <div class="card">
      <h2>Download</h2>
      <p>The shared weekly figures and questionnaire totals, for your records or to prepare a session.</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => save('csv')}>
          CSV table
        </button>
        <button type="button" class="secondary" onClick={() => save('fhir')}>
          FHIR R4 Bundle
        </button>
        <button type="button" class="secondary" onClick={() => save('pdf')}>
          Session summary (PDF)
        </button>
      </div>
      {error ? <p class="error" role="alert">{problemText(error)}</p> : null}
    </div>
  );
}

function CellText({ cell, format }: { cell: Cell; format: (v: number) => string }) {
  if (cell.suppressed) {
    return (
      <span class="suppressed">
        hidden<span class="sr-only"> ({cell.clients} clients)</span>
      </span>
    );
  }
  if (cell.value === null) return <>–</>;
  return <>{format(cell.value)}</>;
}

export function CaseloadView() {
  const [caseload, setCaseload] = useState<Caseload | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void api.caseload().then(setCaseload).catch(setError), []);
  return (
    <section>
      <ScreenTitle>Caseload</ScreenTitle>
      <p class="lede">
        Weekly figures over all your clients who share weekly trends.
        {caseload && ` So that no one client can be singled out, a figure built from fewer than ${caseload.k} clients is hidden.`}
      </p>
      {error ? <p class="callout">{problemText(error)}</p> : null}
      {!caseload && !error && <p class="hint">Loading…</p>}
      {caseload && (
        <>
          <p>
            Clients counted: <CellText cell={caseload.clients} format={(v) => String(v)} />
          </p>
          <div class="table-scroll" tabIndex={0} role="region" aria-label="Caseload by week">
            <table>
              <thead>
                <tr>
                  <th scope="col">Week</th>
                  <th scope="col">Clients</th>
                  <th scope="col">Mood</th>
                  <th scope="col">Self-energy</th>
                  <th scope="col">Check-in days</th>
                </tr>
              </thead>
              <tbody>
                {caseload.weeks.map((w) => (
                  <tr key={w.week}>
                    <th scope="row">{weekSpan(w.start, w.end)}</th>
                    <td>
                      <CellText cell={w.clients_with_data} format={(v) => String(v)} />
                    </td>
                    <td>
                      <CellText cell={w.mood_mean} format={one} />
                    </td>
                    <td>
                      <CellText cell={w.self_energy_mean} format={one} />
                    </td>
                    <td>
                      <CellText cell={w.adherence} format={percent} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

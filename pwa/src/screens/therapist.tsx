/**
 * The therapist's side: redeem a client's code, my consenting clients (who may need attention
 * first), one client's shared trends and scores, the name I keep them under, the caseload view,
 * and the downloads. Only what each grant covers is asked for; every read is logged where the
 * client can see it, and the screens say so. On a wide screen the client list is a grid of cards
 * and one client's page has two columns: the figures, and beside them what may need attention,
 * the name and the downloads.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, download, NetworkError, problemText } from '../api';
import { Chart } from '../components/chart';
import { Field, ScreenTitle } from '../components/controls';
import { formatDate, formatDay, listOf, one, percent, SCOPE_NAME, weekSpan } from '../labels';
import { notify } from '../store';
import type { AttentionItem, Caseload, Cell, ClientTrends, ConsentingClient, Digest, InstrumentHistory, Scope } from '../types';

const LOGGED = 'Each time you open this, the client can see it in their access log.';

/** As the server limits it (api/models/consent.py LABEL_MAX). */
const LABEL_MAX = 80;

const TITLES: Record<string, string> = { phq9: 'PHQ-9', gad7: 'GAD-7' };

/** The name I keep the client under, else the one they chose, else their email. */
function nameOf({ client, grant }: ConsentingClient): string {
  return grant.label || client.display_name || client.email;
}

/** An attention item in a few words, for the client list (the client's page shows its sentence). */
function shortText(item: AttentionItem): string {
  switch (item.kind) {
    case 'no_recent_checkins':
      return item.days === null ? 'No check-in yet' : `No check-in for ${item.days} days`;
    case 'reliable_worsening':
      if (item.measure === 'mood') return `Mood last week lower than usual (${one(item.value)}, usually ${one(item.reference)})`;
      return `${TITLES[item.measure] ?? item.measure} up ${item.change} points since the first answer, now ${item.value}`;
    case 'item9':
      return `PHQ-9 item 9 answered above 0 on ${formatDay(item.date)}`;
  }
}

/** The server writes dates as ISO dates (2026-03-02): say them as the rest of the app does. */
const withLocalDates = (text: string) => text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => formatDay(iso));

/** Whether anything could be noted at all: attention comes only from trends and scores. */
const notable = (scopes: Scope[]) => scopes.includes('weekly_trends') || scopes.includes('questionnaires');

export function Clients() {
  const [clients, setClients] = useState<ConsentingClient[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => api.clients().then(setClients).catch(setError);
  useEffect(() => void load(), []);
  const noting = (clients ?? []).filter((c) => c.attention.length > 0).length;

  return (
    <section class="therapist">
      <ScreenTitle>My clients</ScreenTitle>
      <p class="lede">Clients who share with you now, and only what each chose to share. {LOGGED}</p>
      {error ? <p class="callout">{problemText(error)}</p> : null}
      {clients === null && !error && <p class="hint">Loading…</p>}
      {clients !== null && clients.length === 0 && <p class="hint">No client shares with you yet. When one gives you a code, enter it below.</p>}
      {noting > 0 && (
        <p>
          {noting === 1 ? 'One client has' : `${noting} clients have`} something that may need your attention, from what they share: they come
          first.
        </p>
      )}
      <ul class="plain client-grid">
        {(clients ?? []).map((entry) => (
          <ClientCard key={entry.client.id} entry={entry} />
        ))}
      </ul>
      {/* Below the list, once it is there: drawn earlier, the list would push it down. */}
      {(clients !== null || error) && <RedeemForm onRedeemed={load} />}
    </section>
  );
}

function ClientCard({ entry }: { entry: ConsentingClient }) {
  const { client, grant, latest_week: week, attention } = entry;
  return (
    <li class="card client-card">
      <h2>
        <a href={`#/clients/${client.id}`}>{nameOf(entry)}</a>
      </h2>
      {grant.label && <p class="hint">Their own name: {client.display_name || client.email}</p>}
      {attention.length > 0 ? (
        <ul class="plain attention-list" aria-label={`May need attention: ${nameOf(entry)}`}>
          {attention.map((item, i) => (
            <li key={i} class="attention">
              {shortText(item)}
            </li>
          ))}
        </ul>
      ) : notable(grant.scopes) ? (
        <p class="hint">Nothing to note in what they share.</p>
      ) : null}
      {week ? (
        <p>
          Week of {weekSpan(week.start, week.end)}: {week.checkin_days} check-in days
          {week.mood.mean !== null && `, mood ${one(week.mood.mean)}`}
          {week.self_energy.mean !== null && `, Self-energy ${one(week.self_energy.mean)}`}.
        </p>
      ) : grant.scopes.includes('weekly_trends') ? (
        <p>No complete week with check-ins yet.</p>
      ) : null}
      <p class="hint">
        Shares {listOf(grant.scopes.map((s) => SCOPE_NAME[s] ?? s))}
        {grant.ends_at ? ` until ${formatDate(grant.ends_at)}` : ''}.
      </p>
    </li>
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

/** A read's outcome, kept so that a section can say it failed without hiding the others. */
type Result<T> = { data: T } | { error: unknown };
const settle = <T,>(p: Promise<T>): Promise<Result<T>> => p.then((data) => ({ data }), (error: unknown) => ({ error }));

interface Shared {
  trends?: Result<ClientTrends>;
  scores?: Result<{ instruments: InstrumentHistory[] }>;
  digests?: Result<Digest[]>;
}

export function ClientView({ id }: { id: string }) {
  const [entry, setEntry] = useState<ConsentingClient | null | undefined>(undefined);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api
      .client(id)
      .then(setEntry)
      .catch((err) => {
        if (err instanceof ApiError && (err.status === 403 || err.status === 404)) {
          setEntry(null);
          if (err.status === 403) setRefusal(err.message);
        } else setError(err);
      });
  }, [id]);

  const scopes = entry?.grant.scopes ?? [];
  const has = (s: Scope) => scopes.includes(s);
  // Every shared section is read at once and drawn together, so that none pushes another down.
  const [shared, setShared] = useState<Shared | null>(null);
  useEffect(() => {
    if (!entry) return;
    let live = true;
    setShared(null);
    const read = <T,>(scope: Scope, fetch: () => Promise<T>) => (scopes.includes(scope) ? settle(fetch()) : Promise.resolve(undefined));
    Promise.all([
      read('weekly_trends', () => api.clientTrends(id)),
      read('questionnaires', () => api.clientQuestionnaires(id)),
      read('digests', () => api.clientDigests(id)),
    ]).then(([trends, scores, digests]) => live && setShared({ trends, scores, digests }));
    return () => {
      live = false;
    };
  }, [id, entry?.grant.id, scopes.join()]);
  return (
    <section class="therapist">
      {/* Above the title: below, the sections arriving would push it down. */}
      <a class="back-link standalone" href="#/clients">
        All my clients
      </a>
      <ScreenTitle>{entry ? nameOf(entry) : 'Client'}</ScreenTitle>
      {error ? <p class="callout">{problemText(error)}</p> : null}
      {entry === undefined && !error && <p class="hint">Loading…</p>}
      {entry === null && (
        <p class="callout">
          This client does not share anything with you (any more).{refusal ? ` ${refusal}` : ''}
        </p>
      )}
      {entry && (
        <>
          <p class="lede">
            Shares {listOf(scopes.map((s) => SCOPE_NAME[s] ?? s))} since {formatDate(entry.grant.accepted_at)}
            {entry.grant.ends_at ? `, until ${formatDate(entry.grant.ends_at)}` : ''}. {LOGGED}
          </p>
          <div class="client-layout">
            <AttentionCard entry={entry} />
            {shared ? (
              <div class="client-main">
                {shared.trends && <ClientTrendsCard result={shared.trends} />}
                {shared.scores && <ClientScores result={shared.scores} />}
                {shared.digests && <ClientDigests result={shared.digests} />}
                {has('notes') && <ClientNotes id={id} />}
              </div>
            ) : (
              <p class="hint client-main">Loading what this client shares…</p>
            )}
            {shared && (
              <div class="client-tools">
                <LabelForm entry={entry} onSaved={setEntry} />
                {(has('weekly_trends') || has('questionnaires')) && <Downloads id={id} name={entry.grant.label || entry.client.display_name} />}
              </div>
            )}
          </div>
        </>
      )}
    </section>
  );
}

function AttentionCard({ entry }: { entry: ConsentingClient }) {
  const { attention, grant } = entry;
  return (
    <div class="card client-note">
      <h2>May need attention</h2>
      {attention.length > 0 ? (
        <ul class="plain attention-list">
          {attention.map((item, i) => (
            <li key={i} class="attention">
              {withLocalDates(item.text)}
            </li>
          ))}
        </ul>
      ) : notable(grant.scopes) ? (
        <p>Nothing to note in what this client shares.</p>
      ) : (
        <p>This client shares neither weekly trends nor questionnaire scores, where anything to note would come from.</p>
      )}
      {notable(grant.scopes) && (
        <p class="hint">
          From what the client shares, by the same rules as their own screens: a missed stretch of check-ins, a reliable change for the
          worse, PHQ-9 item 9. Not a diagnosis.
        </p>
      )}
    </div>
  );
}

function LabelForm({ entry, onSaved }: { entry: ConsentingClient; onSaved: (entry: ConsentingClient) => void }) {
  const [label, setLabel] = useState(entry.grant.label ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const chosen = entry.client.display_name;

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await api.labelClient(entry.client.id, label);
      setLabel(saved.grant.label ?? '');
      onSaved(saved);
      notify(saved.grant.label ? `Saved: your records and downloads name this client “${saved.grant.label}”.` : 'Saved: no name of your own.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fieldError = error instanceof ApiError && error.status === 422 ? String(error.errors.label ?? error.message) : undefined;
  return (
    <form class="card" onSubmit={save}>
      <h2>Name in your records and downloads</h2>
      <Field
        label="Name"
        value={label}
        onInput={setLabel}
        maxLength={LABEL_MAX}
        autocomplete="off"
        hint={
          chosen
            ? `Only you see it. Leave it empty to use the name the client chose: ${chosen}.`
            : 'Only you see it. Without one, downloads say “Client” and a code.'
        }
        error={fieldError}
      />
      {error && !fieldError ? (
        <p class="error" role="alert">
          {problemText(error)}
        </p>
      ) : null}
      <button type="submit" class="secondary block" disabled={busy || label.trim() === (entry.grant.label ?? '')}>
        {busy ? 'Saving…' : 'Save the name'}
      </button>
    </form>
  );
}

function ClientTrendsCard({ result }: { result: Result<ClientTrends> }) {
  if ('error' in result) return <p class="callout">{problemText(result.error)}</p>;
  const trends = result.data;
  const weeks = trends.weeks;
  const mean = (key: string) => (trends.weekly[key] ?? []).map((w) => w.mean);
  const figure = (value: number | null | undefined) => (value != null ? one(value) : '–');
  const at = (key: string, i: number) => trends.weekly[key]?.[i];
  return (
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
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Weekly figures: means, then mood’s variability">
        <table class="weekly-figures">
          <thead>
            <tr>
              <td colSpan={2} />
              <th scope="colgroup" colSpan={3}>
                Means (0–10)
              </th>
              <th scope="colgroup" colSpan={2} class="variability">
                Mood’s variability
              </th>
            </tr>
            <tr>
              <th scope="col">Week</th>
              <th scope="col">Days</th>
              <th scope="col">Mood</th>
              <th scope="col">Self-energy</th>
              <th scope="col">Worry about closeness</th>
              <th scope="col" class="variability">
                SD
              </th>
              <th scope="col">RMSSD</th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w, i) => (
              <tr key={w.week}>
                <th scope="row">{weekSpan(w.start, w.end)}</th>
                <td>{w.checkin_days}</td>
                <td>{figure(at('mood', i)?.mean)}</td>
                <td>{figure(at('self_energy', i)?.mean)}</td>
                <td>{figure(at('anxiety', i)?.mean)}</td>
                <td class="variability">{figure(at('mood', i)?.sd)}</td>
                <td>{figure(at('mood', i)?.rmssd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        Variability, after the means: SD is how far a week’s daily moods spread around its mean, RMSSD how much mood changed from one day to
        the next; higher means more up and down, neither better nor worse.
      </p>
      <p class="hint">SD needs at least 5 days in a week and RMSSD at least 4 pairs of consecutive days: “–” where a week has fewer.</p>
    </Chart>
  );
}

function ClientScores({ result }: { result: Result<{ instruments: InstrumentHistory[] }> }) {
  const error = 'error' in result ? result.error : null;
  const history = 'data' in result ? result.data.instruments : null;
  return (
    <div class="card">
      <h2>Questionnaire scores</h2>
      {error ? <p class="callout">{problemText(error)}</p> : null}
      {history !== null && history.length === 0 && <p class="hint">No questionnaire answered yet.</p>}
      {(history ?? []).map((h) => {
        const last = h.series.at(-1);
        return (
          <div key={h.instrument} class="score-history">
            <h3>{h.title}</h3>
            {last && (
              <p>
                Latest: {last.total} on {formatDay(last.local_date)} ({last.band.replace(/_/g, ' ')}). {h.note}
              </p>
            )}
            {h.flag_text && <p class="callout">{withLocalDates(h.flag_text)}</p>}
            <p class="hint">{h.series.map((p) => `${p.total}`).join(' → ')}</p>
          </div>
        );
      })}
    </div>
  );
}

function ClientDigests({ result }: { result: Result<Digest[]> }) {
  const error = 'error' in result ? result.error : null;
  const digests = 'data' in result ? result.data : null;
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

/** `name`: the client's name in the files, the label or the name they chose ('' for neither). */
function Downloads({ id, name }: { id: string; name: string }) {
  const [error, setError] = useState<unknown>(null);
  const save = (kind: keyof typeof FALLBACK_NAME) =>
    download(`/therapist/clients/${encodeURIComponent(id)}/export.${kind}`, `partwise-client-${FALLBACK_NAME[kind]}`).catch(setError);
  return (
    <div class="card">
      <h2>Download</h2>
      <p>
        The shared weekly figures and questionnaire totals, for your records or to prepare a session.{' '}
        {name ? `The files name the client “${name}”.` : 'The files name the client “Client” and a code: give them a name above.'}
      </p>
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

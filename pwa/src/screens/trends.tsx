/**
 * My trends: mood, energy and Self-energy day by day and week by week, with the range's summary.
 * Every figure comes from the API, which leaves out (null) what INSIGHTS.md does not allow yet;
 * this screen says so in words instead of showing a number.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, NetworkError } from '../api';
import { Chart } from '../components/chart';
import { ScreenTitle } from '../components/controls';
import { capitalise, daysBefore, formatDay, listOf, localDate, one, strategyLabel, weekSpan } from '../labels';
import { loadParts } from '../session';
import { useStore } from '../store';
import type { MeasureSummary, Trends } from '../types';

const RANGES = [
  { days: 28, label: '4 weeks' },
  { days: 91, label: '3 months' },
  { days: 182, label: '6 months' },
];

export function TrendsScreen() {
  const { scales } = useStore();
  const [days, setDays] = useState(91);
  const [trends, setTrends] = useState<Trends | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [names, setNames] = useState<Record<string, string>>({});

  useEffect(() => {
    let live = true;
    const to = localDate();
    setError(null);
    api
      .trends(daysBefore(to, days - 1), to)
      .then((t) => live && setTrends(t))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [days]);

  useEffect(() => {
    loadParts(true)
      .then(({ parts }) => setNames(Object.fromEntries(parts.map((p) => [p.id, p.name]))))
      .catch(() => undefined);
  }, []);

  const threshold = scales?.acute_change_threshold ?? null;
  return (
    <section>
      <ScreenTitle>My trends</ScreenTitle>
      <p class="lede">How your inner weather moved. Gaps are days without a check-in; nothing is filled in.</p>
      <fieldset class="segmented">
        <legend>Show the last</legend>
        <div class="segments">
          {RANGES.map((r) => (
            <label class="segment" key={r.days}>
              <input type="radio" name="range" checked={days === r.days} onChange={() => setDays(r.days)} />
              <span>{r.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {error ? (
        <p class="callout" role="status">
          {error instanceof NetworkError ? 'Trends need a connection. Your check-ins are safe on this phone meanwhile.' : 'Your trends could not be loaded just now.'}
        </p>
      ) : null}
      {!trends && !error && <p class="hint">Loading your trends…</p>}
      {trends && <TrendsBody trends={trends} names={names} threshold={threshold} rangeLabel={RANGES.find((r) => r.days === days)!.label} />}
    </section>
  );
}

/** The one plain sentence under the first chart: how many days, and the mood's average. */
function plainSentence(trends: Trends, rangeLabel: string): string {
  const { summary } = trends;
  const days = `You checked in on ${summary.checkin_days} of the last ${summary.days} days`;
  const mood = summary.mood;
  if (!mood || mood.mean === null) return `${days}, without rating your mood yet.`;
  return `Over the last ${rangeLabel}, your mood averaged ${one(mood.mean)} out of 10 on the ${mood.n} ${mood.n === 1 ? 'day' : 'days'} you rated it.`;
}

function TrendsBody({ trends, names, threshold, rangeLabel }: { trends: Trends; names: Record<string, string>; threshold: number | null; rangeLabel: string }) {
  const { summary } = trends;
  if (!summary.checkin_days) {
    return <p class="card">No check-ins in this range yet. Once you have a few, your trends appear here.</p>;
  }
  const mood = trends.daily.mood ?? [];
  const weeks = trends.weekly.mood ?? [];
  const weekly = (key: string) => (trends.weekly[key] ?? []).map((w) => w.mean);
  return (
    <>
      <Chart
        title="Mood, day by day"
        lead={plainSentence(trends, rangeLabel)}
        description={`Each dot is a day's mood; the line smooths them so the direction shows. ${mood.filter((p) => p.value !== null).length} days with a mood.`}
        dates={mood.map((p) => p.date)}
        series={[
          { label: 'Mood', values: mood.map((p) => p.value), color: '--chart-1', style: 'points' },
          { label: 'Smoothed', values: mood.map((p) => p.ewma), color: '--chart-2', style: 'line' },
        ]}
        rowLabel={(d) => formatDay(d)}
      />

      <details class="card details">
        <summary>Details: averages, ups and downs</summary>
        <p>
          You checked in on {summary.checkin_days} of {summary.days} days.
        </p>
        {summary.mood && <MeasureText name="mood" m={summary.mood} threshold={threshold} />}
        {summary.energy && <MeasureText name="energy" m={summary.energy} threshold={threshold} brief />}
        {summary.self_energy?.mean != null && (
          <>
            <h3>Self-energy</h3>
            <p>
              The 8 Cs averaged {one(summary.self_energy.mean)} out of 10 over {summary.self_energy.n} days.
              {summary.self_energy.strongest.length > 0 &&
                ` ${capitalise(listOf(summary.self_energy.strongest))} was strongest; ${listOf(summary.self_energy.weakest)} was quieter.`}
            </p>
          </>
        )}
      </details>

      <a class="card digest-link" href="#/digests">
        <strong>Your weekly reflections</strong>
        <span>A few true sentences about each week: this one so far, and every week before.</span>
      </a>

      {weeks.length > 0 && (
        <Chart
          title="Mood, energy and Self-energy, week by week"
          description={`Weekly averages over ${weeks.length} local weeks (Monday to Sunday).`}
          dates={weeks.map((w) => w.start)}
          series={[
            { label: 'Mood', values: weekly('mood'), color: '--chart-1', style: 'line' },
            { label: 'Energy', values: weekly('energy'), color: '--chart-3', style: 'line' },
            { label: 'Self-energy', values: weekly('self_energy'), color: '--chart-2', style: 'line' },
          ]}
          rowHeader="Week"
          rowLabel={(_, i) => weekSpan(weeks[i].start, weeks[i].end)}
        />
      )}

      <PartsByWeek trends={trends} names={names} />

      {summary.parts && summary.parts.length > 0 && (
        <div class="card">
          <h2>Parts that showed up</h2>
          <ul class="plain facts">
            {summary.parts.slice(0, 6).map((p) => (
              <li key={p.part}>
                <strong>{names[p.part] ?? 'A part'}</strong>: on {p.days} {p.days === 1 ? 'day' : 'days'}
                {p.blended_known > 0 && `, blended ${p.blended} of ${p.blended_known} times noted`}
              </li>
            ))}
          </ul>
        </div>
      )}

      {summary.regulation && summary.regulation.episodes > 0 && (
        <div class="card">
          <h2>Hard moments</h2>
          <p>
            You noted {summary.regulation.episodes} hard {summary.regulation.episodes === 1 ? 'moment' : 'moments'}.
            {summary.regulation.mean_success != null && ` On average, what you tried helped ${one(summary.regulation.mean_success)} out of 10.`}
            {summary.regulation.median_minutes_to_settle != null && ` Settling took a median of ${summary.regulation.median_minutes_to_settle} minutes.`}
          </p>
          {summary.regulation.best_strategies.length > 0 && (
            <>
              <p>How much each helped (only what you tried at least twice):</p>
              <ul class="plain facts">
                {summary.regulation.best_strategies.slice(0, 3).map((s) => (
                  <li key={s.strategy}>
                    {capitalise(listOf([s.strategy, ...(s.used_with ?? [])].map(strategyLabel)))}
                    {s.used_with?.length ? ' (always used together, so which one helped cannot be told apart)' : ''}: {one(s.mean_success)} out of
                    10, over {s.n} times
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </>
  );
}

const PART_COLOURS = ['--chart-1', '--chart-2', '--chart-3'];

/** The three most active parts: on how many days of each week they showed up. */
function PartsByWeek({ trends, names }: { trends: Trends; names: Record<string, string> }) {
  const weeks = trends.weekly.mood ?? [];
  const top = (trends.summary.parts ?? []).slice(0, PART_COLOURS.length);
  if (!top.length || weeks.length < 2) return null;
  const byWeek = new Map((trends.weekly_parts ?? []).map((w) => [w.week, w]));
  const series = top.map((part, i) => ({
    label: names[part.part] ?? `Part ${i + 1}`,
    color: PART_COLOURS[i],
    style: 'line' as const,
    values: weeks.map((w) => {
      const week = byWeek.get(w.week);
      // A week without check-ins says nothing about a part: a gap, not a zero.
      if (!week?.checkin_days) return null;
      return week.parts.find((p) => p.part === part.part)?.days ?? 0;
    }),
  }));
  return (
    <Chart
      title="Parts, week by week"
      description="On how many days of each week your most active parts showed up (weeks without a check-in are gaps)."
      dates={weeks.map((w) => w.start)}
      series={series}
      yMax={7}
      ySplits={[0, 1, 2, 3, 4, 5, 6, 7]}
      rowHeader="Week"
      rowLabel={(_, i) => weekSpan(weeks[i].start, weeks[i].end)}
    />
  );
}

/** A measure's mean, spread and day-to-day change in words, only as far as the data allows. */
function MeasureText({ name, m, threshold, brief = false }: { name: string; m: MeasureSummary; threshold: number | null; brief?: boolean }) {
  if (m.mean === null) return null;
  const facts: string[] = [];
  let level = `Averaged ${one(m.mean)} out of 10 over ${m.n} ${m.n === 1 ? 'day' : 'days'}`;
  if (m.ci95) level += `; allowing for day-to-day ups and downs, its typical level was likely between ${one(m.ci95[0])} and ${one(m.ci95[1])}`;
  facts.push(`${level}.`);
  // What is left out is said, with the server's reason when it gives one.
  const why = (figure: keyof MeasureSummary['withheld'], fallback: string) => m.withheld?.[figure] ?? fallback;
  facts.push(m.sd !== null ? `Moved about ${one(m.sd)} points around its average.` : `How much it varies: ${why('sd', 'too few days yet (under 5).')}`);
  if (!brief) {
    if (m.rmssd !== null) {
      let change = `From one day to the next, typically changed by about ${one(m.rmssd)} points`;
      if (m.pac !== null && threshold !== null) {
        change += `; ${Math.round(m.pac * m.pairs)} of ${m.pairs} day-to-day changes were ${threshold} points or more`;
      }
      facts.push(`${change}.`);
    } else {
      facts.push(`Day-to-day change: ${why('rmssd', 'shows once there are at least 4 pairs of consecutive days.')}`);
    }
    if (m.inertia !== null) {
      // The definition, not a verdict: how large a carry-over matters is not ours to say.
      facts.push(
        `Carry-over from one day to the next (inertia): ${m.inertia.toFixed(2)}, on a scale from −1 to 1 where near 0 means one day's ${name} says little about the next, and higher means it tends to linger.`,
      );
    } else if (m.withheld?.inertia) {
      facts.push(`Carry-over from one day to the next (inertia): not shown yet. ${m.withheld.inertia}`);
    }
  }
  return (
    <>
      <h3>{capitalise(name)}</h3>
      <ul class="plain facts">
        {facts.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
    </>
  );
}

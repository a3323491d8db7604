/** Weekly reflections: this week so far, and every finished week's digest (text from the API). */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, NetworkError } from '../api';
import { ScreenTitle } from '../components/controls';
import { one, weekSpan } from '../labels';
import type { Digest } from '../types';

function unavailable(error: unknown): string {
  if (error instanceof NetworkError) return 'Your reflections need a connection. Please try again when you are back online.';
  if (error instanceof ApiError && error.status === 404) return 'There is no reflection for this week: it has no check-ins.';
  return 'This could not be loaded just now.';
}

/** "6 check-in days · mood 6.6 on average" */
function figures(d: Digest): string {
  const days = `${d.data.checkin_days} check-in ${d.data.checkin_days === 1 ? 'day' : 'days'}`;
  const mood = d.data.mood?.mean;
  return mood == null ? days : `${days} · mood ${one(mood)} on average`;
}

export function DigestList() {
  const [current, setCurrent] = useState<Digest | null | undefined>(undefined);
  const [past, setPast] = useState<Digest[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api
      .digest('current')
      .then(setCurrent)
      .catch(() => setCurrent(null)); // no check-in this week yet
    api.digests().then(setPast).catch(setError);
  }, []);

  return (
    <section>
      <ScreenTitle>Weekly reflections</ScreenTitle>
      <p class="lede">Each week, a few true sentences about how it went. The fewer the check-ins, the less they claim.</p>
      {current && (
        <a class="card digest-link current" href="#/digests/current">
          <span class="badge">This week so far</span>
          <strong>{weekSpan(current.start, current.end)}</strong>
          <span class="excerpt">{current.summary.headline ?? current.summary.paragraph}</span>
        </a>
      )}
      {error ? <p class="callout">{unavailable(error)}</p> : null}
      {past === null && !error && <p class="hint">Loading…</p>}
      {past !== null && past.length === 0 && current === null && (
        <p class="hint">Your first reflection appears after a week with check-ins.</p>
      )}
      {past !== null && past.length > 0 && (
        <>
          <h2>Past weeks</h2>
          <ul class="plain">
            {past.map((d) => (
              <li key={d.week}>
                <a class="card digest-link" href={`#/digests/${d.week}`}>
                  <strong>{weekSpan(d.start, d.end)}</strong>
                  {d.summary.headline && <span>{d.summary.headline}</span>}
                  <span class="hint">{figures(d)}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function DigestView({ week }: { week: string }) {
  const [digest, setDigest] = useState<Digest | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setDigest(null);
    setError(null);
    api.digest(week).then(setDigest).catch(setError);
  }, [week]);

  return (
    <section>
      <ScreenTitle>{digest ? `Your week, ${weekSpan(digest.start, digest.end)}` : 'Your week'}</ScreenTitle>
      {digest?.in_progress && <p class="callout">This week is still under way: what you read here will change as you check in.</p>}
      {error ? <p class="callout">{unavailable(error)}</p> : null}
      {!digest && !error && <p class="hint">Loading…</p>}
      {digest && <Reflection digest={digest} />}
      <p>
        <a class="standalone" href="#/digests">All weekly reflections</a>
      </p>
    </section>
  );
}

/** The reflection's whole text: its paragraph and bullets, as the server wrote them. */
function WholeText({ paragraph, bullets }: { paragraph: string; bullets: string[] }) {
  return (
    <>
      <p class="digest-paragraph">{paragraph}</p>
      {bullets.length > 0 && (
        <ul>
          {bullets.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
    </>
  );
}

/** A headline, at most three highlights, and the whole text for whoever wants it. */
function Reflection({ digest }: { digest: Digest }) {
  const { headline, highlights, paragraph, bullets } = digest.summary;
  if (!headline) {
    // From a server that does not write headlines yet: the whole text, as it comes.
    return (
      <article class="card digest">
        <WholeText paragraph={paragraph} bullets={bullets} />
      </article>
    );
  }
  return (
    <article class="card digest">
      <p class="digest-headline">{headline}</p>
      {highlights && highlights.length > 0 && (
        <ul class="highlights">
          {highlights.slice(0, 3).map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
      )}
      <details>
        <summary>Read the whole reflection</summary>
        <WholeText paragraph={paragraph} bullets={bullets} />
      </details>
    </article>
  );
}

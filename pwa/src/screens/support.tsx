/** Someone to talk to now: the crisis resources configured for this deployment and language. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { kvGet, kvSet } from '../db';
import { ScreenTitle } from '../components/controls';
import type { CrisisResource, CrisisResources } from '../types';

const tel = (number: string) => `tel:${number.replace(/[^\d+]/g, '')}`;
const sms = (number: string) => `sms:${number.replace(/[^\d+]/g, '')}`;

/** The lines as cards; `level` is their heading's level where they sit (2 on a screen of their own). */
export function CrisisList({ resources, level = 2 }: { resources: CrisisResource[]; level?: 2 | 3 | 4 }) {
  const Heading = `h${level}` as 'h2';
  return (
    <ul class="plain crisis">
      {resources.map((r) => (
        <li key={r.name} class="card">
          <Heading>{r.name}</Heading>
          <p>{r.description}</p>
          <div class="crisis-actions">
            {r.phone && (
              <a class="button primary" href={tel(r.phone)}>
                Call {r.phone}
              </a>
            )}
            {r.text && (
              <a class="button secondary" href={sms(r.text)}>
                Text {r.text}
              </a>
            )}
            {r.url && (
              <a class="button secondary" href={r.url} target="_blank" rel="noopener noreferrer">
                Visit {new URL(r.url).host}
                <span class="sr-only"> (opens in a new tab)</span>
              </a>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Shown even offline: this list stays on the phone once it has been fetched. */
const FALLBACK: CrisisResources = {
  locale: 'default',
  message: 'If you are in immediate danger or might hurt yourself, please call your local emergency number now.',
  resources: [],
};

/**
 * The crisis lines: this phone's copy at once (kept since log-in, so offline too), then the
 * server's, and a plain "call your emergency number" when there is neither.
 */
export function useCrisisResources(): CrisisResources | null {
  const [data, setData] = useState<CrisisResources | null>(null);
  useEffect(() => {
    let live = true;
    let fresh = false;
    void kvGet('crisis').then((cached) => live && !fresh && cached && setData(cached));
    api
      .crisisResources()
      .then((d) => {
        fresh = true;
        if (live) setData(d);
        void kvSet('crisis', d);
      })
      .catch(async () => live && !fresh && setData((await kvGet('crisis')) ?? FALLBACK));
    return () => {
      live = false;
    };
  }, []);
  return data;
}

export function Support() {
  const data = useCrisisResources();
  return (
    <section>
      <ScreenTitle>Talk to someone now</ScreenTitle>
      <p class="lede">{data?.message ?? 'Loading…'}</p>
      {data && <CrisisList resources={data.resources} />}
      <p class="hint">Partwise is a journal, not an emergency service, and nobody is alerted by what you write here.</p>
    </section>
  );
}

/** A check-in's answers in words: the review step and any check-in kept on the phone. */
import { capitalise, strategyLabel } from '../labels';
import type { CheckinCreate } from '../types';

const yesNo = (v: boolean | null | undefined) => (v === true ? 'yes' : v === false ? 'no' : null);

export function summarise(body: CheckinCreate, partNames: Record<string, string> = {}): [string, string][] {
  const rows: [string, string][] = [];
  if (body.mood != null) rows.push(['Mood', `${body.mood} of 10`]);
  if (body.energy != null) rows.push(['Energy', `${body.energy} of 10`]);
  if (body.emotions?.length) {
    rows.push(['Emotions', body.emotions.map((e) => (e.intensity != null ? `${e.name} (${e.intensity})` : e.name)).join(', ')]);
  }
  if (body.parts?.length) {
    const parts = body.parts.map((p) => {
      const bits = [p.intensity != null ? `${p.intensity}` : '', p.blended ? 'blended' : ''].filter(Boolean);
      return `${partNames[p.part] ?? 'a part'}${bits.length ? ` (${bits.join(', ')})` : ''}`;
    });
    rows.push(['Parts here', parts.join(', ')]);
  }
  const self = Object.entries(body.self_energy ?? {}).filter(([, v]) => v != null);
  if (self.length) rows.push(['Self-energy', self.map(([c, v]) => `${c} ${v}`).join(', ')]);
  const r = body.regulation;
  if (r?.occurred === false) rows.push(['A hard moment', 'no']);
  else if (r) {
    const bits = [
      r.peak_intensity != null ? `peak ${r.peak_intensity}` : '',
      r.strategies?.length ? `tried ${r.strategies.map(strategyLabel).join(', ')}` : '',
      r.success != null ? `helped ${r.success} of 10` : '',
      r.minutes_to_settle != null ? `settled after ${r.minutes_to_settle} min` : '',
    ].filter(Boolean);
    rows.push(['A hard moment', bits.join('; ') || 'yes']);
  }
  const a = body.attachment;
  if (a) {
    const bits = [
      a.anxiety != null ? `worry about closeness ${a.anxiety}` : '',
      a.avoidance != null ? `pulling away ${a.avoidance}` : '',
      yesNo(a.reached_out) ? `reached out: ${yesNo(a.reached_out)}` : '',
      yesNo(a.felt_supported) ? `felt supported: ${yesNo(a.felt_supported)}` : '',
    ].filter(Boolean);
    if (bits.length) rows.push(['Closeness', bits.join('; ')]);
  }
  if (body.inner_child_note) rows.push(['Inner child', body.inner_child_note]);
  if (body.note) rows.push(['Note', body.note]);
  return rows.map(([k, v]) => [k, capitalise(v)]);
}

export function Summary({ body, partNames }: { body: CheckinCreate; partNames?: Record<string, string> }) {
  const rows = summarise(body, partNames);
  if (!rows.length) return <p class="hint">No answers yet.</p>;
  return (
    <dl class="summary">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * A line chart (uPlot, loaded only when a chart is first shown, so the first load stays small),
 * with a text alternative: a one-sentence description and the same numbers as a table.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';

export interface Series {
  label: string;
  values: (number | null)[];
  /** CSS custom property holding the colour, so dark mode follows. */
  color: string;
  /** Points only (raw daily values) or a line (smoothed or weekly values). */
  style: 'points' | 'line';
}

interface ChartProps {
  title: string;
  /** One plain sentence above the chart: what it says, for everyone. */
  lead?: string;
  /** What the chart shows, in words, for screen readers and as its caption. */
  description: string;
  /** The x axis: ISO dates (a day, or the Monday of a week). */
  dates: string[];
  series: Series[];
  yMin?: number;
  yMax?: number;
  /** Where the y axis has its lines and numbers (default: every 2 of 0-10). */
  ySplits?: number[];
  /** The table's first column: its heading and how it names a row ("Mon 3 Nov", "Week 45"). */
  rowHeader?: string;
  rowLabel?: (date: string, index: number) => string;
  children?: ComponentChildren;
}

const loadUPlot = () => Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default);

/** Local midnight of an ISO date, in seconds (uPlot's time scale). */
const toSeconds = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y, m - 1, d).getTime() / 1000;
};

const shortDate = (d: Date) => d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
const fmt = (v: number | null) => (v === null ? '–' : (Math.round(v * 10) / 10).toString());

function options(props: ChartProps, width: number): uPlot.Options {
  const grid = { stroke: css('--line'), width: 1 };
  const axis = { stroke: css('--muted'), grid, ticks: grid, font: '12px system-ui, sans-serif' };
  return {
    width,
    height: 200,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true }, y: { range: [props.yMin ?? 0, props.yMax ?? 10] } },
    // Dates on the axis in the app's one format ("5 Dec"), not uPlot's own ("12/5").
    axes: [{ ...axis, space: 60, values: (_u, splits) => splits.map((t) => shortDate(new Date(t * 1000))) }, { ...axis, size: 36, splits: () => props.ySplits ?? [0, 2, 4, 6, 8, 10] }],
    series: [
      {},
      ...props.series.map((s) => ({
        label: s.label,
        stroke: css(s.color),
        width: s.style === 'line' ? 2.5 : 0,
        spanGaps: false,
        paths: s.style === 'points' ? () => null : undefined,
        points: s.style === 'points' ? { show: true, size: 7, fill: css(s.color), stroke: css(s.color) } : { show: props.dates.length < 20, size: 6 },
      })),
    ],
  };
}

export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let plot: uPlot | undefined;
    let observer: ResizeObserver | undefined;
    let live = true;
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    const data = [props.dates.map(toSeconds), ...props.series.map((s) => s.values)] as uPlot.AlignedData;

    const draw = (U: typeof uPlot) => {
      if (!live || !box.current) return;
      plot?.destroy();
      plot = new U(options(props, box.current.clientWidth), data, box.current);
    };
    loadUPlot()
      .then((U) => {
        draw(U);
        observer = new ResizeObserver(() => plot && box.current && plot.setSize({ width: box.current.clientWidth, height: 200 }));
        if (box.current) observer.observe(box.current);
        scheme.onchange = () => draw(U); // colours come from CSS: redraw in the new scheme
      })
      .catch(() => live && setFailed(true)); // offline before the chart code was cached
    return () => {
      live = false;
      scheme.onchange = null;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [props.dates.join(), props.series.map((s) => s.values.join()).join('|')]);

  const label = props.rowLabel ?? ((d: string) => d);
  return (
    <figure class="chart card">
      <h2>{props.title}</h2>
      {props.lead && <p class="chart-lead">{props.lead}</p>}
      <div class="chart-key" aria-hidden="true">
        {props.series.map((s) => (
          <span key={s.label} class={`key ${s.style}`} style={{ '--key': `var(${s.color})` }}>
            {s.label}
          </span>
        ))}
      </div>
      <div class="chart-plot" ref={box} role="img" aria-label={`${props.title}: ${props.description}`}>
        {failed && <p class="hint">The chart can be drawn when you are back online. The numbers are in the table below.</p>}
      </div>
      <figcaption class="hint">{props.description}</figcaption>
      {props.children}
      <details>
        <summary>Show the numbers</summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={`${props.title} as a table`}>
          <table>
            <thead>
              <tr>
                <th scope="col">{props.rowHeader ?? 'Day'}</th>
                {props.series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.dates.map((d, i) => (
                <tr key={d}>
                  <th scope="row">{label(d, i)}</th>
                  {props.series.map((s) => (
                    <td key={s.label}>{fmt(s.values[i])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

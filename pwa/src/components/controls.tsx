/** Small accessible controls: rating slider, chips, yes/no, switch, text fields. */
import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';
import type { Rating as RatingValue } from '../types';

interface RatingProps {
  label: string;
  low: string;
  high: string;
  value: RatingValue | undefined;
  onChange: (value: RatingValue) => void;
  /** Optional answers start unrated and can be cleared again. */
  optional?: boolean;
  hint?: string;
}

/** Keys that move a slider: the first one rates an unrated slider (from its middle). */
const SLIDER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * A 0-10 slider with words at both ends. Unrated until touched, so no default is recorded: an
 * unrated slider shows no thumb, and the first tap sets the value where it lands.
 */
export function Rating({ label, low, high, value, onChange, optional = true, hint }: RatingProps) {
  const id = useId();
  const unset = value === null || value === undefined;
  const touch = () => unset && onChange(5);
  return (
    <div class={`rating${unset ? ' unset' : ''}`}>
      <div class="rating-head">
        <label for={id}>{label}</label>
        <span class="rating-value" aria-hidden="true">
          {unset ? 'not rated' : value}
        </span>
      </div>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      <input
        id={id}
        style={{ '--fill': unset ? '0%' : `${value * 10}%` }}
        type="range"
        min={0}
        max={10}
        step={1}
        value={unset ? 5 : value}
        aria-valuetext={unset ? 'not rated yet' : `${value} of 10`}
        aria-describedby={`${id}-ends${hint ? ` ${id}-hint` : ''}`}
        onPointerDown={touch}
        onKeyDown={(e) => SLIDER_KEYS.has(e.key) && touch()}
        onInput={(e) => onChange(Number((e.target as HTMLInputElement).value))}
      />
      <div class="rating-ends" id={`${id}-ends`}>
        <span>0 = {low}</span>
        <span>10 = {high}</span>
      </div>
      {optional && (
        <button type="button" class="link clear" hidden={unset} onClick={() => onChange(null)}>
          Clear<span class="sr-only"> {label}</span>
        </button>
      )}
    </div>
  );
}

interface ChipsProps {
  legend: string;
  options: { value: string; label: string }[];
  selected: string[];
  onToggle: (value: string) => void;
  hint?: string;
}

export function Chips({ legend, options, selected, onToggle, hint }: ChipsProps) {
  return (
    <fieldset class="chips">
      <legend>{legend}</legend>
      {hint && <p class="hint">{hint}</p>}
      <div class="chip-row">
        {options.map((o) => (
          <button
            type="button"
            key={o.value}
            class="chip"
            aria-pressed={selected.includes(o.value)}
            onClick={() => onToggle(o.value)}
          >
            {o.label}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

interface YesNoProps {
  legend: string;
  value: boolean | null | undefined;
  onChange: (value: boolean | null) => void;
}

export function YesNo({ legend, value, onChange }: YesNoProps) {
  const name = useId();
  const choices: [string, boolean | null][] = [['Yes', true], ['No', false], ['Not answered', null]];
  return (
    <fieldset class="segmented">
      <legend>{legend}</legend>
      <div class="segments">
        {choices.map(([label, v]) => (
          <label key={label} class="segment">
            <input type="radio" name={name} checked={(value ?? null) === v} onChange={() => onChange(v)} />
            <span>{label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function Switch({ label, checked, onChange }: { label: ComponentChildren; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label class="switch">
      <input type="checkbox" role="switch" checked={checked} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />
      <span class="switch-track" aria-hidden="true" />
      <span class="switch-label">{label}</span>
    </label>
  );
}

interface FieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'time';
  multiline?: boolean;
  hint?: string;
  error?: string;
  required?: boolean;
  autocomplete?: string;
  maxLength?: number;
  inputMode?: 'numeric' | 'email' | 'text';
  list?: string;
  rows?: number;
}

export function Field(props: FieldProps) {
  const id = useId();
  const { label, value, onInput, type = 'text', multiline, hint, error, required, autocomplete, maxLength, inputMode, list, rows = 3 } = props;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    required,
    maxLength,
    autocomplete,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
    onInput: (e: Event) => onInput((e.target as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={id}>
        {label}
        {!required && <span class="optional"> (optional)</span>}
      </label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {multiline ? (
        <textarea {...common} rows={rows} />
      ) : (
        <input {...(({ ...common, type, inputMode, list } as unknown) as JSX.IntrinsicElements['input'])} />
      )}
      {error && (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A password being chosen (sign-up, a change): the one place its rule is said. */
export function NewPasswordField({ label, value, onInput, error }: { label: string; value: string; onInput: (v: string) => void; error?: string }) {
  return (
    <Field
      label={label}
      type="password"
      value={value}
      onInput={onInput}
      required
      autocomplete="new-password"
      hint="At least 10 characters. A short sentence works well."
      error={error}
    />
  );
}

/** A screen's heading; the app focuses it after navigation so screen readers announce it. */
export function ScreenTitle({ children }: { children: ComponentChildren }) {
  return (
    <h1 tabIndex={-1} class="screen-title">
      {children}
    </h1>
  );
}

/**
 * First use, right after sign-up: what parts are, in plain words; naming a first part; and a
 * daily reminder, which turns on only with notifications on this phone (the browser asks only
 * when the person taps). Every step can be skipped; nothing here is needed to start.
 */
import { useRef, useState } from 'preact/hooks';
import { api, problemText } from '../api';
import { Field } from '../components/controls';
import { kvSet } from '../db';
import { enablePush, type PushState } from '../push';
import { navigate } from '../router';
import { rememberPart } from '../session';
import { getState, notify, setState, useStore } from '../store';

const EXAMPLES = ['The Worrier', 'The Busy One', 'The Inner Critic', 'Little One'];

const PUSH_PROBLEM: Partial<Record<PushState, string>> = {
  unsupported: 'This browser cannot show notifications from Partwise. On an iPhone, add Partwise to your home screen first. You can turn reminders on later under Me.',
  unavailable: 'This server is not set up to send notifications, so there are no reminders for now.',
  denied: 'Notifications are blocked for Partwise in this browser’s settings, so reminders could not be turned on. You can allow them there and turn reminders on under Me.',
  off: 'Notifications were not allowed, so reminders stay off. You can turn them on later under Me.',
};

export function Welcome() {
  const { session } = useStore();
  const [step, setStep] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const go = (next: number) => {
    setStep(next);
    window.scrollTo(0, 0);
    setTimeout(() => heading.current?.focus());
  };
  const finish = () => navigate('/today', true);
  const titles = ['Welcome to Partwise', 'Name a first part', 'A gentle daily reminder'];
  const name = session?.user.display_name;
  return (
    <section class="welcome">
      <div class="flow-top">
        <p class="progress-label" id="welcome-progress">
          {step + 1} of {titles.length}
        </p>
        <progress max={titles.length} value={step + 1} aria-labelledby="welcome-progress" />
        <button type="button" class="link" onClick={finish}>
          Skip the welcome
        </button>
      </div>
      <h1 tabIndex={-1} ref={heading} class="screen-title">
        {step === 0 && name ? `Welcome, ${name}` : titles[step]}
      </h1>
      {step === 0 && <Intro onNext={() => go(1)} />}
      {step === 1 && <FirstPart onNext={() => go(2)} />}
      {step === 2 && <Reminder onDone={finish} />}
    </section>
  );
}

function Intro({ onNext }: { onNext: () => void }) {
  return (
    <>
      <p class="lede">A journal for the many sides of you.</p>
      <p>
        Most of us know the feeling of being “of two minds”. Parts work takes that seriously: we all have <strong>parts</strong>, like a worried
        part that plans for the worst, a busy part that keeps us going, or a young part that still carries an old hurt. Each one is trying to
        help, even when it does not feel that way.
      </p>
      <p>
        Under the parts there is a calm, curious you, called <strong>Self</strong>. Noticing your parts from there, with kindness instead of
        judgement, is what this journal is for.
      </p>
      <p>Each day you can note your mood in two taps, or take a few minutes for more. Only you decide what, if anything, your therapist sees.</p>
      <button type="button" class="primary block" onClick={onNext}>
        Next
      </button>
    </>
  );
}

function FirstPart({ onNext }: { onNext: () => void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function save(e: Event) {
    e.preventDefault();
    if (!name.trim()) return onNext();
    setBusy(true);
    setError(null);
    try {
      const part = await api.createPart({ name: name.trim() });
      await rememberPart(part);
      notify(`${part.name} is on your parts map.`);
      onNext();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={save}>
      <p class="lede">Is there a part of you that you already notice often? Giving it a name helps you spot it.</p>
      <Field label="Its name" value={name} onInput={setName} maxLength={80} hint="Any name that fits. You can change it, or add more, under Parts." />
      <fieldset class="chips">
        <legend>Or start from one of these</legend>
        <div class="chip-row">
          {EXAMPLES.map((x) => (
            <button type="button" class="chip" key={x} aria-pressed={name === x} onClick={() => setName(x)}>
              {x}
            </button>
          ))}
        </div>
      </fieldset>
      {error ? (
        <p class="error" role="alert">
          {problemText(error, { offline: 'Naming a part needs a connection. You can skip this and add it under Parts later.' })}
        </p>
      ) : null}
      <div class="flow-actions">
        <button type="button" class="secondary" onClick={onNext}>
          Not now
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : name.trim() ? 'Save this part' : 'Next'}
        </button>
      </div>
    </form>
  );
}

function Reminder({ onDone }: { onDone: () => void }) {
  const [time, setTime] = useState('20:00');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');

  async function turnOn(e: Event) {
    e.preventDefault();
    const session = getState().session;
    if (!session) return;
    setBusy(true);
    setProblem('');
    try {
      // Reminders are turned on only when this phone can show them: otherwise they would look on
      // and never come.
      const state = await enablePush(session.user.id);
      if (state !== 'on') {
        setProblem(PUSH_PROBLEM[state] ?? 'Reminders could not be turned on.');
        return;
      }
      const user = await api.updateMe({ reminders: { enabled: true, local_time: time } });
      const fresh = { ...session, user };
      await kvSet('session', fresh);
      setState({ session: fresh });
      notify(`Reminders are on, at ${time}.`);
      onDone();
    } catch (err) {
      setProblem(problemText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={turnOn}>
      <p class="lede">A short nudge at a time that suits you. It never says anything about your journal: a lock screen is not private.</p>
      <Field label="Remind me at" type="time" value={time} onInput={setTime} required hint="Every day, in your time zone. You can change days and time under Me." />
      <p class="hint">When you tap “Turn on reminders”, your browser asks whether Partwise may show notifications.</p>
      {problem && (
        <p class="callout" role="alert">
          {problem}
        </p>
      )}
      <div class="flow-actions">
        <button type="button" class="secondary" onClick={onDone}>
          {problem ? 'Go to Today' : 'Not now'}
        </button>
        <button type="submit" class="primary" disabled={busy || !time}>
          {busy ? 'Turning on…' : 'Turn on reminders'}
        </button>
      </div>
    </form>
  );
}

/** Log in and sign up (client or therapist). */
import { useState } from 'preact/hooks';
import { api, fieldError, problemText } from '../api';
import { Field, NewPasswordField, ScreenTitle } from '../components/controls';
import { HOME, navigate } from '../router';
import { startSession } from '../session';
import { useStore } from '../store';

const problem = (error: unknown) =>
  problemText(error, { offline: 'You seem to be offline. Logging in needs a connection.', invalid: 'Please check the fields marked below.' });

export function Login() {
  const { loginReason } = useStore();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api.login(email.trim(), password);
      await startSession(session);
      navigate(HOME[session.user.role], true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="auth">
      <ScreenTitle>Welcome back</ScreenTitle>
      <p class="lede">A few quiet minutes with yourself and your parts.</p>
      {loginReason && <p class="callout" role="status">{loginReason}</p>}
      <form onSubmit={submit} noValidate={false}>
        <Field label="Email" type="email" value={email} onInput={setEmail} required autocomplete="username" inputMode="email" error={fieldError(error, 'email')} />
        <Field label="Password" type="password" value={password} onInput={setPassword} required autocomplete="current-password" error={fieldError(error, 'password')} />
        {error ? <p class="error" role="alert">{problem(error)}</p> : null}
        <button class="primary block" type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p class="switch-screen">
        New here? <a href="#/signup">Create an account</a>
      </p>
    </section>
  );
}

export function Signup() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<'client' | 'therapist'>('client');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
      const session = await api.register({ email: email.trim(), password, role, display_name: name.trim(), timezone });
      await startSession(session);
      // A new client first meets a short welcome; a therapist goes straight to their clients.
      navigate(role === 'client' ? '/welcome' : HOME[role], true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="auth">
      <ScreenTitle>Create your account</ScreenTitle>
      <p class="lede">Your journal is private. Only you decide what, if anything, your therapist sees.</p>
      <form onSubmit={submit}>
        <fieldset class="segmented">
          <legend>I am joining as</legend>
          <div class="segments">
            <label class="segment">
              <input type="radio" name="role" checked={role === 'client'} onChange={() => setRole('client')} />
              <span>Someone in therapy</span>
            </label>
            <label class="segment">
              <input type="radio" name="role" checked={role === 'therapist'} onChange={() => setRole('therapist')} />
              <span>A therapist</span>
            </label>
          </div>
        </fieldset>
        <Field label="What should we call you?" value={name} onInput={setName} autocomplete="nickname" maxLength={80} error={fieldError(error, 'display_name')} />
        <Field label="Email" type="email" value={email} onInput={setEmail} required autocomplete="email" inputMode="email" error={fieldError(error, 'email')} />
        <NewPasswordField label="Password" value={password} onInput={setPassword} error={fieldError(error, 'password')} />
        {error ? <p class="error" role="alert">{problem(error)}</p> : null}
        <button class="primary block" type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p class="switch-screen">
        Already have an account? <a href="#/login">Log in</a>
      </p>
    </section>
  );
}

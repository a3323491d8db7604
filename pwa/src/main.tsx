import { render } from 'preact';
import { App } from './app';
import { OPEN_MESSAGE } from './push-payload';
import { navigate } from './router';
import { endSession, restoreSession } from './session';
import { setAuthLostHandler, startSync } from './sync';
import './styles.css';

setAuthLostHandler(() => void endSession('Your session has ended. Please log in again.'));

async function start() {
  render(<App />, document.getElementById('app')!);
  await restoreSession();
  startSync();
  if (import.meta.env.PROD && 'serviceWorker' in navigator) {
    // After the first render, so installing the worker never delays the first paint.
    navigator.serviceWorker.register('/sw.js').catch(() => {
      /* no worker (private mode, old browser): the app still works online */
    });
    // A tapped notification while the app is open: go to its screen.
    navigator.serviceWorker.addEventListener('message', (event) => {
      if (event.data?.type === OPEN_MESSAGE && typeof event.data.path === 'string') navigate(event.data.path);
    });
  }
}

void start();

/** Hash routing: works from any static host and needs no server fallback. */
import { useEffect, useState } from 'preact/hooks';
import type { Role } from './types';

/** Where each role lands after logging in, and when a path is not theirs. */
export const HOME: Record<Role, string> = { client: '/today', therapist: '/clients' };

export function currentPath(): string {
  const path = location.hash.replace(/^#/, '');
  return path.startsWith('/') ? path : '/today';
}

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', `#${path}`);
  else location.hash = path;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const onChange = () => setPath(currentPath());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return path;
}

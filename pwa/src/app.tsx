/** The shell: app bar, the current screen, the bottom tab bar and the polite live region. */
import { useEffect, useRef } from 'preact/hooks';
import { localDate } from './labels';
import { HOME, navigate, useRoute } from './router';
import { Login, Signup } from './screens/auth';
import { CheckinFlow } from './screens/checkin';
import { JournalEntryView, JournalList } from './screens/journal';
import { MyData } from './screens/data';
import { DigestList, DigestView } from './screens/digests';
import { Home } from './screens/home';
import { PartForm, PartsList } from './screens/parts';
import { QuestionnaireForm, QuestionnaireList } from './screens/questionnaires';
import { Settings } from './screens/settings';
import { Sharing } from './screens/sharing';
import { Support } from './screens/support';
import { CaseloadView, ClientView, Clients } from './screens/therapist';
import { TrendsScreen } from './screens/trends';
import { Welcome } from './screens/welcome';
import { screenChanged, useStore } from './store';
import type { Role } from './types';

interface Tab {
  path: string;
  /** Other screens this tab stands for (shown as current there). */
  also?: string[];
  label: string;
  icon: string; // an SVG path, 24x24
  roles: Role[];
}

const TABS: Tab[] = [
  { path: '/today', label: 'Today', icon: 'M12 4a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm0 3v5l3 2', roles: ['client'] },
  { path: '/journal', label: 'Journal', icon: 'M6 3h11a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H6zM6 3a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2M9 8h6M9 12h6', roles: ['client'] },
  { path: '/trends', also: ['/digests'], label: 'Trends', icon: 'M4 19h16M5 15l4-5 4 3 6-7', roles: ['client'] },
  { path: '/parts', label: 'Parts', icon: 'M12 9.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5ZM12 3v3M12 18v3M4.2 7.5l2.6 1.5M17.2 15l2.6 1.5M4.2 16.5l2.6-1.5M17.2 9l2.6-1.5', roles: ['client'] },
  { path: '/clients', label: 'Clients', icon: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7Zm-6 9a6 6 0 0 1 12 0M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14a6 6 0 0 1 3 6', roles: ['therapist'] },
  { path: '/caseload', label: 'Caseload', icon: 'M4 20V10M10 20V4M16 20v-7M21 20H3', roles: ['therapist'] },
  { path: '/me', label: 'Me', icon: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm-7 8a7 7 0 0 1 14 0', roles: ['client', 'therapist'] },
];

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

function TabBar({ role, path }: { role: Role; path: string }) {
  const tabs = TABS.filter((t) => t.roles.includes(role));
  const bar = useRef<HTMLElement>(null);
  // The bar grows when large text makes its labels wrap: the page keeps clear of it (padding,
  // and scroll-padding so that a focused control is never scrolled under it).
  useEffect(() => {
    const root = document.documentElement;
    const observer = new ResizeObserver(([entry]) => root.style.setProperty('--tab-bar-height', `${entry.target.getBoundingClientRect().height}px`));
    if (bar.current) observer.observe(bar.current);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--tab-bar-height');
    };
  }, []);
  return (
    <nav class="tab-bar" aria-label="Main" ref={bar}>
      <ul>
        {tabs.map((t) => {
          const current = [t.path, ...(t.also ?? [])].some((p) => under(path, p));
          return (
            <li key={t.path}>
              <a href={`#${t.path}`} aria-current={current ? 'page' : undefined}>
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                  <path d={t.icon} />
                </svg>
                <span>{t.label}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The rest of the path after `prefix/`, or null when the path is not below it. */
function below(path: string, prefix: string): string | null {
  return path.startsWith(`${prefix}/`) && path.length > prefix.length + 1 ? decodeURIComponent(path.slice(prefix.length + 1)) : null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function clientScreen(path: string) {
  let id: string | null;
  if (path === '/today') return <Home />;
  if (path === '/welcome') return <Welcome />;
  if (path === '/checkin') return <CheckinFlow mode={{ kind: 'today' }} key="today" />;
  if ((id = below(path, '/checkin')) && DAY.test(id) && id <= localDate()) return <CheckinFlow mode={{ kind: 'day', date: id }} key={id} />;
  if (path === '/journal') return <JournalList />;
  if ((id = below(path, '/journal')) && id.endsWith('/edit')) {
    const clientId = id.slice(0, -'/edit'.length);
    return <CheckinFlow mode={{ kind: 'edit', clientId }} key={clientId} />;
  }
  if ((id = below(path, '/journal'))) return <JournalEntryView clientId={id} />;
  if (path === '/trends') return <TrendsScreen />;
  if (path === '/digests') return <DigestList />;
  if ((id = below(path, '/digests'))) return <DigestView week={id} />;
  if (path === '/parts') return <PartsList />;
  if (path === '/parts/new') return <PartForm id={null} />;
  if ((id = below(path, '/parts'))) return <PartForm id={id} />;
  if (path === '/questionnaires') return <QuestionnaireList />;
  if ((id = below(path, '/questionnaires'))) return <QuestionnaireForm id={id} />;
  if (path === '/sharing') return <Sharing />;
  return null;
}

function therapistScreen(path: string) {
  let id: string | null;
  if (path === '/clients') return <Clients />;
  if ((id = below(path, '/clients'))) return <ClientView id={id} />;
  if (path === '/caseload') return <CaseloadView />;
  return null;
}

function screenFor(path: string, role: Role) {
  if (path === '/me') return <Settings />;
  if (path === '/data') return <MyData />;
  if (path === '/support') return <Support />;
  return role === 'client' ? clientScreen(path) : therapistScreen(path);
}

export function App() {
  const { ready, session, notice, online } = useStore();
  const path = useRoute();
  const firstPath = useRef(true);

  useEffect(() => {
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    screenChanged();
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [path]);

  let screen = null;
  if (ready && !session) {
    screen = path === '/signup' ? <Signup /> : <Login />;
  } else if (ready && session) {
    screen = screenFor(path, session.user.role);
  }
  useEffect(() => {
    if (!ready) return;
    if (!session && path !== '/login' && path !== '/signup') navigate('/login', true);
    if (session && !screenFor(path, session.user.role)) navigate(HOME[session.user.role], true);
  }, [ready, session, path]);

  // A flow that is walked through to its end has no tab bar: its own bar holds Back and Next.
  const inFlow = under(path, '/checkin') || path.endsWith('/edit') || path === '/welcome';
  return (
    <>
      <header class="app-bar">
        <span class="brand">
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <circle cx="12" cy="12" r="3.2" class="centre" />
            <circle cx="12" cy="4.5" r="2" />
            <circle cx="18.5" cy="8.2" r="2" />
            <circle cx="18.5" cy="15.8" r="2" />
            <circle cx="12" cy="19.5" r="2" />
            <circle cx="5.5" cy="15.8" r="2" />
            <circle cx="5.5" cy="8.2" r="2" />
          </svg>
          Partwise
        </span>
        {!online && <span class="badge offline">Offline</span>}
      </header>
      <main id="main" class={session && !inFlow ? 'with-tabs' : ''}>
        {screen}
      </main>
      {session && !inFlow && <TabBar role={session.user.role} path={path} />}
      <div class={`toast${notice ? ' shown' : ''}`} role="status" aria-live="polite">
        {notice}
      </div>
    </>
  );
}

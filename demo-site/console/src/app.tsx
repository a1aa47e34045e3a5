import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './api';
import { createHttp } from './api/http';
import { createMeApi, type Me } from './api/team';
import { AppContext } from './app-context';
import { createAgentStream, type StreamStatus } from './lib/agent-stream';
import { useHashRoute, type Route } from './lib/hash-route';
import { atLeast, SCREEN_ROLE } from './lib/roles';
import { useInboxCounts } from './lib/inbox-counts';
import { useNotifier } from './lib/notify';
import { Layout } from './components/Layout';
import { EmptyState, Loading } from './components/States';
import { SignIn } from './screens/SignIn';
import { Setup } from './screens/Setup';
import { AcceptInvite } from './screens/AcceptInvite';
import { Contacts } from './screens/Contacts';
import { ContactProfile } from './screens/ContactProfile';
import { Inbox } from './screens/Inbox';
import { CustomFields } from './screens/settings/CustomFields';
import { Tags } from './screens/settings/Tags';
import { Widget } from './screens/settings/Widget';
import { Team } from './screens/team/Team';
import { ApiTokens } from './screens/team/ApiTokens';
import { Profile } from './screens/team/Profile';
import { Segments } from './screens/Segments';
import { Rules } from './screens/settings/Rules';
import { Webhooks } from './screens/settings/Webhooks';
import { MergeContacts } from './screens/MergeContacts';
import { ImportWizard } from './screens/ImportWizard';
import { Retention } from './screens/settings/Retention';

const TOKEN_KEY = 'chative.agentToken';
const TITLES: Record<Route['name'], string> = {
  contacts: 'Contacts', contact: 'Contact', inbox: 'Inbox', fields: 'Custom fields', tags: 'Tags', widget: 'Widget settings', notFound: 'Not found',
  setup: 'Set up', invite: 'Join the team', team: 'Team', tokens: 'API tokens', profile: 'My profile', segments: 'Contacts table', rules: 'Rules', webhooks: 'Webhooks',
  merge: 'Merge contacts', import: 'Import contacts', retention: 'Data retention',
};

/** Who is signed in: `token` null means the session cookie (email + password), else an API token kept for this tab. */
export type Session = { token: string | null; me: Me };

function readToken(): string | null {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; } // storage blocked: sign in each load
}
function keepToken(token: string | null) {
  try { if (token) sessionStorage.setItem(TOKEN_KEY, token); else sessionStorage.removeItem(TOKEN_KEY); } catch { /* kept in memory only */ }
}

/** Finds the session (a kept token, else the cookie), then renders the screen named by the hash. */
export function App() {
  const route = useHashRoute();
  const [session, setSession] = useState<Session | null | undefined>(undefined); // undefined: still asking the server
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const token = readToken();
    createMeApi(createHttp(token)).get().then((me) => setSession({ token, me }), (err) => {
      if (token) keepToken(null);
      if (err?.status !== 401) setNotice(err?.message ?? 'Cannot reach the Chative server.');
      setSession(null);
    });
  }, []);

  const signIn = (s: Session) => {
    keepToken(s.token);
    setNotice(null);
    setSession(s);
    if (route.name === 'setup' || route.name === 'invite') location.replace('#/inbox'); // the one-time link is spent
  };
  const signOut = (why?: string) => { keepToken(null); setNotice(why ?? null); setSession(null); };

  if (route.name === 'setup') return <Setup token={route.token} onSignedIn={signIn} />;
  if (route.name === 'invite') return <AcceptInvite token={route.token} onSignedIn={signIn} />;
  if (session === undefined) return <main class="signin" id="main"><Loading label="Opening the console…" /></main>;
  if (!session) return <SignIn onSignedIn={signIn} notice={notice} />;
  return <Console session={session} setSession={setSession} signOut={signOut} route={route} />;
}

function Console({ session, setSession, signOut, route }: { session: Session; setSession: (s: Session) => void; signOut: (why?: string) => void; route: Route }) {
  const { token, me } = session;
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const expired = () => signOut('Your session ended or the token was changed. Sign in again.');
  const api = useMemo(() => createApi(token, expired), [token]);
  // the server starts a stream without Last-Event-ID from now, so no start point is needed
  const stream = useMemo(() => createAgentStream(token, { onStatus: setStatus }), [token]);
  useEffect(() => { stream.start(); return () => stream.stop(); }, [stream]);
  const inbox = useInboxCounts(api, stream);
  useNotifier(api, stream, me, route.name === 'inbox' ? route.id : undefined);
  const unread = inbox.counts?.unread.all ?? 0;
  useEffect(() => { document.title = `${unread ? `(${unread}) ` : ''}${TITLES[route.name]} · Chative`; }, [route.name, unread]);
  useEffect(() => { if (!location.hash) location.replace('#/contacts'); }, []);

  const leave = async () => {
    if (!token) await api.me.logout().catch(() => {}); // the cookie dies with the server's session; a failure still leaves
    signOut();
  };
  const needed = SCREEN_ROLE[route.name];
  const allowed = !needed || atLeast(me.role, needed);

  return (
    <AppContext.Provider value={{ api, stream, token, me, setMe: (m) => setSession({ token, me: m }), signOut: () => void leave(), inbox }}>
      <Layout route={route} status={status} onSignOut={() => void leave()}>
        {!allowed ? (
          <section class="page"><h1>{TITLES[route.name]}</h1><EmptyState title="Your role cannot open this screen">Ask an admin or the owner of this Chative to change your role. <a href="#/inbox">Go to the Inbox</a></EmptyState></section>
        ) : <>
          {route.name === 'contacts' && <Contacts />}
          {route.name === 'contact' && <ContactProfile key={route.id} id={route.id} />}
          {route.name === 'inbox' && <Inbox id={route.id} />}
          {route.name === 'fields' && <CustomFields />}
          {route.name === 'tags' && <Tags />}
          {route.name === 'widget' && <Widget />}
          {route.name === 'team' && <Team />}
          {route.name === 'tokens' && <ApiTokens />}
          {route.name === 'profile' && <Profile />}
          {route.name === 'rules' && <Rules />}
          {route.name === 'webhooks' && <Webhooks />}
          {route.name === 'segments' && <Segments key={route.id ?? ''} id={route.id} />}
          {route.name === 'merge' && <MergeContacts key={route.id + route.other} id={route.id} other={route.other} />}
          {route.name === 'import' && <ImportWizard />}
          {route.name === 'retention' && <Retention />}
          {route.name === 'notFound' && <section class="page"><h1>Page not found</h1><EmptyState title="This address does not match a console screen"><a href="#/contacts">Go to Contacts</a></EmptyState></section>}
        </>}
      </Layout>
    </AppContext.Provider>
  );
}

import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './api';
import { AppContext } from './app-context';
import { createAgentStream, type StreamStatus } from './lib/agent-stream';
import { useHashRoute, type Route } from './lib/hash-route';
import { Layout } from './components/Layout';
import { EmptyState } from './components/States';
import { SignIn } from './screens/SignIn';
import { Contacts } from './screens/Contacts';
import { ContactProfile } from './screens/ContactProfile';
import { Inbox } from './screens/Inbox';
import { CustomFields } from './screens/settings/CustomFields';
import { Tags } from './screens/settings/Tags';
import { Widget } from './screens/settings/Widget';
import { MergeContacts } from './screens/MergeContacts';
import { ImportWizard } from './screens/ImportWizard';
import { Retention } from './screens/settings/Retention';

const TOKEN_KEY = 'chative.agentToken';
const TITLES: Record<Route['name'], string> = { contacts: 'Contacts', contact: 'Contact', inbox: 'Inbox', fields: 'Custom fields', tags: 'Tags', widget: 'Widget settings', notFound: 'Not found', merge: 'Merge contacts', import: 'Import contacts', retention: 'Data retention' };

function readToken(): string | null {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; } // storage blocked: sign in each load
}

/** Signs in, then renders the screen named by the hash inside the shared layout. */
export function App() {
  const [token, setToken] = useState<string | null>(readToken);
  const [expired, setExpired] = useState(false);
  const signIn = (t: string) => { try { sessionStorage.setItem(TOKEN_KEY, t); } catch { /* kept in memory only */ } setExpired(false); setToken(t); };
  const signOut = () => { try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* nothing stored */ } setToken(null); };
  if (!token) return <SignIn onSignedIn={signIn} expired={expired} />;
  return <Console token={token} signOut={signOut} onExpired={() => { setExpired(true); signOut(); }} />;
}

function Console({ token, signOut, onExpired }: { token: string; signOut: () => void; onExpired: () => void }) {
  const route = useHashRoute();
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const api = useMemo(() => createApi(token, onExpired), [token]);
  // the server starts a stream without Last-Event-ID from now, so no start point is needed
  const stream = useMemo(() => createAgentStream(token, { onStatus: setStatus }), [token]);
  useEffect(() => { stream.start(); return () => stream.stop(); }, [stream]);
  useEffect(() => { document.title = `${TITLES[route.name]} · Chative`; }, [route.name]);
  useEffect(() => { if (!location.hash) location.replace('#/contacts'); }, []);

  return (
    <AppContext.Provider value={{ api, stream, token, signOut }}>
      <Layout route={route} status={status} onSignOut={signOut}>
        {route.name === 'contacts' && <Contacts />}
        {route.name === 'contact' && <ContactProfile key={route.id} id={route.id} />}
        {route.name === 'inbox' && <Inbox id={route.id} />}
        {route.name === 'fields' && <CustomFields />}
        {route.name === 'tags' && <Tags />}
        {route.name === 'widget' && <Widget />}
        {route.name === 'merge' && <MergeContacts key={route.id + route.other} id={route.id} other={route.other} />}
        {route.name === 'import' && <ImportWizard />}
        {route.name === 'retention' && <Retention />}
        {route.name === 'notFound' && <section class="page"><h1>Page not found</h1><EmptyState title="This address does not match a console screen"><a href="#/contacts">Go to Contacts</a></EmptyState></section>}
      </Layout>
    </AppContext.Provider>
  );
}

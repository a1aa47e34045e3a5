import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'contacts' } | { name: 'contact'; id: string } | { name: 'inbox'; id?: string }
  | { name: 'fields' } | { name: 'tags' } | { name: 'widget' } | { name: 'notFound' }
  // issue 11: the team screens; setup and invite open without a session (their token is in the address)
  | { name: 'setup'; token: string } | { name: 'invite'; token: string } | { name: 'team' } | { name: 'tokens' } | { name: 'profile' }
  | { name: 'segments'; id?: string }
  | { name: 'rules' } | { name: 'webhooks' }
  | { name: 'merge'; id: string; other: string } | { name: 'import' } | { name: 'retention' };

/** Maps a location hash to a screen; kept in the hash so a reload keeps the screen. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').split('?')[0] || '/contacts';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'contacts' && parts[2] === 'merge' && parts[3]) return { name: 'merge', id: parts[1], other: parts[3] };
  if (parts[0] === 'import') return { name: 'import' };
  if (parts[0] === 'settings' && parts[1] === 'data') return { name: 'retention' };
  if (parts[0] === 'contacts') return parts[1] ? { name: 'contact', id: parts[1] } : { name: 'contacts' };
  if (parts[0] === 'inbox') return { name: 'inbox', id: parts[1] };
  if (parts[0] === 'setup' || parts[0] === 'invite') return { name: parts[0], token: new URLSearchParams(hash.split('?')[1] ?? '').get('token') ?? '' };
  if (parts[0] === 'team') return { name: 'team' };
  if (parts[0] === 'profile') return { name: 'profile' };
  if (parts[0] === 'segments') return { name: 'segments', id: parts[1] };
  if (parts[0] === 'settings') {
    if (parts[1] === 'fields' || !parts[1]) return { name: 'fields' };
    if (parts[1] === 'tags') return { name: 'tags' };
    if (parts[1] === 'widget') return { name: 'widget' };
    if (parts[1] === 'api-tokens') return { name: 'tokens' };
    if (parts[1] === 'rules') return { name: 'rules' };
    if (parts[1] === 'webhooks') return { name: 'webhooks' };
  }
  return { name: 'notFound' };
}

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

// The peer widget measured beside Chative (issue 10): react-chat-widget with React, as a site would
// ship it — one minified IIFE that injects its stylesheet and mounts the launcher, loaded `async`.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ensureInstalled } from './installs';

/** Versions that work together: react-chat-widget 3.1.4 peers on react/react-dom ^17.0.2 (npm view). */
export const PEER_SPECS = ['react-chat-widget@3.1.4', 'react@17.0.2', 'react-dom@17.0.2'];
export const PEER_LABEL = 'react-chat-widget 3.1.4 + React 17';
/** What the bench waits for on the peer page, like Chative's launcher. */
export const PEER_LAUNCHER_SELECTOR = '.rcw-launcher';

// The whole host-side integration, as the package's README shows it (plus mounting after the body exists).
const ENTRY = `
import React from 'react';
import ReactDOM from 'react-dom';
import { Widget } from 'react-chat-widget';
import css from 'react-chat-widget/lib/styles.css';
const mount = () => {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.appendChild(style);
  const root = document.createElement('div');
  document.body.appendChild(root);
  ReactDOM.render(React.createElement(Widget, { title: 'Chat with us', subtitle: 'We answer here' }), root);
};
if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
`;

export type PeerBundle = { ok: true; js: Buffer; gzipBytes: number } | { ok: false; reason: string };

/** Installs the peer into tests/.tmp/peers (first use) and bundles the host page's script. */
export async function buildPeerBundle(root: string, log: (m: string) => void): Promise<PeerBundle> {
  const dir = join(root, 'tests/.tmp/peers');
  const inst = await ensureInstalled(dir, PEER_SPECS, log);
  if (!inst.ok) return inst;
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: dir, loader: 'js' },
    bundle: true, minify: true, format: 'iife', target: 'es2019', platform: 'browser', write: false, logLevel: 'silent',
    loader: { '.css': 'text' },
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const js = Buffer.from(out.outputFiles[0].contents);
  return { ok: true, js, gzipBytes: gzipSync(js, { level: 9 }).length };
}

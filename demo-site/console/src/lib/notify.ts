// Tells an agent about work while they look elsewhere: a desktop notification and/or a chime for a new
// conversation, or a visitor message in a conversation assigned to them. Both are opt-in per browser:
// the permission prompt only ever follows a click (Profile → Notifications), never a page load.
import { useEffect, useRef } from 'preact/hooks';
import type { Api } from '../api';
import type { Me } from '../api/team';
import type { Conversation } from '../api/schemas';
import type { AgentStream } from './agent-stream';
import { displayName } from './format';

const PREFS_KEY = 'chative.notify';
export type NotifyPrefs = { desktop: boolean; sound: boolean };

export function readPrefs(): NotifyPrefs {
  try {
    const p = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}');
    return { desktop: p.desktop === true, sound: p.sound === true };
  } catch {
    return { desktop: false, sound: false }; // storage blocked or garbled: everything off, as on a first visit
  }
}
export function savePrefs(p: NotifyPrefs) {
  try { localStorage.setItem(PREFS_KEY, JSON.stringify(p)); } catch { /* storage blocked: the choice lasts this page */ }
}

/** What the browser allows: `unsupported` where there is no Notification API (e.g. iOS Safari outside a home-screen app). */
export function desktopPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

let audio: AudioContext | null = null;
/** A short soft tone (no audio file to fetch). */
export function chime() {
  try {
    const ctx = (audio ||= new AudioContext());
    const t = ctx.currentTime;
    const tone = ctx.createOscillator();
    const gain = ctx.createGain();
    tone.frequency.value = 660;
    gain.gain.setValueAtTime(0.08, t);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.35);
    tone.connect(gain).connect(ctx.destination);
    tone.start(t);
    tone.stop(t + 0.35);
  } catch (err) {
    console.warn('[chative console] no chime (Web Audio unavailable or blocked)', err); // the title count still tells
  }
}

/** The alert for a visitor message, or null when it is not the caller's business: a new conversation (created in
 * the same unit as its first message, so at the same instant) or one assigned to the caller. */
export function alertTitle(conv: Pick<Conversation, 'createdAt' | 'assigneeId' | 'contact'>, m: { createdAt: string }, myId: string | undefined): string | null {
  const who = conv.contact ? displayName(conv.contact) : 'A visitor';
  if (conv.createdAt === m.createdAt) return `New conversation: ${who}`;
  if (myId && conv.assigneeId === myId) return `${who} wrote`;
  return null;
}

/** Listens to the live stream for the signed-in caller; `openId` is the conversation on screen (no alert for it while visible). */
export function useNotifier(api: Api, stream: AgentStream, me: Me, openId: string | undefined) {
  const open = useRef(openId);
  open.current = openId;
  useEffect(() => stream.subscribe((e) => {
    const m = e.json as { author?: string; conversationId?: string; createdAt?: string; text?: string } | null;
    if (e.event !== 'message' || m?.author !== 'visitor' || !m.conversationId) return;
    const prefs = readPrefs();
    if (!prefs.desktop && !prefs.sound) return;
    if (!document.hidden && open.current === m.conversationId) return; // they are reading it
    api.conversations.get(m.conversationId).then((conv) => {
      const title = alertTitle(conv, { createdAt: m.createdAt ?? '' }, me.agent?.id);
      if (!title) return;
      if (prefs.desktop && desktopPermission() === 'granted') {
        const n = new Notification(title, { body: (m.text ?? '').slice(0, 160), tag: conv.id });
        n.onclick = () => { focus(); location.hash = `#/inbox/${encodeURIComponent(conv.id)}`; n.close(); };
      }
      if (prefs.sound) chime();
    }, (err) => console.warn('[chative console] notification skipped: conversation not read', err));
  }), [api, stream, me]);
}

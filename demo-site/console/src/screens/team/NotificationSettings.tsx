import { useState } from 'preact/hooks';
import { Switch } from '../../components/Switch';
import { chime, desktopPermission, readPrefs, savePrefs, type NotifyPrefs } from '../../lib/notify';

/** This browser's alerts: the permission prompt follows the button press only (browsers ignore or punish prompts on load). */
export function NotificationSettings() {
  const [prefs, setPrefs] = useState<NotifyPrefs>(readPrefs);
  const [permission, setPermission] = useState(desktopPermission);
  const save = (p: NotifyPrefs) => { savePrefs(p); setPrefs(p); };

  async function enableDesktop() {
    const answer = await Notification.requestPermission();
    setPermission(answer);
    save({ ...prefs, desktop: answer === 'granted' });
  }

  return (
    <section class="card panel" aria-labelledby="notify-title">
      <h2 id="notify-title">Notifications</h2>
      <p class="muted">For a new conversation, or a visitor message in a conversation assigned to you, while you look elsewhere. The tab title always shows your unread count. Saved in this browser only.</p>
      {permission === 'unsupported' ? <p class="hint">This browser has no desktop notifications.</p>
        : permission === 'denied' ? <p class="hint" role="status">Desktop notifications are blocked for this site. Allow them in the browser’s site settings, then reload.</p>
        : permission === 'default' || !prefs.desktop && permission !== 'granted'
          ? <div><button type="button" class="btn" onClick={enableDesktop}>Turn on desktop notifications</button></div>
          : <Switch id="notify-desktop" label="Desktop notifications" checked={prefs.desktop} onChange={(v) => save({ ...prefs, desktop: v })} />}
      <Switch id="notify-sound" label="Play a sound" checked={prefs.sound} onChange={(v) => { save({ ...prefs, sound: v }); if (v) chime(); }} />
    </section>
  );
}

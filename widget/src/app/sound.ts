// The chime for a new agent message while the chat is closed or the tab hidden — only when the site
// owner turned `sound` on (a page that beeps uninvited is the quickest way to lose a visitor).
import type { Core } from '../core/widget-core';

export function chimeOnReplies(core: Core, doc: Document = document): void {
  let audio: AudioContext | null = null;
  core.on('message', (m) => {
    const s = core.getState();
    if ((m as { author: string }).author !== 'agent' || !s.config?.sound || (s.open && !doc.hidden)) return;
    try {
      const ctx = (audio ||= new AudioContext());
      const t = ctx.currentTime;
      const tone = ctx.createOscillator();
      const gain = ctx.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.08, t);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
      tone.connect(gain).connect(ctx.destination);
      tone.start(t);
      tone.stop(t + 0.3);
    } catch {
      // no Web Audio (or blocked until a gesture): the badge and the title count still tell
    }
  });
}

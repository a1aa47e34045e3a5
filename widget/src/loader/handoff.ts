// What the loader (widget.js) hands the window's module when it arrives, and what it gets back.
import type { ChativeGlobal } from '../commands/queue';
import type { PublicConfig, Ui } from './ui';

export interface Handoff {
  chative: ChativeGlobal;
  siteId: string;
  origin: string;
  consent: boolean;
  ui: Ui;
  /** The public site config baked into widget.js (null when it was not there for this site: the core reads it). */
  config: PublicConfig | null;
}

export interface AppHandle {
  open(): void;
  close(): void;
  toggle(): void;
  /** A returning visitor: resume the session if this browser holds a conversation (replies raise the badge). */
  resume(): void;
}

export interface AppModule { start(h: Handoff): Promise<AppHandle> }

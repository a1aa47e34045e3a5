// Types for integrators: window.Chative as CONTRACT §3 describes it. Ships as dist/widget/widget.d.ts.

export type ChativeContactType = 'guest' | 'lead' | 'customer';

export interface ChativeContact {
  id: string;
  type: ChativeContactType;
  name: string | null;
  email: string | null;
  phone: string | null;
  customerId: string | null;
}

export interface ChativeMessage {
  id: string;
  conversationId: string;
  author: 'visitor' | 'agent';
  /** Agent messages only: who wrote it (the site's team name until agents have accounts). */
  agentName?: string;
  text: string;
  /** ISO-8601 UTC */
  createdAt: string;
}

export type ChativeCustomValue = string | number | boolean | null;

export interface ChativeDetails {
  name?: string;
  email?: string;
  /** Spaces, dashes, brackets and a +country code are fine. */
  phone?: string;
  /** Custom-field values by field key, e.g. { plan: 'pro', seats: 12 }. */
  custom?: Record<string, ChativeCustomValue>;
}

export interface ChativeIdentifyOptions extends ChativeDetails {
  /** HMAC-SHA256(customerId, site secret) as 64 lowercase hex chars, computed by your backend. */
  userHash?: string;
}

export interface ChativeEvents {
  ready: ChativeContact;
  open: undefined;
  close: undefined;
  message: ChativeMessage;
  unread: number;
  contact: ChativeContact;
  /** A rejected event, or a misconfiguration that stops the widget: `unknown_site`, `origin_not_allowed`, or the server's code for a refused session. */
  error: Error & { code: string };
}

/** A rejected call: `code` is the server's error code or `invalid_argument` / `unknown_method` / `reset`. */
export interface ChativeError extends Error { code: string; issues?: unknown[] }

export interface Chative {
  /** Marks this visitor as your customer (verified with userHash); merges their history. */
  identify(customerId: string, options?: ChativeIdentifyOptions): Promise<ChativeContact>;
  /** Sets details; a name plus an email or phone makes a guest a lead. */
  update(details: ChativeDetails): Promise<ChativeContact>;
  open(): Promise<void>;
  close(): Promise<void>;
  toggle(): Promise<void>;
  on<E extends keyof ChativeEvents>(event: E, fn: (payload: ChativeEvents[E]) => void): Promise<void>;
  off<E extends keyof ChativeEvents>(event: E, fn: (payload: ChativeEvents[E]) => void): Promise<void>;
  /** This visitor's contact (waits for the session). */
  getContact(): Promise<ChativeContact>;
  /** Logout: forget this browser's identity; the next visitor is a fresh guest. */
  reset(): Promise<void>;
  /** The stub's queue of early calls: [method, arguments, resolve, reject]. */
  q?: unknown;
}

declare global {
  interface Window { Chative: Chative }
}

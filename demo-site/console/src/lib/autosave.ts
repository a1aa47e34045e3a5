export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

/**
 * Debounced autosave that always sends the latest text: edits typed while a save is in flight
 * are kept and sent right after it, so no keystroke is ever lost or overwritten.
 */
export function createAutosave(save: (text: string) => Promise<unknown>, opts: { delay?: number; onStatus?: (s: SaveStatus, err?: unknown) => void } = {}) {
  const delay = opts.delay ?? 600;
  let latest: string | null = null;
  let lastSaved: string | null = null;
  let inFlight: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const status = (s: SaveStatus, err?: unknown) => opts.onStatus?.(s, err);

  async function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (inFlight) return inFlight;
    if (latest === null || latest === lastSaved) return;
    const text = latest;
    status('saving');
    inFlight = (async () => {
      try {
        await save(text);
        lastSaved = text;
      } catch (err) {
        status('error', err);
        inFlight = null;
        return;
      }
      inFlight = null;
      if (latest !== lastSaved) return flush(); // typed during the save: send the newer text now
      status('saved');
    })();
    return inFlight;
  }

  return {
    /** Records the newest text and (re)starts the debounce timer. */
    change(text: string) {
      latest = text;
      status('pending');
      clearTimeout(timer);
      timer = setTimeout(() => void flush(), delay);
    },
    /** Marks text as already stored (e.g. loaded from the server). */
    reset(text: string) { latest = text; lastSaved = text; },
    flush,
    isDirty: () => latest !== lastSaved || inFlight !== null || timer !== undefined,
    dispose() { clearTimeout(timer); },
  };
}

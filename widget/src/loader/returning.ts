// Does this browser hold a conversation for the site (a message seen, or one waiting in the outbox)?
// Read without idb-keyval, and only when the database exists: opening a missing one would create it,
// and a page view writes nothing.
export function hasConversation(siteId: string): Promise<boolean> {
  const idb = globalThis.indexedDB;
  if (!idb?.databases) return Promise.resolve(false);
  return idb.databases().then((list) => list.some((d) => d.name === 'chative') && new Promise<boolean>((resolve) => {
    const req = idb.open('chative');
    req.onupgradeneeded = () => req.transaction?.abort(); // deleted meanwhile: create nothing
    req.onerror = () => resolve(false);
    req.onsuccess = () => {
      const db = req.result;
      try {
        const store = db.transaction('kv').objectStore('kv');
        const id = store.get(siteId + ':identity');
        const out = store.get(siteId + ':outbox');
        out.onsuccess = () => resolve(id.result?.lastSeq > 0 || out.result?.length > 0);
        out.onerror = () => resolve(false);
      } catch {
        resolve(false);
      } finally {
        db.close(); // closes once the read transaction has finished
      }
    };
  })).catch(() => false);
}

// What a contact can be found by: prefixes of any word of its name or email, its phone and customer id.
type Searchable = { name?: string | null; email?: string | null; phone?: string | null; customerId?: string | null };

const MAX_TERM = 255;
// anything that is not a letter, a combining mark or a digit
const WORD_BREAK = /[^\p{L}\p{M}\p{N}]+/u;
// the highest code point: SQLite compares UTF-8 bytes, where an emoji (F0 …) sorts after U+FFFF (EF BF BF)
const TOP = '\u{10FFFF}';

/** Lower-cased search terms; a query matches when it is a prefix of one of them. */
export function searchTerms(c: Searchable): string[] {
  const terms = new Set<string>();
  const add = (t: string | null | undefined) => {
    const v = t?.trim().toLowerCase();
    if (v) terms.add(v.slice(0, MAX_TERM));
  };
  if (c.name) {
    add(c.name);
    for (const w of c.name.split(/[\s\-'.,()]+/)) add(w);
    // emoji and symbols are word breaks too: `Jo😀 Smith` is found by `jo` (and by `jo😀`)
    for (const w of c.name.split(WORD_BREAK)) add(w);
  }
  if (c.email) {
    add(c.email);
    const local = c.email.slice(0, c.email.lastIndexOf('@'));
    for (const w of local.split(/[._+-]+/)) add(w);
    add(c.email.slice(c.email.lastIndexOf('@') + 1));
  }
  if (c.phone) {
    add(c.phone);
    add(c.phone.replace(/^\+/, ''));
  }
  add(c.customerId);
  return [...terms];
}

/** A query as the term prefix to look up: lower-cased, phone separators removed when it looks like a phone. */
export function queryTerm(q: string): string {
  const v = q.trim().toLowerCase();
  return /^[+\d][\d\s\-.()]*$/.test(v) ? v.replace(/[\s\-.()]/g, '') : v;
}

/** The [low, high) range of stored terms a query matches as a prefix (SQLite's byte order, so above any emoji). */
export function termRange(q: string): [string, string] {
  const t = queryTerm(q);
  return [t, t + TOP];
}

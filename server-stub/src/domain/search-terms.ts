// What a contact can be found by: prefixes of any word of its name or email, its phone and customer id.
type Searchable = {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  customerId?: string | null;
  /** Names, emails and phones that lost a merge are found like the contact's own. */
  otherDetails?: readonly { field: string; value: string }[] | null;
};

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
  const name = (n: string) => {
    add(n);
    for (const w of n.split(/[\s\-'.,()]+/)) add(w);
    // emoji and symbols are word breaks too: `Jo😀 Smith` is found by `jo` (and by `jo😀`)
    for (const w of n.split(WORD_BREAK)) add(w);
  };
  const email = (e: string) => {
    add(e);
    const local = e.slice(0, e.lastIndexOf('@'));
    for (const w of local.split(/[._+-]+/)) add(w);
    add(e.slice(e.lastIndexOf('@') + 1));
  };
  const phone = (p: string) => {
    add(p);
    add(p.replace(/^\+/, ''));
  };
  const byField: Record<string, (v: string) => void> = { name, email, phone };
  if (c.name) name(c.name);
  if (c.email) email(c.email);
  if (c.phone) phone(c.phone);
  add(c.customerId);
  for (const d of c.otherDetails ?? []) if (Object.hasOwn(byField, d.field)) byField[d.field](d.value);
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

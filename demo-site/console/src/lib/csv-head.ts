// The first record of a CSV file (RFC 4180 quoting), for the import wizard's mapping step; the server parses the rest.

/** The header's cells and where the record ends (after its line break), or null for an empty file. */
export function readHeader(text: string): { cells: string[]; end: number } | null {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { cells.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      cells.push(cell);
      return { cells, end: i + (ch === '\r' && text[i + 1] === '\n' ? 2 : 1) };
    } else cell += ch;
  }
  if (!cells.length && cell === '') return null;
  cells.push(cell);
  return { cells, end: text.length };
}

/** One CSV line of plain cells (quoted where needed). */
export function csvLine(cells: (string | number | null)[]): string {
  return cells.map((c) => {
    const s = c === null ? '' : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',') + '\r\n';
}

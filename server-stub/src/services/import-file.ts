// The uploaded CSV of an import (CONTRACT §9): spooled to a file while its bytes are checked (size, UTF-8), then read
// back record by record by csv-parse (RFC 4180: quoted commas, quotes and line breaks), so memory stays bounded.
import { parse, type CsvError, type Options } from 'csv-parse';
import { Readable } from 'node:stream';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { HttpError } from '../http/http-error.js';

/** Bigger files are refused up front (413): 32 MB is ~200,000 typical rows; split larger exports. */
export const IMPORT_MAX_BYTES = 32 * 1024 * 1024;

/** One CSV record and its row number as a spreadsheet shows it (the header is row 1). */
export type CsvRow = { row: number; cells: string[] } | { row: number; error: { code: string; message: string } };

/** Streams `body` into a temporary file: over `IMPORT_MAX_BYTES` is a 413, bytes that are not UTF-8 a 400 naming the line, no bytes a 400. */
export async function spoolUpload(body: ReadableStream<Uint8Array> | null, name: string): Promise<string> {
  const file = join(tmpdir(), `chative-import-${name}.csv`);
  const out = createWriteStream(file, { mode: 0o600 });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let lines = 1;
  let text = '';
  try {
    for await (const chunk of (body ? Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>) : []) as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      if (bytes > IMPORT_MAX_BYTES) throw new HttpError(413, 'body_too_large', `the file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB: split it into several imports`);
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        // the line of the first undecodable byte: the lines of this chunk before it
        const lenient = new TextDecoder().decode(chunk);
        throw encodingError(lines + (lenient.slice(0, lenient.indexOf('\ufffd')).match(/\n/g)?.length ?? 0));
      }
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    try {
      decoder.decode();
    } catch {
      throw encodingError(lines);
    }
    out.end();
    await finished(out);
  } catch (err) {
    out.destroy();
    rmSync(file, { force: true });
    throw err;
  }
  if (bytes === 0) {
    rmSync(file, { force: true });
    throw new HttpError(400, 'empty_file', 'the file is empty: it needs a header row and at least one contact');
  }
  return file;
}

const encodingError = (line: number) =>
  new HttpError(400, 'invalid_encoding', `line ${line} is not UTF-8 text (a Windows-1252 or Latin-1 file?): save it as "CSV UTF-8" and upload again`, [{ path: ['body'], message: `not UTF-8 at line ${line}` }]);

/** The records of a spooled file, each with its row number; a record csv-parse cannot read comes as an error for that row. */
export async function* readRows(file: string, opts: { limit?: number } = {}): AsyncGenerator<CsvRow> {
  let skipped = 0;
  const errors: CsvRow[] = [];
  const parser = parse({
    bom: true,
    // CRLF, LF and old-Mac CR may be mixed in one file (hand-edited exports): every one ends a record
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_empty_lines: true,
    skip_records_with_error: true,
    relax_column_count: false,
    to: opts.limit,
    on_skip: (err: CsvError | undefined) => {
      if (!err) return;
      const row = Number(err.records) + skipped + 1;
      skipped++;
      errors.push({ row, error: csvProblem(err, Number(err.lines)) });
      return undefined;
    },
    on_record: (cells: string[], ctx: { records: number }) => ({ row: ctx.records + skipped, cells }),
  } as unknown as Options);
  const input = createReadStream(file);
  input.pipe(parser);
  try {
    for await (const rec of parser as AsyncIterable<CsvRow>) {
      // rows csv-parse gave up on come in their order, before the record after them
      while (errors.length && errors[0].row < rec.row) yield errors.shift()!;
      yield rec;
    }
    yield* errors.splice(0);
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/** csv-parse's codes in words a spreadsheet user can act on. */
function csvProblem(err: CsvError, line: number): { code: string; message: string } {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return { code: 'unbalanced_quote', message: `a quoted cell opened in this row is never closed: every line after it (to line ${line}) was read as part of it` };
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
      return { code: 'invalid_quote', message: `a quote (") inside an unquoted cell at line ${line}: quote the whole cell and double the quote ("")` };
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return { code: 'column_count', message: `line ${line} has a different number of cells than the header` };
    default:
      return { code: 'unreadable_row', message: `line ${line} could not be read as CSV (${err.code})` };
  }
}

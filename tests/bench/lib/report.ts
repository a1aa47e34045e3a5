// The report writer: pure functions from measured figures to a markdown table and an SVG chart,
// so the format is unit-tested on fixed input (tests/unit/bench/report.test.ts).

export type Goal = { op: '<=' | '>='; value: number };

export type Figure = {
  section: string;
  name: string;
  /** null when the figure could not be measured in this run (the note says why). */
  value: number | null;
  unit: string;
  goal?: Goal;
  /** What the figure was compared with in the same run, e.g. "bare node:http 21,000 req/s". */
  compared?: string;
  note?: string;
};

export type Comparison = {
  title: string;
  unit: string;
  bars: { label: string; value: number; ours?: boolean }[];
};

export type BenchReport = {
  generatedAt: string;
  durationS: number;
  quick: boolean;
  machine: string;
  figures: Figure[];
  comparisons: Comparison[];
  notes: string[];
};

export type Status = 'met' | 'missed' | 'n/a';

/** Whether a figure meets its goal; figures without a goal or a value are 'n/a'. */
export function statusOf(f: Figure): Status {
  if (!f.goal || f.value === null || !Number.isFinite(f.value)) return 'n/a';
  return (f.goal.op === '<=' ? f.value <= f.goal.value : f.value >= f.goal.value) ? 'met' : 'missed';
}

/** A number for people: thousands separators, at most 2 decimals, fewer as it grows. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Value and unit as one cell ("412 B", "0.52×", "3.1 ms"). */
export function formatValue(v: number | null, unit: string): string {
  if (v === null || !Number.isFinite(v)) return 'not measured';
  return unit === '×' ? `${formatNumber(v)}×` : `${formatNumber(v)} ${unit}`.trim();
}

const MARK: Record<Status, string> = { met: '✅ met', missed: '❌ missed', 'n/a': '' };

// Table cells must not break the markdown table.
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The markdown report: a summary line, one table row per figure, the chart and the notes. */
export function renderMarkdown(r: BenchReport, svgFile = 'report.svg'): string {
  const withGoal = r.figures.filter((f) => statusOf(f) !== 'n/a');
  const met = withGoal.filter((f) => statusOf(f) === 'met').length;
  const lines = [
    `# Chative bench${r.quick ? ' (quick run)' : ''}`,
    '',
    `Generated ${r.generatedAt} in ${formatNumber(r.durationS)} s on ${r.machine}.`,
    `Goals met: **${met} of ${withGoal.length}** measured.`,
    '',
    `![Chative bench chart](${svgFile})`,
    '',
    '| Area | Figure | Measured | Goal | Compared with (same run) | Status |',
    '|---|---|---:|---|---|---|',
  ];
  for (const f of r.figures) {
    const goal = f.goal ? `${f.goal.op === '<=' ? '≤' : '≥'} ${formatValue(f.goal.value, f.unit)}` : '';
    const compared = [f.compared, f.note].filter(Boolean).join('; ');
    lines.push(`| ${cell(f.section)} | ${cell(f.name)} | ${formatValue(f.value, f.unit)} | ${goal} | ${cell(compared)} | ${MARK[statusOf(f)]} |`);
  }
  if (r.notes.length) lines.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`));
  return lines.join('\n') + '\n';
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Share of the goal a figure uses: 1 is exactly on the goal, below 1 is better, capped at 2. */
export function budgetShare(f: Figure): number | null {
  if (!f.goal || f.value === null || !Number.isFinite(f.value)) return null;
  const { op, value: g } = f.goal;
  let share: number;
  if (op === '<=') share = g > 0 ? f.value / g : f.value <= 0 ? 0 : 2;
  else share = f.value > 0 ? g / f.value : 2;
  return Math.min(2, Math.max(0, share));
}

const W = 960, LABEL_W = 420, BAR_W = 400, ROW_H = 22;
const GOOD = '#16a34a', BAD = '#dc2626', OURS = '#4f46e5', OTHER = '#94a3b8';

/** The chart: every goal as a bar of "share of goal used", then one panel per comparison. */
export function renderSvg(r: BenchReport): string {
  const out: string[] = [];
  let y = 30;
  out.push(`<text x="16" y="${y}" font-size="18" font-weight="bold">Chative bench${r.quick ? ' (quick)' : ''} — share of each goal used (left of the line = goal met)</text>`);
  y += 20;
  const goalX = LABEL_W + BAR_W / 2;
  const rows = r.figures.filter((f) => f.goal);
  const top = y;
  for (const f of rows) {
    const share = budgetShare(f);
    const label = `${f.section} · ${f.name}`;
    out.push(`<text x="${LABEL_W - 8}" y="${y + 15}" font-size="12" text-anchor="end">${esc(label)}</text>`);
    if (share === null) {
      out.push(`<text x="${LABEL_W + 4}" y="${y + 15}" font-size="12" fill="${OTHER}">not measured</text>`);
    } else {
      const w = Math.max(2, (share / 2) * BAR_W);
      const color = statusOf(f) === 'met' ? GOOD : BAD;
      out.push(`<rect x="${LABEL_W}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW_H - 8}" fill="${color}" rx="2"><title>${esc(label)}: ${esc(formatValue(f.value, f.unit))}</title></rect>`);
      out.push(`<text x="${LABEL_W + BAR_W + 8}" y="${y + 15}" font-size="12">${esc(formatValue(f.value, f.unit))}</text>`);
    }
    y += ROW_H;
  }
  out.push(`<line x1="${goalX}" y1="${top}" x2="${goalX}" y2="${y}" stroke="#111" stroke-dasharray="4 3"/>`);
  out.push(`<text x="${goalX}" y="${y + 14}" font-size="11" text-anchor="middle">goal</text>`);
  y += 30;

  for (const c of r.comparisons) {
    out.push(`<text x="16" y="${y + 14}" font-size="15" font-weight="bold">${esc(c.title)}</text>`);
    y += 24;
    const max = Math.max(...c.bars.map((b) => b.value), 1e-9);
    for (const b of c.bars) {
      const w = Math.max(2, (b.value / max) * BAR_W);
      out.push(`<text x="${LABEL_W - 8}" y="${y + 15}" font-size="12" text-anchor="end"${b.ours ? ' font-weight="bold"' : ''}>${esc(b.label)}</text>`);
      out.push(`<rect x="${LABEL_W}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW_H - 8}" fill="${b.ours ? OURS : OTHER}" rx="2"/>`);
      out.push(`<text x="${LABEL_W + w + 8}" y="${y + 15}" font-size="12">${esc(formatValue(b.value, c.unit))}</text>`);
      y += ROW_H;
    }
    y += 16;
  }
  const h = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" font-family="system-ui, sans-serif">`,
    `<rect width="${W}" height="${h}" fill="#fff"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}

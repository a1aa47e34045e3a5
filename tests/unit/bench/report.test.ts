import { describe, expect, it } from 'vitest';
import { budgetShare, renderMarkdown, renderSvg, statusOf, type BenchReport } from '../../bench/lib/report';
import { median, percentile } from '../../bench/lib/stats';

const fixed: BenchReport = {
  generatedAt: '2026-01-01T00:00:00.000Z',
  durationS: 312.4,
  quick: false,
  machine: 'test box',
  figures: [
    { section: 'Bytes', name: 'stub gzip', value: 412, unit: 'B', goal: { op: '<=', value: 600 } },
    { section: 'Sync', name: 'throughput vs bare', value: 0.3, unit: '×', goal: { op: '>=', value: 0.45 }, compared: 'bare node:http 20,000 req/s' },
    { section: 'Host page', name: 'layout shift', value: 0, unit: '', goal: { op: '<=', value: 0 } },
    { section: 'Fan-out', name: 'p99 <delivery> | latency', value: null, unit: 'ms', goal: { op: '<=', value: 250 }, note: 'server missing' },
    { section: 'Memory', name: 'RSS idle', value: 61.23, unit: 'MB' },
  ],
  comparisons: [
    { title: 'Main-thread time added', unit: 'ms', bars: [{ label: 'Chative', value: 12, ours: true }, { label: 'react-chat-widget', value: 960 }] },
  ],
  notes: ['a note'],
};

describe('bench report writer', () => {
  it('judges goals in both directions and treats missing values as n/a', () => {
    expect(fixed.figures.map(statusOf)).toEqual(['met', 'missed', 'met', 'n/a', 'n/a']);
    expect(budgetShare(fixed.figures[0])).toBeCloseTo(412 / 600);
    expect(budgetShare(fixed.figures[1])).toBeCloseTo(1.5);
    expect(budgetShare({ ...fixed.figures[2], value: 3 })).toBe(2);
  });

  it('writes one table row per figure with value, goal, comparison and status', () => {
    const md = renderMarkdown(fixed);
    expect(md).toContain('Goals met: **2 of 3** measured.');
    expect(md).toContain('| Bytes | stub gzip | 412 B | ≤ 600 B |  | ✅ met |');
    expect(md).toContain('| Sync | throughput vs bare | 0.3× | ≥ 0.45× | bare node:http 20,000 req/s | ❌ missed |');
    expect(md).toContain('| Fan-out | p99 <delivery> \\| latency | not measured | ≤ 250 ms | server missing |  |');
    expect(md).toContain('| Memory | RSS idle | 61.2 MB |  |  |  |');
    expect(md).toContain('![Chative bench chart](report.svg)');
    expect(md).toContain('- a note');
  });

  it('draws a well-formed SVG with a green, a red and an escaped bar label', () => {
    const svg = renderSvg(fixed);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('fill="#16a34a"');
    expect(svg).toContain('fill="#dc2626"');
    expect(svg).toContain('p99 &lt;delivery&gt; | latency');
    expect(svg).not.toContain('<delivery>');
    expect(svg).toContain('react-chat-widget');
    // Four goal rows (the memory figure has no goal) plus two comparison bars.
    expect(svg.match(/<rect x="420"/g)?.length).toBe(3 + 2);
  });

  it('computes medians and nearest-rank percentiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(Number.isNaN(percentile([], 0.5))).toBe(true);
  });
});

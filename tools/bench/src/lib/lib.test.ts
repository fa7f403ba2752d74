// Unit tests of the harness's pure parts: parsing program output, medians and ratios, options,
// the summary table's n/a footnotes and the SVG chart.
import { describe, expect, it } from 'vitest';
import { parseTps } from '../workloads/pgbench.js';
import { parseSmapsRollup } from '../workloads/idle-memory.js';
import { generate, insertStatements, copyText } from './analytical-schema.js';
import { parseOptions } from './options.js';
import { summaryTable } from './report.js';
import { measured, median, notAvailable, rowVsBestPeer, rowVsPostgres } from './result.js';
import { renderChart } from './svg-chart.js';

describe('program output parsers', () => {
  it('reads pgbench tps', () => {
    expect(
      parseTps(
        'number of failed transactions: 0 (0.000%)\ntps = 2345.678901 (without initial connection time)\n',
      ),
    ).toBeCloseTo(2345.678901);
    expect(() => parseTps('pgbench: error: connection failed')).toThrow(/no tps line/);
  });
  it('reads smaps_rollup', () => {
    const text =
      'Rss:               42000 kB\nPss:                9000 kB\nPrivate_Clean:       100 kB\nPrivate_Dirty:      7900 kB\n';
    expect(parseSmapsRollup(text)).toEqual({ privateKb: 8000, pssKb: 9000 });
    expect(() => parseSmapsRollup('Rss: 1 kB\n')).toThrow(/Private_Clean/);
  });
});

describe('figures and ratios', () => {
  it('takes medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('divides Tusk by PostgreSQL, null when either is missing', () => {
    const base = { workload: 'w', name: 'n', unit: 'TPS', better: 'higher' as const };
    expect(
      rowVsPostgres({ ...base, tusk: measured([50, 70, 60]), postgres: measured([120]) }).ratio,
    ).toBe(0.5);
    expect(
      rowVsPostgres({ ...base, tusk: notAvailable('x'), postgres: measured([1]) }).ratio,
    ).toBeNull();
  });
  it('picks the fastest peer by direction', () => {
    const base = { workload: 'w', name: 'n', unit: 'ms', tusk: measured([10]) };
    const peers = { a: measured([5]), b: measured([20]), c: notAvailable('broken') };
    const lower = rowVsBestPeer({ ...base, better: 'lower', peers });
    expect([lower.ratio, lower.ratioBasis]).toEqual([2, 'fastest peer (a)']);
    const higher = rowVsBestPeer({ ...base, better: 'higher', peers });
    expect([higher.ratio, higher.ratioBasis]).toEqual([0.5, 'fastest peer (b)']);
  });
});

describe('options', () => {
  it('parses subsets, quick mode and counts', () => {
    const o = parseOptions(
      ['--quick', '--only', 'pgbench,connections', '--scale', '1m', '--', '--rounds', '3'],
      '/tmp/r',
    );
    expect(o.only).toEqual(['pgbench', 'connections']);
    expect([o.quick, o.seconds, o.scale, o.rounds]).toEqual([true, 3, 1_000_000, 3]);
    expect(() => parseOptions(['--bogus'], '/tmp/r')).toThrow(/unknown option/);
  });
});

describe('report', () => {
  it('turns long n/a reasons into shared footnotes', () => {
    const reason = 'pgbench -i: ERROR:  COPY is not supported yet (a long reason)';
    const rows = [1, 2].map((c) =>
      rowVsPostgres({
        workload: 'pgbench',
        name: `c${c}`,
        unit: 'TPS',
        better: 'higher',
        tusk: notAvailable(reason),
        postgres: measured([100]),
      }),
    );
    const text = summaryTable(rows);
    expect(text.match(/n\/a \[1\]/g)).toHaveLength(2);
    expect(text).toContain(`[1] ${reason}`);
    expect(text).not.toContain('[2]');
  });
  it('draws one polyline per series', () => {
    const svg = renderChart(
      [
        {
          chart: 'pgbench select-only',
          name: 'Tusk',
          unit: 'TPS',
          xLabel: 'clients',
          points: [
            [1, 10],
            [4, 30],
          ],
        },
        {
          chart: 'pgbench select-only',
          name: 'PostgreSQL',
          unit: 'TPS',
          xLabel: 'clients',
          points: [
            [1, 20],
            [4, 70],
            [16, 60],
          ],
        },
      ],
      'a <title>',
    );
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('a &lt;title&gt;');
    expect(svg.startsWith('<svg')).toBe(true);
  });
});

describe('analytical data', () => {
  it('generates the fact table at scale with unique keys, identical through COPY and INSERT', () => {
    const data = generate(1000);
    const lineitems = data.find((t) => t.table === 'lineitems')!;
    expect(lineitems.rows).toHaveLength(1000);
    expect(new Set(lineitems.rows.map((r) => `${r[0]}/${r[1]}`)).size).toBe(1000);
    expect(copyText(lineitems).toString().split('\n')).toHaveLength(1001);
    expect([...insertStatements(lineitems, 300)]).toHaveLength(4);
  });
});

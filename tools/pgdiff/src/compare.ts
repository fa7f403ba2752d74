// Compares a directory of scripts between two servers and reports per-file verdicts, a
// statement-level match rate, full diffs of mismatching statements, and the closing line.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { markScript, runPsql, type Target } from './run-script.js';
import { splitScript } from './statements.js';

export interface FileVerdict {
  file: string;
  /** Marked with `-- pgdiff: xfail <reason>` in its first lines. */
  expectedFailure?: string;
  units: number;
  matchingUnits: number;
  passed: boolean;
  diffs: string[];
}

export interface DiffReport {
  files: FileVerdict[];
  passed: number;
  failed: number;
  expectedFailures: number;
  unexpectedPasses: number;
  unitMatchRate: number;
}

function expectedFailure(script: string): string | undefined {
  const match = /^--\s*pgdiff:\s*xfail\s*(.*)$/m.exec(script.split('\n').slice(0, 5).join('\n'));
  return match ? match[1]!.trim() || 'no reason given' : undefined;
}

function describeDiff(index: number, sql: string, expected: string, actual: string): string {
  return [
    `--- unit ${index}: ${sql.trim().split('\n')[0]!.slice(0, 120)}`,
    `expected (${'reference'}):`,
    ...expected.split('\n').map((l) => `  - ${l}`),
    'actual (tusk):',
    ...actual.split('\n').map((l) => `  + ${l}`),
  ].join('\n');
}

/** Runs every *.sql in dir against reference and candidate; each file on a fresh database when `fresh` is given. */
export async function compareDirectory(
  dir: string,
  reference: Target,
  candidate: Target,
  fresh?: (target: Target, name: string) => Promise<Target>,
): Promise<DiffReport> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const work = mkdtempSync(path.join(tmpdir(), 'pgdiff-'));
  const verdicts: FileVerdict[] = [];
  try {
    for (const file of files) {
      const script = readFileSync(path.join(dir, file), 'utf8');
      const units = splitScript(script);
      const marked = path.join(work, file);
      markScript(units, marked);
      const dbName = 'pgdiff_' + file.replace(/\W/g, '_').toLowerCase();
      const ref = fresh ? await fresh(reference, dbName) : reference;
      const cand = fresh ? await fresh(candidate, dbName) : candidate;
      const [expected, actual] = await Promise.all([
        runPsql(ref, marked, marked + '.ref.out', file),
        runPsql(cand, marked, marked + '.tusk.out', file),
      ]);
      const diffs: string[] = [];
      let matching = 0;
      const count = Math.max(expected.length, actual.length);
      for (let i = 0; i < count; i++) {
        const e = expected[i] ?? '<missing>';
        const a = actual[i] ?? '<missing>';
        if (e === a) matching++;
        else diffs.push(describeDiff(i, units[i]?.text ?? '(end of script)', e, a));
      }
      const xfail = expectedFailure(script);
      verdicts.push({
        file,
        ...(xfail !== undefined ? { expectedFailure: xfail } : {}),
        units: count,
        matchingUnits: matching,
        passed: diffs.length === 0,
        diffs,
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const totalUnits = verdicts.reduce((s, v) => s + v.units, 0);
  const matched = verdicts.reduce((s, v) => s + v.matchingUnits, 0);
  return {
    files: verdicts,
    passed: verdicts.filter((v) => v.passed && v.expectedFailure === undefined).length,
    failed: verdicts.filter((v) => !v.passed && v.expectedFailure === undefined).length,
    expectedFailures: verdicts.filter((v) => !v.passed && v.expectedFailure !== undefined).length,
    unexpectedPasses: verdicts.filter((v) => v.passed && v.expectedFailure !== undefined).length,
    unitMatchRate: totalUnits === 0 ? 1 : matched / totalUnits,
  };
}

export function formatReport(report: DiffReport, showDiffs = true): string {
  const lines: string[] = [];
  for (const v of report.files) {
    const verdict = v.passed
      ? v.expectedFailure !== undefined
        ? 'UNEXPECTED PASS (remove the xfail mark)'
        : 'ok'
      : v.expectedFailure !== undefined
        ? `xfail (${v.expectedFailure})`
        : 'FAILED';
    lines.push(
      `${v.file.padEnd(40)} ${String(v.matchingUnits).padStart(4)}/${String(v.units).padEnd(4)} ${verdict}`,
    );
    if (showDiffs && !v.passed && v.expectedFailure === undefined) lines.push(...v.diffs, '');
  }
  lines.push(`statement match rate: ${(report.unitMatchRate * 100).toFixed(1)}%`);
  lines.push(
    `pgdiff: ${report.passed} passed, ${report.failed + report.unexpectedPasses} failed` +
      (report.expectedFailures ? ` (${report.expectedFailures} expected failures)` : ''),
  );
  return lines.join('\n');
}

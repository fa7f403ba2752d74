/** Runs labelled steps, recording each result (or its SQLSTATE and message) as one line. */
export type Step = [label: string, run: () => Promise<unknown>];

function errorLine(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  return `ERR ${typeof e.code === 'string' ? e.code : '?'} ${String(e.message)}`;
}

export async function runSteps(steps: Step[]): Promise<string[]> {
  const lines: string[] = [];
  for (const [label, run] of steps) {
    try {
      const result = await run();
      lines.push(`${label}: ${JSON.stringify(result)}`);
    } catch (err) {
      lines.push(`${label}: ${errorLine(err)}`);
    }
  }
  return lines;
}

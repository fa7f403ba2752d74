// Command-line options of `pnpm bench`: which workloads, how long, how big.

export interface Options {
  /** Workload names to run (empty: all). */
  only: string[];
  quick: boolean;
  /** Rounds per measurement (interleaved between contenders); medians are reported. */
  rounds: number;
  /** Seconds per pgbench run. */
  seconds: number;
  /** Rows for the 1,000,000-row workloads (COPY, fetch). */
  bigRows: number;
  /** Queries for the 10,000-query client workloads. */
  queries: number;
  /** Rows of the analytical schema's fact table. */
  scale: number;
  /** Table sizes for the query-time-vs-size scaling curve. */
  scaleSizes: number[];
  /** Client counts for pgbench. */
  clients: number[];
  /** Idle sessions opened for the memory workload. */
  idleSessions: number;
  /** psql start-up runs. */
  startupRuns: number;
  /** Skip Tusk (PostgreSQL and peers only). */
  noTusk: boolean;
  /** Skip the peers (PGlite, pg-mem). */
  noPeers: boolean;
  resultsDir: string;
}

const usage = `usage: pnpm bench [--only a,b] [--quick] [--rounds N] [--seconds N] [--scale 10k|100k|1m]
                  [--no-tusk] [--no-peers] [--results DIR] [--list]`;

function count(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`not a count: ${text}\n${usage}`);
  const unit = m[2]!.toLowerCase();
  return Math.round(Number(m[1]) * (unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : 1));
}

export function parseOptions(
  argv: string[],
  defaultResultsDir: string,
): Options & { list: boolean } {
  const quick = argv.includes('--quick');
  const o: Options & { list: boolean } = {
    only: [],
    quick,
    rounds: quick ? 2 : 5,
    seconds: quick ? 3 : 10,
    bigRows: quick ? 100_000 : 1_000_000,
    queries: quick ? 2_000 : 10_000,
    scale: quick ? 10_000 : 100_000,
    scaleSizes: quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000],
    clients: [1, 4, 16],
    idleSessions: quick ? 5 : 20,
    startupRuns: quick ? 6 : 20,
    noTusk: false,
    noPeers: false,
    resultsDir: defaultResultsDir,
    list: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${usage}`);
      return v;
    };
    switch (arg) {
      case '--quick':
        break;
      case '--only':
        o.only.push(
          ...value()
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        );
        break;
      case '--rounds':
        o.rounds = count(value());
        break;
      case '--seconds':
        o.seconds = count(value());
        break;
      case '--scale':
        o.scale = count(value());
        break;
      case '--no-tusk':
        o.noTusk = true;
        break;
      case '--no-peers':
        o.noPeers = true;
        break;
      case '--results':
        o.resultsDir = value();
        break;
      case '--list':
        o.list = true;
        break;
      case '--help':
      case '-h':
        console.log(usage);
        process.exit(0);
        break;
      default:
        // `pnpm run bench -- --quick` passes a lone "--" through.
        if (arg === '--') break;
        throw new Error(`unknown option ${arg}\n${usage}`);
    }
  }
  return o;
}

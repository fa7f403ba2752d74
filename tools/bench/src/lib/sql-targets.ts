// One interface over everything the analytical and scaling workloads query: the two servers
// (through @tuskdb/libpq, and loaded through psql's COPY) and the in-process peers PGlite
// (PostgreSQL compiled to WASM) and pg-mem (an in-memory emulation in JS).
import { PGlite } from '@electric-sql/pglite';
import { connect } from '@tuskdb/libpq';
import { newDb } from 'pg-mem';
import { copyText, ddl, dropAll, insertStatements, type TableData } from './analytical-schema.js';
import { run } from './exec.js';
import { clientArgs, type Endpoint } from './servers.js';

export interface SqlTarget {
  name: string;
  /** Creates the schema and loads the data. */
  load(data: TableData[]): Promise<void>;
  /** Runs a query, returns its rows as arrays of text (for comparing results across targets). */
  query(sql: string): Promise<string[][]>;
  /** Drops the schema and disconnects. */
  close(): Promise<void>;
}

function text(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Servers that rejected COPY and were loaded with INSERTs instead (for the report's notes). */
export const loadedWithInserts = new Set<string>();
/** Servers that rejected ANALYZE (their planner had no statistics). */
export const withoutAnalyze = new Set<string>();

/**
 * `loadBudgetMs` bounds an INSERT-based load: a server loading so slowly would hold the whole run,
 * so it fails with its measured load rate instead.
 */
export async function serverTarget(e: Endpoint, loadBudgetMs = Infinity): Promise<SqlTarget> {
  const conn = await connect(e.uri);
  return {
    name: e.label,
    load: async (data) => {
      e.psql(ddl);
      const start = performance.now();
      let inserted = 0;
      let useCopy = true;
      for (const t of data) {
        if (useCopy) {
          try {
            await run(
              'psql',
              [
                ...clientArgs(e),
                '-X',
                '-q',
                '-v',
                'ON_ERROR_STOP=1',
                '-d',
                e.database,
                '-c',
                `copy ${t.table} from stdin`,
              ],
              {
                input: copyText(t),
                timeoutMs: 900_000,
              },
            );
            continue;
          } catch (error) {
            // A server without COPY still gets the same data, through multi-row INSERTs.
            if (!/COPY/i.test(String(error))) throw error;
            useCopy = false;
            loadedWithInserts.add(e.label);
          }
        }
        for (const stmt of insertStatements(t)) {
          const elapsed = performance.now() - start;
          if (elapsed > loadBudgetMs) {
            throw new Error(
              `INSERT load too slow: ${inserted.toLocaleString('en')} rows in ${(elapsed / 1000).toFixed(0)} s (${((inserted / elapsed) * 1000).toFixed(0)} rows/s), gave up`,
            );
          }
          inserted += stmt.split('),(').length;
          const [r] = await conn.exec(stmt);
          if (r?.status !== 'PGRES_COMMAND_OK')
            throw new Error(r?.errorField('M') ?? 'insert failed');
        }
      }
      try {
        e.psql('analyze');
      } catch {
        // Statistics only help the planner; a server without ANALYZE still runs the queries.
        withoutAnalyze.add(e.label);
      }
    },
    query: async (sql) => {
      // exec() keeps the server's text output, so results compare byte for byte with PostgreSQL's.
      const results = await conn.exec(sql);
      const r = results[results.length - 1];
      if (!r) throw new Error('no result');
      if (r.status !== 'PGRES_TUPLES_OK') throw new Error(r.errorField('M') ?? r.status);
      const rows: string[][] = [];
      for (let i = 0; i < r.ntuples; i++) {
        const row: string[] = [];
        for (let j = 0; j < r.nfields; j++)
          row.push(r.getisnull(i, j) ? 'NULL' : String(r.getvalue(i, j)));
        rows.push(row);
      }
      return rows;
    },
    close: async () => {
      try {
        e.psql(dropAll);
      } finally {
        await conn.close();
      }
    },
  };
}

export async function pgliteTarget(): Promise<SqlTarget> {
  const db = await PGlite.create();
  return {
    name: 'PGlite',
    load: async (data) => {
      await db.exec(ddl);
      for (const t of data) for (const stmt of insertStatements(t)) await db.exec(stmt);
      await db.exec('analyze');
    },
    query: async (sql) => {
      const r = await db.query<unknown[]>(sql, [], { rowMode: 'array' });
      return r.rows.map((row) => row.map(text));
    },
    close: () => db.close(),
  };
}

export function pgMemTarget(): SqlTarget {
  const db = newDb();
  return {
    name: 'pg-mem',
    load: (data) => {
      for (const stmt of ddl
        .split(';')
        .map((s) => s.trim())
        .filter((s) => s && !s.startsWith('drop')))
        db.public.none(stmt);
      for (const t of data) for (const stmt of insertStatements(t)) db.public.none(stmt);
      return Promise.resolve();
    },
    query: (sql) =>
      Promise.resolve(
        db.public.many(sql).map((row) => Object.values(row as Record<string, unknown>).map(text)),
      ),
    close: () => Promise.resolve(),
  };
}

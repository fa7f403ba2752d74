// Tab completion for the interactive prompt: meta-command names after a backslash, SQL keywords
// (upper case, as psql's default COMP_KEYWORD_CASE preserve-upper does for new words), and
// relation names after FROM/JOIN/INTO/UPDATE/TABLE or \d-family commands, looked up live.
import type { PsqlState } from '../app/state.js';

const META_COMMANDS = [
  'a',
  'C',
  'c',
  'cd',
  'conninfo',
  'connect',
  'copy',
  'd',
  'di',
  'dm',
  'dn',
  'ds',
  'dt',
  'du',
  'dg',
  'dv',
  'echo',
  'encoding',
  'errverbose',
  'f',
  'g',
  'gdesc',
  'getenv',
  'gexec',
  'gset',
  'gx',
  'H',
  'i',
  'if',
  'elif',
  'else',
  'endif',
  'include',
  'ir',
  'l',
  'o',
  'p',
  'pset',
  'q',
  'qecho',
  'r',
  'set',
  'setenv',
  't',
  'T',
  'timing',
  'unset',
  'w',
  'warn',
  'x',
  '!',
];

const KEYWORDS = [
  'ABORT',
  'ALTER',
  'ANALYZE',
  'BEGIN',
  'CALL',
  'CHECKPOINT',
  'CLOSE',
  'CLUSTER',
  'COMMENT',
  'COMMIT',
  'COPY',
  'CREATE',
  'DEALLOCATE',
  'DECLARE',
  'DELETE FROM',
  'DISCARD',
  'DO',
  'DROP',
  'END',
  'EXECUTE',
  'EXPLAIN',
  'FETCH',
  'GRANT',
  'IMPORT',
  'INSERT INTO',
  'LISTEN',
  'LOAD',
  'LOCK',
  'MERGE',
  'MOVE',
  'NOTIFY',
  'PREPARE',
  'REASSIGN',
  'REFRESH MATERIALIZED VIEW',
  'REINDEX',
  'RELEASE',
  'RESET',
  'REVOKE',
  'ROLLBACK',
  'SAVEPOINT',
  'SECURITY LABEL',
  'SELECT',
  'SET',
  'SHOW',
  'START',
  'TABLE',
  'TRUNCATE',
  'UNLISTEN',
  'UPDATE',
  'VACUUM',
  'VALUES',
  'WITH',
  'FROM',
  'WHERE',
  'GROUP BY',
  'ORDER BY',
  'LIMIT',
  'JOIN',
  'LEFT JOIN',
  'INNER JOIN',
  'ON',
  'AND',
  'OR',
  'NOT',
  'NULL',
  'AS',
  'DISTINCT',
  'HAVING',
];

const RELATION_CONTEXT = /(?:\bfrom|\bjoin|\binto|\bupdate|\btable|^\\d[a-z+S]*)\s+("?[\w.]*)$/i;

export function makeCompleter(state: PsqlState) {
  return async (line: string): Promise<[string[], string]> => {
    const meta = /\\([a-zA-Z!]*)$/.exec(line);
    if (meta && !/\s/.test(line.slice(meta.index))) {
      const word = meta[1] ?? '';
      return [META_COMMANDS.filter((c) => c.startsWith(word)).map((c) => '\\' + c), '\\' + word];
    }
    const rel = RELATION_CONTEXT.exec(line);
    if (rel && state.session !== null && !state.queryRunning) {
      const word = rel[1] ?? '';
      const dot = word.lastIndexOf('.');
      const like = (s: string): string =>
        "'" + s.replace(/'/g, "''").replace(/[_%\\]/g, '\\$&') + "%'";
      // "schema.partial" completes within that schema, keeping the prefix.
      const sql =
        dot >= 0
          ? "SELECT n.nspname || '.' || c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace" +
            " WHERE c.relkind IN ('r','p','v','m','f','S') AND n.nspname = '" +
            word.slice(0, dot).replace(/'/g, "''") +
            "' AND c.relname LIKE " +
            like(word.slice(dot + 1)) +
            ' ORDER BY 1 LIMIT 1000'
          : "SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relkind IN ('r','p','v','m','f','S')" +
            ' AND pg_catalog.pg_table_is_visible(c.oid) AND c.relname LIKE ' +
            like(word) +
            ' ORDER BY 1 LIMIT 1000';
      const r = await state.session.query(sql);
      const names = (r.results[0]?.rows ?? []).map((row) => row[0] ?? '');
      return [names, word];
    }
    const m = /(\w*)$/.exec(line);
    const word = m?.[1] ?? '';
    if (word === '') return [[], ''];
    const upper = word.toUpperCase();
    const hits = KEYWORDS.filter((k) => k.startsWith(upper));
    // preserve-upper: keep the user's case when they typed lower case.
    const fitted = word === word.toLowerCase() ? hits.map((k) => k.toLowerCase()) : hits;
    return [fitted, word];
  };
}

// \d NAME and \d+ NAME: the detailed description of tables, views, materialized views, indexes
// and sequences — columns with types, collations, nullability and defaults, then footers for
// indexes, check and foreign-key constraints, references, view definitions and access method.
import type { PsqlState } from '../app/state.js';
import { hiddenQuery } from './run.js';
import { processPattern } from './pattern.js';
import { printTable } from '../print/print-table.js';
import type { PrintTable } from '../print/options.js';

export async function describeObjects(
  state: PsqlState,
  pattern: string,
  verbose: boolean,
  showSystem: boolean,
): Promise<boolean> {
  void showSystem;
  const p = processPattern(pattern, {
    nameColumn: 'c.relname',
    schemaColumn: 'n.nspname',
    visibility: 'pg_catalog.pg_table_is_visible(c.oid)',
  });
  if (p.error) {
    state.error(p.error);
    return false;
  }
  const sql =
    'SELECT c.oid, n.nspname, c.relname\nFROM pg_catalog.pg_class c\n' +
    '     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n' +
    (p.clause ? 'WHERE ' + p.clause + '\n' : '') +
    'ORDER BY 2, 3;';
  const r = await hiddenQuery(state, sql);
  if (r === null) return state.echoHidden === 'noexec';
  if (r.rows.length === 0) {
    if (!state.quiet) state.error(`Did not find any relation named "${pattern}".`);
    return false;
  }
  for (const [oid, schema, name] of r.rows) {
    if (!(await describeOne(state, oid ?? '0', schema ?? '', name ?? '', verbose))) return false;
  }
  return true;
}

async function describeOne(
  state: PsqlState,
  oid: string,
  schema: string,
  name: string,
  verbose: boolean,
): Promise<boolean> {
  const info = await hiddenQuery(
    state,
    'SELECT c.relkind, c.relpersistence, am.amname, c.reloftype\n' +
      'FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam\n' +
      `WHERE c.oid = '${oid}';`,
  );
  const row = info?.rows[0];
  if (!row) return false;
  const relkind = row[0] ?? 'r';
  const persistence = row[1] ?? 'p';
  const amname = row[2] ?? null;
  const qualified = `${schema}.${name}`;
  if (relkind === 'S') return describeSequence(state, oid, qualified);

  const unlogged = persistence === 'u';
  const titles: Record<string, string> = {
    r: unlogged ? 'Unlogged table' : 'Table',
    p: unlogged ? 'Unlogged partitioned table' : 'Partitioned table',
    v: 'View',
    m: unlogged ? 'Unlogged materialized view' : 'Materialized view',
    i: unlogged ? 'Unlogged index' : 'Index',
    I: unlogged ? 'Unlogged partitioned index' : 'Partitioned index',
    t: 'TOAST table',
    c: 'Composite type',
    f: 'Foreign table',
  };
  const title = `${titles[relkind] ?? 'Table'} "${qualified}"`;
  const isIndex = relkind === 'i' || relkind === 'I';
  const isView = relkind === 'v';
  const hasStorage = ['r', 'p', 'm', 't', 'f', 'v', 'c'].includes(relkind);

  const cols = [
    'a.attname',
    'pg_catalog.format_type(a.atttypid, a.atttypmod)',
    '(SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef)',
    'a.attnotnull',
    '(SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation)',
    'a.attidentity',
    'a.attgenerated',
    isIndex ? `pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, true)` : 'NULL',
    isIndex
      ? `CASE WHEN a.attnum <= (SELECT i.indnkeyatts FROM pg_catalog.pg_index i WHERE i.indexrelid = '${oid}') THEN 'yes' ELSE 'no' END`
      : 'NULL',
    'a.attstorage',
    'a.attcompression',
    'CASE WHEN a.attstattarget = -1 THEN NULL ELSE a.attstattarget END',
    'pg_catalog.col_description(a.attrelid, a.attnum)',
  ];
  const colsResult = await hiddenQuery(
    state,
    `SELECT ${cols.join(',\n  ')}\nFROM pg_catalog.pg_attribute a\nWHERE a.attrelid = '${oid}' AND a.attnum > 0 AND NOT a.attisdropped\nORDER BY a.attnum;`,
  );
  if (colsResult === null) return false;

  const headers: string[] = ['Column', 'Type'];
  if (isIndex) headers.push('Key?', 'Definition');
  else headers.push('Collation', 'Nullable', 'Default');
  if (verbose) {
    if (hasStorage || isIndex) headers.push('Storage');
    if (
      (relkind === 'r' || relkind === 'p' || relkind === 'm') &&
      state.vars.get('HIDE_TOAST_COMPRESSION') !== 'on'
    )
      headers.push('Compression');
    if (
      relkind === 'r' ||
      relkind === 'p' ||
      relkind === 'm' ||
      relkind === 'f' ||
      (isIndex && false)
    )
      headers.push('Stats target');
    if (!isIndex) headers.push('Description');
  }
  const storageName = (s: string | null): string =>
    s === 'p'
      ? 'plain'
      : s === 'm'
        ? 'main'
        : s === 'x'
          ? 'extended'
          : s === 'e'
            ? 'external'
            : '???';
  const cells = colsResult.rows.map((c) => {
    const [
      attname,
      type,
      def,
      notnull,
      coll,
      identity,
      generated,
      indexdef,
      key,
      storage,
      compression,
      stats,
      desc,
    ] = c;
    const out: string[] = [attname ?? '', type ?? ''];
    if (isIndex) out.push(key ?? '', indexdef ?? '');
    else {
      out.push(coll ?? '', notnull === 't' ? 'not null' : '');
      let d = def ?? '';
      if (identity === 'a') d = 'generated always as identity';
      else if (identity === 'd') d = 'generated by default as identity';
      else if (generated === 's') d = `generated always as (${def ?? ''}) stored`;
      out.push(d);
    }
    if (verbose) {
      if (hasStorage || isIndex) out.push(storageName(storage ?? null));
      if (
        (relkind === 'r' || relkind === 'p' || relkind === 'm') &&
        state.vars.get('HIDE_TOAST_COMPRESSION') !== 'on'
      )
        out.push(compression === 'p' ? 'pglz' : compression === 'l' ? 'lz4' : '');
      if (relkind === 'r' || relkind === 'p' || relkind === 'm' || relkind === 'f')
        out.push(stats ?? '');
      if (!isIndex) out.push(desc ?? '');
    }
    return out;
  });

  const footers: string[] = [];
  if (isIndex) {
    const ix = await hiddenQuery(
      state,
      'SELECT i.indisunique, i.indisprimary, i.indisclustered, i.indisvalid, a.amname, c2.relname, n2.nspname,\n' +
        '  pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), i.indisreplident,\n' +
        "  (SELECT con.condeferrable FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p','u','x')),\n" +
        "  (SELECT con.condeferred FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p','u','x'))\n" +
        'FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid\n' +
        '  JOIN pg_catalog.pg_class c2 ON c2.oid = i.indrelid JOIN pg_catalog.pg_namespace n2 ON n2.oid = c2.relnamespace\n' +
        '  JOIN pg_catalog.pg_am a ON a.oid = c.relam\n' +
        `WHERE i.indexrelid = '${oid}';`,
    );
    const x = ix?.rows[0];
    if (x) {
      const [
        unique,
        primary,
        clustered,
        valid,
        am,
        table,
        tschema,
        pred,
        replident,
        deferrable,
        deferred,
      ] = x;
      let f = primary === 't' ? 'primary key, ' : unique === 't' ? 'unique, ' : '';
      f += `${am ?? ''}, for table "${tschema ?? ''}.${table ?? ''}"`;
      if (pred !== null && pred !== undefined) f += `, predicate (${pred})`;
      if (clustered === 't') f += ', clustered';
      if (valid !== 't') f += ', invalid';
      if (deferrable === 't') f += ', deferrable';
      if (deferred === 't') f += ', initially deferred';
      if (replident === 't') f += ', replica identity';
      footers.push(f);
    }
  }
  if (isView && verbose) {
    const v = await hiddenQuery(
      state,
      `SELECT pg_catalog.pg_get_viewdef('${oid}'::pg_catalog.oid, true);`,
    );
    footers.push('View definition:');
    for (const line of (v?.rows[0]?.[0] ?? '').split('\n')) footers.push(line);
  }
  if (relkind === 'm' && verbose) {
    const v = await hiddenQuery(
      state,
      `SELECT pg_catalog.pg_get_viewdef('${oid}'::pg_catalog.oid, true);`,
    );
    footers.push('View definition:');
    for (const line of (v?.rows[0]?.[0] ?? '').split('\n')) footers.push(line);
  }
  if (relkind === 'r' || relkind === 'p' || relkind === 'm') {
    const idx = await hiddenQuery(
      state,
      'SELECT c2.relname, i.indisprimary, i.indisunique, i.indisclustered, i.indisvalid,\n' +
        '  pg_catalog.pg_get_indexdef(i.indexrelid, 0, true),\n' +
        '  pg_catalog.pg_get_constraintdef(con.oid, true), con.contype, con.condeferrable, con.condeferred,\n' +
        '  i.indisreplident\n' +
        'FROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i\n' +
        "  LEFT JOIN pg_catalog.pg_constraint con ON (conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x'))\n" +
        `WHERE c.oid = '${oid}' AND c.oid = i.indrelid AND i.indexrelid = c2.oid\n` +
        'ORDER BY i.indisprimary DESC, c2.relname;',
    );
    if (idx && idx.rows.length > 0) {
      footers.push('Indexes:');
      for (const [
        iname,
        primary,
        unique,
        clustered,
        valid,
        indexdef,
        condef,
        contype,
        deferrable,
        deferred,
        replident,
      ] of idx.rows) {
        let f = `    "${iname ?? ''}"`;
        if (contype === 'x') f += ' ' + (condef ?? '');
        else {
          if (primary === 't') f += ' PRIMARY KEY,';
          else if (unique === 't') f += contype === 'u' ? ' UNIQUE CONSTRAINT,' : ' UNIQUE,';
          const def = indexdef ?? '';
          const using = def.indexOf(' USING ');
          f += ' ' + (using >= 0 ? def.slice(using + 7) : def);
          if (deferrable === 't') f += ' DEFERRABLE';
          if (deferred === 't') f += ' INITIALLY DEFERRED';
        }
        if (clustered === 't') f += ' CLUSTER';
        if (valid !== 't') f += ' INVALID';
        if (replident === 't') f += ' REPLICA IDENTITY';
        footers.push(f);
      }
    }
    const checks = await hiddenQuery(
      state,
      'SELECT r.conname, pg_catalog.pg_get_constraintdef(r.oid, true)\nFROM pg_catalog.pg_constraint r\n' +
        `WHERE r.conrelid = '${oid}' AND r.contype = 'c'\nORDER BY 1;`,
    );
    if (checks && checks.rows.length > 0) {
      footers.push('Check constraints:');
      for (const [cname, def] of checks.rows) footers.push(`    "${cname ?? ''}" ${def ?? ''}`);
    }
    const fks = await hiddenQuery(
      state,
      'SELECT conname, pg_catalog.pg_get_constraintdef(r.oid, true) as condef\nFROM pg_catalog.pg_constraint r\n' +
        `WHERE r.conrelid = '${oid}' AND r.contype = 'f' AND conparentid = 0\nORDER BY conname;`,
    );
    if (fks && fks.rows.length > 0) {
      footers.push('Foreign-key constraints:');
      for (const [cname, def] of fks.rows) footers.push(`    "${cname ?? ''}" ${def ?? ''}`);
    }
    const refs = await hiddenQuery(
      state,
      'SELECT conname, conrelid::pg_catalog.regclass AS ontable, pg_catalog.pg_get_constraintdef(oid, true) AS condef\n' +
        'FROM pg_catalog.pg_constraint c\n' +
        `WHERE confrelid = '${oid}' AND contype = 'f' AND conparentid = 0\nORDER BY conname;`,
    );
    if (refs && refs.rows.length > 0) {
      footers.push('Referenced by:');
      for (const [cname, table, def] of refs.rows)
        footers.push(`    TABLE "${table ?? ''}" CONSTRAINT "${cname ?? ''}" ${def ?? ''}`);
    }
    if (verbose && amname !== null && state.vars.get('HIDE_TABLEAM') !== 'on')
      footers.push(`Access method: ${amname}`);
  }
  const table: PrintTable = {
    title,
    headers,
    aligns: headers.map(() => 'l'),
    cells,
    footers: footers.length > 0 ? footers : null,
    noDefaultFooter: true,
  };
  state.queryOut.write(printTable(table, state.popt));
  return true;
}

async function describeSequence(
  state: PsqlState,
  oid: string,
  qualified: string,
): Promise<boolean> {
  const r = await hiddenQuery(
    state,
    'SELECT pg_catalog.format_type(seqtypid, NULL) AS "Type",\n' +
      '       seqstart AS "Start",\n       seqmin AS "Minimum",\n       seqmax AS "Maximum",\n' +
      '       seqincrement AS "Increment",\n' +
      "       CASE WHEN seqcycle THEN 'yes' ELSE 'no' END AS \"Cycles?\",\n" +
      '       seqcache AS "Cache"\n' +
      `FROM pg_catalog.pg_sequence\nWHERE seqrelid = '${oid}';`,
  );
  if (r === null) return false;
  const owned = await hiddenQuery(
    state,
    "SELECT pg_catalog.quote_ident(nspname) || '.' ||\n   pg_catalog.quote_ident(relname) || '.' ||\n   pg_catalog.quote_ident(attname),\n   d.deptype\n" +
      'FROM pg_catalog.pg_class c\nINNER JOIN pg_catalog.pg_depend d ON c.oid=d.refobjid\n' +
      'INNER JOIN pg_catalog.pg_namespace n ON n.oid=c.relnamespace\n' +
      'INNER JOIN pg_catalog.pg_attribute a ON (\n a.attrelid=c.oid AND\n a.attnum=d.refobjsubid)\n' +
      "WHERE d.classid='pg_catalog.pg_class'::pg_catalog.regclass\n AND d.refclassid='pg_catalog.pg_class'::pg_catalog.regclass\n" +
      ` AND d.objid='${oid}'\n AND d.deptype IN ('a', 'i')`,
  );
  const footers: string[] = [];
  const o = owned?.rows[0];
  if (o)
    footers.push(
      o[1] === 'i' ? `Sequence for identity column: ${o[0] ?? ''}` : `Owned by: ${o[0] ?? ''}`,
    );
  const fields = r.fields ?? [];
  const table: PrintTable = {
    title: `Sequence "${qualified}"`,
    headers: fields.map((f) => f.name),
    aligns: fields.map((f) => ([20, 21, 23].includes(f.typeOid) ? 'r' : 'l')),
    cells: r.rows.map((row) => row.map((v) => v ?? state.popt.nullPrint)),
    footers: footers.length > 0 ? footers : null,
    noDefaultFooter: true,
  };
  state.queryOut.write(printTable(table, state.popt));
  return true;
}

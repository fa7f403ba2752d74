/**
 * information_schema views (SQL standard metadata) computed from the catalogs like the pg_catalog
 * system views: schemata, tables, views, columns and the constraint views (table_constraints,
 * key_column_usage, referential_constraints, constraint_column_usage, check_constraints), sequences,
 * enabled_roles and applicable_roles, with PostgreSQL 15's
 * column names, order and
 * (base) types, for the objects a superuser sees. Named as `information_schema.<view>`.
 */

/** Type facts information_schema.columns derives from a column's type and typmod. */
const columnFacts = `
  CASE WHEN t.typcategory = 'A' THEN 'ARRAY'
       WHEN t.typnamespace = 11 THEN format_type(t.oid, NULL)
       ELSE 'USER-DEFINED' END::varchar AS data_type,
  CASE WHEN t.oid IN (1042, 1043) AND a.atttypmod > 0 THEN a.atttypmod - 4 END::int4
    AS character_maximum_length,
  CASE WHEN t.oid IN (1042, 1043, 25) THEN
    CASE WHEN a.atttypmod > 0 THEN (a.atttypmod - 4) * 4 ELSE 1073741824 END END::int4
    AS character_octet_length,
  CASE t.oid WHEN 21 THEN 16 WHEN 23 THEN 32 WHEN 20 THEN 64 WHEN 700 THEN 24 WHEN 701 THEN 53
    WHEN 1700 THEN CASE WHEN a.atttypmod > 0 THEN (a.atttypmod - 4) / 65536 END END::int4
    AS numeric_precision,
  CASE WHEN t.oid IN (21, 23, 20, 700, 701) THEN 2 WHEN t.oid = 1700 THEN 10 END::int4
    AS numeric_precision_radix,
  CASE WHEN t.oid IN (21, 23, 20) THEN 0
    WHEN t.oid = 1700 AND a.atttypmod > 0 THEN (a.atttypmod - 4) % 65536 END::int4
    AS numeric_scale,
  CASE WHEN t.oid = 1082 THEN 0
    WHEN t.oid IN (1083, 1114, 1184, 1266, 1186) THEN
      CASE WHEN a.atttypmod < 0 THEN 6 ELSE a.atttypmod END END::int4 AS datetime_precision`;

export const informationSchemaViews: ReadonlyMap<string, string> = new Map([
  [
    'schemata',
    `SELECT current_database()::name AS catalog_name, n.nspname::name AS schema_name,
       pg_get_userbyid(n.nspowner)::name AS schema_owner,
       NULL::name AS default_character_set_catalog, NULL::name AS default_character_set_schema,
       NULL::name AS default_character_set_name, NULL::varchar AS sql_path
     FROM pg_namespace n`,
  ],
  [
    'tables',
    `SELECT current_database()::name AS table_catalog, n.nspname::name AS table_schema,
       c.relname::name AS table_name,
       CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'BASE TABLE' END::varchar AS table_type,
       NULL::name AS self_referencing_column_name, NULL::varchar AS reference_generation,
       NULL::name AS user_defined_type_catalog, NULL::name AS user_defined_type_schema,
       NULL::name AS user_defined_type_name,
       CASE c.relkind WHEN 'r' THEN 'YES' ELSE 'NO' END::varchar AS is_insertable_into,
       'NO'::varchar AS is_typed, NULL::varchar AS commit_action
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'v', 'p', 'f')`,
  ],
  [
    'views',
    `SELECT current_database()::name AS table_catalog, n.nspname::name AS table_schema,
       c.relname::name AS table_name, pg_get_viewdef(c.oid)::varchar AS view_definition,
       'NONE'::varchar AS check_option, 'NO'::varchar AS is_updatable,
       'NO'::varchar AS is_insertable_into, 'NO'::varchar AS is_trigger_updatable,
       'NO'::varchar AS is_trigger_deletable, 'NO'::varchar AS is_trigger_insertable_into
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'v'`,
  ],
  [
    'columns',
    `SELECT current_database()::name AS table_catalog, n.nspname::name AS table_schema,
       c.relname::name AS table_name, a.attname::name AS column_name,
       a.attnum::int4 AS ordinal_position,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END::varchar
         AS column_default,
       CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END::varchar AS is_nullable,
       ${columnFacts},
       NULL::varchar AS interval_type, NULL::int4 AS interval_precision,
       NULL::name AS character_set_catalog, NULL::name AS character_set_schema,
       NULL::name AS character_set_name, NULL::name AS collation_catalog,
       NULL::name AS collation_schema, NULL::name AS collation_name,
       NULL::name AS domain_catalog, NULL::name AS domain_schema, NULL::name AS domain_name,
       current_database()::name AS udt_catalog, tn.nspname::name AS udt_schema,
       t.typname::name AS udt_name, NULL::name AS scope_catalog, NULL::name AS scope_schema,
       NULL::name AS scope_name, NULL::int4 AS maximum_cardinality,
       a.attnum::text::name AS dtd_identifier, 'NO'::varchar AS is_self_referencing,
       CASE WHEN a.attidentity IN ('a', 'd') THEN 'YES' ELSE 'NO' END::varchar AS is_identity,
       CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END::varchar
         AS identity_generation,
       NULL::varchar AS identity_start, NULL::varchar AS identity_increment,
       NULL::varchar AS identity_maximum, NULL::varchar AS identity_minimum,
       'NO'::varchar AS identity_cycle,
       CASE WHEN a.attgenerated <> '' THEN 'ALWAYS' ELSE 'NEVER' END::varchar AS is_generated,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END::varchar
         AS generation_expression,
       CASE c.relkind WHEN 'r' THEN 'YES' ELSE 'NO' END::varchar AS is_updatable
     FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_namespace tn ON tn.oid = t.typnamespace
       LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'p', 'f')`,
  ],
  [
    'table_constraints',
    `SELECT current_database()::name AS constraint_catalog, nc.nspname::name AS constraint_schema,
       c.conname::name AS constraint_name, current_database()::name AS table_catalog,
       nr.nspname::name AS table_schema, r.relname::name AS table_name,
       CASE c.contype WHEN 'c' THEN 'CHECK' WHEN 'f' THEN 'FOREIGN KEY' WHEN 'p' THEN 'PRIMARY KEY'
         WHEN 'u' THEN 'UNIQUE' END::varchar AS constraint_type,
       CASE WHEN c.condeferrable THEN 'YES' ELSE 'NO' END::varchar AS is_deferrable,
       CASE WHEN c.condeferred THEN 'YES' ELSE 'NO' END::varchar AS initially_deferred,
       'YES'::varchar AS enforced,
       CASE WHEN c.contype = 'u' THEN 'YES' END::varchar AS nulls_distinct
     FROM pg_constraint c
       JOIN pg_namespace nc ON nc.oid = c.connamespace
       JOIN pg_class r ON r.oid = c.conrelid
       JOIN pg_namespace nr ON nr.oid = r.relnamespace
     WHERE c.contype IN ('c', 'f', 'p', 'u') AND r.relkind IN ('r', 'p')
     UNION ALL
     SELECT current_database()::name, nr.nspname::name,
       (nr.oid::text || '_' || r.oid::text || '_' || a.attnum::text || '_not_null')::name,
       current_database()::name, nr.nspname::name, r.relname::name, 'CHECK'::varchar,
       'NO'::varchar, 'NO'::varchar, 'YES'::varchar, NULL::varchar
     FROM pg_attribute a
       JOIN pg_class r ON r.oid = a.attrelid
       JOIN pg_namespace nr ON nr.oid = r.relnamespace
     WHERE a.attnotnull AND a.attnum > 0 AND NOT a.attisdropped AND r.relkind IN ('r', 'p')`,
  ],
  [
    'key_column_usage',
    `SELECT current_database()::name AS constraint_catalog, nc.nspname::name AS constraint_schema,
       c.conname::name AS constraint_name, current_database()::name AS table_catalog,
       nr.nspname::name AS table_schema, r.relname::name AS table_name,
       a.attname::name AS column_name, k.n::int4 AS ordinal_position,
       CASE WHEN c.contype = 'f' THEN
         (SELECT array_position(u.conkey, c.confkey[k.n]) FROM pg_constraint u
          WHERE u.conindid = c.conindid AND u.conrelid = c.confrelid AND u.contype IN ('p', 'u'))
       END::int4 AS position_in_unique_constraint
     FROM pg_constraint c
       CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
       JOIN pg_namespace nc ON nc.oid = c.connamespace
       JOIN pg_class r ON r.oid = c.conrelid
       JOIN pg_namespace nr ON nr.oid = r.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
     WHERE c.contype IN ('p', 'u', 'f') AND r.relkind IN ('r', 'p') AND NOT a.attisdropped`,
  ],
  [
    'referential_constraints',
    `SELECT current_database()::name AS constraint_catalog, nc.nspname::name AS constraint_schema,
       c.conname::name AS constraint_name,
       CASE WHEN npkc.nspname IS NULL THEN NULL ELSE current_database() END::name
         AS unique_constraint_catalog,
       npkc.nspname::name AS unique_constraint_schema,
       pkc.conname::name AS unique_constraint_name,
       CASE c.confmatchtype WHEN 'f' THEN 'FULL' WHEN 'p' THEN 'PARTIAL' WHEN 's' THEN 'NONE'
         END::varchar AS match_option,
       ${ruleOf('c.confupdtype')}::varchar AS update_rule,
       ${ruleOf('c.confdeltype')}::varchar AS delete_rule
     FROM pg_constraint c
       JOIN pg_namespace nc ON nc.oid = c.connamespace
       LEFT JOIN pg_constraint pkc ON pkc.conindid = c.conindid AND pkc.conrelid = c.confrelid
         AND pkc.contype IN ('p', 'u')
       LEFT JOIN pg_namespace npkc ON npkc.oid = pkc.connamespace
     WHERE c.contype = 'f'`,
  ],
  [
    'constraint_column_usage',
    `SELECT current_database()::name AS table_catalog, nr.nspname::name AS table_schema,
       r.relname::name AS table_name, a.attname::name AS column_name,
       current_database()::name AS constraint_catalog, nc.nspname::name AS constraint_schema,
       c.conname::name AS constraint_name
     FROM pg_constraint c
       JOIN pg_namespace nc ON nc.oid = c.connamespace
       JOIN pg_class r ON r.oid = CASE c.contype WHEN 'f' THEN c.confrelid ELSE c.conrelid END
       JOIN pg_namespace nr ON nr.oid = r.relnamespace
       JOIN pg_attribute a ON a.attrelid = r.oid
         AND a.attnum = ANY (CASE c.contype WHEN 'f' THEN c.confkey ELSE c.conkey END)
     WHERE c.contype IN ('c', 'p', 'u', 'f') AND r.relkind IN ('r', 'p') AND NOT a.attisdropped`,
  ],
  [
    'check_constraints',
    `SELECT current_database()::name AS constraint_catalog, rs.nspname::name AS constraint_schema,
       con.conname::name AS constraint_name,
       substring(pg_get_constraintdef(con.oid) FROM 7)::varchar AS check_clause
     FROM pg_constraint con
       JOIN pg_namespace rs ON rs.oid = con.connamespace
       JOIN pg_class c ON c.oid = con.conrelid
     WHERE con.contype = 'c' AND pg_has_role(c.relowner, 'USAGE')
     UNION ALL
     SELECT current_database()::name, n.nspname::name,
       (n.oid::text || '_' || r.oid::text || '_' || a.attnum::text || '_not_null')::name,
       (a.attname::text || ' IS NOT NULL')::varchar
     FROM pg_namespace n
       JOIN pg_class r ON n.oid = r.relnamespace
       JOIN pg_attribute a ON r.oid = a.attrelid
     WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull AND r.relkind IN ('r', 'p')
       AND pg_has_role(r.relowner, 'USAGE')`,
  ],
  [
    'sequences',
    `SELECT current_database()::name AS sequence_catalog, nc.nspname::name AS sequence_schema,
       c.relname::name AS sequence_name, format_type(s.seqtypid, NULL)::varchar AS data_type,
       CASE s.seqtypid WHEN 21 THEN 16 WHEN 23 THEN 32 ELSE 64 END::int4 AS numeric_precision,
       2::int4 AS numeric_precision_radix, 0::int4 AS numeric_scale,
       s.seqstart::varchar AS start_value, s.seqmin::varchar AS minimum_value,
       s.seqmax::varchar AS maximum_value, s.seqincrement::varchar AS increment,
       CASE WHEN s.seqcycle THEN 'YES' ELSE 'NO' END::varchar AS cycle_option
     FROM pg_namespace nc
       JOIN pg_class c ON c.relnamespace = nc.oid
       JOIN pg_sequence s ON s.seqrelid = c.oid
     WHERE c.relkind = 'S'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
         WHERE d.classid = 1259 AND d.objid = c.oid AND d.deptype = 'i')
       AND (pg_has_role(c.relowner, 'USAGE')
         OR has_sequence_privilege(c.oid, 'SELECT, UPDATE, USAGE'))`,
  ],
  [
    'enabled_roles',
    `SELECT a.rolname::name AS role_name FROM pg_authid a WHERE pg_has_role(a.oid, 'USAGE')`,
  ],
  [
    'applicable_roles',
    `SELECT a.rolname::name AS grantee, b.rolname::name AS role_name,
       CASE WHEN m.admin_option THEN 'YES' ELSE 'NO' END::varchar AS is_grantable
     FROM (SELECT member, roleid, admin_option FROM pg_auth_members
           UNION
           SELECT datdba, 6171::oid, false FROM pg_database
             WHERE datname = current_database()) m
       JOIN pg_authid a ON m.member = a.oid
       JOIN pg_authid b ON m.roleid = b.oid
     WHERE pg_has_role(a.oid, 'USAGE')`,
  ],
]);

/** A referential action's information_schema name. */
function ruleOf(column: string): string {
  return `CASE ${column} WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT'
    WHEN 'r' THEN 'RESTRICT' WHEN 'a' THEN 'NO ACTION' END`;
}

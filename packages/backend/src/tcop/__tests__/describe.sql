-- psql's \d family and the catalog functions and types its queries use.
create table t (a int primary key, b text not null default 'x', c numeric(10,2));
create index on t (b);
create table d (a int default 0, b int default -1, c numeric(10,2) default 0, d numeric default 1.5,
  e bigint default 5, f varchar(10) default 'x', g text default 'a' || 'b', h timestamptz default now(),
  i timestamptz default current_timestamp, j serial, k bool default true, l int default 1 + 2,
  m date default current_date, n text default upper('x'), o float8 default 2.5, p int default abs(-3),
  constraint d_a_check check (a > 0 and b < 10), constraint d_u unique (e, f));
\d
\dt
\di
\ds
\dn
\du
\df
\dv
\dm
\dT
\dp
\d t
\d d
\d t_pkey
\d nosuch
select 't'::regclass, 't'::regclass::oid = (select oid from pg_class where relname = 't');
select relname from pg_class where oid = any (array['t'::regclass, 'd'::regclass]::oid[]) order by 1;
select 'int4'::regtype, 'pg_catalog'::regnamespace, 'postgres'::regrole, 23::regtype, 'character varying'::regtype;
select 'nosuch'::regclass;
select 'nosuch'::regtype;
select (array[10, 20, 30])[2], (array[10, 20, 30])[5], (array[10, 20, 30])[2:3];
select 2 = any (array[1, 2]), 3 = any ('{1,2}'), 3 <> all (array[1, 2]), null::int = any (array[1]);
select array_to_string(array[1, null, 3], ','), array_to_string(array[1, null, 3], ',', '*'),
  array_upper(array[1, 2, 3], 1), array_length(array[1, 2], 1), cardinality(array[1, 2, 3]);
select array(select relname from pg_class where relname in ('t', 'd') order by 1);
select pg_get_userbyid(10), pg_get_userbyid(1), pg_encoding_to_char(6);
select adnum, pg_get_expr(adbin, adrelid, true) from pg_attrdef where adrelid = 'd'::regclass order by 1;
select conname, pg_get_constraintdef(oid), pg_get_constraintdef(oid, true) from pg_constraint
  where conrelid = 'd'::regclass order by 1;
select pg_get_indexdef('t_pkey'::regclass), pg_get_indexdef('d_u'::regclass, 2, true);
select schemaname, tablename, tableowner, hasindexes from pg_tables where schemaname = 'public' order by 2;
select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 2;
select rolname, rolsuper, rolpassword from pg_roles where rolname !~ '^pg_' order by 1;
select amname from pg_am order by 1;
select count(*) from pg_roles where rolname = 'pg_database_owner';

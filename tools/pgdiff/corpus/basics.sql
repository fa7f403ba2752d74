-- The runner's own smoke corpus: real psql against two servers must agree on these.
select 1 as one, 'two' as two;
select 1/0;
select * from no_such_table;
\echo a meta-command
select x from generate_series(1, 3) as x;

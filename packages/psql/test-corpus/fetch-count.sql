\set FETCH_COUNT 2
select repeat('x', g) as r, g from generate_series(1,5) g;
select repeat('x', g) as r, g from generate_series(1,4) g;
\x
select repeat('y', g) as r, g from generate_series(1,3) g;
\x
\pset format unaligned
select g from generate_series(1,3) g;
select g from generate_series(1,4) g;
select 1 where false;
\pset format csv
select g from generate_series(1,3) g;
\pset format aligned
\pset border 2
select g from generate_series(1,3) g;
select * from nosuch_fetch;
\echo :ROW_COUNT
begin;
select g from generate_series(1,3) g;
commit;

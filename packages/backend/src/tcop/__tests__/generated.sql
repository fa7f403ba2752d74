-- GENERATED ALWAYS AS (…) STORED columns: computed on INSERT, UPDATE and COPY, with PostgreSQL's rules.
create table gt (a int, b text default 'dflt', c int generated always as (a * 2) stored, d text generated always as (b || '!') stored);
insert into gt (a) values (1), (null) returning *;
insert into gt values (3, 'x') returning *;
insert into gt (a, c) values (4, 8);
insert into gt (a, c) values (4, default) returning c;
insert into gt values (5, 'y', default, default) returning *;
insert into gt (a, c) select 6, 12;
update gt set c = 1;
update gt set c = default where a = 1 returning c;
update gt set a = 10 where a = 1 returning a, c, d;
update gt set b = 'z' where a = 3 returning d;
select * from gt order by a nulls first;
\d gt
copy gt from stdin;
7	w
\.
copy gt (a, c) from stdin;
copy gt to stdout;
select * from gt where a = 7;
create table gt2 (a int, c int generated always as (c + 1) stored);
create table gt3 (a int, b int generated always as (a) stored, c int generated always as (b) stored);
create table gt4 (a int, c float8 generated always as (random()) stored);
create table gt5 (a int, c int generated always as (a) stored default 1);
create table gt6 (a int, c int generated always as (nosuch) stored);
create table gt7 (a int, c int generated always as (a * 2) stored not null);
insert into gt7 values (null);
insert into gt7 values (2) returning *;
create table gt8 (a int check (a > 0), c int generated always as (a - 10) stored check (c > 0));
insert into gt8 values (5);
insert into gt8 values (20) returning *;
select attname, attgenerated, atthasdef from pg_attribute where attrelid = 'gt'::regclass and attnum > 0 order by attnum;
select column_name, column_default, is_generated, generation_expression from information_schema.columns where table_name = 'gt' order by ordinal_position;
drop table gt;
drop table gt7;
drop table gt8;

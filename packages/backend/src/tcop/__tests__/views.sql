-- Views: CREATE [OR REPLACE] VIEW with column aliases, queries through views (joins, aggregates, views over views), replacement rules, dependencies and DROP … CASCADE.
create table vw_t (id int primary key, name text, score numeric);
insert into vw_t values (1, 'ann', 10), (2, 'bob', 20), (3, 'cy', null);
create view vw_v as select id, name from vw_t where id < 3;
select * from vw_v order by id;
create view vw_sum (n, total) as select count(*), sum(score) from vw_t;
select total, n from vw_sum;
select v.name, t.score from vw_v v join vw_t t using (id) order by 1;
create view vw_vv as select name, upper(name) as loud from vw_v;
select * from vw_vv order by 1;
select count(*) from vw_vv where loud like 'A%';
create view vw_v as select 1;
create or replace view vw_v as select id, name, score from vw_t;
select * from vw_v order by id;
create or replace view vw_v as select id from vw_t;
create or replace view vw_v as select id, name as nm, score from vw_t;
create or replace view vw_v as select id, score as name, score from vw_t;
create view vw_bad (a, b, c) as select 1, 2;
create view vw_dup as select 1 as a, 2 as a;
create view vw_nosuch as select * from nosuch_t;
select viewname from pg_views where schemaname = 'public' order by 1;
select relkind, relnatts from pg_class where relname = 'vw_sum';
select attname, atttypid::regtype from pg_attribute where attrelid = 'vw_sum'::regclass and attnum > 0 order by attnum;
insert into vw_t values (4, 'di', 40);
select * from vw_v order by id;
select * from vw_sum;
drop table vw_t;
drop view vw_v;
drop view vw_vv;
drop view vw_sum;
drop table vw_t cascade;
select count(*) from pg_class where relname like 'vw_%';
drop view if exists vw_v;
create view vw_c as with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select n from r;
select * from vw_c;
drop view vw_c;
create table vw_t2 (a int, b text);
create view vw_a as select a from vw_t2;
create view vw_b as select b, a from vw_t2 where a > 0;
create view vw_ab as select * from vw_a join vw_b using (a);
\d vw_b
\dv
select * from vw_ab;
drop table vw_t2 cascade;
-- Dropped views leave no _RETURN rule behind.
SELECT count(*) FROM pg_rewrite r WHERE NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = r.ev_class);

create table tx(a int);
begin;
insert into tx values (1);
select 1/0;
insert into tx values (2);
rollback;
\set ON_ERROR_ROLLBACK on
begin;
insert into tx values (3);
select 1/0;
insert into tx values (4);
commit;
select * from tx order by a;
\set AUTOCOMMIT off
insert into tx values (5);
rollback;
select count(*) from tx;
commit;
\set AUTOCOMMIT on
update tx set a = a + 10;
delete from tx where a > 100;
insert into tx values (7) returning a;
\set QUIET on
insert into tx values (8);
\set QUIET off
insert into tx values (9);

-- FOREIGN KEY constraints: definitions, row checks, referential actions, deferral, TRUNCATE/DROP rules.
create schema fktest;
set search_path = fktest;
create table p (id int primary key, b text);
create table c (x int, p int references p, q bigint);
insert into p values (1,'a'),(2,'b');
insert into c values (1, 1, null);
insert into c values (2, 5, null);
insert into c values (3, null, null);
update c set p = 9 where x = 1;
delete from p where id = 1;
update p set id = 10 where id = 1;
delete from p where id = 2;
select conname, contype, condeferrable, condeferred, convalidated, conindid::regclass, confrelid::regclass, confupdtype, confdeltype, confmatchtype, conkey, confkey, conpfeqop, conppeqop, conffeqop, confdelsetcols, conislocal, coninhcount, connoinherit from pg_constraint where conrelid='c'::regclass;
select classid::regclass, objsubid, refclassid::regclass, refobjid::regclass, refobjsubid, deptype from pg_depend where objid = (select oid from pg_constraint where conname='c_p_fkey') order by 1,2,3,4::text,5;
alter table c add foreign key (q) references p;
select pg_get_constraintdef(oid), conpfeqop, conppeqop, conffeqop from pg_constraint where contype='f' order by conname;
\d c
\d p
drop table p;
truncate p;
begin;
truncate p cascade;
rollback;
drop table p cascade;
\d c
drop table c;
create table a (id int primary key, name text unique);
create table b (id serial primary key, a_id int references a on delete cascade on update cascade, note text);
create table bb (id int primary key, b_id int references b(id) on delete set null);
create table d (id int, a_name text references a(name) on delete set default on update restrict default 'zz');
insert into a values (1,'x'),(2,'y'),(3,'zz');
insert into b (a_id, note) values (1,'b1'),(1,'b2'),(2,'b3');
insert into bb values (10, 1), (11, 3);
insert into d values (1, 'x'), (2, 'y');
update a set id = 100 where id = 1;
select * from b order by id;
delete from a where id = 100;
select * from b order by id;
select * from bb order by id;
update a set name = 'q' where id = 2;
delete from a where name = 'x';
select * from d order by id;
delete from a where name = 'zz';
-- self reference
create table emp (id int primary key, boss int references emp(id));
insert into emp values (1, null), (2, 1), (3, 2);
insert into emp values (4, 4);
insert into emp values (5, 6), (6, 5);
delete from emp where id = 1;
delete from emp;
select count(*) from emp;
-- multi column, match full
create table mp (a int, b int, primary key (a, b));
create table mc (x int, y int, foreign key (x, y) references mp (a, b) match full);
create table ms (x int, y int, constraint ms_fk foreign key (y, x) references mp (b, a));
insert into mp values (1, 2);
insert into mc values (1, 2), (null, null);
insert into mc values (1, null);
insert into ms values (1, null), (2, 1);
insert into ms values (5, 5);
select pg_get_constraintdef(oid) from pg_constraint where conrelid in ('mc'::regclass, 'ms'::regclass, 'b'::regclass, 'bb'::regclass, 'd'::regclass) and contype = 'f' order by conname;
-- errors
create table e1 (x int references nosuch);
create table e2 (x text references a);
create table e3 (x int references a (nosuch));
create table e4 (x int references a (note));
create table e5 (x int, foreign key (x, x) references mp);
create table e6 (x int references b (note));
create table e7 (y int, foreign key (x) references a);
create table nopk (v int);
create table e8 (x int references nopk);
create table e9 (x int constraint same references a, y int constraint same references a);
alter table b add constraint b_a_id_fkey foreign key (a_id) references a;
alter table d add foreign key (id) references a;
alter table d add foreign key (id) references a not valid;
select conname, convalidated from pg_constraint where conrelid = 'd'::regclass order by 1;
alter table d validate constraint d_id_fkey;
alter table d drop constraint d_id_fkey;
alter table d drop constraint nosuch;
alter table d drop constraint if exists nosuch;
alter table a drop constraint a_pkey;
alter table a drop constraint a_name_key cascade;
\d d
drop table mp;
drop table mp cascade;
drop table mc, ms, emp, bb, b, a, d, nopk;
create table p (id int primary key);
create table c (id int, p int references p deferrable initially deferred);
create table c2 (id int, p int references p deferrable);
begin;
insert into c values (1, 1);
insert into p values (1);
commit;
begin;
insert into c values (2, 2);
commit;
select * from c;
begin;
insert into c2 values (1, 5);
rollback;
begin;
set constraints all deferred;
insert into c2 values (1, 5);
insert into c values (3, 7);
set constraints c_p_fkey immediate;
rollback;
begin;
set constraints c2_p_fkey deferred;
insert into c2 values (1, 5);
delete from c2;
commit;
set constraints all immediate;
begin;
set constraints nosuch deferred;
rollback;
create table c3 (p int references p);
begin;
set constraints c3_p_fkey deferred;
rollback;
begin;
delete from p;
insert into p values (1);
commit;
select * from p;
create table nn (id int, p int not null references p on delete set null);
insert into nn values (1, 1);
delete from p;
\copy c2 from stdin
1	1
2	9
\.
\copy c2 from stdin
1	1
\.
select * from c2;
insert into c2 select 5, 1 union all select 6, 99;
drop table c, c2, c3, nn, p;
create table p (id int primary key, k int unique);
create table c (id int primary key, p int references p on update cascade on delete cascade check (p < 100), q int references p(k) on delete set default);
create table g (id int, c int references c on delete restrict);
insert into p values (1, 1), (2, 2);
insert into c values (1, 1, 2);
insert into g values (1, 1);
update p set id = 500 where id = 1;
delete from p where id = 1;
delete from p where id = 2;
drop table g, c, p;
create table p (id int primary key, k int, l int, unique (k, l));
create table c (id int, p int references p on delete cascade, k int, l int, foreign key (k, l) references p (k, l) match full on update set null deferrable);
select constraint_name, constraint_type, is_deferrable, initially_deferred from information_schema.table_constraints where table_schema = 'fktest' and table_name in ('p','c') and constraint_type <> 'CHECK' order by 1;
select * from information_schema.referential_constraints where constraint_schema = 'fktest' order by constraint_name;
select constraint_name, table_name, column_name, ordinal_position, position_in_unique_constraint from information_schema.key_column_usage where table_schema = 'fktest' and table_name in ('p','c') order by 1, 4;
select * from information_schema.constraint_column_usage where table_schema = 'fktest' and table_name in ('p','c') order by 1,2,3,4,5,6,7;
drop table c, p;
create table dp (id int primary key, n text);
create table dc (id int primary key, p int);
insert into dc values (1, 1);
alter table only fktest.dc add constraint dc_p_fkey foreign key (p) references fktest.dp(id) on delete cascade deferrable initially deferred;
insert into dp values (1, 'a');
alter table only fktest.dc add constraint dc_p_fkey foreign key (p) references fktest.dp(id) on delete cascade deferrable initially deferred;
\d dc
begin;
delete from dp;
select * from dc;
commit;
alter table dc add column q int references dp;
alter table dc add column r int default 5 references dp;
alter table dc drop constraint dc_p_fkey;
\d dc
drop table dc, dp;
reset search_path;
drop schema fktest;

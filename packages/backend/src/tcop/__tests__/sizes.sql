-- Relation sizes (estimated from the stored rows, in 8 kB pages) and pg_size_pretty.
select pg_size_pretty(0::bigint), pg_size_pretty(10239::bigint), pg_size_pretty(10240::bigint), pg_size_pretty(10752::bigint), pg_size_pretty(1048576::bigint), pg_size_pretty(20971520::bigint);
select pg_size_pretty(-10240::bigint), pg_size_pretty(1099511627776::bigint), pg_size_pretty(9223372036854775807::bigint), pg_size_pretty(123456789.6::numeric), pg_size_pretty(20971519::bigint), pg_size_pretty(21474836479::bigint);
create table sz (id int primary key, v text);
select pg_relation_size('sz'), pg_table_size('sz'), pg_indexes_size('sz'), pg_total_relation_size('sz'), pg_relation_size('sz_pkey');
insert into sz values (1, 'a'), (2, 'b');
select pg_relation_size('sz'), pg_table_size('sz'), pg_indexes_size('sz'), pg_total_relation_size('sz'), pg_relation_size('sz_pkey');
select pg_size_pretty(pg_total_relation_size('sz'));
\dt+ sz
\di+ sz_pkey
create sequence sz_seq;
select pg_relation_size('sz_seq');
drop sequence sz_seq;
drop table sz;
create table sz2 (a int, b varchar(10), c numeric(8,2), d timestamptz);
create table sz4 (a int, b jsonb);
select pg_table_size('sz2'), pg_table_size('sz4'), pg_total_relation_size('sz2');
select pg_relation_size('nosuch');
select pg_size_pretty(pg_relation_size('sz2'));
drop table sz2, sz4;

-- CREATE SCHEMA [IF NOT EXISTS] [AUTHORIZATION], objects in schemas (serial defaults, indexes, views, search_path, \dn, \dt, \d), DROP SCHEMA [IF EXISTS] with RESTRICT's and CASCADE's messages, rollback.
create schema s1;
create schema s1;
create schema if not exists s1;
create schema pg_foo;
create table s1.t (id serial primary key, v text);
create view s1.v as select * from s1.t;
create sequence s1.q;
insert into s1.t (v) values ('a');
select * from s1.t;
set search_path = s1, public;
select * from t;
select nspname from pg_namespace where nspname like 's%' order by 1;
reset search_path;
drop schema s1;
drop schema s2;
drop schema if exists s2;
drop schema s1 cascade;
select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 's1';
create schema s3;
drop schema s3;
create schema s4 authorization postgres;
create table s4.only (a int);
drop schema s4 cascade;
drop schema pg_catalog;
begin;
create schema s5;
create table s5.x (a int);
rollback;
select count(*) from pg_namespace where nspname = 's5';
create schema app;
create table app.users (id serial primary key, name text not null);
create index users_name on app.users (name);
insert into app.users (name) values ('ann'), ('bob');
\dn
\dt app.*
\d app.users
set search_path = app, public;
\d users
select * from users order by id;
create table items (id int primary key, user_id int);
select schemaname, tablename from pg_tables where schemaname = 'app' order by 2;
select table_schema, table_name from information_schema.tables where table_schema = 'app' order by 2;
reset search_path;
drop table app.items;
drop schema app cascade;
\dn

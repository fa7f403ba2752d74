-- information_schema: tables, views and columns (types, lengths, precisions, defaults, nullability) for user objects.
create table is_t (id serial primary key, name varchar(20) not null, price numeric(10, 2), qty int default 0, note text, at timestamptz, d date, flags bool[], c char(3), f float8, big bigint, t time);
create view is_v as select id, name from is_t;
select table_schema, table_name, table_type, is_typed, commit_action from information_schema.tables where table_schema = 'public' and table_name like 'is\_%' order by table_name;
select column_name, ordinal_position, column_default, is_nullable, data_type, character_maximum_length, character_octet_length, numeric_precision, numeric_precision_radix, numeric_scale, datetime_precision, udt_schema, udt_name, dtd_identifier, is_identity, is_generated, is_updatable from information_schema.columns where table_name = 'is_t' order by ordinal_position;
select table_name, column_name, data_type from information_schema.columns where table_name = 'is_v' order by ordinal_position;
select table_name, check_option from information_schema.views where table_schema = 'public';
select schema_name, schema_owner from information_schema.schemata where schema_name = 'public';
select count(*) from information_schema.columns where table_schema = 'public' and table_name like 'is\_%';
drop view is_v;
drop table is_t;

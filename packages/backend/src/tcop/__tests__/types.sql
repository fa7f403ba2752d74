create table ty (
  a int2, b int4, c int8, d numeric, e float4, f float8, g text, h varchar(5), i char(3),
  j bool, k bytea, l date, m timestamp, n timestamptz, o uuid, p json, q jsonb
);
insert into ty values (1, 2, 3, 4.50, 1.25, 2.5, 'text', 'abc', 'x', true, '\x0102', '2024-02-29',
  '2024-01-05 10:11:12.5', '2024-01-05 10:11:12.5+02', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
  '{"b": 1, "a": [1, 2]}', '{"b": 1, "a": [1, 2], "b": 3}');
insert into ty (a) values (null);
select * from ty order by a nulls first;
select a + b, b * c, c - 1, d / 3, e * 2, f / 4, g || h, h || i, i = 'x  ', not j from ty where a is not null;
insert into ty (h) values ('toolong');
insert into ty (h) values ('ok   ');
insert into ty (a) values (40000);
insert into ty (b) values ('abc');
insert into ty (l) values ('2024-13-01');
insert into ty (j) values ('maybe');
select length(h), upper(g), lower('ABC'), substr('hello', 2, 3), position('l' in 'hello'), replace('aaa', 'a', 'b') from ty where h = 'abc';
select abs(-5), round(2.5), round(2.567, 2), mod(7, 3), 7 % 3, -7 / 2, 7.0 / 2, 2 ^ 10 is null;
select 1::float8 / 3, 1::float4 / 3, 123456789.123::float8, 1e-7::float8, 'NaN'::float8, '-Infinity'::float4;
select 10.5::int, 10.4::int, 11.5::int, (-2.5)::int, '3.7'::numeric::int8, 5::numeric / 2;
select 'abc'::varchar(2), 'abc'::char(5) || '|', cast(12 as text), 42::text || 'x';
select true and null, false and null, true or null, null::bool is unknown, 1 is distinct from null, null is not distinct from null;
select coalesce(null, 2, 3), nullif(1, 1), nullif(1, 2), greatest(1, 5, 3), least('b', 'a');
select 1 between 0 and 2, 5 not between 0 and 2, 2 in (1, 2, null), 3 in (1, 2, null), 3 not in (1, 2);
select 'abc' like 'a%', 'abc' like 'A%', 'abc' ilike 'A%', 'a_c' like 'a\_c', 'abc' not like '%d';
select extract_me from (select 1 as extract_me) s;
select x, count(*) from (values (1), (2), (2), (null)) v(x) group by x order by x nulls first;
select sum(x), avg(x), min(x), max(x), count(x), count(*) from (values (1), (2), (3), (null::int)) v(x);
select sum(x) from (values (1.5), (2.25)) v(x);
select avg(x) from (values (1::float8), (2)) v(x);
select bool_and(x), bool_or(x), string_agg(y, ',') from (values (true, 'a'), (false, 'b')) v(x, y);
select count(distinct x) from (values (1), (1), (2)) v(x);
select x from (values (3), (1), (2)) v(x) order by x desc limit 2;
select x from (values (3), (1), (2)) v(x) order by 1 offset 1;
select '2024-01-31'::date + 1, '2024-03-01'::date - 1, '2024-03-01'::date - '2024-01-01'::date;
select '2000-01-01 00:00:00'::timestamp, '1999-12-31 23:59:59.999999'::timestamp, 'epoch'::timestamptz;
select '0001-01-01'::date, '0001-12-31 BC'::date, 'infinity'::timestamp;
select '{"a":1}'::json, '{"a":1, "aa": 2, "b": 3}'::jsonb, '[1, "x", null, true]'::jsonb;
select '\xdeadbeef'::bytea, 'abc'::bytea;
select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid;
drop table ty;

\set foo bar
\echo :foo :'foo' :"foo"
\set a 1
\set b 'two words'
\echo :a :b
select :a + 1 as n, :'b' as s, 1 as :"foo";
\set tbl pg_class
select count(*) > 0 as ok from :tbl;
\unset foo
\echo :foo
\set ON_ERROR_STOP maybe
\set ECHO wrong
\set FETCH_COUNT x
\set 9bad 1
\set x 'a''b'
\echo :x
select :'x' as quoted;
\set bs 'back\\slash'
select :'bs' as b;
\echo '\t' tab and 'quote''d' "dq" `echo shell`
\echo -n no newline
\echo
\qecho to query output
\warn to stderr
select 'a'::text as "x" \gset p_
\echo :p_x
select 1 as a, 2 as b \gset
\echo :a :b
select 1 where false \gset
select generate_series(1,2) as g \gset
select 'select 40 + 2 as answer' \gexec
select format('select %s as n', g) from generate_series(1,3) g \gexec
select 1 as one, 'x'::text as two \gdesc
create table gd(a int);
insert into gd values (1) \gdesc
select 5 as five \gx
select 6 as six \g
\g
\p
\r
\p

select * from nosuch;
select 1 +;
select
  1,
  2 +
  'x';
select 1/0;
create table e(a int primary key, b int check (b > 0));
insert into e values (1, 1);
insert into e values (1, 1);
insert into e values (2, -1);
\set VERBOSITY terse
select * from nosuch;
\set VERBOSITY verbose
select * from nosuch;
\set VERBOSITY sqlstate
select 1/0;
\set VERBOSITY default
do $$ begin raise notice 'hello %', 42; end $$;
do $$ begin raise warning 'careful' using detail = 'some detail', hint = 'a hint'; end $$;
do $$ begin raise exception 'boom' using errcode = '22012'; end $$;
\set SHOW_CONTEXT always
do $$ begin raise notice 'with context'; end $$;
\set SHOW_CONTEXT never
do $$ begin raise exception 'no context'; end $$;
\set SHOW_CONTEXT errors
select 'a very long line to force truncation of the error excerpt because it is far too wide', nosuchcolumn, 'and more text after the error so that right side is cut as well as left';
\echo :ERROR :SQLSTATE :LAST_ERROR_SQLSTATE
\echo :LAST_ERROR_MESSAGE
select 1;
\echo :ERROR :SQLSTATE :ROW_COUNT
\errverbose

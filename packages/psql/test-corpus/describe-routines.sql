create function add_one(x int) returns int language sql as 'select x + 1';
create function greet(name text, polite boolean default true) returns text language sql as $$select 'hi ' || name$$;
create procedure noop() language sql as $$select 1$$;
create aggregate my_sum(int) (sfunc = int4pl, stype = int);
create type mood as enum ('sad', 'happy');
create type pair as (a int, b text);
create domain posint as int check (value > 0);
comment on type mood is 'feelings';
\df
\df add*
\df nosuch
\dT
\dT mood

\dfS int4pl
\dTS int4

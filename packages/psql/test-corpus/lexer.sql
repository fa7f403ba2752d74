select 'semi;colon' as a, "weird;name" from (select 1 as "weird;name") s;
select $$dollar ; quoted$$ as d, $tag$ also ; $$ inside $tag$ as t;
select E'escaped \' quote;' as e;
select /* comment ; with /* nested */ semicolon */ 1 as c;
-- a comment line; with semicolon
select 1 -- trailing comment ;
 + 1 as sum;
select (1,
  2) as r;
select 1; select 2;
select 3 \echo after-three
\echo before \\ select 4;
select 'multi
line string' as m;
select 1::int as cast, 'a:b' as colon;
create function add1(int) returns int language sql begin atomic; select $1 + 1; end;
select add1(1);
   ;
select 'unterminated

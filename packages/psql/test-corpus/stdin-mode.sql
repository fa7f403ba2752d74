-- stdin
select 1 as from_stdin;
select * from nosuch;
\echo done
select 'unterminated at eof

-- stdin
select 1 as a;
/* unterminated comment
select 2;

-- args: --csv -a
select 1 as a, 'x,y' as b;
select 'q"uote' as c;

-- args: -b -q
select 1 as ok;
select * from nosuch;

-- args: -v ON_ERROR_STOP=1
select 1 as before;
select * from nosuch;
select 2 as never;

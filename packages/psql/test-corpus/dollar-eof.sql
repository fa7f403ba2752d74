select 1 as ok;
select $$never closed;
select 2;

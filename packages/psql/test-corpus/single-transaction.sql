-- args: -1 -v ON_ERROR_STOP=1
create table st(a int);
insert into st values (1);
select count(*) from st;

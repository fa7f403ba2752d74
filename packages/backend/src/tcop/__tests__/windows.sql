-- Window functions: ranking, offsets, frames, aggregates over windows, named windows, errors.
create table emp (id int primary key, dept text, name text, salary int, hired date);
insert into emp values (1, 'eng', 'ann', 120, '2020-01-05'), (2, 'eng', 'bob', 100, '2021-03-01'),
  (3, 'eng', 'cid', 100, '2019-07-11'), (4, 'ops', 'dee', 90, '2018-02-02'), (5, 'ops', 'eve', 95, '2022-09-09'),
  (6, 'hr', 'fay', 70, '2020-10-10'), (7, 'eng', 'gus', null, '2023-01-01');
select id, dept, salary, row_number() over (partition by dept order by salary desc, id),
  rank() over (partition by dept order by salary desc), dense_rank() over (partition by dept order by salary desc),
  percent_rank() over (partition by dept order by salary desc), cume_dist() over (partition by dept order by salary desc)
  from emp order by dept, id;
select id, salary, sum(salary) over (order by id), avg(salary) over (partition by dept), count(*) over (),
  count(salary) over (order by salary), max(salary) over (order by id rows between 1 preceding and 1 following),
  min(salary) over (order by id rows between current row and unbounded following)
  from emp order by id;
select id, lag(salary) over (order by id), lead(salary, 2) over (order by id), lag(salary, 1, 0) over (order by id),
  first_value(name) over (partition by dept order by id), last_value(name) over (partition by dept order by id),
  last_value(name) over (partition by dept order by id rows between unbounded preceding and unbounded following),
  nth_value(name, 2) over (partition by dept order by id), ntile(3) over (order by id)
  from emp order by id;
select name, sum(salary) over w, row_number() over w from emp window w as (partition by dept order by id) order by name;
select dept, count(*), sum(count(*)) over (), rank() over (order by count(*) desc) from emp group by dept order by dept;
select id, salary from emp order by row_number() over (order by salary desc nulls last, id) limit 3;
select * from (select id, row_number() over (order by id desc) as rn from emp) s where rn <= 2 order by id;
select sum(salary) filter (where dept = 'eng') over (order by id) from emp order by id;
select string_agg(name, ',') over (partition by dept order by name) from emp order by id;
select row_number() from emp;
select id from emp where row_number() over () > 1;
select sum(row_number() over ()) from emp;
select row_number() over (order by id) over (order by id) from emp;
select upper(name) over () from emp;
select sum(salary) over nosuch from emp;
select ntile(0) over () from emp;
select sum(salary) over (order by id rows between -1 preceding and current row) from emp;
select sum(salary) over (order by id rows between current row and -2 following) from emp;

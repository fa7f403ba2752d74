-- LATERAL: subqueries and functions in FROM that read the items to their left, with inner, cross and left joins, top-N per group, and nesting.
create table lat_dept (id int, name text);
create table lat_emp (id int, dept int, salary int);
insert into lat_dept values (1, 'eng'), (2, 'ops'), (3, 'empty');
insert into lat_emp values (1, 1, 100), (2, 1, 300), (3, 1, 200), (4, 2, 50), (5, 2, 70);
select * from (values (1), (2)) a(x), lateral (select x * 10 as y) l;
select * from (values (1), (2)) a(x) cross join lateral generate_series(1, x) g order by 1, 2;
select * from (values (1), (2)) a(x), generate_series(x, 2) g order by 1, 2;
select * from (values (1), (2)) a(x) left join lateral (select x where x > 1) l(z) on true order by 1;
select d.name, top.id, top.salary from lat_dept d cross join lateral (select id, salary from lat_emp e where e.dept = d.id order by salary desc limit 2) top order by d.name, top.salary desc;
select d.name, s.total from lat_dept d left join lateral (select sum(salary) as total from lat_emp e where e.dept = d.id) s on true order by d.id;
select d.name, c.n from lat_dept d, lateral (select count(*) as n from lat_emp e where e.dept = d.id and e.salary > (select min(salary) from lat_emp)) c order by 1;
select d.id, x.* from lat_dept d join lateral (select e.id as emp from lat_emp e where e.dept = d.id) x on x.emp > 1 order by 1, 2;
select * from lat_dept d, lateral jsonb_array_elements(jsonb_build_array(d.id, d.name)) v order by d.id;
select * from (values (2)) a(n), lateral (select * from (values (1), (2), (3)) b(m) where m <= n) q, lateral (select n * m as p) r order by m;
select * from (select 1 as x) a, lateral (select a.x + 1 as y) b, lateral (select b.y + 1 as z) c;
select * from lat_dept d, (select d.id) s;

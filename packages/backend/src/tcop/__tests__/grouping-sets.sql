-- GROUP BY GROUPING SETS, ROLLUP and CUBE (alone, nested and combined with plain items), GROUPING(), HAVING over sets, empty sets over no rows, and errors.
create table gs_sales (region text, product text, year int, amount int);
insert into gs_sales values ('east', 'a', 2023, 10), ('east', 'b', 2023, 20), ('west', 'a', 2023, 5), ('west', 'a', 2024, 7), ('east', 'a', 2024, 1);
select region, product, sum(amount) from gs_sales group by rollup(region, product) order by region nulls last, product nulls last;
select region, product, sum(amount), grouping(region, product) from gs_sales group by cube(region, product) order by 4, 1, 2;
select region, year, count(*) from gs_sales group by grouping sets ((region), (year), ()) order by 1 nulls first, 2 nulls first;
select region, product, year, sum(amount) from gs_sales group by region, rollup(product, year) order by 1, 2 nulls last, 3 nulls last;
select region, sum(amount) from gs_sales group by grouping sets (region, ()) having sum(amount) > 15 order by 1 nulls last;
select grouping(region), region, count(*) from gs_sales group by rollup(region) order by 1, 2;
select region, product, count(*) from gs_sales group by grouping sets (rollup(region), (product)) order by 1 nulls last, 2 nulls last;
select count(*), sum(amount) from gs_sales where false group by grouping sets ((), (region));
select region, grouping(region) from gs_sales group by region order by 1;
select 1 as x, count(*) from gs_sales group by rollup(1) order by 1;
select grouping(amount) from gs_sales group by region;
select grouping(region) from gs_sales;
select region, count(*) from gs_sales group by grouping sets ((region, product)) order by 1, 2;
drop table gs_sales;

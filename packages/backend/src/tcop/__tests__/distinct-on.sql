-- SELECT DISTINCT ON: first row per key in ORDER BY order, keys beyond ORDER BY, positions and aliases, and its errors.
create table don (g int, v int, name text);
insert into don values (1, 5, 'a'), (1, 7, 'b'), (2, 3, 'c'), (2, 9, 'd'), (3, 1, 'e'), (null, 4, 'f'), (null, 2, 'g');
select distinct on (g) g, v, name from don order by g, v desc;
select distinct on (g) g, v from don order by g nulls first, v;
select distinct on (1) g, name from don order by 1, name;
select distinct on (g) name from don order by g, name desc;
select distinct on (g, v % 2) g, v % 2 as odd, v from don order by g, v % 2, v;
select distinct on (g % 2) g from don where g is not null;
select distinct on (g) g, v from don order by g desc, v desc limit 2;
select distinct on (grp) g as grp, count(*) from don group by g order by grp;
select distinct on (3) g, v from don;
select distinct on (g) g, v from don order by v;
select distinct on (g, v) g, v from don order by g;
select count(*) from (select distinct on (g) * from don order by g, v) s;

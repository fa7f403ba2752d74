-- Row constructors in comparisons: = <> < <= > >= field by field with NULLs, IN lists of rows, IS [NOT] NULL of rows, keyset pagination.
select (1, 2) = (1, 2), (1, 2) <> (1, 3), (1, 2) < (1, 3), (1, 2) < (0, 9), (1, 2) <= (1, 2), (2, 1) > (1, 9), (1, 2) >= (1, 3), row(1, 'a') = row(1, 'a');
select (1, null) = (1, 2), (1, null) = (2, 2), (1, null) < (2, 0), (1, null) < (1, 5), (null, 1) > (0, 0);
select row(1, null) is null, row(null, null) is null, row(1, 2) is not null, row(1, null) is not null;
select (1, 2) in ((1, 2), (3, 4)), (1, 5) in ((1, 2), (3, 4)), (1, 5) not in ((1, 2), (3, 4)), (1, null) in ((1, 2));
create table rows_t (a int, b int, c text);
insert into rows_t select g / 3, g % 3, 'r' || g from generate_series(0, 11) g;
select a, b, c from rows_t where (a, b) > (1, 1) order by a, b limit 4;
select count(*) from rows_t where (a, b) in ((0, 1), (2, 2), (9, 9));
select (1, 2) = (1, 2, 3);
select (1, 'a') < (1, 2);
drop table rows_t;

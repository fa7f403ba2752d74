create table f(id int, name text, price numeric(8,2), note text);
insert into f values (1, 'apple', 1.5, null), (2, 'banana split', 12.25, E'multi\nline'), (3, '中文', -3, E'tab\there');
select * from f order by id;
\pset border 0
select * from f order by id;
\pset border 2
select * from f order by id;
\pset linestyle unicode
select * from f order by id;
\pset unicode_border_linestyle double
\pset unicode_header_linestyle double
select * from f order by id;
\pset linestyle old-ascii
select * from f order by id;
\pset linestyle ascii
\pset border 1
\x
select * from f order by id;
\x auto
select * from f order by id;
\x off
\pset format unaligned
select * from f order by id;
\pset fieldsep ','
\pset recordsep ';'
select * from f order by id;
\pset recordsep '\n'
\pset format csv
select * from f order by id;
\pset csv_fieldsep ';'
select * from f order by id;
\pset format html
select * from f order by id;
\pset format asciidoc
select * from f order by id;
\pset format latex
select * from f order by id;
\pset format latex-longtable
select * from f order by id;
\pset format troff-ms
select * from f order by id;
\pset format wrapped
\pset columns 30
select * from f order by id;
\pset format aligned
\pset null '(null)'
\pset title 'My table'
select * from f order by id;
\pset title
\pset footer off
select * from f order by id;
\pset footer on
\t
select * from f order by id;
\t
\pset numericlocale on
select 1234567.891::numeric as n, 12345 as i;
select * from f where false;
\pset

create table cp(a int, b text);
copy cp from stdin;
1	one
2	two
\.
copy cp to stdout;
copy cp (b) to stdout with (format csv, header);
\copy cp to '/tmp/tusk-psql-corpus-copy.txt'
\copy cp from '/tmp/tusk-psql-corpus-copy.txt'
select count(*) from cp;
\copy (select a * 10 from cp order by 1) to stdout
\copy cp to program 'sort -r'
\copy cp from '/nonexistent/file'
copy cp from stdin with (format csv);
3,three
4,"four, quoted"
\.
select * from cp order by a, b;

-- COPY: text, CSV and binary, from stdin and to stdout, server-side files and programs, errors.
create table cp (a int not null, b text, c varchar(3) default 'dd', d numeric(5,2), e boolean, f date);
create unique index cp_a on cp (a);
copy cp from stdin;
1	one	abc	1.234	t	2024-01-31
2	\N	\N	\N	\N	\N
3	tab\there\\back	x	-2	false	2000-02-29
4	octal \101\x42 newline\nend	yz	0	on	1999-12-31
\.
copy cp (a, b) from stdin;
5	five
6	six
\.
copy cp (a, b, e) from stdin (format csv, header);
a,b,e
7,"se,ven",true
8,,false
9,"",f
10,"multi
line ""quoted""",t
\.
copy cp (a, b) from stdin (format csv, delimiter '|', null 'NULL', force_not_null (b)) where a > 11;
11|eleven
12|
13|NULL
\.
copy cp (a, b) from stdin (format csv, force_null (b));
14,""
15,x
\.
select * from cp order by a;
copy cp to stdout;
copy cp (a, b, d) to stdout (format csv, header, force_quote (b));
copy cp (a, b) to stdout (format csv, force_quote *, quote '''', escape '\');
copy (select a, b from cp where a between 3 and 9 order by a desc) to stdout (delimiter ',', null '<null>');
copy (select 1 as x, 'a"b' as y union all select 2, null) to stdout (format csv, header);
-- errors
copy cp from stdin;
16	x	abc	1	t
\.
copy cp from stdin;
16	x	abc	1	t	2020-01-01	extra
\.
copy cp (a) from stdin;
q
\.
copy cp (a, c) from stdin;
16	abcd
\.
copy cp (a, b) from stdin;
\N	x
\.
copy cp (a, b) from stdin;
17	fine
1	duplicate
\.
copy cp (a, b) from stdin (format csv);
18,"unterminated
\.
copy cp (a, b) from stdin (format csv, header match);
a,c
\.
copy cp from stdin (format xml);
copy cp from stdin (delimiter 'ab');
copy cp from stdin (delimiter 'a');
copy cp from stdin (quote '"');
copy cp from stdin (format csv, quote ',');
copy cp from stdin (header, header);
copy cp from stdin (bogus 1);
copy cp from stdin (format binary, delimiter ',');
copy cp from stdin (format csv, force_quote (a));
copy cp to stdout (format csv, force_not_null (a));
copy cp to stdout (format csv, header match);
copy cp (zz) from stdin;
copy cp (a, a) from stdin;
copy nosuch from stdin;
copy cp to stdout where a > 1;
copy cp to 'relative.txt';
copy cp from '/nonexistent/dir/file';
-- server-side files and programs (the server runs as an unprivileged account)
copy cp to '/tmp/tusk-copy-differential.txt';
create table cp2 (a int not null, b text, c varchar(3) default 'dd', d numeric(5,2), e boolean, f date);
copy cp2 from '/tmp/tusk-copy-differential.txt';
select count(*), sum(a) from cp2;
copy cp (a) to program 'cat > /dev/null';
copy cp2 (a, b) from program 'printf "100\tfrom a program\n"';
select a, b from cp2 where a = 100;
copy cp2 from program 'exit 3';
-- inside a transaction block, and rolled back
begin;
copy cp2 (a) from stdin;
200
\.
select count(*) from cp2;
rollback;
select count(*) from cp2;

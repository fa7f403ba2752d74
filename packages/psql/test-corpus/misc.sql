\pset format aligned
\a
\a
\t on
\t off
\x on
\x off
\f ';'
\T 'border=1'
\C 'title here'
\C
\H
\H
\pset format bogus
\pset format a
\pset linestyle bogus
\pset csv_fieldsep ab
\pset unknownthing
\pset null
\pset border
\pset expanded maybe
\timing off
\conninfo
\encoding
\set ECHO queries
select 1 as echoed;
\set ECHO none
\echo :DBNAME :USER :PORT :ENCODING
\echo :SERVER_VERSION_NUM
\setenv TUSK_TEST_VAR hello
\getenv got TUSK_TEST_VAR
\echo :got
\! echo from shell
\o /tmp/tusk-psql-corpus-out.txt
select 'to file' as f;
\o
\! cat /tmp/tusk-psql-corpus-out.txt
select 1 \g /tmp/tusk-psql-corpus-g.txt
\! cat /tmp/tusk-psql-corpus-g.txt
select 2 as x \g (format=unaligned tuples_only=on)
select 3 as y;
\w /tmp/tusk-psql-corpus-w.txt
\! cat /tmp/tusk-psql-corpus-w.txt

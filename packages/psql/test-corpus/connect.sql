\c postgres
\echo :DBNAME
\conninfo
\c - - - -
\c corpus postgres
select current_database();
\c nosuchdb
select current_database();

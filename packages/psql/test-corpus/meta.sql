\foo
\i /nonexistent.sql
\q extra

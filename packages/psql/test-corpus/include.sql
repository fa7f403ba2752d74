\echo before include
\ir lexer.sql
\echo after include

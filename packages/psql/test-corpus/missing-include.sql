-- args: -v ON_ERROR_STOP=1
\i missing-file.sql
select 1 as never;

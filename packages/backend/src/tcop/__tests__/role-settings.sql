-- ALTER ROLE | DATABASE … SET / RESET: pg_db_role_setting, rolconfig, \drds, applied at connect.
CREATE ROLE rs_a LOGIN;
ALTER ROLE rs_a SET search_path TO rs_x, public;
ALTER ROLE rs_a SET work_mem = '2MB';
ALTER ROLE rs_a SET work_mem = '3MB';
ALTER ROLE rs_a IN DATABASE postgres SET DateStyle = 'SQL, DMY';
ALTER ROLE rs_a SET nosuch_param = 1;
ALTER ROLE rs_a SET work_mem = 'lots';
ALTER ROLE rs_a SET my.custom = 'x';
SELECT rolname, rolconfig FROM pg_roles WHERE rolname = 'rs_a';
SELECT setdatabase = 0 AS alldb, setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = 'rs_a' ORDER BY 1;
\drds rs_a
\connect - rs_a
SHOW work_mem;
SHOW search_path;
SHOW DateStyle;
SHOW my.custom;
RESET work_mem;
SHOW work_mem;
\connect - postgres
ALTER ROLE rs_a RESET work_mem;
ALTER ROLE rs_a IN DATABASE postgres RESET ALL;
SELECT rolconfig FROM pg_roles WHERE rolname = 'rs_a';
ALTER ROLE rs_a RESET ALL;
SELECT count(*) FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = 'rs_a';
ALTER DATABASE postgres SET statement_timeout = '5s';
\drds
\connect - rs_a
SHOW statement_timeout;
\connect - postgres
ALTER DATABASE postgres RESET statement_timeout;
ALTER DATABASE nosuch SET work_mem = '1MB';
DROP ROLE rs_a;
SELECT count(*) FROM pg_db_role_setting;

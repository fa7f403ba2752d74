-- information_schema check_constraints, sequences, enabled_roles, applicable_roles; system views
-- read their catalogs with the owner's rights, so a plain role can use them.
CREATE ROLE is_r;
CREATE ROLE is_m;
GRANT is_r TO is_m WITH ADMIN OPTION;
CREATE TABLE is_t (id serial, n int NOT NULL CHECK (n > 0), CONSTRAINT is_c CHECK (n < 100 OR id IS NULL));
CREATE TABLE is_i (id bigint GENERATED ALWAYS AS IDENTITY);
CREATE SEQUENCE is_s AS int START 7 INCREMENT -2 MINVALUE -100 MAXVALUE 50 CYCLE;
SELECT constraint_schema, constraint_name LIKE '%_not_null' AS notnull, check_clause FROM information_schema.check_constraints WHERE constraint_name LIKE 'is\_%' OR check_clause LIKE 'n IS%' ORDER BY 3;
SELECT count(*) FROM information_schema.check_constraints c JOIN information_schema.table_constraints t USING (constraint_name) WHERE t.table_name = 'is_t';
SELECT * FROM information_schema.sequences WHERE sequence_name LIKE 'is\_%' ORDER BY sequence_name;
SELECT * FROM information_schema.applicable_roles WHERE role_name LIKE 'is\_%' OR grantee LIKE 'is\_%' ORDER BY 1, 2;
SELECT * FROM information_schema.enabled_roles WHERE role_name LIKE 'is\_%' ORDER BY 1;
SET ROLE is_m;
SELECT * FROM information_schema.enabled_roles ORDER BY 1;
SELECT * FROM information_schema.applicable_roles ORDER BY 1, 2;
SELECT count(*) FROM information_schema.sequences WHERE sequence_name LIKE 'is\_%';
SELECT rolname FROM pg_roles WHERE rolname = 'is_r';
SELECT count(*) > 0 FROM pg_tables;
SELECT count(*) > 0 FROM information_schema.columns WHERE table_name = 'pg_class';
RESET ROLE;
DROP TABLE is_t, is_i;
DROP SEQUENCE is_s;
DROP ROLE is_m, is_r;

-- ALTER TABLE ... ADD CHECK [NOT VALID], VALIDATE CONSTRAINT and DROP CONSTRAINT of CHECK constraints.
create table ckt (a int, b int);
insert into ckt values (1, 2), (-1, 5);
alter table ckt add check (a > 0);
alter table ckt add check (a > -5);
alter table ckt add constraint pos_b check (b > 0);
alter table ckt add constraint big check (b > 3) not valid;
alter table ckt add constraint pos_b check (b > 0);
alter table ckt add check (a < b);
alter table ckt add check (nosuch > 0);
alter table ckt add check (a + 1);
insert into ckt values (1, 1);
insert into ckt values (-7, 9);
select conname, convalidated, pg_get_constraintdef(oid) from pg_constraint where conrelid = 'ckt'::regclass order by 1;
alter table ckt validate constraint big;
delete from ckt where b <= 3;
alter table ckt validate constraint big;
alter table ckt drop constraint t_a_check;
\d ckt
select relchecks from pg_class where relname = 'ckt';
drop table ckt;

-- INSERT / UPDATE / DELETE: defaults, RETURNING, constraints and their errors.
create table d_item (
  id serial primary key,
  code text not null unique,
  qty int not null default 0 check (qty >= 0),
  price numeric(8,2) default 9.99,
  note varchar(10),
  created date default '2024-01-01'
);
insert into d_item (code) values ('a');
insert into d_item (code, qty) values ('b', 5), ('c', 7) returning id, code, qty, price;
insert into d_item (code, qty, price, note) values ('d', 1, 1.005, 'short') returning *;
insert into d_item values (default, 'e', default, default, default, default) returning id, created;
insert into d_item (code) values ('a');
insert into d_item (code) values (null);
insert into d_item (code, qty) values ('f', -1);
insert into d_item (code, note) values ('g', 'this is too long');
insert into d_item (code, qty) values ('h', 'x');
insert into d_item (code, qty) values ('i', 2147483648);
insert into d_item (nosuch) values (1);
insert into d_item (code, code) values ('j', 'k');
insert into d_item (code, qty) values ('l');
insert into d_item (code) values ('m', 1);
insert into d_item (id, code) values (100, 'n') returning id;
insert into d_item (code) select 'p' || g from generate_series(1, 3) g returning code;
select id, code, qty, price, note from d_item order by id;
update d_item set qty = qty + 1 where code in ('a', 'b') returning code, qty;
update d_item set qty = -5 where code = 'a';
update d_item set code = 'b' where code = 'a';
update d_item set code = null where code = 'a';
update d_item set price = price * 2, note = 'doubled' where qty > 5 returning code, price, note;
update d_item set qty = default where code = 'c' returning qty;
update d_item set qty = 3, note = 'pair' where code = 'd' returning qty, note;
update d_item set qty = 1 where false;
update d_item set nosuch = 1;
update d_item set qty = 'abc';
update d_item i set qty = i.qty + 10 where i.code = 'e' returning i.code, i.qty;
delete from d_item where code like 'p%' returning code;
delete from d_item where code = 'zzz';
delete from d_item where qty > 100;
select count(*), sum(qty), max(price) from d_item;
with moved as (select id from d_item where qty = 0) select count(*) from moved;
insert into d_item (code, qty) values ('q', 1), ('q', 2);
select code from d_item where code = 'q';
begin;
insert into d_item (code) values ('r');
savepoint s1;
insert into d_item (code) values ('r');
rollback to s1;
insert into d_item (code) values ('s');
commit;
select code from d_item where code in ('r', 's') order by code;
truncate d_item;
select count(*) from d_item;
insert into d_item (code) values ('after truncate') returning id > 0 as has_id;
drop table d_item;
-- multiple-column assignments
create table ma (id int primary key, a int, b text, c numeric);
insert into ma values (1, 1, 'x', 1.5), (2, 2, 'y', 2.5);
update ma set (a, b) = (10, 'ten') where id = 1 returning *;
update ma set (a, b, c) = (select a + 100, b || '!', c * 2 from ma m2 where m2.id = ma.id) returning *;
update ma set (a) = row(5) where id = 2 returning a;
update ma set (a, b) = (1, 2, 3);
update ma set (a, b) = (select 1);
update ma set (a, b) = (select a, b from ma);
update ma set (a, b) = (select 7, 'z' where false) where id = 1 returning *;
update ma set (a, nosuch) = (1, 2);
update ma set (b, a) = ('swap', a + 1), c = 0 where id = 2 returning *;
drop table ma;

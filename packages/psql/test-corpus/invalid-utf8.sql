-- env: TUSK_PSQL_TRANSPORT=wire
select 'bad ÿ byte' as b;
select 1 as after;

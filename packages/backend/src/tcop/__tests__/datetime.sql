-- time and interval: input and output, comparisons, arithmetic with dates and timestamps, extract/date_part, date_trunc, age, justify_*.
set timezone = 'America/New_York';
select interval '1 day', interval '1 year 2 months 3 days 04:05:06.789', interval '-1 day +2 hours',
  interval '1.5 years', interval '1.5 months', interval '1.5 days', interval '90 minutes',
  interval '@ 1 hour ago', interval 'P1Y2M3DT4H5M6S', interval '5', interval '1 12:00', interval '-1:30',
  interval '0', interval '2 weeks', interval '1 mon -1 day', interval '100 hours';
select '12:34'::time, '23:59:59.999999'::time, 'allballs'::time, '24:00'::time, '1:00 pm'::time, '10:00:00.5'::time;
select interval '1 day' = interval '24 hours', interval '1 mon' > interval '29 days', interval '1 year' < interval '366 days';
select '25:00'::time;
select 'abc'::interval;
select interval '1 day' + interval '1 hour', interval '1 day' - interval '1 hour', - interval '1 day 02:00',
  interval '1 day' * 1.5, 2 * interval '1 hour', interval '1 day' / 3, interval '1 mon' / 7, interval '1 hour' * 0.1;
select interval '1 day' / 0;
select date '2024-01-31' + interval '1 month', date '2024-03-01' - interval '1 day', date '2024-01-01' + time '10:30',
  timestamp '2024-01-31 10:00' + interval '1 mon 1 day 01:00', timestamp '2024-01-01' - timestamp '2023-12-25 12:00',
  timestamp '2024-01-01' + '1 day', timestamp '2024-01-01' - '2023-01-01';
select timestamptz '2024-03-09 12:00' + interval '1 day', timestamptz '2024-03-09 12:00' + interval '24 hours',
  timestamptz '2024-11-03 00:30' + interval '1 day', timestamptz '2024-03-10 12:00' - timestamptz '2024-03-09 12:00';
select time '10:00' + interval '1 hour', time '23:00' + interval '2 hours', time '01:00' - interval '3 hours',
  time '10:00' - time '08:30', time '10:00' + '1 hour', time '10:00' < time '11:00';
select date '2024-01-01' + '1 day';
select date '2024-01-05' - date '2024-01-01', date '2024-01-01' + 7, date '2024-01-08' - 7;
select extract(epoch from interval '1 year 1 day'), extract(second from timestamp '2024-01-01 10:00:05.5'),
  extract(dow from date '2024-01-07'), date_part('hour', timestamp '2024-01-01 10:00'), extract(year from date '2024-05-05'),
  extract(milliseconds from time '10:00:05.25'), extract(microseconds from interval '5.5 seconds'),
  extract(epoch from date '2024-01-01'), extract(century from timestamp '2000-01-01'), extract(week from date '2024-12-30'),
  extract(isoyear from date '2024-12-30'), extract(quarter from date '2024-12-30'), extract(doy from date '2024-12-30'),
  extract(julian from date '2024-01-01'), extract(isodow from date '2024-01-07'), extract(decade from date '2024-01-07'),
  extract(millennium from date '2001-01-01'), extract(month from interval '14 months'), extract(hour from interval '1 day 25:00');
select extract(epoch from timestamptz '2024-01-01 00:00:00+00'), extract(hour from timestamptz '2024-01-01 12:00:00+00'),
  extract(timezone from timestamptz '2024-07-01 12:00:00+00'), extract(epoch from timestamp '2024-01-01 10:00:05.5'),
  extract(minute from time '10:11:12'), date_part('epoch', interval '1 hour'), date_part('year', date '2024-05-05');
select extract(hour from date '2024-05-05');
select extract(foo from timestamp '2024-05-05');
select extract(day from time '10:00');
select date_trunc('month', timestamp '2024-05-17 10:11:12'), date_trunc('hour', interval '1 day 05:06:07'),
  date_trunc('week', timestamp '2024-05-17 10:11:12'), date_trunc('year', timestamp '2024-05-17'),
  date_trunc('quarter', timestamp '2024-05-17'), date_trunc('minute', timestamp '2024-05-17 10:11:12.5'),
  date_trunc('day', timestamptz '2024-03-10 12:00'), date_trunc('century', timestamp '2024-05-17'),
  date_trunc('decade', timestamp '2024-05-17'), date_trunc('millennium', timestamp '2024-05-17'),
  date_trunc('year', interval '15 months 3 days');
select age(timestamp '2024-05-17', timestamp '2020-02-29 10:00'), age(timestamp '2020-02-29', timestamp '2024-05-17 10:00'),
  age(timestamp '2024-03-01', timestamp '2024-01-31'), age(timestamptz '2024-05-17 00:00', timestamptz '2024-01-01 12:00');
select justify_hours(interval '27 hours'), justify_days(interval '35 days'), justify_interval(interval '1 mon -1 hour'),
  justify_interval(interval '-1 mon 40 days 25:00');
create table dt (id int, t time, i interval, ts timestamp);
insert into dt values (1, '10:00', '1 day', '2024-01-01 00:00'), (2, '09:00', '25 hours', '2024-02-01'),
  (3, '11:30:15', '-3 hours', '2024-03-01'), (4, null, null, null);
select * from dt order by t;
select * from dt order by i desc;
select id, ts + i, t + i, ts::time, i::time from dt order by id;
select sum(extract(epoch from i)), max(t), min(i), sum(i), avg(i), max(i) from dt;
select count(*) from dt where ts > timestamp '2024-01-15' - interval '10 days';
copy dt to stdout;
copy dt to stdout (format csv);
set intervalstyle = 'sql_standard';
select interval '1 year 2 mons 3 days 04:05:06', interval '-1 day +02:00', '1-2 3 4:05:06'::interval;
set intervalstyle = 'iso_8601';
select interval '1 year 2 mons 3 days 04:05:06.5', interval '-1 day +02:00';
set intervalstyle = 'postgres_verbose';
select interval '1 year 2 mons 3 days 04:05:06.5', interval '-1 day +02:00';
reset intervalstyle;
select '1 fortnight'::interval;
select 'now'::time is not null;
select make_date(2024, 2, 29), make_date(-44, 3, 15), make_time(23, 59, 59.999999), make_time(24, 0, 0), make_timestamp(2024, 1, 2, 3, 4, 5.5), make_timestamptz(2024, 1, 2, 3, 4, 5), make_timestamptz(2024, 7, 1, 12, 0, 0, 'America/New_York');
select make_date(2024, 2, 30);
select make_date(0, 1, 1);
select make_time(25, 0, 0);
select make_time(1, 60, 0);
select make_timestamp(2024, 13, 1, 0, 0, 0);

-- Statistical aggregates over integers, numerics and floats: variance/var_samp/var_pop, stddev/stddev_samp/stddev_pop, with PostgreSQL's numeric scales.
select stddev(x), stddev_pop(x), variance(x), var_pop(x), var_samp(x), stddev_samp(x) from (values (1), (2), (4)) v(x);
select stddev(x), variance(x) from (values (1.5), (2.25), (4.0)) v(x);
select stddev(x), variance(x), var_pop(x), stddev_pop(x) from (values (1.5::float8), (2.25), (4.0)) v(x);
select stddev(x), variance(x), stddev_pop(x), var_pop(x) from (values (1)) v(x);
select variance(x), stddev(x) from (values (100000000000), (3)) v(x);
select stddev(x), variance(x) from (values (1),(1),(1)) v(x);
select stddev(x) from (values (null::int)) v(x);
select g, stddev(x), variance(x::float4) from (values (1, 10), (1, 20), (2, 5), (2, 5), (2, 11)) v(g, x) group by g order by g;
select stddev(x), variance(x) from (values (0.001), (0.002), (1000.5)) v(x);
select stddev_pop(x::bigint) from generate_series(1, 100) x;
select percentile_cont(0.25) within group (order by x), percentile_disc(0.25) within group (order by x), mode() within group (order by x), pg_typeof(percentile_disc(0.5) within group (order by x)) from (values (1), (2), (2), (4), (null)) v(x);
select percentile_cont(0.5) within group (order by x desc), percentile_disc(0) within group (order by x), percentile_disc(1) within group (order by x) from (values (1.5), (2.5), (10)) v(x);
select g, percentile_cont(0.5) within group (order by x), mode() within group (order by x desc) from (values (1, 10), (1, 20), (2, 5), (2, 5), (2, 11), (2, 11)) v(g, x) group by g order by g;
select percentile_cont(0.5) within group (order by x) from (values (1)) v(x) where false;
select mode() within group (order by t) from (values ('b'), ('a'), ('b'), ('a')) v(t);
select percentile_cont(1.5) within group (order by x) from (values (1)) v(x);
select percentile_cont(0.5) from (values (1)) v(x);

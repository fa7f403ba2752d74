-- args: -A -t -F , -v x=42 -P null=NULL
select 1 as a, null as b, :x as c;
\echo :x

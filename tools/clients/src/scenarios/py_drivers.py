"""psycopg2 and psycopg 3 against one server: prints one line per step (a result or an error)."""
import datetime
import decimal
import io
import json
import sys

import psycopg
import psycopg2

port = int(sys.argv[1])


def show(label, fn):
    try:
        print(f"{label}: {fn()!r}")
    except Exception as e:  # noqa: BLE001 - every failure is part of the output
        code = getattr(e, "pgcode", None) or getattr(getattr(e, "diag", None), "sqlstate", None)
        print(f"{label}: ERR {code} {str(e).strip().splitlines()[0]}")


c2 = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
cur = c2.cursor()


def run(sql, args=None):
    cur.execute(sql, args)
    return cur.statusmessage


show("p2 create", lambda: run("drop table if exists py_t; create table py_t (id int primary key, v text, n numeric, d date, ts timestamp)"))
rows = [
    (1, "a", decimal.Decimal("1.25"), datetime.date(2020, 1, 2), datetime.datetime(2020, 1, 2, 3, 4, 5, 600000)),
    (2, "o'q\\", None, None, None),
    (3, "ünï", decimal.Decimal("-1e-5"), datetime.date(1999, 12, 31), None),
]
show("p2 executemany", lambda: (cur.executemany("insert into py_t values (%s, %s, %s, %s, %s)", rows), cur.rowcount)[1])
show("p2 select", lambda: (cur.execute("select * from py_t order by id"), cur.fetchall())[1])
show("p2 description", lambda: [(d.name, d.type_code) for d in cur.description])
show("p2 dict params", lambda: (cur.execute("select v from py_t where id = %(id)s", {"id": 3}), cur.fetchone())[1])
c2.commit()
show("p2 error", lambda: run("select * from py_nosuch"))
c2.rollback()
show("p2 status", lambda: (c2.get_parameter_status("server_encoding"), c2.get_parameter_status("integer_datetimes")))


def named_cursor():
    nc = c2.cursor("py_named")
    nc.itersize = 2
    nc.execute("select id, v from py_t order by id")
    first = nc.fetchmany(2)
    rest = nc.fetchall()
    nc.close()
    return first, rest


show("p2 named cursor", named_cursor)
c2.rollback()


def copy_out():
    f = io.StringIO()
    cur.copy_expert("copy py_t (id, v, n) to stdout", f)
    return f.getvalue()


show("p2 copy out", copy_out)


def copy_in():
    cur.copy_expert("copy py_t (id, v) from stdin with (format csv)", io.StringIO('10,"x,y"\n11,\n'))
    cur.execute("select id, v from py_t where id >= 10 order by id")
    return cur.fetchall()


show("p2 copy in", copy_in)
c2.rollback()
c2.autocommit = True
show("p2 autocommit", lambda: run("insert into py_t (id, v) values (4, 'auto')"))
c2.close()

c3 = psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres")
show("p3 select", lambda: c3.execute("select * from py_t where id = %s", (1,)).fetchall())
show("p3 binary", lambda: c3.cursor(binary=True).execute("select id, v, n, d, ts from py_t order by id").fetchall())
show("p3 prepared", lambda: [c3.execute("select %s::int + 1", (i,), prepare=True).fetchone() for i in range(4)])
show(
    "p3 datetime binary",
    lambda: c3.cursor(binary=True)
    .execute("select '12:34:56.5'::time, '3 days 04:05:06.5'::interval, %s::interval, %s::time",
             (datetime.timedelta(days=-1, seconds=5), datetime.time(1, 2, 3)))
    .fetchall(),
)
show(
    "p3 datetime text",
    lambda: c3.execute("select '-1 day +02:00'::interval, now() - now(), '23:59'::time").fetchall(),
)
show("p3 json", lambda: c3.execute("select %s::json", (json.dumps({"a": [1, 2]}),)).fetchone())


def copy3():
    with c3.cursor() as cu:
        with cu.copy("copy py_t (id, v) from stdin") as cp:
            cp.write_row((20, "x"))
            cp.write_row((21, None))
        out = []
        with cu.copy("copy (select id, v from py_t where id >= 20 order by id) to stdout") as cp:
            for row in cp.rows():
                out.append(row)
        return out


show("p3 copy", copy3)
c3.rollback()


def pipeline():
    with c3.pipeline():
        a = c3.execute("select 1")
        b = c3.execute("select %s::text", ("two",))
    return a.fetchone(), b.fetchone()


show("p3 pipeline", pipeline)
c3.rollback()


def transaction():
    with c3.transaction():
        c3.execute("insert into py_t (id, v) values (30, 'tx')")
    return c3.execute("select v from py_t where id = 30").fetchone()


show("p3 transaction", transaction)
show("p3 error", lambda: c3.execute("select 1/0"))
c3.rollback()
c3.close()

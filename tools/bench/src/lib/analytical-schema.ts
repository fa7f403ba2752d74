// The analytical data set: five tables (regions, customers, products, orders, lineitems) whose
// fact table, lineitems, has `scale` rows; deterministic generated data, loaded into servers
// through psql's COPY and into in-process peers through multi-row INSERTs; and the query set.

export const ddl = `
drop table if exists lineitems, orders, products, customers, regions;
create table regions (id int primary key, name text not null);
create table customers (id int primary key, region_id int not null, name text not null);
create table products (id int primary key, category text not null, price numeric(10,2) not null);
create table orders (id int primary key, customer_id int not null, ordered_at date not null, status text not null);
create table lineitems (order_id int not null, line int not null, product_id int not null, qty int not null, amount numeric(12,2) not null, primary key (order_id, line));
`;

export const dropAll = 'drop table if exists lineitems, orders, products, customers, regions';

export interface TableData {
  table: string;
  rows: Array<Array<string | number>>;
}

const statuses = ['open', 'paid', 'shipped', 'returned'];
const categories = ['books', 'games', 'garden', 'kitchen', 'music', 'sports', 'tools', 'toys'];

/** Deterministic rows for every table at this scale. */
export function generate(scale: number): TableData[] {
  const nOrders = Math.max(10, Math.floor(scale / 4));
  const nCustomers = Math.max(10, Math.floor(scale / 20));
  const nProducts = Math.min(1000, Math.max(10, Math.floor(scale / 10)));
  const regions = ['africa', 'america', 'asia', 'europe', 'oceania'].map((name, i) => [
    i + 1,
    name,
  ]);
  const customers = Array.from({ length: nCustomers }, (_, i) => [
    i + 1,
    (i % 5) + 1,
    `customer-${i + 1}`,
  ]);
  const products = Array.from({ length: nProducts }, (_, i) => [
    i + 1,
    categories[i % categories.length]!,
    ((i * 37) % 9000) / 100 + 1,
  ]);
  const orders = Array.from({ length: nOrders }, (_, i) => {
    const day = new Date(Date.UTC(2025, 0, 1) + ((i * 13) % 365) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    return [i + 1, ((i * 7) % nCustomers) + 1, day, statuses[i % 4]!];
  });
  const lineitems = Array.from({ length: scale }, (_, i) => {
    const orderId = (i % nOrders) + 1;
    const line = Math.floor(i / nOrders) + 1;
    const product = ((i * 31) % nProducts) + 1;
    const qty = (i % 9) + 1;
    return [
      orderId,
      line,
      product,
      qty,
      ((qty * (((product * 37) % 9000) + 100)) / 100).toFixed(2),
    ];
  });
  return [
    { table: 'regions', rows: regions },
    { table: 'customers', rows: customers },
    { table: 'products', rows: products },
    { table: 'orders', rows: orders },
    { table: 'lineitems', rows: lineitems },
  ];
}

export function copyText(t: TableData): Buffer {
  return Buffer.from(t.rows.map((r) => r.join('\t') + '\n').join(''));
}

/** INSERT statements of at most `batch` rows each. */
export function* insertStatements(t: TableData, batch = 1000): Generator<string> {
  for (let at = 0; at < t.rows.length; at += batch) {
    const values = t.rows
      .slice(at, at + batch)
      .map((r) => `(${r.map((v) => (typeof v === 'number' ? String(v) : `'${v}'`)).join(',')})`)
      .join(',');
    yield `insert into ${t.table} values ${values}`;
  }
}

export interface Query {
  name: string;
  sql: string;
}

const joinAll = `lineitems l join orders o on o.id = l.order_id join customers c on c.id = o.customer_id
  join regions r on r.id = c.region_id`;

export const queries: Query[] = [
  {
    name: 'join-4 + group by region',
    sql: `select r.name, count(*) as lines, sum(l.amount) as revenue from ${joinAll} group by r.name order by r.name`,
  },
  {
    name: 'join-5 + group by region, category',
    sql: `select r.name, p.category, count(*) as lines, sum(l.qty) as qty, sum(l.amount) as revenue
  from ${joinAll} join products p on p.id = l.product_id group by r.name, p.category order by r.name, p.category`,
  },
  {
    name: 'join-3 + avg/min/max per status',
    sql: `select o.status, count(distinct o.customer_id) as customers, min(o.ordered_at) as first, max(o.ordered_at) as last, round(avg(l.amount), 4) as avg_amount
  from orders o join lineitems l on l.order_id = o.id join products p on p.id = l.product_id group by o.status order by o.status`,
  },
  {
    name: 'window rank() top 3 customers per region',
    sql: `select region_id, id, total, rk from (
  select c.region_id, c.id, sum(l.amount) as total, rank() over (partition by c.region_id order by sum(l.amount) desc, c.id) as rk
  from customers c join orders o on o.customer_id = c.id join lineitems l on l.order_id = o.id group by c.region_id, c.id) s
  where rk <= 3 order by region_id, rk`,
  },
  {
    name: 'window running sum over days',
    sql: `select ordered_at, n, sum(n) over (order by ordered_at) as running from (
  select ordered_at, count(*) as n from orders group by ordered_at) d order by ordered_at`,
  },
  {
    name: 'sort top 100 of the fact table',
    sql: 'select order_id, line, amount from lineitems order by amount desc, order_id, line limit 100',
  },
  {
    name: 'group by + having with subquery',
    sql: `select p.category, count(*) as lines, round(avg(l.qty), 4) as avg_qty from lineitems l join products p on p.id = l.product_id
  group by p.category having count(*) > (select count(*) / 10 from lineitems) order by p.category`,
  },
  {
    name: 'full sort of orders',
    sql: 'select count(*) from (select * from orders order by ordered_at desc, customer_id, id) s',
  },
];

// pgJDBC against one server: one line per step (a result, or the SQLSTATE and message of its error).
import java.math.BigDecimal;
import java.sql.*;
import java.util.ArrayList;
import java.util.List;

public class Jdbc {
  interface Step { Object run() throws Exception; }

  static void show(String label, Step step) {
    try {
      System.out.println(label + ": " + step.run());
    } catch (SQLException e) {
      System.out.println(label + ": ERR " + e.getSQLState() + " " + e.getMessage().split("\n")[0]);
    } catch (Exception e) {
      System.out.println(label + ": EXCEPTION " + e);
    }
  }

  static String rows(ResultSet rs) throws SQLException {
    StringBuilder sb = new StringBuilder();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      sb.append('[');
      for (int i = 1; i <= n; i++) sb.append(i > 1 ? ", " : "").append(rs.getString(i));
      sb.append(']');
    }
    return sb.toString();
  }

  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/postgres";
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      show("product", () -> c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseMajorVersion());
      show("ddl", () -> {
        try (Statement s = c.createStatement()) {
          s.execute("drop table if exists jd_t");
          return s.executeUpdate("create table jd_t (id int primary key, v text, n numeric(10,2), t timestamp, b boolean, big int8)");
        }
      });
      show("batch insert", () -> {
        try (PreparedStatement ps = c.prepareStatement("insert into jd_t values (?, ?, ?, ?, ?, ?)")) {
          for (int i = 1; i <= 7; i++) {
            ps.setInt(1, i);
            ps.setString(2, "v" + i);
            ps.setBigDecimal(3, new BigDecimal("1.5").multiply(BigDecimal.valueOf(i)));
            ps.setTimestamp(4, Timestamp.valueOf("2024-01-0" + i + " 10:00:00.25"));
            ps.setBoolean(5, i % 2 == 0);
            ps.setLong(6, 9007199254740993L + i);
            ps.addBatch();
          }
          return java.util.Arrays.toString(ps.executeBatch());
        }
      });
      // Past prepareThreshold (5) pgJDBC switches to named server-side statements and binary results.
      show("prepared x8", () -> {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, v, n, t, b, big from jd_t where id > ? order by id")) {
          for (int k = 0; k < 8; k++) {
            ps.setInt(1, 5);
            try (ResultSet rs = ps.executeQuery()) { out.add(rows(rs)); }
          }
        }
        return out;
      });
      show("typed getters", () -> {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select n, t, big, b from jd_t where id = 3")) {
          rs.next();
          return rs.getBigDecimal(1) + " " + rs.getTimestamp(2) + " " + rs.getLong(3) + " " + rs.getBoolean(4);
        }
      });
      show("fetch size", () -> {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.setFetchSize(2);
          try (ResultSet rs = s.executeQuery("select id from jd_t order by id")) { return rows(rs); }
        } finally { c.commit(); c.setAutoCommit(true); }
      });
      show("rollback", () -> {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.executeUpdate("update jd_t set v = 'changed' where id = 1");
          c.rollback();
          try (ResultSet rs = s.executeQuery("select v from jd_t where id = 1")) { return rows(rs); }
        } finally { c.setAutoCommit(true); }
      });
      show("savepoint", () -> {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.executeUpdate("insert into jd_t (id, v) values (100, 'kept')");
          Savepoint sp = c.setSavepoint();
          s.executeUpdate("insert into jd_t (id, v) values (101, 'undone')");
          c.rollback(sp);
          c.commit();
          try (ResultSet rs = s.executeQuery("select id from jd_t where id >= 100 order by id")) { return rows(rs); }
        } finally { c.setAutoCommit(true); }
      });
      show("duplicate key", () -> {
        try (Statement s = c.createStatement()) { return s.executeUpdate("insert into jd_t (id) values (1)"); }
      });
      show("generated keys", () -> {
        try (Statement s = c.createStatement()) {
          s.execute("drop table if exists jd_g");
          s.execute("create table jd_g (id serial primary key, v text)");
        }
        try (PreparedStatement ps = c.prepareStatement("insert into jd_g (v) values (?)", Statement.RETURN_GENERATED_KEYS)) {
          ps.setString(1, "x");
          ps.executeUpdate();
          try (ResultSet rs = ps.getGeneratedKeys()) { return rows(rs); }
        }
      });
      show("null params", () -> {
        try (PreparedStatement ps = c.prepareStatement("select ?::text is null, ?::int is null")) {
          ps.setNull(1, Types.VARCHAR);
          ps.setInt(2, 5);
          try (ResultSet rs = ps.executeQuery()) { return rows(rs); }
        }
      });
      show("array", () -> {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select array[1,2]::int[], '{a,b}'::text[]")) {
          rs.next();
          return java.util.Arrays.toString((Integer[]) rs.getArray(1).getArray()) + " " + java.util.Arrays.toString((String[]) rs.getArray(2).getArray());
        }
      });
      show("result metadata", () -> {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id, v, n from jd_t limit 1")) {
          ResultSetMetaData md = rs.getMetaData();
          StringBuilder sb = new StringBuilder();
          for (int i = 1; i <= md.getColumnCount(); i++)
            sb.append(md.getColumnName(i)).append(':').append(md.getColumnTypeName(i)).append(':').append(md.getColumnType(i)).append(' ');
          return sb.toString().trim();
        }
      });
      show("getColumns", () -> {
        try (ResultSet rs = c.getMetaData().getColumns(null, "public", "jd_t", null)) {
          StringBuilder sb = new StringBuilder();
          while (rs.next())
            sb.append(rs.getInt("ORDINAL_POSITION")).append(':').append(rs.getString("COLUMN_NAME")).append(':')
                .append(rs.getString("TYPE_NAME")).append(':').append(rs.getInt("DATA_TYPE")).append(':')
                .append(rs.getInt("COLUMN_SIZE")).append(':').append(rs.getString("IS_NULLABLE")).append(' ');
          return sb.toString().trim();
        }
      });
      show("getTables", () -> {
        try (ResultSet rs = c.getMetaData().getTables(null, "public", "jd_%", new String[] {"TABLE"})) {
          StringBuilder sb = new StringBuilder();
          while (rs.next()) sb.append(rs.getString("TABLE_NAME")).append(' ');
          return sb.toString().trim();
        }
      });
    }
  }
}

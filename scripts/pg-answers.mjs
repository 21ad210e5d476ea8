// Exits 0 when the PostgreSQL server at the URL given answers a query (scripts/ensure-postgres.sh).
import pg from "pg";

const url = new URL(process.argv[2]);
const client = new pg.Client({
  host: url.hostname,
  port: Number(url.port || 5432),
  user: decodeURIComponent(url.username) || "postgres",
  password: decodeURIComponent(url.password) || undefined,
  database: url.pathname.slice(1) || "postgres",
  connectionTimeoutMillis: 5000,
});
try {
  await client.connect();
  await client.query("SELECT 1");
  await client.end();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

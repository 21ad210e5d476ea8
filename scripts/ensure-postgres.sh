#!/usr/bin/env bash
# Prints the TEST_PG_URL that `npm run test:pg` should use, after making sure a PostgreSQL server
# answers there. With TEST_PG_URL set, that server must answer. Otherwise the machine's server on
# 127.0.0.1:5432 is used when it answers; if none does, a private cluster is started (initdb in a
# temporary folder, a free port, 127.0.0.1 only) and its folder is printed on the second line, so
# the caller can stop it with `pg_ctl -D <folder> stop`. A missing server is an error, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

answers() { node scripts/pg-answers.mjs "$1" >/dev/null 2>&1; }

if [ -n "${TEST_PG_URL:-}" ]; then
  if answers "$TEST_PG_URL"; then echo "$TEST_PG_URL"; exit 0; fi
  echo "TEST_PG_URL=$TEST_PG_URL does not answer" >&2
  exit 1
fi
default_url="postgresql://postgres@127.0.0.1:5432/postgres"
if answers "$default_url"; then echo "$default_url"; exit 0; fi

initdb=$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -n 1 || true)
if [ -z "$initdb" ]; then
  echo "No PostgreSQL server answers at 127.0.0.1:5432 and initdb is not installed: install PostgreSQL 15 or set TEST_PG_URL." >&2
  exit 1
fi
bin=$(dirname "$initdb")
dir=$(mktemp -d /tmp/nhacviec-pg-XXXXXX)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# initdb refuses to run as root: the cluster then belongs to the postgres user.
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=300" start >&2
url="postgresql://postgres@127.0.0.1:$port/postgres"
if ! answers "$url"; then
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  echo "the private PostgreSQL cluster in $dir did not answer; see $dir/server.log" >&2
  exit 1
fi
echo "$url"
echo "$dir/data"

/**
 * The PostgreSQL copy of the schema: the same models, another provider, and a client in its own
 * folder (the two generated clients cannot share one).
 */
export function postgresSchemaFrom(sqliteSchema: string): string {
  const swapped = sqliteSchema
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output(\s*)=(\s*)"\.\.\/src\/generated\/prisma"/, 'output$1=$2"../../src/generated/prisma-pg"');
  if (swapped.includes('"sqlite"') || !swapped.includes("prisma-pg")) {
    throw new Error("prisma/schema.prisma no longer has the provider or output line this copy rewrites");
  }
  return `// Generated from prisma/schema.prisma by \`npm run db:pg-schema\`: edit that file, not this one.\n${swapped}`;
}

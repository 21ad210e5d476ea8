import { inTransaction, type Db, type Tx } from "../db/db.ts";

/**
 * Runs `work` as one transaction: what the services write inside it (a report and the notices
 * announcing it) is stored together or not at all. The core asks for one here, not of the client.
 */
export function oneTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(db, work);
}

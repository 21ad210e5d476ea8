// Who wrote, read in one statement for every chat message: the account, its person and directory
// agency, the person's other accounts, and the account's conversation. Through Prisma that was
// four queries and seven round trips with the plans (see directory-service's assignmentsOf); on
// PostgreSQL each round trip wakes both processes, and a report spent half its time waiting so.
import { placeholder, type Db, type Tx } from "../db/db.ts";
import { queryRows } from "../db/driver-access.ts";
import { date, int, nullable, readModel, selectList } from "../db/row-map.ts";
import { CONVERSATION, DIRECTORY_AGENCY, IDENTITY, PERSON } from "../db/tables.ts";
import type { Conversation, DirectoryAgency, Identity, Person } from "../generated/prisma/client.ts";

/** An account with its person, the person's directory agency and when each of their accounts was last seen. */
export type SenderIdentity = Identity & {
  person: Person & { directoryAgency: DirectoryAgency | null; identities: { id: number; lastSeenAt: Date | null }[] };
};

export interface Sender {
  identity: SenderIdentity;
  /** The account's stored conversation, expired or not (conversation.ts decides). */
  conversation: Conversation | null;
}

// Where each model's columns start in a row: in the SELECT's order, the person's accounts last.
const PERSON_AT = IDENTITY.readers.length;
const DIRECTORY_AT = PERSON_AT + PERSON.readers.length;
const CONVERSATION_AT = DIRECTORY_AT + DIRECTORY_AGENCY.readers.length;
const ACCOUNTS_AT = CONVERSATION_AT + CONVERSATION.readers.length;
const lastSeen = nullable(date);

export async function findSender(db: Db | Tx, platform: string, userId: string): Promise<Sender | null> {
  // One row per account of the person (the account itself among them), the rest repeated.
  const rows = await queryRows(
    db,
    `SELECT ${selectList(IDENTITY, "i")}, ${selectList(PERSON, "p")}, ${selectList(DIRECTORY_AGENCY, "d")},
       ${selectList(CONVERSATION, "c")}, s."id" AS "s_id", s."lastSeenAt" AS "s_lastSeenAt"
     FROM "Identity" i
     JOIN "Person" p ON p."id" = i."personId"
     LEFT JOIN "DirectoryAgency" d ON d."id" = p."directoryAgencyId"
     LEFT JOIN "Conversation" c ON c."identityId" = i."id"
     JOIN "Identity" s ON s."personId" = p."id"
     WHERE i."platform" = ${placeholder(db, 1)} AND i."userId" = ${placeholder(db, 2)}
     ORDER BY s."id"`,
    [platform, userId],
  );
  const first = rows[0];
  if (!first) return null;
  const directoryAgency = first[DIRECTORY_AT] === null ? null : readModel(DIRECTORY_AGENCY, first, DIRECTORY_AT);
  const identities = rows.map((row) => ({ id: int(row[ACCOUNTS_AT]), lastSeenAt: lastSeen(row[ACCOUNTS_AT + 1]) }));
  return {
    identity: {
      ...readModel(IDENTITY, first),
      person: { ...readModel(PERSON, first, PERSON_AT), directoryAgency, identities },
    },
    conversation: first[CONVERSATION_AT] === null ? null : readModel(CONVERSATION, first, CONVERSATION_AT),
  };
}

import type { Clock } from "../lib/clock.ts";
import type { Db, Tx } from "../db/db.ts";
import { AppError } from "../model/errors.ts";
import type { Agency, Difficulty, Duty, Person } from "../generated/prisma/client.ts";

export interface DifficultyDeps {
  db: Db | Tx;
  clock: Clock;
}

export type DifficultyWithContext = Difficulty & { agency: Agency; duty: Duty | null; person: Person | null };

export async function raiseDifficulty(
  deps: DifficultyDeps,
  input: { agency: Agency; person: Person; duty: Duty | null; text: string },
): Promise<Difficulty> {
  return deps.db.difficulty.create({
    data: {
      agencyId: input.agency.id,
      dutyId: input.duty?.id ?? null,
      personId: input.person.id,
      text: input.text,
      createdAt: deps.clock.now(),
    },
  });
}

export async function openDifficulties(db: Db, planId: number): Promise<DifficultyWithContext[]> {
  return db.difficulty.findMany({
    where: { resolvedAt: null, agency: { planId } },
    include: { agency: true, duty: true, person: true },
    orderBy: { createdAt: "asc" },
  });
}

export async function resolveDifficulty(
  deps: DifficultyDeps,
  input: { id: number; by: Person; resolution: string },
): Promise<DifficultyWithContext> {
  const found = await deps.db.difficulty.findUnique({ where: { id: input.id } });
  if (!found) throw new AppError("difficulty.unknown", { id: input.id });
  if (found.resolvedAt) throw new AppError("difficulty.resolved", { id: input.id });
  return deps.db.difficulty.update({
    where: { id: input.id },
    data: { resolvedAt: deps.clock.now(), resolvedById: input.by.id, resolution: input.resolution },
    include: { agency: true, duty: true, person: true },
  });
}

/** A difficulty of the plan by its number, or null. */
export async function findDifficulty(db: Db, planId: number, id: number): Promise<Difficulty | null> {
  return db.difficulty.findFirst({ where: { id, agency: { planId } } });
}

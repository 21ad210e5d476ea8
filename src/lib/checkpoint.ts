/**
 * A named point of the start-up (building, migrating, seeding, publishing the database) handed in
 * by a test, which can stop a real process there and kill it, or let two processes meet, without
 * guessing with timers (test/helpers/pause.ts). Real runs pass none, and nothing waits.
 */
export type Checkpoint = (step: string) => Promise<void>;

export const noCheckpoint: Checkpoint = () => Promise.resolve();

// The models read and written by hand, column by column: on the chat's hot path (sender-service.ts,
// assignmentsOf, a one-line report's row) and in the status read's 34,000 agencies.
import type {
  Agency,
  Conversation,
  DirectoryAgency,
  DutyReport,
  Identity,
  Person,
  Plan,
} from "../generated/prisma/client.ts";
import { bool, date, int, nullable, table, text } from "./row-map.ts";

export const IDENTITY = table<Identity>("Identity", {
  id: int,
  personId: int,
  platform: text,
  userId: text,
  chatId: text,
  displayName: text,
  createdAt: date,
  unreachableAt: nullable(date),
  unreachableReason: nullable(text),
  lastSeenAt: nullable(date),
});

export const PERSON = table<Person>("Person", {
  id: int,
  displayName: text,
  role: text,
  directoryAgencyId: nullable(int),
  active: bool,
  locale: text,
  follows: nullable(text),
  createdAt: date,
  deactivatedAt: nullable(date),
});

export const DIRECTORY_AGENCY = table<DirectoryAgency>("DirectoryAgency", {
  id: int,
  code: text,
  name: text,
  createdAt: date,
});

export const CONVERSATION = table<Conversation>("Conversation", {
  id: int,
  identityId: int,
  flow: text,
  step: text,
  data: text,
  updatedAt: date,
});

export const AGENCY = table<Agency>("Agency", {
  id: int,
  planId: int,
  directoryId: int,
  code: text,
  name: text,
  requested: bool,
  parentId: nullable(int),
  sortOrder: int,
  withdrawn: bool,
  pausedUntil: nullable(text),
});

export const PLAN = table<Plan>("Plan", {
  id: int,
  code: text,
  title: text,
  province: text,
  year: int,
  documentNumber: nullable(text),
  reportDeadline: text,
  active: bool,
  closedAt: nullable(date),
  figureReporters: text,
  reminderPolicy: nullable(text),
  createdAt: date,
  updatedAt: date,
});

export const DUTY_REPORT = table<DutyReport>("DutyReport", {
  id: int,
  agencyId: int,
  dutyId: int,
  status: text,
  percent: int,
  note: nullable(text),
  personId: nullable(int),
  createdAt: date,
});

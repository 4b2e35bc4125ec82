import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { Member } from '../domain/people/member.js';
import { ACCOUNT_KINDS, UNREACHABLE_REASONS } from '../domain/people/member.js';
import type { MemberStore } from '../domain/people/ports.js';
import { ROLES } from '../domain/people/roles.js';
import { ConcurrencyError, toStorageError } from './errors.js';
import { fromKey, toKey } from './keys.js';
import {
  deleteRow,
  jsonColumn,
  parseRow,
  readPartition,
  readRow,
  TRANSACTION_LIMIT,
  upsertInTransactions,
} from './rows.js';

/** A member row as stored: groups as columns so later queries can filter on them, lists as JSON. */
const memberRow = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string(),
  name: z.string(),
  userPrincipalName: z.string().optional(),
  teamsUserId: z.string().optional(),
  locale: z.string(),
  timeZone: z.string(),
  roles: jsonColumn(z.array(z.enum(ROLES).exclude(['staff']))),
  site: z.string().optional(),
  unit: z.string().optional(),
  jobRole: z.string().optional(),
  shiftPattern: z.string().optional(),
  quietStart: z.string(),
  quietEnd: z.string(),
  personalConversation: jsonColumn(z.record(z.unknown())).optional(),
  personalInstalled: z.boolean(),
  teamIds: jsonColumn(z.array(z.string())).optional(),
  unreachableAt: z.string().optional(),
  unreachableReason: z.enum(UNREACHABLE_REASONS).optional(),
  account: z.enum(ACCOUNT_KINDS).optional(),
  welcomedAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Concurrent install events for one person are rare; a handful of fresh reads always settles them. */
const MAX_ATTEMPTS = 5;

/** Members and their personal conversation references: PK tenant, RK AAD object id (DESIGN.md). */
export class MemberRepository implements MemberStore {
  constructor(private readonly table: TableClient) {}

  async get(tenantId: string, aadObjectId: string): Promise<Member | undefined> {
    return (await this.read(tenantId, aadObjectId))?.member;
  }

  async modify(
    tenantId: string,
    aadObjectId: string,
    change: (current: Member | undefined) => Member,
  ): Promise<Member> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(tenantId, aadObjectId);
      const next = change(current?.member);
      try {
        if (current === undefined) await this.table.createEntity(toEntity(next));
        else await this.table.updateEntity(toEntity(next), 'Replace', { etag: current.etag });
        return next;
      } catch (error) {
        const failure = toStorageError('saving a member', error);
        if (!(failure instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw failure;
      }
    }
  }

  delete(tenantId: string, aadObjectId: string): Promise<boolean> {
    return deleteRow(this.table, tenantId, aadObjectId, 'member');
  }

  async list(tenantId: string): Promise<Member[]> {
    return (await readPartition(this.table, tenantId, 'member', fromEntity)).map((row) => row.member);
  }

  putMany(members: readonly Member[]): Promise<void> {
    return upsertInTransactions(this.table, members.map(toEntity), 'member');
  }

  async insertNew(members: readonly Member[]): Promise<Set<string>> {
    const notInserted = new Set<string>();
    const byTenant = new Map<string, Member[]>();
    for (const member of members) {
      const group = byTenant.get(member.tenantId) ?? [];
      group.push(member);
      byTenant.set(member.tenantId, group);
    }
    for (const group of byTenant.values()) {
      for (let start = 0; start < group.length; start += TRANSACTION_LIMIT) {
        const batch = group.slice(start, start + TRANSACTION_LIMIT);
        try {
          await this.table.submitTransaction(batch.map((member) => ['create', toEntity(member)]));
        } catch (error) {
          // One row already there fails the whole transaction: its rows are left to the caller.
          if (!(toStorageError('inserting members', error) instanceof ConcurrencyError)) {
            throw toStorageError('inserting members', error);
          }
          for (const member of batch) notInserted.add(member.aadObjectId);
        }
      }
    }
    return notInserted;
  }

  private read(tenantId: string, aadObjectId: string) {
    return readRow(this.table, tenantId, aadObjectId, 'member', fromEntity);
  }
}

function toEntity(member: Member) {
  return {
    partitionKey: toKey(member.tenantId),
    rowKey: toKey(member.aadObjectId),
    name: member.name,
    userPrincipalName: member.userPrincipalName,
    teamsUserId: member.teamsUserId,
    locale: member.locale,
    timeZone: member.timeZone,
    roles: JSON.stringify(member.roles),
    site: member.groups.site,
    unit: member.groups.unit,
    jobRole: member.groups.jobRole,
    shiftPattern: member.groups.shiftPattern,
    quietStart: member.quietHours.start,
    quietEnd: member.quietHours.end,
    personalConversation:
      member.personalConversation === undefined ? undefined : JSON.stringify(member.personalConversation),
    personalInstalled: member.personalInstalled,
    teamIds: (member.teamIds ?? []).length === 0 ? undefined : JSON.stringify(member.teamIds),
    unreachableAt: member.unreachableAt,
    unreachableReason: member.unreachableReason,
    account: member.account,
    welcomedAt: member.welcomedAt,
    createdAt: member.createdAt,
    updatedAt: member.updatedAt,
  };
}

function fromEntity(entity: unknown): { member: Member; etag: string } {
  const row = parseRow(memberRow, entity, 'member');
  return {
    etag: row.etag,
    member: {
      tenantId: fromKey(row.partitionKey),
      aadObjectId: fromKey(row.rowKey),
      name: row.name,
      userPrincipalName: row.userPrincipalName,
      teamsUserId: row.teamsUserId,
      locale: row.locale,
      timeZone: row.timeZone,
      roles: row.roles,
      groups: { site: row.site, unit: row.unit, jobRole: row.jobRole, shiftPattern: row.shiftPattern },
      quietHours: { start: row.quietStart, end: row.quietEnd },
      personalConversation: row.personalConversation,
      personalInstalled: row.personalInstalled,
      teamIds: row.teamIds,
      unreachableAt: row.unreachableAt,
      unreachableReason: row.unreachableReason,
      account: row.account,
      welcomedAt: row.welcomedAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    },
  };
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MemberGroups } from './member.js';
import { GROUP_FIELDS } from './member.js';

/**
 * Keyed hashes with the deployment secret (DESIGN.md privacy rules). An anonymous answer is stored under
 * `respondent(...)`: the same person in the same round always lands on the same row (so a double tap or
 * an edit replaces it), while two rounds give unrelated keys and nobody without the secret can test a
 * name against a row. The card a person receives carries `cardToken(...)`, a different hash, proving the
 * card was made for them without a storage read; a forwarded card fails for anyone else.
 */
export class RespondentKeys {
  constructor(private readonly secret: string) {
    if (secret.length < 32) throw new Error('the answer key must be at least 32 characters');
  }

  respondent(tenantId: string, pulseId: string, round: number, memberId: string): string {
    return this.hash('answer', tenantId, pulseId, round, memberId);
  }

  /** The id of the comment an open answer becomes, so an edit replaces it. */
  openComment(tenantId: string, pulseId: string, round: number, memberId: string): string {
    return this.hash('comment', tenantId, pulseId, round, memberId);
  }

  /**
   * Also covers the groups the card carries (the recipient's when it was sent), so the answer can be
   * counted under them without reading the member, and a changed group on the card is caught.
   */
  cardToken(
    tenantId: string,
    pulseId: string,
    round: number,
    memberId: string,
    groups: MemberGroups,
  ): string {
    return this.hash('card', tenantId, pulseId, round, `${memberId}|${groupsText(groups)}`).slice(0, 24);
  }

  cardTokenMatches(
    token: string,
    tenantId: string,
    pulseId: string,
    round: number,
    memberId: string,
    groups: MemberGroups,
  ): boolean {
    const expected = Buffer.from(this.cardToken(tenantId, pulseId, round, memberId, groups));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * What a card press is claimed under (see onAction's `once`): the same person pressing the same button on
   * the same card with the same data, which is what a Teams retry or a double tap is. It names nobody to
   * anyone without the secret, as it sits in storage beside anonymous comments.
   */
  actionClaim(tenantId: string, memberId: string, verb: string, cardId: string, data: unknown): string {
    return createHmac('sha256', this.secret)
      .update(JSON.stringify(['action', tenantId, memberId, verb, cardId, data]))
      .digest('base64url');
  }

  /**
   * Carried by the "Is that right?" card so only its writer's answer counts (a forwarded card must not
   * let someone else say "not about harm"), while the escalation stores nothing that names them.
   */
  writerToken(tenantId: string, escalationId: string, memberId: string): string {
    return this.hash('writer', tenantId, escalationId, 0, memberId).slice(0, 24);
  }

  writerTokenMatches(token: string, tenantId: string, escalationId: string, memberId: string): boolean {
    const expected = Buffer.from(this.writerToken(tenantId, escalationId, memberId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private hash(purpose: string, tenantId: string, pulseId: string, round: number, memberId: string) {
    return createHmac('sha256', this.secret)
      .update(JSON.stringify([purpose, tenantId, pulseId, round, memberId]))
      .digest('base64url');
  }
}

/** The groups as the card carries them: fields in a fixed order, absent ones left out. */
export function groupsText(groups: MemberGroups): string {
  return JSON.stringify(
    Object.fromEntries(
      GROUP_FIELDS.flatMap((field) => (groups[field] === undefined ? [] : [[field, groups[field]]])),
    ),
  );
}

import { describe, expect, it } from 'vitest';
import { bootstrapRolesFor, effectiveRoles, parseRole } from '../../../src/domain/people/roles.js';

const none = { admin: [], manager: [], leader: [], safeguardingLead: [] };

describe('roles', () => {
  it('reads roles the way people type them', () => {
    expect(parseRole('Safeguarding  Lead')).toBe('safeguardingLead');
    expect(parseRole('DSL')).toBe('safeguardingLead');
    expect(parseRole('manager')).toBe('manager');
    expect(parseRole('staff')).toBeUndefined();
    expect(parseRole('boss')).toBeUndefined();
  });

  it('grants configured roles by AAD object id or UPN, ignoring case', () => {
    const bootstrap = { ...none, admin: ['ALEX@oakview.example'], leader: ['aad-1'] };
    expect(
      bootstrapRolesFor({ aadObjectId: 'aad-1', userPrincipalName: 'alex@OakView.example' }, bootstrap),
    ).toEqual(['admin', 'leader']);
    expect(bootstrapRolesFor({ aadObjectId: 'aad-2' }, bootstrap)).toEqual([]);
  });

  it('always includes staff and merges stored and configured roles in a stable order', () => {
    const member = { aadObjectId: 'aad-1', roles: ['manager' as const] };
    expect(effectiveRoles(member, { ...none, admin: ['aad-1'] })).toEqual(['staff', 'manager', 'admin']);
    expect(effectiveRoles({ aadObjectId: 'x', roles: [] }, none)).toEqual(['staff']);
  });
});

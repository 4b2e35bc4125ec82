import { describe, expect, it } from 'vitest';
import { quietUntil } from '../../../src/domain/people/quietHours.js';

const night = { start: '21:00', end: '07:00' };

describe('quiet hours', () => {
  it('lets a message through in the afternoon', () => {
    expect(quietUntil(new Date('2026-11-23T15:00:00Z'), night, 'Europe/London')).toBeUndefined();
  });

  it('holds a message sent at 23:30 until 07:00 the next morning, local time', () => {
    expect(quietUntil(new Date('2026-11-23T23:30:00Z'), night, 'Europe/London')).toEqual(
      new Date('2026-11-24T07:00:00Z'),
    );
  });

  it('holds a message sent at 05:10 until 07:00 the same morning', () => {
    expect(quietUntil(new Date('2026-11-24T05:10:30Z'), night, 'Europe/London')).toEqual(
      new Date('2026-11-24T07:00:00Z'),
    );
  });

  it("uses the member's own zone: 20:30 in London is already quiet in Kolkata", () => {
    // 20:30 UTC is 02:00 in Kolkata; quiet until 07:00 there, 01:30 UTC.
    expect(quietUntil(new Date('2026-11-23T20:30:00Z'), night, 'Asia/Kolkata')).toEqual(
      new Date('2026-11-24T01:30:00Z'),
    );
  });

  it('is summer time aware: 07:00 in London in July is 06:00 UTC', () => {
    expect(quietUntil(new Date('2026-07-01T22:00:00Z'), night, 'Europe/London')).toEqual(
      new Date('2026-07-02T06:00:00Z'),
    );
  });

  it('ends at 07:00 local on the night the clocks go back', () => {
    // 25 October 2026: BST ends at 02:00 UTC. 23:00 BST on the 24th is 22:00 UTC.
    expect(quietUntil(new Date('2026-10-24T22:00:00Z'), night, 'Europe/London')).toEqual(
      new Date('2026-10-25T07:00:00Z'),
    );
  });

  it('supports daytime quiet hours for night-shift staff (09:00-17:00)', () => {
    const day = { start: '09:00', end: '17:00' };
    expect(quietUntil(new Date('2026-11-23T12:00:00Z'), day, 'Europe/London')).toEqual(
      new Date('2026-11-23T17:00:00Z'),
    );
    expect(quietUntil(new Date('2026-11-23T20:00:00Z'), day, 'Europe/London')).toBeUndefined();
  });

  it('treats equal start and end as no quiet hours', () => {
    expect(
      quietUntil(new Date('2026-11-23T23:00:00Z'), { start: '00:00', end: '00:00' }, 'UTC'),
    ).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { ReplyHandles } from '../../../src/domain/feedback/replyHandles.js';
import { SealedBox } from '../../../src/domain/shared/sealedBox.js';

const box = new SealedBox('a deployment secret of at least 32 chars');
const DAY = 86_400_000;
const now = new Date('2026-11-23T10:00:00Z');

describe('sealed values', () => {
  it('open only with the same key and for what they were sealed for, and show nothing readable', () => {
    const sealed = box.seal('aad-0000-4010', 'reply handle\nt\nc1');
    expect(sealed).not.toContain('4010');
    expect(box.open(sealed, 'reply handle\nt\nc1')).toBe('aad-0000-4010');
    expect(box.open(sealed, 'reply handle\nt\nc2')).toBeUndefined();
    expect(
      new SealedBox('another secret, also 32 characters').open(sealed, 'reply handle\nt\nc1'),
    ).toBeUndefined();
    // Sealing twice gives different text, so equal writers cannot be matched across comments.
    expect(box.seal('aad-0000-4010', 'reply handle\nt\nc1')).not.toBe(sealed);
  });

  it('refuse anything tampered with or cut short', () => {
    const sealed = Buffer.from(box.seal('aad-0000-4010', 'x'), 'base64url');
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 1;
    expect(box.open(sealed.toString('base64url'), 'x')).toBeUndefined();
    expect(box.open('short', 'x')).toBeUndefined();
  });
});

describe('reply handles', () => {
  const handles = new ReplyHandles(box, 30 * DAY);

  it("lead back to the comment's writer for the follow-up window, and not after", () => {
    const handle = handles.seal('t', 'c1', 'aad-writer', now);
    expect(handles.writerOf('t', 'c1', handle, new Date(now.getTime() + 29 * DAY))).toBe('aad-writer');
    expect(handles.writerOf('t', 'c1', handle, new Date(now.getTime() + 30 * DAY))).toBeUndefined();
  });

  it("do not open on another comment or another tenant's", () => {
    const handle = handles.seal('t', 'c1', 'aad-writer', now);
    expect(handles.writerOf('t', 'c2', handle, now)).toBeUndefined();
    expect(handles.writerOf('other', 'c1', handle, now)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { originAllowed } from '../../../server/transport/socket/origins.ts';
import { describeIssue, schemas } from '../../../server/transport/socket/schemas.ts';

describe('originAllowed', () => {
  it('allows any origin with *, listed origins (normalised) and requests without an Origin', () => {
    expect(originAllowed('https://x.example', ['*'])).toBe(true);
    expect(originAllowed('https://App.example/', ['https://app.example'])).toBe(true);
    expect(originAllowed('https://evil.example', ['https://app.example'])).toBe(false);
    expect(originAllowed(undefined, ['https://app.example'])).toBe(true);
  });
});

describe('event schemas', () => {
  const issue = (event: keyof typeof schemas, payload: unknown): string => {
    const r = schemas[event].safeParse(payload);
    if (r.success) throw new Error('expected a failure');
    return describeIssue(r.error);
  };

  it('name the bad field and never echo long input', () => {
    expect(issue('queue:move', { itemId: 'a', toIndex: -1 })).toMatch(/^toIndex: /);
    expect(issue('queue:add', {})).toMatch(/^trackId: /);
    expect(issue('queue:add', 'x')).toMatch(/^payload: /);
    expect(issue('queue:add', { trackId: 't', ['k'.repeat(5000)]: 1 }).length).toBeLessThanOrEqual(201);
  });

  it('normalise room codes and accept empty payloads only where empty', () => {
    expect(schemas['room:join'].parse({ code: ' k7qx-2m ' })).toEqual({ code: 'K7QX2M' });
    expect(schemas['room:sync'].safeParse({}).success).toBe(true);
    expect(schemas['room:sync'].safeParse({ x: 1 }).success).toBe(false);
    expect(schemas['room:settings'].safeParse({}).success).toBe(false);
    expect(schemas['room:settings'].parse({ mood: '' })).toEqual({ mood: '' });
  });
});

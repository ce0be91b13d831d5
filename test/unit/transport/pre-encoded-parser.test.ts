import { Encoder, PacketType, type Packet } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { isPreEncoded, preEncoded } from '../../../server/services/pre-encoded.ts';
import { PreEncodedAwareEncoder } from '../../../server/transport/socket/pre-encoded-parser.ts';

const push = {
  version: 7,
  strategy: 'average',
  items: [{ trackId: 't1', score: 0.5, reason: 'liked by "Ana" — ünïcode', contributions: { popularity: 0.2, neumf: 0.3 } }],
  weights: { popularity: 0.4, neumf: 0.6 },
  harmony: 0.9,
  members: [{ userId: 'u1', satisfaction: 1 }],
  learned: [],
};

const withPre = (p: Packet): Packet => ({ ...p, data: (p.data as unknown[]).map((x) => (x === push ? preEncoded(JSON.stringify(push)) : x)) });

describe('PreEncodedAwareEncoder', () => {
  const plain = new Encoder();
  const spliced = new PreEncodedAwareEncoder();

  it('writes a pre-encoded payload byte for byte as the default encoder writes the parsed one', () => {
    const packets: Packet[] = [
      { type: PacketType.EVENT, nsp: '/', data: ['recs:updated', push] },
      { type: PacketType.EVENT, nsp: '/rooms', data: ['recs:updated', push] },
      { type: PacketType.EVENT, nsp: '/', id: 12, data: ['recs:updated', push] },
      // connection-state recovery appends the packet's offset after the arguments
      { type: PacketType.EVENT, nsp: '/', data: ['recs:updated', push, 'offset-1'] },
      { type: PacketType.EVENT, nsp: '/', data: ['two', 1, push, null] },
    ];
    for (const p of packets) expect(spliced.encode(withPre(p))).toEqual(plain.encode(p));
  });

  it('leaves every other packet to the default encoder, binary ones included', () => {
    const packets: Packet[] = [
      { type: PacketType.EVENT, nsp: '/', data: ['queue:updated', { version: 3, queue: [] }] },
      { type: PacketType.ACK, nsp: '/', id: 4, data: [{ ok: true }] },
      { type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } },
      { type: PacketType.EVENT, nsp: '/', data: ['blob', Buffer.from([1, 2, 3])] },
    ];
    for (const p of packets) expect(spliced.encode(p)).toEqual(plain.encode(p));
  });

  it('recognises the marker after a round trip through plain data (another node, a recovery buffer)', () => {
    const copy: unknown = JSON.parse(JSON.stringify(preEncoded('{"a":1}')));
    expect(isPreEncoded(copy)).toBe(true);
    expect(isPreEncoded({ a: 1 })).toBe(false);
    expect(isPreEncoded(null)).toBe(false);
    expect(spliced.encode({ type: PacketType.EVENT, nsp: '/', data: ['x', copy] })).toEqual(['2["x",{"a":1}]']);
  });
});

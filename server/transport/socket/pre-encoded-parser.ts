/**
 * The socket.io parser the server runs with: its own decoder, and an encoder that writes PreEncoded
 * payloads (server/services/pre-encoded.ts) without parsing them.
 */
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import { isPreEncoded, PRE_ENCODED_KEY } from '../../services/pre-encoded.ts';

/**
 * socket.io's encoder, except that an event whose arguments hold a PreEncoded value is written by splicing
 * its JSON in (other arguments, such as the offset connection-state recovery appends, are stringified as
 * usual). Everything else goes to the default encoder, byte for byte as before. An event carrying a
 * PreEncoded value must carry no binary: its other arguments are stringified, not split into attachments.
 */
export class PreEncodedAwareEncoder extends Encoder {
  override encode(packet: Packet): ReturnType<Encoder['encode']> {
    const data: unknown = packet.data;
    if (packet.type !== PacketType.EVENT || !Array.isArray(data) || !data.some(isPreEncoded)) return super.encode(packet);
    // The default encoder's header for a non-binary event: type, namespace unless "/", ack id.
    let out = String(packet.type);
    if (packet.nsp && packet.nsp !== '/') out += packet.nsp + ',';
    if (packet.id !== undefined && packet.id !== null) out += String(packet.id);
    out += '[';
    for (let i = 0; i < data.length; i++) {
      const x: unknown = data[i];
      if (i > 0) out += ',';
      out += isPreEncoded(x) ? x[PRE_ENCODED_KEY] : (JSON.stringify(x) ?? 'null');
    }
    return [out + ']'];
  }
}

/** The `parser` option of the Server: the encoder above, socket.io's own decoder. */
export const preEncodedParser = { Encoder: PreEncodedAwareEncoder, Decoder };

/**
 * Typed arrays ↔ base64 strings: snapshots must be JSON, and base64 of the raw bytes restores floats
 * bit-for-bit (decimal text would not), which is what makes "snapshot → restore gives identical scores" hold.
 */
type TypedArrayCtor<T> = { new (length: number): T; readonly BYTES_PER_ELEMENT: number };
type Typed = Float32Array | Float64Array | Int32Array;

const encode = (a: Typed): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function decode<T extends Typed>(Ctor: TypedArrayCtor<T>, s: string): T {
  const b = Buffer.from(s, 'base64');
  if (b.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) {
    throw new Error(`base64 payload is not a whole number of ${Ctor.BYTES_PER_ELEMENT}-byte values`);
  }
  // Copy: Buffer's pool offset is not guaranteed to be aligned for the element size.
  const out = new Ctor(b.byteLength / Ctor.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export const encodeF32 = (a: Float32Array): string => encode(a);
export const decodeF32 = (s: string): Float32Array => decode(Float32Array, s);
export const encodeF64 = (a: Float64Array): string => encode(a);
export const decodeF64 = (s: string): Float64Array => decode(Float64Array, s);
export const encodeI32 = (a: Int32Array): string => encode(a);
export const decodeI32 = (s: string): Int32Array => decode(Int32Array, s);

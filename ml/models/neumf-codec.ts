/** Typed arrays ↔ base64, so NeuMF snapshots stay JSON (ModelSnapshot.data) yet compact and bit-exact. */

export function f32ToB64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function b64ToF32(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  if (b.byteLength % 4 !== 0) throw new Error('base64 payload is not a whole number of float32 values');
  // Copy: Buffer's pool offset is not guaranteed to be 4-byte aligned.
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export function i32ToB64(a: Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function b64ToI32(s: string): Int32Array {
  const b = Buffer.from(s, 'base64');
  if (b.byteLength % 4 !== 0) throw new Error('base64 payload is not a whole number of int32 values');
  const out = new Int32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

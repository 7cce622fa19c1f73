/**
 * Just enough of the WebAssembly binary format to write one small function by hand
 * (no toolchain needed at build or run time): LEB128, sections, and the opcodes the
 * SIMD line scanner uses. Opcode numbers are from the WebAssembly 2.0 spec.
 */
export type Bytes = number[];

export function uleb(value: number): Bytes {
  const out: Bytes = [];
  let n = value >>> 0;
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

export function sleb(value: number): Bytes {
  const out: Bytes = [];
  let n = value | 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const vec = (items: Bytes[]): Bytes => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: Bytes): Bytes => [id, ...uleb(body.length), ...body];
const name = (text: string): Bytes => vec([...Buffer.from(text)].map((b) => [b]));

export const I32 = 0x7f;
export const V128 = 0x7b;
const VOID = 0x40;
const SIMD = (code: number): Bytes => [0xfd, ...uleb(code)];

export const op = {
  block: [0x02, VOID],
  loop: [0x03, VOID],
  if: [0x04, VOID],
  end: [0x0b],
  br: (depth: number): Bytes => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Bytes => [0x0d, ...uleb(depth)],
  get: (local: number): Bytes => [0x20, ...uleb(local)],
  set: (local: number): Bytes => [0x21, ...uleb(local)],
  i32Load: (offset: number): Bytes => [0x28, 2, ...uleb(offset)],
  load8: (offset: number): Bytes => [0x2d, 0, ...uleb(offset)],
  i32Store: (offset: number): Bytes => [0x36, 2, ...uleb(offset)],
  store8: (offset: number): Bytes => [0x3a, 0, ...uleb(offset)],
  const: (value: number): Bytes => [0x41, ...sleb(value)],
  eqz: [0x45],
  eq: [0x46],
  ne: [0x47],
  ltS: [0x48],
  gtS: [0x4a],
  geS: [0x4e],
  ctz: [0x68],
  popcnt: [0x69],
  add: [0x6a],
  sub: [0x6b],
  and: [0x71],
  shl: [0x74],
  memoryCopy: [0xfc, ...uleb(10), 0, 0],
  v128Load: (offset: number): Bytes => [...SIMD(0), 0, ...uleb(offset)],
  v128Store: (offset: number): Bytes => [...SIMD(11), 0, ...uleb(offset)],
  i8x16Splat: SIMD(15),
  i8x16Eq: SIMD(35),
  v128Or: SIMD(80),
  i8x16Bitmask: SIMD(100),
} as const;

/** A module with one memory and one exported function `run` of the given signature. */
export function moduleBytes(fn: { params: number[]; results: number[]; locals: [count: number, type: number][]; code: Bytes }, pages: number): Uint8Array<ArrayBuffer> {
  const body = [...vec(fn.locals.map(([count, type]) => [...uleb(count), type])), ...fn.code, ...op.end];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec(fn.params.map((t) => [t])), ...vec(fn.results.map((t) => [t]))]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec([[...name('run'), 0x00, 0], [...name('memory'), 0x02, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

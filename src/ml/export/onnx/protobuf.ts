/**
 * A minimal protocol-buffers writer (wire types 0, 2 and 5), enough for ONNX's ModelProto.
 * Messages are built bottom-up as byte arrays; no tfjs here.
 */
const encoder = new TextEncoder();

export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.length;
    return this;
  }

  private varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      out.push(byte);
    } while (v !== 0n);
    return this.push(Uint8Array.from(out));
  }

  private key(field: number, wireType: 0 | 2 | 5): this {
    return this.varint((field << 3) | wireType);
  }

  /** int32, int64, enum or bool field. */
  int(field: number, value: number | bigint): this {
    return this.key(field, 0).varint(value);
  }

  /** Length-delimited field: bytes or an embedded message. */
  bytes(field: number, value: Uint8Array): this {
    return this.key(field, 2).varint(value.length).push(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, encoder.encode(value));
  }

  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  float(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    return this.key(field, 5).push(b);
  }

  /** A packed repeated int64 field. */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

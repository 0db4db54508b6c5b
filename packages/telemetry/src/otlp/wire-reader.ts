import { OtlpDecodeError } from "./errors";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const utf8 = new TextDecoder("utf-8", { fatal: true });

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

function truncated(): OtlpDecodeError {
  return new OtlpDecodeError("MALFORMED_PROTOBUF", "protobuf body is truncated or not an ExportTraceServiceRequest");
}

/**
 * A bounds-checked protobuf wire reader over one buffer. Sub-messages are read in place
 * by passing their end offset around, so nothing is copied. 64-bit times come out as
 * bigint (nanoseconds since 1970 do not fit a double).
 */
export class WireReader {
  pos = 0;
  private readonly view: DataView;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** A varint that must fit 32 bits unsigned (tags, lengths, enums). */
  uint32(end: number): number {
    const buf = this.buf;
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw truncated();
      const byte = buf[this.pos++] as number;
      if (shift < 32) result |= (byte & 0x7f) << shift;
      if (byte < 0x80) return result >>> 0;
      shift += 7;
    }
    throw new OtlpDecodeError("MALFORMED_PROTOBUF", "protobuf varint longer than 10 bytes");
  }

  /** An int64 varint as a double (exact up to 2^53; enough for status codes and ports). */
  int64(end: number): number {
    const buf = this.buf;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw truncated();
      const byte = buf[this.pos++] as number;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result >= 2 ** 63 ? result - 2 ** 64 : result;
      scale *= 128;
    }
    throw new OtlpDecodeError("MALFORMED_PROTOBUF", "protobuf varint longer than 10 bytes");
  }

  fixed64(end: number): bigint {
    if (this.pos + 8 > end) throw truncated();
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  double(end: number): number {
    if (this.pos + 8 > end) throw truncated();
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** Reads a length prefix and returns the end offset of the field it introduces. */
  lengthDelimited(end: number): number {
    const length = this.uint32(end);
    const fieldEnd = this.pos + length;
    if (fieldEnd > end) throw truncated();
    return fieldEnd;
  }

  /** A string field (length prefix already read: `fieldEnd` from lengthDelimited). */
  string(fieldEnd: number): string {
    const start = this.pos;
    this.pos = fieldEnd;
    const length = fieldEnd - start;
    if (length < 48) {
      // Short ASCII strings (attribute keys, names) skip the TextDecoder round trip.
      let ascii = "";
      for (let i = start; i < fieldEnd; i++) {
        const byte = this.buf[i] as number;
        if (byte >= 0x80) return this.decodeUtf8(start, fieldEnd);
        ascii += String.fromCharCode(byte);
      }
      return ascii;
    }
    return this.decodeUtf8(start, fieldEnd);
  }

  private decodeUtf8(start: number, end: number): string {
    try {
      return utf8.decode(this.buf.subarray(start, end));
    } catch {
      throw new OtlpDecodeError("MALFORMED_PROTOBUF", "protobuf string field is not valid UTF-8");
    }
  }

  /** A bytes field as lowercase hex (ids). */
  hex(fieldEnd: number): string {
    let out = "";
    for (let i = this.pos; i < fieldEnd; i++) out += HEX[this.buf[i] as number];
    this.pos = fieldEnd;
    return out;
  }

  skip(wireType: number, end: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.int64(end);
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > end) throw truncated();
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lengthDelimited(end);
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > end) throw truncated();
        this.pos += 4;
        return;
      default:
        throw new OtlpDecodeError("MALFORMED_PROTOBUF", `protobuf wire type ${wireType} is not valid here`);
    }
  }
}

export function wrongWireType(message: string, field: number): OtlpDecodeError {
  return new OtlpDecodeError("MALFORMED_PROTOBUF", `protobuf field ${message}.${field} has the wrong wire type`);
}

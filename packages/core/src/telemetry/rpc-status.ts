const utf8 = new TextEncoder();

/**
 * A google.rpc.Status message in protobuf, the body OTLP/HTTP servers send with an error
 * status: `int32 code = 1; string message = 2;` (details are left out).
 */
export function encodeRpcStatus(code: number, message: string): Uint8Array<ArrayBuffer> {
  const text = utf8.encode(message);
  const out: number[] = [];
  if (code !== 0) {
    out.push(0x08);
    writeVarint(out, code);
  }
  if (text.length > 0) {
    out.push(0x12);
    writeVarint(out, text.length);
  }
  const body = new Uint8Array(out.length + text.length);
  body.set(out);
  body.set(text, out.length);
  return body;
}

function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** Bytes Web Crypto accepts: a view over a plain ArrayBuffer (a SharedArrayBuffer view is copied). */
function digestable(data: ArrayBuffer | Uint8Array): ArrayBuffer | Uint8Array<ArrayBuffer> {
  if (!ArrayBuffer.isView(data)) return data;
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : Uint8Array.from(data);
}

/** Hex SHA-256 of some bytes (Web Crypto: works in windows, workers and Node 20). */
export async function sha256Hex(data: ArrayBuffer | Uint8Array | Blob): Promise<string> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : digestable(data);
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

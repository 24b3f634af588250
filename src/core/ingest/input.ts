// An import's input, whatever it came as (a path, a Node stream, a web stream), as one Node stream that
// hashes and counts its bytes on the way through: the sha256 recorded in the Import row is the whole file's.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export type ImportInput = string | Readable | WebReadableStream<Uint8Array> | ReadableStream<Uint8Array>;

export interface OpenedInput {
  /** The file's bytes, hashed and counted as they pass. */
  stream: Readable;
  hash: ReturnType<typeof createHash>;
  /** Bytes read so far. */
  bytes(): number;
  /** File size when known (a path), for a read progress bar. */
  totalBytes?: number;
  /** Reads the rest of the input so the sha256 covers the whole file even when reading stops early. */
  drain(): Promise<void>;
}

export function openInput(input: ImportInput): OpenedInput {
  const hash = createHash('sha256');
  let bytes = 0;
  const totalBytes = typeof input === 'string' ? fs.statSync(input).size : undefined;
  const source =
    typeof input === 'string'
      ? fs.createReadStream(input)
      : input instanceof Readable
        ? input
        : Readable.from(readChunks(input as WebReadableStream<Uint8Array>));
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const stream = source.pipe(tap);
  source.on('error', (e: Error) => tap.destroy(e));
  return {
    stream,
    hash,
    bytes: () => bytes,
    totalBytes,
    drain: async () => {
      for await (const _ of stream);
    },
  };
}

// A Hash can be digested once: remember it so the Import row and the report agree.
const digests = new WeakMap<ReturnType<typeof createHash>, string>();
export function digestOf(hash: ReturnType<typeof createHash>): string {
  let d = digests.get(hash);
  if (!d) {
    d = hash.digest('hex');
    digests.set(hash, d);
  }
  return d;
}

/** Any web ReadableStream (Node's, or the ponyfill Yoga hands an uploaded File's stream() as), chunk by chunk. */
async function* readChunks(stream: WebReadableStream<Uint8Array>): AsyncGenerator<Buffer> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield Buffer.from(value);
    }
  } finally {
    reader.releaseLock();
  }
}

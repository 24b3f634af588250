// Sharing the write-counter read between concurrent requests (sharedStoreCounters): never a read that
// started before the call (it could miss a write the caller saw committed), one read for every request
// that arrived while another was in progress, and a read at once for a request alone.
import { describe, expect, it } from 'vitest';
import { sharedStoreCounters } from '../../src/core/reporting/counters.js';

/** A stand-in client whose counter reads finish when the test says, each answering its own number. */
function fakeClient() {
  const reads: { version: number; finish: () => void }[] = [];
  const client = {
    $queryRaw: () =>
      new Promise((resolve) => {
        const version = reads.length + 1;
        reads.push({
          version,
          finish: () =>
            resolve([
              { table: 'Person', version: String(version) },
              { table: null, version: 'db' },
            ]),
        });
      }),
  };
  return { client: client as unknown as Parameters<typeof sharedStoreCounters>[0], reads };
}
const tick = () => new Promise((r) => setTimeout(r, 0));
const versionOf = async (p: ReturnType<typeof sharedStoreCounters>) => (await p).tables.get('Person');

describe('sharedStoreCounters', () => {
  it('reads at once for a request alone, and again for the next one', async () => {
    const { client, reads } = fakeClient();
    const a = sharedStoreCounters(client);
    expect(reads).toHaveLength(1);
    reads[0].finish();
    expect(await versionOf(a)).toBe('1');
    const b = sharedStoreCounters(client);
    await tick();
    expect(reads).toHaveLength(2);
    reads[1].finish();
    expect(await versionOf(b)).toBe('2');
  });

  it('never answers a request with a read that started before it, and shares the next read', async () => {
    const { client, reads } = fakeClient();
    const first = sharedStoreCounters(client);
    // Three requests arrive while the first read is in progress: none may use it.
    const waiting = [sharedStoreCounters(client), sharedStoreCounters(client), sharedStoreCounters(client)];
    await tick();
    expect(reads).toHaveLength(1);
    reads[0].finish();
    expect(await versionOf(first)).toBe('1');
    await tick();
    // One read, started after all three arrived, serves them all.
    expect(reads).toHaveLength(2);
    reads[1].finish();
    expect(await Promise.all(waiting.map(versionOf))).toEqual(['2', '2', '2']);
    expect(reads).toHaveLength(2);
  });

  it('queues a request arriving during the shared read for the read after it', async () => {
    const { client, reads } = fakeClient();
    sharedStoreCounters(client);
    const second = sharedStoreCounters(client);
    reads[0].finish();
    await tick();
    await tick();
    expect(reads).toHaveLength(2);
    const third = sharedStoreCounters(client); // arrives while read 2 is in progress
    reads[1].finish();
    expect(await versionOf(second)).toBe('2');
    await tick();
    await tick();
    expect(reads).toHaveLength(3);
    reads[2].finish();
    expect(await versionOf(third)).toBe('3');
  });
});

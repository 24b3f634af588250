// The import's progress display: a cli-progress bar with rows and rows/s on a terminal, plain lines
// (at most one a second while reading, one per written batch) in logs and CI.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { barProgress, lineProgress } from '../../src/cli/import.js';

/** Terminal control sequences (cursor moves, line clears) the bar writes around its text. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

function capture(tty: boolean) {
  const stream = new PassThrough() as PassThrough & NodeJS.WriteStream;
  let text = '';
  stream.on('data', (chunk) => {
    text += chunk.toString();
  });
  Object.assign(stream, {
    isTTY: tty,
    columns: 120,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  return { stream, text: () => text.replace(ANSI, '') };
}

describe('import progress', () => {
  it('draws a bar with the phase, rows and rows/s on a terminal', () => {
    const out = capture(true);
    const bar = barProgress(out.stream);
    bar.update({ phase: 'read', rows: 500, bytes: 5_000, totalBytes: 10_000 });
    bar.update({ phase: 'write', rows: 1_000, total: 2_000 });
    bar.stop();
    const text = out.text();
    expect(text).toMatch(/read\s+\|.*\| 50% \| 500 rows \| \d+ rows\/s/);
    expect(text).toMatch(/write \|.*\| 50% \| 1000 rows \| \d+ rows\/s/);
  });

  it('writes plain lines otherwise, one per written batch', () => {
    const out = capture(false);
    const lines = lineProgress(out.stream);
    lines.update({ phase: 'read', rows: 0, bytes: 0, totalBytes: 100 });
    lines.update({ phase: 'read', rows: 10, bytes: 50, totalBytes: 100 }); // within the second: not printed
    lines.update({ phase: 'check', rows: 20 });
    lines.update({ phase: 'write', rows: 10, total: 20 });
    lines.update({ phase: 'write', rows: 20, total: 20 });
    lines.stop();
    const printed = out.text().trim().split('\n');
    expect(printed[0]).toBe('checking references of 20 rows');
    expect(printed[1]).toMatch(/^writing 10\/20 rows, \d+ rows\/s$/);
    expect(printed[2]).toMatch(/^writing 20\/20 rows, \d+ rows\/s$/);
    expect(printed).toHaveLength(3);
  });
});

// The benchmark's HTTP server in a process of its own (src/bench/serve.ts), so the load generator gets the
// other core: started, waited for until it prints `listening <port>`, and stopped with SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface Server {
  port: number;
  stop(): Promise<void>;
}

/** `serve.ts` with `args` (`app <where>` or `hello`), NODE_ENV=production, and `env` over this process's. */
export async function startServer(args: string[], env: Record<string, string> = {}): Promise<Server> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve(import.meta.dirname, 'serve.ts'), ...args],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production', ...env } },
  );
  const port = await new Promise<number>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`bench server (${args[0]}) exited with ${code}`)));
  });
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

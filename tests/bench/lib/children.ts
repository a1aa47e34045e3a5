// Child processes the bench starts itself (the baseline server), with their port read from stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type Child = { port: number; pid: number; stop(): Promise<void> };

/** Runs a TypeScript file under node + tsx and waits for its first stdout line {"port":n}. */
export async function startChild(file: string, env: Record<string, string> = {}): Promise<Child> {
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.once('line', (line) => {
      try { resolve(JSON.parse(line).port); } catch (e) { reject(e); }
    });
    proc.once('exit', (code) => reject(new Error(`${file} exited with ${code} before listening`)));
  });
  return {
    port,
    pid: proc.pid!,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
  };
}

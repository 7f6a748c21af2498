// Every temp dir of a benchmark run lives under one root, removed at the end or on a signal;
// every child process it starts is known, so a signal can stop them.

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | undefined;
const children = new Set<ChildProcess>();

/** A new directory under this run's temp root. */
export function tempDir(prefix: string): string {
  root ??= mkdtempSync(join(tmpdir(), 'bench-'));
  return mkdtempSync(join(root, prefix));
}

export function removeTemp(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
}

/** Remembers a child until it exits. */
export function track<C extends ChildProcess>(child: C): C {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Kills the children still running (their local cloud is going away with this process). */
export function killChildren(): void {
  for (const c of children) c.kill('SIGKILL');
}

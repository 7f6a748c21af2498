// What a healthy instance prints, for the local cloud's simulated backend (which runs no
// script): the service check's `name=active` lines, the secrets key command's public key, and
// for a command that carries several steps (src/deliver/rounds.ts) the marker lines of each,
// as its runner would print them. A step whose script matches `fail` fails (exit code 1,
// "simulated failure" on stderr), and the steps after it do not run, as on an instance.

import type { SimulatedAnswer } from '../cloud/backend.ts';
import { nonceOf } from '../src/deliver/rounds.ts';

export interface AgentOptions {
  /** The public key (PEM) the instance's secrets key command prints. */
  keyOf?: (instanceId: string) => string;
  /** Steps whose script matches fail. */
  fail?: RegExp;
  /** Steps whose script matches hang until their own timeout stops them (exit code 124). */
  hang?: RegExp;
  /** How long the command took (the backend's commandMs), spread over its steps' times. */
  commandMs?: number;
}

function stepStdout(script: string, instanceId: string, opts: AgentOptions): string {
  if (script.includes('systemctl is-active') && /^for s in /m.test(script)) {
    const list = /for s in (.*); do/.exec(script)?.[1] ?? '';
    return [...list.matchAll(/'((?:[^']|'\\'')*)'/g)]
      .map((m) => `${(m[1] ?? '').replace(/'\\''/g, "'")}=active\n`)
      .join('');
  }
  if (script.includes('# spot-deployer secrets-key:')) return opts.keyOf?.(instanceId) ?? '';
  return '';
}

/** The step ids a command's script carries (each step script names itself in its header). */
export function stepsOf(script: string): string[] {
  return [...script.matchAll(/^# spot-deployer ([^:\s]+):/gm)].map((m) => m[1] ?? '');
}

const FAILED: SimulatedAnswer = { exitCode: 1, stdout: '', stderr: 'simulated failure\n' };

/** How a command that carries several steps ends on an instance whose steps end as `run`
 * says: each step framed by its markers, the failing one's output shown, later ones not run.
 * Undefined for a command of one step (no markers). */
export function answerMerged(
  script: string,
  run: (body: string, id: string, timeoutSeconds: number) => SimulatedAnswer,
  commandMs = 0,
): SimulatedAnswer | undefined {
  const nonce = nonceOf(script);
  if (!nonce) return undefined;
  const bodies = new Map<string, string>();
  for (const m of script.matchAll(
    /^cat >"\$_spot_dir\/"'?([^'\s]+)'? <<'([A-Z_0-9]+)'\n([\s\S]*?)\n\2$/gm,
  )) {
    bodies.set(m[1] ?? '', m[3] ?? '');
  }
  const runs = [...script.matchAll(/^_spot_step '?([^'\s]+)'? (\d+) ([01]) \|\| exit \$\?$/gm)];
  const each = commandMs / Math.max(1, runs.length);
  let t = Date.now() - commandMs;
  let stdout = '';
  const lines = (text: string) => (text && !text.endsWith('\n') ? `${text}\n` : text);
  let afterMs = 0;
  for (const [, id = '', timeout, show] of runs) {
    const r = run(bodies.get(id) ?? '', id, Number(timeout));
    const t0 = Math.round(t);
    t += each + (r.afterMs ?? 0);
    afterMs += r.afterMs ?? 0;
    const t1 = Math.round(t);
    stdout += `[spot-deployer ${nonce}] start ${id} ${t0}\n`;
    if (r.exitCode !== 0 || show === '1') stdout += lines(r.stdout);
    stdout += `[spot-deployer ${nonce}] end ${id} ${r.exitCode} ${t0} ${t1}\n`;
    if (r.exitCode !== 0) return { exitCode: r.exitCode, stdout, stderr: r.stderr, afterMs };
  }
  return { exitCode: 0, stdout, stderr: '' };
}

export function simulatedAgent(
  opts: AgentOptions = {},
): (script: string, instanceId: string) => SimulatedAnswer {
  const one = (body: string, instanceId: string): SimulatedAnswer =>
    opts.fail?.test(body)
      ? FAILED
      : { exitCode: 0, stdout: stepStdout(body, instanceId, opts), stderr: '' };
  const step = (body: string, instanceId: string, timeoutSeconds: number): SimulatedAnswer =>
    opts.hang?.test(body)
      ? { exitCode: 124, stdout: '', stderr: '', afterMs: timeoutSeconds * 1000 }
      : one(body, instanceId);
  return (script, instanceId) =>
    answerMerged(script, (body, _, t) => step(body, instanceId, t), opts.commandMs) ??
    one(script, instanceId);
}

// Runs the plan's remote steps in order on the healthy instances, in command rounds
// (rounds.ts): consecutive steps in one command while they fit, steps that share a
// parallelGroup in parallel commands; every round runs in all regions at once, and an
// instance whose step fails drops out (its step, status, exit code and output tail are
// logged).

import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { BackoffOptions, Clock } from '../aws/poll.ts';
import { byRegion, mapLimit } from '../aws/poll.ts';
import type { SealedCommands } from '../plan/secrets.ts';
import type { RemoteStep } from '../plan/types.ts';
import type { Log } from '../log.ts';
import {
  failureDetail,
  runCommand,
  SEND_BATCH,
  statusMeaning,
  tail,
  type CommandContext,
  type InvocationResult,
} from './commands.ts';
import type { Fleet, Member } from './fleet.ts';
import {
  ALL_LINES,
  fits,
  mergedScript,
  mergedTimeout,
  newNonce,
  readMerged,
  readPlain,
  type Part,
  type PartResult,
  type StepFailure,
} from './rounds.ts';
import { describeInstances, goneReason, GONE, observe } from './wait.ts';

export type { StepFailure } from './rounds.ts';

/** How secrets reach an instance without ever being in a command in clear (src/plan/secrets.ts). */
export interface SecretsSealer {
  /** Script that makes (or reuses) the instance's key pair and prints its public key (PEM). */
  keyScript(): string;
  /** Seals the secrets once for all these public keys (one per instance) and returns the
   * install commands, each for at most `maxKeys` of them (by index) and within one command. */
  seal(
    publicKeysPem: readonly string[],
    secrets: Record<string, string>,
    maxKeys: number,
  ): SealedCommands | Promise<SealedCommands>;
}

export interface DeliverContext {
  clientsFor(region: string): { ec2: EC2Client; ssm: SSMClient };
  log: Log;
  clock: Clock;
  poll: BackoffOptions;
  signal?: AbortSignal;
  /** Put in each command's comment so the SSM console shows whose command it is. */
  deploymentId: string;
  secrets: Record<string, string>;
  sealer?: SecretsSealer;
}

export interface StepOutcome {
  step: RemoteStep;
  ms: number;
  /** Instances the step ran on. */
  instances: number;
  failed: StepFailure[];
}

/** Consecutive steps with the same parallelGroup form one batch; every other step is alone. */
export function stepBatches(steps: readonly RemoteStep[]): RemoteStep[][] {
  const out: RemoteStep[][] = [];
  for (const s of steps) {
    const last = out.at(-1);
    const prev = last?.at(-1);
    if (last && prev && s.parallelGroup !== undefined && prev.parallelGroup === s.parallelGroup) {
      last.push(s);
    } else out.push([s]);
  }
  return out;
}

export function describeResult(r: InvocationResult): string {
  const code =
    r.responseCode !== undefined && r.responseCode >= 0 ? `, exit code ${r.responseCode}` : '';
  const details = r.statusDetails && r.statusDetails !== r.status ? ` (${r.statusDetails})` : '';
  return `${r.status}${code}${details}`;
}

function commandContext(ctx: DeliverContext, region: string): CommandContext {
  const { ssm, ec2 } = ctx.clientsFor(region);
  return {
    ssm,
    ec2,
    clock: ctx.clock,
    poll: ctx.poll,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
}

const PEM = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/;

async function runStep(
  ctx: DeliverContext,
  step: RemoteStep,
  members: Member[],
): Promise<StepOutcome> {
  const started = ctx.clock.now();
  const failed: StepFailure[] = [];
  await Promise.all(
    [...byRegion(members)].map(async ([region, ids]) => {
      const results = await runCommand(commandContext(ctx, region), ids, {
        script: step.script,
        timeoutSeconds: step.timeoutSeconds,
        comment: `spot-deployer ${step.id} ${ctx.deploymentId}`,
      });
      let ok = 0;
      for (const id of ids) {
        const r = results.get(id) ?? {
          instanceId: id,
          status: 'Failed',
          statusDetails: 'no result',
        };
        if (r.status === 'Success') ok++;
        else failed.push({ instanceId: id, region, result: r });
      }
      ctx.log.info(`${step.id} ${region}: ${ok}/${ids.length} succeeded`);
    }),
  );
  return { step, ms: ctx.clock.now() - started, instances: members.length, failed };
}

/** Logs each failure in its own collapsed group: step, status, exit code, output tails. */
export async function logFailures(
  ctx: DeliverContext,
  stepId: string,
  failures: readonly StepFailure[],
): Promise<void> {
  for (const f of failures) {
    const detail = f.detail ?? (await failureDetail(commandContext(ctx, f.region), f.result));
    await ctx.log.group(
      `✗ ${stepId} failed on ${f.instanceId} (${f.region}): ${describeResult({ ...f.result, ...(detail.responseCode !== undefined ? { responseCode: detail.responseCode } : {}) })}`,
      async () => {
        if (detail.statusDetails) {
          const meaning = statusMeaning(detail.statusDetails);
          ctx.log.info(`status details: ${detail.statusDetails}${meaning ? ` (${meaning})` : ''}`);
        }
        ctx.log.info(`--- stdout (last lines) ---\n${detail.stdoutTail || '(empty)'}`);
        ctx.log.info(`--- stderr (last lines) ---\n${detail.stderrTail || '(empty)'}`);
      },
    );
  }
}

/** A command fails when its instance goes away (a spot reclaim): say that, not just "Failed".
 * One DescribeInstances per region for the failed instances. */
async function explainGone(
  ctx: DeliverContext,
  fleet: Fleet,
  failures: readonly StepFailure[],
): Promise<void> {
  const failed = failures.map((f) => ({ id: f.instanceId, region: f.region }));
  await Promise.all(
    [...byRegion(failed)].map(async ([region, ids]) => {
      let seen: Awaited<ReturnType<typeof describeInstances>>;
      try {
        seen = await describeInstances(ctx.clientsFor(region).ec2, ids, ctx.signal);
      } catch {
        return; // the command's own status stands
      }
      for (const i of seen) {
        const m = i.InstanceId ? fleet.get(i.InstanceId) : undefined;
        if (!m?.failure) continue;
        observe(m, i);
        if (GONE.has(m.state)) {
          m.failure = {
            phase: m.failure.phase,
            cause: `${goneReason(m, i)}; the command: ${m.failure.cause}`,
          };
        }
      }
    }),
  );
}

/** Runs parts as one command on instances of a region (a lone part as its own script). */
async function runParts(
  ctx: DeliverContext,
  region: string,
  ids: readonly string[],
  parts: readonly Part[],
): Promise<Map<string, PartResult[]>> {
  const cctx = commandContext(ctx, region);
  const lone = parts.length === 1 ? parts[0] : undefined;
  const nonce = newNonce();
  const spec = lone
    ? { script: lone.script, timeoutSeconds: lone.timeoutSeconds }
    : { script: mergedScript(parts, nonce), timeoutSeconds: mergedTimeout(parts) };
  const first = parts[0]?.step.id ?? '';
  const last = parts.at(-1)?.step.id ?? '';
  const what = first === last ? first : `${first}..${last}`;
  const results = await runCommand(cctx, ids, {
    ...spec,
    comment: `spot-deployer ${what} ${ctx.deploymentId}`,
  });
  const out = new Map<string, PartResult[]>();
  await mapLimit([...ids], 10, async (id) => {
    const r = results.get(id) ?? { instanceId: id, status: 'Failed', statusDetails: 'no result' };
    if (!lone) out.set(id, await readMerged(cctx, r, parts, nonce, region));
    else if (lone.show && r.status === 'Success' && !PEM.test(r.output ?? '')) {
      // The listing holds only the start of the output; read all of it.
      const full = await failureDetail(cctx, r, ALL_LINES);
      out.set(id, readPlain({ ...r, output: full.stdoutTail }, region));
    } else out.set(id, readPlain(r, region));
  });
  return out;
}

const stepPart = (step: RemoteStep): Part => ({
  step,
  script: step.script,
  timeoutSeconds: step.timeoutSeconds,
});

/** The secrets step's first half: the instance's key pair, made once, its public half printed. */
function keyPartOf(step: RemoteStep, keyScript: string): Part {
  if (!keyScript) throw new Error('a secrets step needs a sealer');
  return {
    step,
    script: keyScript,
    timeoutSeconds: Math.min(step.timeoutSeconds, 120),
    show: true,
  };
}

/** The secrets step's second half: the sealed secrets for the instances of `ids`. */
interface Sealed {
  ids: string[];
  script: string;
}

interface PendingSecrets {
  step: RemoteStep;
  byRegion: Map<string, Sealed[]>;
}

const installPart = (step: RemoteStep, script: string): Part => ({
  step,
  script,
  timeoutSeconds: step.timeoutSeconds,
});

const keyFailure = (id: string, region: string, statusDetails: string, output = '') => ({
  ran: true,
  ok: false,
  failure: {
    instanceId: id,
    region,
    result: { instanceId: id, status: 'Failed', statusDetails },
    detail: { stdoutTail: tail(output), stderrTail: '', statusDetails },
  },
});

/** Seals the secrets once for the region's instances whose key part (index k) printed a key;
 * those without a readable key fail the secrets step. */
async function sealRegion(
  ctx: DeliverContext,
  region: string,
  results: Map<string, PartResult[]>,
  k: number,
): Promise<Sealed[]> {
  const sealer = ctx.sealer;
  if (!sealer) throw new Error('a secrets step needs a sealer');
  const holders: Array<{ id: string; pem: string }> = [];
  for (const [id, res] of results) {
    const key = res[k];
    if (!key?.ok) continue;
    const pem = PEM.exec(key.output ?? '')?.[0];
    if (pem) holders.push({ id, pem });
    else res[k] = keyFailure(id, region, 'the key command printed no public key', key.output ?? '');
  }
  if (holders.length === 0) return [];
  const { commands, unreadable } = await sealer.seal(
    holders.map((h) => h.pem),
    ctx.secrets,
    SEND_BATCH,
  );
  for (const i of unreadable) {
    const h = holders[i];
    const res = h ? results.get(h.id) : undefined;
    if (h && res) {
      res[k] = keyFailure(h.id, region, 'the key command printed a public key that cannot be read');
    }
  }
  return commands.map(({ script, keys }) => ({
    script,
    ids: keys.map((i) => holders[i]?.id).filter((id) => id !== undefined),
  }));
}

/** The steps of a parallel batch (upload carriers): a command each, all at once. */
async function runParallel(
  ctx: DeliverContext,
  fleet: Fleet,
  batch: readonly RemoteStep[],
  members: Member[],
  outcomes: StepOutcome[],
): Promise<void> {
  const results = await ctx.log.group(
    `Steps ${batch.map((s) => s.id).join(', ')} in parallel (${members.length} instance${members.length === 1 ? '' : 's'})`,
    () => Promise.all(batch.map((s) => runStep(ctx, s, members))),
  );
  for (const o of results) await record(ctx, fleet, o, outcomes);
}

/** Keeps a step's outcome (the second half of the secrets step adds to its first), drops its
 * failed instances out of the fleet and logs why. */
async function record(
  ctx: DeliverContext,
  fleet: Fleet,
  o: StepOutcome,
  outcomes: StepOutcome[],
): Promise<void> {
  const earlier = outcomes.find((x) => x.step === o.step);
  if (earlier) {
    earlier.ms += o.ms;
    earlier.failed.push(...o.failed);
  } else outcomes.push(o);
  for (const f of o.failed) fleet.fail(f.instanceId, `step ${o.step.id}`, describeResult(f.result));
  if (o.failed.length > 0) {
    await explainGone(ctx, fleet, o.failed);
    await logFailures(ctx, o.step.id, o.failed);
  }
}

interface RegionRound {
  region: string;
  results: Map<string, PartResult[]>;
}

/** One round: in each region one command (per 50 instances, or per sealed secrets command)
 * carries every part. Returns the sealed secrets when the round ends with a key part. */
async function runRound(
  ctx: DeliverContext,
  fleet: Fleet,
  members: Member[],
  parts: readonly Part[],
  pending: PendingSecrets | undefined,
  outcomes: StepOutcome[],
): Promise<PendingSecrets | undefined> {
  const all = pending ? [installPart(pending.step, ''), ...parts] : [...parts];
  const started = ctx.clock.now();
  const n = members.length;
  if (all.length > 1) {
    ctx.log.info(
      `Steps ${all.map((p) => p.step.id).join(', ')} in one command (${n} instance${n === 1 ? '' : 's'})`,
    );
  }
  const sealed = new Map<string, Sealed[]>();
  const last = all.at(-1);
  const keyAt = last?.show && last.step.kind === 'secrets' ? all.length - 1 : -1;
  const regions: RegionRound[] = await Promise.all(
    [...byRegion(members)].map(async ([region, ids]) => {
      const commands = pending
        ? (pending.byRegion.get(region) ?? [])
            .map((s) => ({
              ids: s.ids.filter((id) => ids.includes(id)),
              parts: [installPart(pending.step, s.script), ...parts],
            }))
            .filter((c) => c.ids.length > 0)
        : [{ ids, parts }];
      const results = new Map<string, PartResult[]>();
      await mapLimit(commands, 10, async (c) => {
        for (const [id, r] of await runParts(ctx, region, c.ids, c.parts)) results.set(id, r);
      });
      if (keyAt >= 0) sealed.set(region, await sealRegion(ctx, region, results, keyAt));
      return { region, results };
    }),
  );
  const wall = ctx.clock.now() - started;
  const stepOutcomes = roundOutcomes(all, regions, wall);
  for (const [k, o] of stepOutcomes.entries()) {
    const part = all[k];
    if (!part) continue;
    const title = `Step ${part.step.id}: ${part.step.description}${k === 0 && pending ? ' (sealed secrets)' : ''} (${o.instances} instance${o.instances === 1 ? '' : 's'})`;
    await ctx.log.group(title, async () => {
      for (const { region, results } of regions) {
        const ran = [...results.values()].filter((r) => r[k]?.ran);
        const ok = ran.filter((r) => r[k]?.ok).length;
        if (ran.length > 0)
          ctx.log.info(
            `${part.step.id} ${region}: ${ok}/${ran.length} succeeded (${(o.ms / 1000).toFixed(1)} s)`,
          );
      }
    });
    await record(ctx, fleet, o, outcomes);
  }
  const key = keyAt >= 0 ? all[keyAt] : undefined;
  return key ? { step: key.step, byRegion: sealed } : undefined;
}

/** Each part's outcome: instances it ran on, its failures, and its time from the markers
 * (the slowest instance); parts without marker times share what is left of the round's. */
function roundOutcomes(
  all: readonly Part[],
  regions: readonly RegionRound[],
  wall: number,
): StepOutcome[] {
  const results = regions.flatMap((r) => [...r.results.values()]);
  const timed = all.map((_, k) => {
    const ms = results.flatMap((r) => (r[k]?.ms !== undefined ? [r[k].ms] : []));
    return ms.length > 0 ? Math.max(...ms) : undefined;
  });
  const known = timed.reduce<number>((n, ms) => n + (ms ?? 0), 0);
  const untimed = timed.filter((ms) => ms === undefined).length;
  const share = untimed > 0 ? Math.max(0, wall - known) / untimed : 0;
  return all.map((part, k) => ({
    step: part.step,
    ms: Math.round(timed[k] ?? share),
    instances: results.filter((r) => r[k]?.ran).length,
    failed: results.flatMap((r) => (r[k]?.failure ? [r[k].failure] : [])),
  }));
}

/**
 * Runs every step; returns what each did. Consecutive steps travel in one command as long as
 * they fit (a round); the secrets step ends a round with its key part (after the uploads that
 * follow it), since the runner seals to the keys before the next round carries the sealed
 * secrets; a parallel batch of several
 * steps (upload carriers) is a round of its own. Stops early when fewer than `minHealthy`
 * instances are left (the caller fails the deploy).
 */
export async function deliverSteps(
  ctx: DeliverContext,
  fleet: Fleet,
  steps: readonly RemoteStep[],
  minHealthy: number,
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  const batches = stepBatches(steps);
  let pending: PendingSecrets | undefined;
  let i = 0;
  while (i < batches.length || pending) {
    const members = fleet.healthy();
    if (members.length < minHealthy || members.length === 0) break;
    const batch = batches[i] ?? [];
    if (!pending && batch.length > 1) {
      await runParallel(ctx, fleet, batch, members, outcomes);
      i++;
      continue;
    }
    const reserve = pending ? [installPart(pending.step, longestSealed(pending))] : [];
    const keyScript = ctx.sealer ? ctx.sealer.keyScript() : '';
    const round = gatherRound(batches, i, reserve, keyScript);
    i = round.next;
    pending = await runRound(ctx, fleet, members, round.parts, pending, outcomes);
  }
  // in the plan's order (a round may run uploads before the secrets key)
  return outcomes.sort((a, b) => steps.indexOf(a.step) - steps.indexOf(b.step));
}

/** The parts of the round that starts at batch `i`: single steps for as long as they fit in
 * one command (after `reserve`, the sealed secrets that open it). A secrets step's key part
 * ends the round, after the uploads that follow it (they need no secrets). */
export function gatherRound(
  batches: readonly RemoteStep[][],
  i: number,
  reserve: readonly Part[],
  keyScript: string,
): { parts: Part[]; next: number } {
  const parts: Part[] = [];
  let key: Part | undefined;
  let next = i;
  for (let b = batches[next]; b?.length === 1 && b[0]; b = batches[next]) {
    const step = b[0];
    if (key && step.kind !== 'upload') break;
    const part = step.kind === 'secrets' ? keyPartOf(step, keyScript) : stepPart(step);
    const after = key ? [key] : [];
    if (reserve.length + parts.length > 0 && !fits([...reserve, ...parts, part, ...after])) break;
    if (step.kind === 'secrets') key = part;
    else parts.push(part);
    next++;
  }
  if (key) parts.push(key);
  return { parts, next };
}

/** How many command rounds `deliverSteps` takes for these steps when every instance succeeds
 * (the sealed secrets counted as if they took no room: the benchmark's are small). */
export function countRounds(steps: readonly RemoteStep[], keyScript: string): number {
  const batches = stepBatches(steps);
  let rounds = 0;
  let pending: RemoteStep | undefined;
  for (let i = 0; i < batches.length || pending; rounds++) {
    const batch = batches[i] ?? [];
    if (!pending && batch.length > 1) {
      i++;
      continue;
    }
    const reserve = pending ? [installPart(pending, '')] : [];
    const round = gatherRound(batches, i, reserve, keyScript);
    i = round.next;
    pending = round.parts.at(-1)?.show ? round.parts.at(-1)?.step : undefined;
  }
  return rounds;
}

function longestSealed(p: PendingSecrets): string {
  let longest = '';
  for (const list of p.byRegion.values())
    for (const s of list) if (s.script.length > longest.length) longest = s.script;
  return longest;
}

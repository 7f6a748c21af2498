// Runs the plan's remote steps in order on the healthy instances: steps that share a
// parallelGroup run concurrently, every step runs in all regions at once, and an instance
// whose step fails drops out (its step, status, exit code and output tail are logged).

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
  type CommandContext,
  type InvocationResult,
} from './commands.ts';
import type { Fleet, Member } from './fleet.ts';
import { describeInstances, goneReason, GONE, observe } from './wait.ts';

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

export interface StepFailure {
  instanceId: string;
  region: string;
  result: InvocationResult;
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
  return {
    ssm: ctx.clientsFor(region).ssm,
    clock: ctx.clock,
    poll: ctx.poll,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
}

const PEM = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/;

/** The secrets step: one batched command collects every instance's public key, then one
 * command per SEND_BATCH instances carries the secrets, sealed once, with the key that opens
 * them wrapped to each instance's own public key. */
async function runSecretsStep(
  ctx: DeliverContext,
  step: RemoteStep,
  region: string,
  ids: string[],
): Promise<Map<string, InvocationResult>> {
  const sealer = ctx.sealer;
  if (!sealer) throw new Error('a secrets step needs a sealer');
  const cctx = commandContext(ctx, region);
  const comment = `spot-deployer ${step.id} key ${ctx.deploymentId}`;
  const keys = await runCommand(cctx, ids, {
    script: sealer.keyScript(),
    timeoutSeconds: Math.min(step.timeoutSeconds, 120),
    comment,
  });
  const out = new Map<string, InvocationResult>();
  const ready = await mapLimit(ids, 10, async (id) => {
    const r = keys.get(id);
    if (!r || r.status !== 'Success') {
      out.set(
        id,
        r ?? { instanceId: id, status: 'Failed', statusDetails: 'no result for the key command' },
      );
      return undefined;
    }
    let pem = PEM.exec(r.output ?? '')?.[0];
    if (!pem) {
      // The listing holds only the start of the output; read all of it.
      const full = await failureDetail(cctx, r, 10_000);
      pem = PEM.exec(full.stdoutTail)?.[0];
    }
    if (!pem) {
      out.set(id, {
        ...r,
        status: 'Failed',
        statusDetails: 'the key command printed no public key',
      });
      return undefined;
    }
    return { id, pem };
  });
  const holders = ready.filter((x) => x !== undefined);
  if (holders.length === 0) return out;
  const { commands, unreadable } = await sealer.seal(
    holders.map((h) => h.pem),
    ctx.secrets,
    SEND_BATCH,
  );
  for (const i of unreadable) {
    const h = holders[i];
    const r = h ? keys.get(h.id) : undefined;
    if (h && r) {
      out.set(h.id, {
        ...r,
        status: 'Failed',
        statusDetails: 'the key command printed a public key that cannot be read',
      });
    }
  }
  await mapLimit(commands, 10, async ({ script, keys: which }) => {
    const batch = which.map((i) => holders[i]?.id).filter((id) => id !== undefined);
    const res = await runCommand(cctx, batch, {
      script,
      timeoutSeconds: step.timeoutSeconds,
      comment: `spot-deployer ${step.id} ${ctx.deploymentId}`,
    });
    for (const id of batch) {
      out.set(id, res.get(id) ?? { instanceId: id, status: 'Failed', statusDetails: 'no result' });
    }
  });
  return out;
}

async function runStep(
  ctx: DeliverContext,
  step: RemoteStep,
  members: Member[],
): Promise<StepOutcome> {
  const started = ctx.clock.now();
  const failed: StepFailure[] = [];
  await Promise.all(
    [...byRegion(members)].map(async ([region, ids]) => {
      const results =
        step.kind === 'secrets'
          ? await runSecretsStep(ctx, step, region, ids)
          : await runCommand(commandContext(ctx, region), ids, {
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
    const detail = await failureDetail(commandContext(ctx, f.region), f.result);
    await ctx.log.group(
      `✗ ${stepId} failed on ${f.instanceId} (${f.region}): ${describeResult({ ...f.result, ...(detail.responseCode !== undefined ? { responseCode: detail.responseCode } : {}) })}`,
      async () => {
        if (detail.statusDetails) ctx.log.info(`status details: ${detail.statusDetails}`);
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

/**
 * Runs every step; returns what each did. Stops early when fewer than `minHealthy`
 * instances are left (the caller fails the deploy).
 */
export async function deliverSteps(
  ctx: DeliverContext,
  fleet: Fleet,
  steps: readonly RemoteStep[],
  minHealthy: number,
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const batch of stepBatches(steps)) {
    const members = fleet.healthy();
    if (members.length < minHealthy || members.length === 0) break;
    const title =
      batch.length === 1
        ? `Step ${batch[0]?.id}: ${batch[0]?.description} (${members.length} instance${members.length === 1 ? '' : 's'})`
        : `Steps ${batch.map((s) => s.id).join(', ')} in parallel (${members.length} instances)`;
    const results = await ctx.log.group(title, () =>
      Promise.all(batch.map((s) => runStep(ctx, s, members))),
    );
    for (const o of results) {
      outcomes.push(o);
      for (const f of o.failed)
        fleet.fail(f.instanceId, `step ${o.step.id}`, describeResult(f.result));
      if (o.failed.length > 0) {
        await explainGone(ctx, fleet, o.failed);
        await logFailures(ctx, o.step.id, o.failed);
      }
    }
  }
  return outcomes;
}

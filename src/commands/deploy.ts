// command: deploy — plan, launch, wait, deliver, verify, report. Any failure after launch
// ends with either a healthy, reported deployment or no instance of this run: the failure
// path terminates the run's instances (unless keep-failed), and the post step checks again.

import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { Clients } from '../aws/clients.ts';
import { DeployError, describeAwsError, isAbortError } from '../aws/errors.ts';
import { COMMAND_POLL, POLL, realClock, type BackoffOptions, type Clock } from '../aws/poll.ts';
import { deliverSteps, type SecretsSealer, type StepOutcome } from '../deliver/deliver.ts';
import { Fleet, minHealthyCount, type Member } from '../deliver/fleet.ts';
import { waitOnline, waitRunning } from '../deliver/wait.ts';
import { destroyTagged } from '../destroy/destroy.ts';
import { requestTermination, waitTerminated } from '../destroy/terminate.ts';
import { errorMessage } from '../diagnostics.ts';
import { saveRecord } from '../github/record.ts';
import { resolveDeploymentId, resolveIdentity } from '../identity.ts';
import { applyInputOverrides, type Inputs, type MinHealthy } from '../inputs.ts';
import { formatAttempts, launchAll, shortfallReport, type LaunchResult } from '../launch/launch.ts';
import { InstanceRegistry } from '../launch/registry.ts';
import { STATE, type RunRecord } from '../launch/state.ts';
import { buildPlan } from '../plan/plan.ts';
import type { Plan } from '../plan/types.ts';
import { estimateHourlyCost } from '../report/cost.ts';
import { coreLog, type Log } from '../report/log.ts';
import { setInstanceOutputs, type InstanceRecord } from '../report/outputs.ts';
import {
  renderDeploySummary,
  writeSummary,
  type DeployReport,
  type Phase,
} from '../report/summary.ts';
import { checkServices } from '../verify/services.ts';
import { loadOrThrow, type Reporter } from './validate.ts';

export interface DeployDeps {
  clientsFor(region: string): { ec2: EC2Client; ssm: SSMClient };
  log: Log;
  registry: InstanceRegistry;
  saveState(name: string, value: string): void;
  clock?: Clock;
  /** Polls of instance states (default POLL). */
  poll?: BackoffOptions;
  /** Polls of command results (default COMMAND_POLL). */
  commandPoll?: BackoffOptions;
  /** Aborts everything in flight (cancellation); the cleanup then runs on its own clock. */
  signal?: AbortSignal;
  sealer?: SecretsSealer;
}

export interface DeployOptions {
  minHealthy: MinHealthy;
  keepFailed: boolean;
  onlineTimeoutSeconds: number;
  secrets: Record<string, string>;
  /** Services that must be active at the end (default: the plan's); those the manifest does
   * not start are left out by the deploy command. */
  services?: readonly string[];
  /** How long to wait for failed instances to reach `terminated`. */
  terminateTimeoutSeconds?: number;
}

export interface DeployOutcome {
  ok: boolean;
  /** Why it failed (or was cancelled), in one message. */
  error?: string;
  report: DeployReport;
  /** Instances left running: the healthy ones, plus failed ones kept by keep-failed. */
  records: InstanceRecord[];
  regions: string[];
}

/** The deployment as the action's outputs describe it. */
export function toRecord(m: Member, health: string): InstanceRecord & { cause?: string } {
  return {
    id: m.id,
    region: m.region,
    zone: m.zone ?? '',
    type: m.instanceType,
    lifecycle: m.lifecycle,
    state: m.state,
    'public-ip': m.publicIp ?? '',
    'private-ip': m.privateIp ?? '',
    health,
    ...(m.failure ? { cause: `${m.failure.phase}: ${m.failure.cause}` } : {}),
  };
}

function failureList(members: readonly Member[], limit = 10): string {
  const lines = members
    .slice(0, limit)
    .map(
      (m) => `  ${m.id} (${m.region}, ${m.instanceType}): ${m.failure?.phase}: ${m.failure?.cause}`,
    );
  if (members.length > limit) lines.push(`  … and ${members.length - limit} more`);
  return lines.join('\n');
}

export async function executeDeploy(
  plan: Plan,
  opts: DeployOptions,
  deps: DeployDeps,
): Promise<DeployOutcome> {
  const clock = deps.clock ?? realClock;
  const poll = deps.poll ?? POLL;
  const commandPoll = deps.commandPoll ?? deps.poll ?? COMMAND_POLL;
  const { log, registry } = deps;
  const signal = deps.signal;
  const regions = plan.regions.map((r) => r.region);
  const requested = plan.regions.reduce((n, r) => n + r.count, 0);
  const minHealthy = minHealthyCount(opts.minHealthy, requested);
  const phases: Phase[] = [];
  let phase = 'planning';
  let failedPhase = phase;
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    phase = name;
    const t0 = clock.now();
    try {
      return await fn();
    } finally {
      phases.push({ name, ms: clock.now() - t0 });
    }
  };
  const ctx = { clientsFor: deps.clientsFor, log, clock, poll, ...(signal ? { signal } : {}) };

  let launch: LaunchResult | undefined;
  let fleet = new Fleet([]);
  let outcomes: StepOutcome[] = [];
  let failure: unknown;
  let launchStarted = false;
  const enough = (phase: string) => {
    const healthy = fleet.healthy().length;
    if (healthy >= minHealthy && healthy > 0) return;
    throw new DeployError(
      `${phase}: ${healthy} of ${requested} instance${requested === 1 ? '' : 's'} healthy, ` +
        `${minHealthy} needed (min-healthy):\n${failureList(fleet.failed())}`,
    );
  };

  try {
    if (minHealthy > requested) {
      throw new DeployError(
        `min-healthy asks for ${minHealthy} instances but the plan launches ${requested}`,
      );
    }
    if (plan.regions.some((r) => !r.instance.instanceProfile)) {
      throw new DeployError(
        "no instance profile: set input instance-profile (or the manifest's instance profile) to an IAM instance " +
          'profile whose role has the AmazonSSMManagedInstanceCore policy; without it the instances cannot take SSM commands',
      );
    }
    if (plan.steps.some((s) => s.kind === 'secrets') && !deps.sealer) {
      throw new DeployError('the plan delivers secrets but no secrets sealer is available');
    }
    const record: RunRecord = {
      runId: plan.identity.runId,
      deploymentId: plan.deploymentId,
      regions,
      keepFailed: opts.keepFailed,
    };
    deps.saveState(STATE.run, JSON.stringify(record));
    launchStarted = true;

    launch = await timed('launch', () =>
      log.group(
        `Launch ${requested} instance${requested === 1 ? '' : 's'} in ${regions.join(', ')}`,
        () =>
          launchAll(
            { clientsFor: deps.clientsFor, registry, log, ...(signal ? { signal } : {}) },
            plan,
          ),
      ),
    );
    for (const r of launch.regions) {
      if (r.onDemand > 0)
        log.warning(
          `${r.region}: spot capacity ran out; launched ${r.onDemand} on-demand (on-demand fallback)`,
        );
    }
    if (launch.instances.length < requested) {
      const lines = shortfallReport(launch);
      if (launch.instances.length < minHealthy || launch.instances.length === 0) {
        throw new DeployError(
          `not enough capacity: launched ${launch.instances.length} of ${requested}, ${minHealthy} needed\n${lines.join('\n')}` +
            (plan.regions.some((r) => !r.market.onDemandFallback)
              ? '\n(on-demand fallback is off)'
              : ''),
        );
      }
      for (const l of lines) log.warning(l);
    }
    fleet = new Fleet(launch.instances);
    const waitCtx = ctx;
    await timed('running', () =>
      log.group('Wait for instances to run', () =>
        waitRunning(waitCtx, fleet, opts.onlineTimeoutSeconds * 1000),
      ),
    );
    enough('waiting for running');
    await timed('ssm online', () =>
      log.group('Wait for SSM Online', () =>
        waitOnline(waitCtx, fleet, opts.onlineTimeoutSeconds * 1000),
      ),
    );
    enough('waiting for SSM Online');

    const dctx = {
      ...ctx,
      poll: commandPoll,
      deploymentId: plan.deploymentId,
      secrets: opts.secrets,
      ...(deps.sealer ? { sealer: deps.sealer } : {}),
    };
    await timed('deliver', async () => {
      outcomes = await deliverSteps(dctx, fleet, plan.steps, minHealthy);
    });
    enough('delivery');

    await timed('verify', () =>
      log.group('Verify services', () =>
        verify({ ...ctx, poll: commandPoll }, fleet, plan, opts.services ?? plan.services),
      ),
    );
    enough('verify');
  } catch (err) {
    failure = err;
    failedPhase = phase;
  }

  const cancelled = failure !== undefined && (isAbortError(failure) || signal?.aborted === true);
  // Instances that will not stay: all of them on failure, the failed ones on success.
  const doomed = failure !== undefined ? fleet.members : fleet.failed();
  const cleanup: string[] = [];
  if ((failure !== undefined && launchStarted) || doomed.length > 0) {
    if (opts.keepFailed) {
      const kept = failure !== undefined ? registry.snapshot() : byRegion(doomed);
      const ids = Object.values(kept).flat();
      if (ids.length > 0) {
        cleanup.push(
          `keep-failed: left ${ids.length} instance${ids.length === 1 ? '' : 's'} running for debugging: ${ids.join(', ')}; destroy them with command: destroy`,
        );
        log.warning(cleanup.at(-1) as string);
      }
    } else {
      await timed('cleanup', () =>
        log.group(
          failure !== undefined ? "Terminate this run's instances" : 'Terminate failed instances',
          async () => {
            cleanup.push(
              ...(await terminate(
                {
                  ...ctx,
                  registry,
                  cancelled,
                  timeoutSeconds: opts.terminateTimeoutSeconds ?? 600,
                },
                failure !== undefined
                  ? { everything: true, plan }
                  : { everything: false, members: doomed },
              )),
            );
          },
        ),
      );
    }
  }

  // What is left running.
  const live = fleet.members.filter((m) =>
    opts.keepFailed ? true : failure === undefined && !m.failure,
  );
  const cost =
    live.length > 0
      ? await estimateHourlyCost(
          deps.clientsFor,
          live.map((m) => ({
            region: m.region,
            type: m.instanceType,
            lifecycle: m.lifecycle,
            ...(m.zone ? { zone: m.zone } : {}),
          })),
          signal?.aborted ? undefined : signal,
        ).catch(
          (err: unknown) =>
            ({ priced: 0, notes: [`no cost estimate: ${describeAwsError(err)}`] }) as Awaited<
              ReturnType<typeof estimateHourlyCost>
            >,
        )
      : { priced: 0, notes: [] };
  const error =
    failure === undefined
      ? undefined
      : cancelled
        ? `cancelled during ${failedPhase}`
        : errorMessage(failure);
  const report: DeployReport = {
    deploymentId: plan.deploymentId,
    outcome: failure === undefined ? 'succeeded' : cancelled ? 'cancelled' : 'failed',
    ...(error !== undefined ? { reason: error.split('\n')[0] ?? error } : {}),
    requested,
    instances: fleet.members.map((m) =>
      toRecord(m, m.failure ? 'unhealthy' : failure === undefined ? 'healthy' : 'unknown'),
    ),
    steps: outcomes.map((o) => ({
      id: o.step.id,
      description: o.step.description,
      bytes: o.step.payloadBytes,
      instances: o.instances,
      failed: o.failed.length,
      ms: o.ms,
    })),
    phases,
    launch: launch
      ? launch.regions.map(
          (r) =>
            `${r.region}: ${r.instances.length}/${r.requested} — ${formatAttempts(r.attempts)}`,
        )
      : [],
    ...(cost.perHour !== undefined ? { costPerHour: cost.perHour } : {}),
    costNotes: cost.notes,
    cleanup,
  };
  const records = live.map((m) => {
    const { cause: _cause, ...r } = toRecord(m, m.failure ? 'unhealthy' : 'healthy');
    return r;
  });
  return {
    ok: failure === undefined,
    ...(error !== undefined ? { error } : {}),
    report,
    records,
    regions: [...new Set(live.map((m) => m.region))],
  };
}

function byRegion(members: readonly Member[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of members) (out[m.region] ??= []).push(m.id);
  return out;
}

/** Service states after delivery: an instance whose services are not all active drops out.
 * A service still activating gets two more looks, two seconds apart. */
async function verify(
  ctx: {
    clientsFor(region: string): { ssm: SSMClient };
    log: Log;
    clock: Clock;
    poll: BackoffOptions;
    signal?: AbortSignal;
  },
  fleet: Fleet,
  plan: Plan,
  services: readonly string[],
): Promise<void> {
  if (services.length === 0) {
    ctx.log.info('no services to verify');
    return;
  }
  await Promise.all(
    [...fleet.healthyByRegion()].map(async ([region, members]) => {
      let ids = members.map((m) => m.id);
      for (let attempt = 1; ids.length > 0; attempt++) {
        const health = await checkServices(
          {
            ssm: ctx.clientsFor(region).ssm,
            clock: ctx.clock,
            poll: ctx.poll,
            ...(ctx.signal ? { signal: ctx.signal } : {}),
          },
          ids,
          services,
          `spot-deployer verify ${plan.deploymentId}`,
        );
        const again: string[] = [];
        for (const [id, h] of health) {
          const transient = Object.values(h.services).some(
            (s) => s === 'activating' || s === 'reloading',
          );
          if (h.health === 'healthy')
            ctx.log.info(`${id} (${region}): ${services.map((s) => `${s} active`).join(', ')}`);
          else if (transient && attempt < 3) again.push(id);
          else {
            fleet.fail(id, 'verify', h.detail ?? 'services not healthy');
            ctx.log.warning(`${id} (${region}): ${h.detail ?? 'services not healthy'}`);
          }
        }
        ids = again;
        if (ids.length > 0) await ctx.clock.sleep(2000, ctx.signal);
      }
    }),
  );
}

/** Terminates either every instance of this run (failure) or the given failed members. */
async function terminate(
  ctx: {
    clientsFor(region: string): { ec2: EC2Client };
    log: Log;
    clock: Clock;
    poll: BackoffOptions;
    registry: InstanceRegistry;
    cancelled: boolean;
    timeoutSeconds: number;
  },
  what: { everything: true; plan: Plan } | { everything: false; members: readonly Member[] },
): Promise<string[]> {
  // The deploy's own signal may be aborted (cancellation): cleanup runs on a fresh one,
  // short enough to finish inside the runner's grace period when cancelled.
  const budgetMs = ctx.cancelled ? 6000 : (ctx.timeoutSeconds + 60) * 1000;
  const signal = AbortSignal.timeout(budgetMs);
  const waitMs = ctx.cancelled ? 4000 : ctx.timeoutSeconds * 1000;
  const base = {
    log: ctx.log,
    clock: ctx.clock,
    poll: ctx.poll,
    signal,
    timeoutMs: waitMs,
    clientsFor: ctx.clientsFor,
  };
  try {
    if (what.everything) {
      const known = ctx.registry.snapshot();
      const regions = [
        ...new Set([...what.plan.regions.map((r) => r.region), ...Object.keys(known)]),
      ];
      const res = await destroyTagged(
        base,
        regions,
        { deploymentId: what.plan.deploymentId, runId: what.plan.identity.runId },
        known,
      );
      for (const [region, ids] of Object.entries(known))
        ctx.registry.remove(
          region,
          ids.filter((id) => res.terminated.includes(id)),
        );
      const total = res.terminated.length + res.remaining.length;
      const plural = (n: number) => `${n} instance${n === 1 ? '' : 's'}`;
      const lines =
        res.remaining.length === 0
          ? [`terminated ${plural(total)} of this run`]
          : [
              `termination requested for ${plural(total)} of this run: ${res.terminated.length} terminated, ` +
                `still shutting down: ${res.remaining.map((r) => `${r.id} (${r.state})`).join(', ')}`,
            ];
      for (const l of lines) ctx.log.info(l);
      return lines;
    }
    const lines: string[] = [];
    for (const [region, ids] of Object.entries(byRegion(what.members))) {
      const tctx = { ec2: ctx.clientsFor(region).ec2, clock: ctx.clock, poll: ctx.poll, signal };
      await requestTermination(tctx, ids);
      const res = await waitTerminated(tctx, ids, waitMs);
      ctx.registry.remove(region, res.terminated);
      lines.push(
        `${region}: terminated failed instance${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`,
      );
      if (res.remaining.length > 0)
        lines.push(`${region}: still shutting down: ${res.remaining.map((r) => r.id).join(', ')}`);
    }
    for (const l of lines) ctx.log.info(l);
    return lines;
  } catch (err) {
    const line = `could not terminate every instance (${errorMessage(err)}); the post step will try again`;
    ctx.log.warning(line);
    return [line];
  }
}

/** The action's deploy: manifest → plan → executeDeploy → outputs, summary, state. */
export async function deployCommand(
  inputs: Inputs,
  reporter: Reporter,
  opts: { signal?: AbortSignal; log?: Log } = {},
): Promise<DeployOutcome & { plan: Plan }> {
  const core = await import('@actions/core');
  const log = opts.log ?? coreLog;
  const deployment = applyInputOverrides(await loadOrThrow(inputs.path, reporter), inputs);
  const plan = await buildPlan(deployment, {
    deploymentId: await resolveDeploymentId(inputs.deploymentId, process.env),
    identity: resolveIdentity(process.env),
    secretNames: Object.keys(inputs.secrets).sort(),
  });
  log.info(
    `deployment ${plan.deploymentId}, run ${plan.identity.runId}, manifest ${plan.manifestDigest.slice(0, 12)}: ` +
      `${plan.regions.map((r) => `${r.count} in ${r.region}`).join(', ')}; ${plan.steps.length} remote steps`,
  );
  core.setOutput('deployment-id', plan.deploymentId);
  core.setOutput('manifest-digest', plan.manifestDigest);
  const clients = new Clients();
  const registry = new InstanceRegistry((snapshot) =>
    core.saveState(STATE.launched, JSON.stringify(snapshot)),
  );
  try {
    const outcome = await executeDeploy(
      plan,
      {
        minHealthy: inputs.minHealthy,
        keepFailed: inputs.keepFailed,
        onlineTimeoutSeconds: inputs.onlineTimeoutSeconds,
        secrets: inputs.secrets,
        services: deployment.services.filter((sv) => sv.start).map((sv) => sv.name),
      },
      {
        clientsFor: (region) => clients.for(region),
        log,
        registry,
        saveState: (name, value) => core.saveState(name, value),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(plan.steps.some((s) => s.kind === 'secrets') ? { sealer: await loadSealer() } : {}),
      },
    );
    setInstanceOutputs(plan.deploymentId, outcome.records, outcome.regions);
    await writeSummary(renderDeploySummary(outcome.report));
    if (!outcome.ok)
      throw new DeployError(
        `deploy ${outcome.report.outcome}: ${outcome.error ?? 'unknown error'}`,
      );
    core.saveState(STATE.result, 'success');
    const saved = await saveRecord({
      version: 1,
      deploymentId: plan.deploymentId,
      instances: outcome.records.map((r) => ({ id: r.id, region: r.region })),
      regions: plan.regions.map((r) => r.region),
      manifestDigest: plan.manifestDigest,
      savedAt: new Date().toISOString(),
      runId: plan.identity.runId,
    });
    if (saved.warning)
      (process.env.GITHUB_ACTIONS === 'true' ? log.warning : log.info)(saved.warning);
    log.info(
      `deployed ${outcome.records.length} instance${outcome.records.length === 1 ? '' : 's'}: ${outcome.records.map((r) => r.id).join(', ')}`,
    );
    return { ...outcome, plan };
  } finally {
    clients.close();
  }
}

/** The secrets sealing of src/plan/secrets.ts, loaded only when a plan delivers secrets. */
async function loadSealer(): Promise<SecretsSealer> {
  const s = await import('../plan/secrets.ts');
  return {
    keyScript: s.secretsKeyScript,
    seal: s.sealSecrets,
    installScript: s.secretsInstallScript,
  };
}

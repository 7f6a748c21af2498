// command: deploy — plan, launch, wait, deliver, verify, report. Any failure after launch
// ends with either a healthy, reported deployment or no instance of this run: the failure
// path terminates the run's instances (unless keep-failed), and the post step checks again.

import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { Clients } from '../aws/clients.ts';
import * as core from '../runner.ts';
import { DeployError, describeAwsError, isAbortError } from '../aws/errors.ts';
import {
  byRegion,
  COMMAND_POLL,
  POLL,
  realClock,
  type BackoffOptions,
  type Clock,
} from '../aws/poll.ts';
import { deliverSteps, type SecretsSealer, type StepOutcome } from '../deliver/deliver.ts';
import { Fleet, minHealthyCount, type Member } from '../deliver/fleet.ts';
import { onlineIds, waitOnline, waitRunning } from '../deliver/wait.ts';
import { destroyTagged, terminateInstances } from '../destroy/destroy.ts';
import type { FoundInstance } from '../destroy/find.ts';
import { errorMessage } from '../diagnostics.ts';
import { previewInstances, updatePreview, type PreviewContent } from '../github/preview.ts';
import { regionsToSearch, restoreRecord, saveRecord } from '../github/record.ts';
import { endedRuns } from '../github/runs.ts';
import { resolveDeploymentId, resolveIdentity } from '../identity.ts';
import { applyInputOverrides, type Inputs, type MinHealthy, type Strategy } from '../inputs.ts';
import {
  formatAttempts,
  launchAll,
  shortfallReport,
  type LaunchedInstance,
  type LaunchResult,
} from '../launch/launch.ts';
import {
  busyMessage,
  holders,
  LOCK_WINDOW_MS,
  others,
  PHASE,
  UPDATING_PREFIX,
} from '../launch/concurrency.ts';
import { asLaunched, differences, survey, updateCaveats } from '../launch/existing.ts';
import { InstanceRegistry } from '../launch/registry.ts';
import {
  concurrencyCheck,
  previousSet,
  retire,
  tagInstances,
  untagInstances,
  updatedTags,
  type StrategyContext,
} from '../launch/strategy.ts';
import { STATE, type RunRecord } from '../launch/state.ts';
import { buildPlan } from '../plan/plan.ts';
import { TAG, type Plan } from '../plan/types.ts';
import { estimateHourlyCost } from '../report/cost.ts';
import { coreLog, type Log } from '../report/log.ts';
import { instanceRecord, setInstanceOutputs, type InstanceRecord } from '../report/outputs.ts';
import {
  instanceTable,
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
  /** Called at the points where a concurrent run of the same deployment is checked for; a
   * hook that throws fails the deploy the way any phase does (this run's instances are
   * terminated, an in-place update leaves the instances as they are). */
  hooks?: DeployHooks;
}

export interface DeployHooks {
  /** Right after the launch (or, in place, before anything else). */
  afterLaunch?(fleet: Fleet): Promise<void>;
  /** Once the instances are Online, before the first command. */
  beforeDeliver?(fleet: Fleet): Promise<void>;
  /** The deploy succeeded: these members stay (e.g. tag them ready). Inside the deploy, so a
   * failure here fails it. */
  onHealthy?(members: readonly Member[]): Promise<void>;
  /** A failed deploy keeps these instances for debugging (keep-failed). Best effort. */
  onKept?(ids: Record<string, string[]>): Promise<void>;
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
  /** Deliver to these existing instances instead of launching (strategy update). Nothing is
   * launched and nothing is ever terminated: a failure leaves them as they are. */
  inPlace?: readonly LaunchedInstance[];
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
    ...instanceRecord(m, health),
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
  const inPlace = opts.inPlace;
  const regions = inPlace
    ? [...new Set(inPlace.map((i) => i.region))]
    : plan.regions.map((r) => r.region);
  const requested = inPlace ? inPlace.length : plan.regions.reduce((n, r) => n + r.count, 0);
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
    if (!inPlace && plan.regions.some((r) => !r.instance.instanceProfile)) {
      throw new DeployError(
        "no instance profile: set input instance-profile (or the manifest's instance profile) to an IAM instance " +
          'profile whose role has the AmazonSSMManagedInstanceCore policy; without it the instances cannot take SSM commands',
      );
    }
    if (plan.steps.some((s) => s.kind === 'secrets') && !deps.sealer) {
      throw new DeployError('the plan delivers secrets but no secrets sealer is available');
    }
    if (inPlace) {
      // Nothing of this run to clean up afterwards: the post step is not told about a run.
      fleet = new Fleet(inPlace);
    } else {
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
    }
    const hooks = deps.hooks ?? {};
    if (hooks.afterLaunch) {
      const hook = hooks.afterLaunch;
      await timed('concurrency check', () => hook(fleet));
    }
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
    if (hooks.beforeDeliver) {
      const hook = hooks.beforeDeliver;
      await timed('concurrency check', () => hook(fleet));
    }

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
        verify(
          { ...ctx, poll: commandPoll },
          fleet,
          plan,
          opts.services ?? plan.services,
          outcomes,
        ),
      ),
    );
    enough('verify');
    if (hooks.onHealthy) {
      const hook = hooks.onHealthy;
      await timed('tag', () => hook(fleet.healthy()));
    }
  } catch (err) {
    failure = err;
    failedPhase = phase;
  }

  const cancelled = failure !== undefined && (isAbortError(failure) || signal?.aborted === true);
  // Instances that will not stay: all of them on failure, the failed ones on success.
  const doomed = failure !== undefined ? fleet.members : fleet.failed();
  const cleanup: string[] = [];
  if (inPlace) {
    // An update never terminates: the instances were serving before it started.
    if (doomed.length > 0) {
      cleanup.push(
        `update in place: nothing was terminated; ${doomed.length} instance${doomed.length === 1 ? '' : 's'} ` +
          `did not take the update (${doomed.map((m) => m.id).join(', ')}); the next deploy delivers again`,
      );
      log.warning(cleanup.at(-1) as string);
    }
  } else if ((failure !== undefined && launchStarted) || doomed.length > 0) {
    if (opts.keepFailed) {
      const kept =
        failure !== undefined ? registry.snapshot() : Object.fromEntries(byRegion(doomed));
      const ids = Object.values(kept).flat();
      if (ids.length > 0) {
        cleanup.push(
          `keep-failed: left ${ids.length} instance${ids.length === 1 ? '' : 's'} running for debugging: ${ids.join(', ')}; destroy them with command: destroy`,
        );
        log.warning(cleanup.at(-1) as string);
        if (deps.hooks?.onKept) {
          await deps.hooks
            .onKept(kept)
            .catch((err: unknown) =>
              log.warning(`could not tag the kept instances: ${describeAwsError(err)}`),
            );
        }
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
                  fleet,
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
    inPlace || opts.keepFailed ? true : failure === undefined && !m.failure,
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
    const health = m.failure
      ? 'unhealthy'
      : inPlace && failure !== undefined
        ? 'unknown'
        : 'healthy';
    const { cause: _cause, ...r } = toRecord(m, health);
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

/** Service states after delivery: an instance whose services are not all active drops out.
 * When the plan's services step ran and checked every service, its success on an instance is
 * the verification (it proved each unit active and settled, moments ago), so no command is sent.
 * Otherwise one check per region: a service still activating gets two more looks, two
 * seconds apart. */
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
  outcomes: readonly StepOutcome[],
): Promise<void> {
  if (services.length === 0) {
    ctx.log.info('no services to verify');
    return;
  }
  const health = outcomes.find((o) => o.step.services !== undefined)?.step;
  if (health?.services && services.every((s) => health.services?.includes(s))) {
    for (const m of fleet.healthy()) {
      ctx.log.info(
        `${m.id} (${m.region}): ${services.map((s) => `${s} active`).join(', ')} (step ${health.id})`,
      );
    }
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

/** The states a termination saw, so the report does not call a terminated instance running. */
function markStates(
  fleet: Fleet,
  res: { terminated: readonly string[]; remaining: ReadonlyArray<{ id: string; state: string }> },
): void {
  for (const id of res.terminated) {
    const m = fleet.get(id);
    if (m) m.state = 'terminated';
  }
  for (const r of res.remaining) {
    const m = fleet.get(r.id);
    if (m) m.state = r.state;
  }
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
    /** Its members' states are set to what the termination saw (for the report). */
    fleet: Fleet;
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
      markStates(ctx.fleet, res);
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
    const res = await terminateInstances(base, what.members);
    markStates(ctx.fleet, res);
    const lines: string[] = [];
    for (const [region, ids] of byRegion(what.members)) {
      ctx.registry.remove(
        region,
        ids.filter((id) => res.terminated.includes(id)),
      );
      lines.push(
        `${region}: terminated failed instance${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`,
      );
      const left = res.remaining.filter((r) => r.region === region);
      if (left.length > 0)
        lines.push(`${region}: still shutting down: ${left.map((r) => r.id).join(', ')}`);
    }
    for (const l of lines) ctx.log.info(l);
    return lines;
  } catch (err) {
    const line = `could not terminate every instance (${errorMessage(err)}); the post step will try again`;
    ctx.log.warning(line);
    return [line];
  }
}

export interface DeployCommandResult extends DeployOutcome {
  plan: Plan;
  /** false when the deployment already ran the plan and nothing was done. */
  changed: boolean;
  strategy: Strategy;
}

/** How long a redeploy waits for the previous set to terminate. */
const RETIRE_TIMEOUT_MS = 600_000;

/**
 * The action's deploy: manifest → plan → what runs now (by tags) → nothing to do, or the
 * strategy (replace, update, recreate) around executeDeploy → outputs, summary, record,
 * preview comment.
 */
export async function deployCommand(
  inputs: Inputs,
  reporter: Reporter,
  opts: { signal?: AbortSignal; log?: Log } = {},
): Promise<DeployCommandResult> {
  const log = opts.log ?? coreLog;
  const signal = opts.signal;
  const deployment = applyInputOverrides(
    await loadOrThrow(inputs.path, reporter, inputs.regions),
    inputs,
  );
  const plan = await buildPlan(deployment, {
    deploymentId: await resolveDeploymentId(inputs.deploymentId, process.env),
    identity: resolveIdentity(process.env),
    secretNames: Object.keys(inputs.secrets).sort(),
  });
  const id = plan.deploymentId;
  const runId = plan.identity.runId;
  log.info(
    `deployment ${id}, run ${runId}, manifest ${plan.manifestDigest.slice(0, 12)}: ` +
      `${plan.regions.map((r) => `${r.count} in ${r.region}`).join(', ')}; ${plan.steps.length} remote steps; strategy ${inputs.strategy}`,
  );
  core.setOutput('deployment-id', id);
  core.setOutput('manifest-digest', plan.manifestDigest);
  if (inputs.githubToken) core.setSecret(inputs.githubToken);
  const mask = Object.values(inputs.secrets).filter((v) => v !== '');
  const preview = (content: PreviewContent) =>
    updatePreview(inputs.githubToken, content, log, { mask });
  const clients = new Clients();
  const clientsFor = (region: string) => clients.for(region);
  try {
    // Where the deployment runs now: the plan's regions, the `regions` input and the last
    // record's. The record (a cache download) is fetched while the plan's regions are
    // searched; a region only the record names is searched after.
    const planRegions = regionsToSearch([...plan.regions.map((r) => r.region), ...inputs.regions]);
    const [restored, inPlanRegions] = await Promise.all([
      restoreRecord(id),
      survey(clientsFor, planRegions, id, signal),
    ]);
    const regions = regionsToSearch(planRegions, restored.record);
    const more = regions.filter((r) => !planRegions.includes(r));
    const sctx: StrategyContext = {
      clientsFor,
      log,
      clock: realClock,
      poll: POLL,
      ...(signal ? { signal } : {}),
      regions,
      deploymentId: id,
      runId,
      serverUrl: process.env.GITHUB_SERVER_URL || 'https://github.com',
    };
    const found = await log.group(`Look for ${id} in ${regions.join(', ')}`, async () => {
      if (restored.warning) log.info(restored.warning);
      const f =
        more.length === 0
          ? inPlanRegions
          : [...inPlanRegions, ...(await survey(clientsFor, more, id, signal))];
      log.info(
        f.length === 0
          ? 'no live instance: a first deploy'
          : `${f.length} live instance${f.length === 1 ? '' : 's'}: ${f.map((i) => `${i.id} (${i.region}, ${i.state}, ${i.tags[TAG.phase] ?? 'ready'}, manifest ${(i.tags[TAG.digest] ?? '').slice(0, 12)})`).join(', ')}`,
      );
      return f;
    });

    // Another run at work on this deployment: stop before changing anything. A run GitHub
    // says has ended (it stopped without clearing its marks) does not count.
    let rivals = others(holders(found, realClock.now()), runId);
    if (rivals.length > 0 && inputs.githubToken) {
      const { ended, notes } = await endedRuns(inputs.githubToken, rivals);
      for (const n of notes) log.info(n);
      for (const h of rivals.filter((r) => ended.has(r.runId))) {
        log.info(
          `run ${h.runId} has ended without clearing its marks on ${h.instances.map((i) => i.id).join(', ')}; they no longer count`,
        );
      }
      sctx.endedRuns = ended;
      rivals = rivals.filter((r) => !ended.has(r.runId));
    }
    if (rivals.length > 0) {
      const message = busyMessage(id, rivals, sctx.serverUrl);
      await writeSummary(`## Spot deploy \`${id}\`: not started\n\n${message}\n`);
      throw new DeployError(message);
    }

    // Nothing changed: the instances run this plan and are Online.
    if (!inputs.force) {
      const why = differences(found, plan) ?? (await offline(clientsFor, found, signal));
      if (why === undefined) return await unchanged(plan, found, inputs.strategy, log, preview);
      log.info(`deploying: ${why}`);
    } else {
      log.info('force: deploying whether or not anything changed');
    }

    const live = found.filter((f) => f.state === 'running' || f.state === 'pending');
    const inPlace = inputs.strategy === 'update' && live.length > 0;
    // An update with nothing to update launches a new set, as replace does.
    const strategy: Strategy =
      inputs.strategy === 'update' && !inPlace ? 'replace' : inputs.strategy;
    if (strategy !== inputs.strategy) {
      log.info('update: the deployment has no running instance to update; launching a new set');
    }
    const notes: string[] = [];
    if (strategy === 'recreate' && found.length > 0) {
      notes.push(
        await log.group('Terminate the previous instances (strategy recreate)', () =>
          retire(sctx, found, 'recreate', RETIRE_TIMEOUT_MS),
        ),
      );
    }

    const registry = new InstanceRegistry((snapshot) =>
      core.saveState(STATE.launched, JSON.stringify(snapshot)),
    );
    const check = concurrencyCheck(sctx);
    const deployOpts: DeployOptions = {
      minHealthy: inputs.minHealthy,
      keepFailed: inputs.keepFailed,
      onlineTimeoutSeconds: inputs.onlineTimeoutSeconds,
      secrets: inputs.secrets,
      services: deployment.services.filter((sv) => sv.start).map((sv) => sv.name),
    };
    const deps: DeployDeps = {
      clientsFor,
      log,
      registry,
      saveState: (name, value) => core.saveState(name, value),
      ...(signal ? { signal } : {}),
      ...(plan.steps.some((s) => s.kind === 'secrets')
        ? { sealer: await loadSealer(inputs.secrets) }
        : {}),
    };

    let outcome: DeployOutcome;
    if (inPlace) {
      for (const c of updateCaveats(live, plan)) {
        log.warning(
          `update: ${c}; an update delivers to the existing instances as they are (strategy replace or recreate applies it)`,
        );
      }
      // Mark the instances as being updated by this run, then check nobody else is at it.
      const mark = `${UPDATING_PREFIX}${runId}`;
      await tagInstances(sctx, live, { [mark]: new Date(realClock.now()).toISOString() });
      try {
        outcome = await executeDeploy(
          plan,
          { ...deployOpts, inPlace: live.map(asLaunched) },
          {
            ...deps,
            hooks: {
              afterLaunch: check,
              beforeDeliver: check,
              onHealthy: (members) => tagInstances(sctx, members, updatedTags(plan)),
            },
          },
        );
      } finally {
        // On its own short deadline: the deploy's signal may be aborted (cancellation).
        await untagInstances({ clientsFor, signal: AbortSignal.timeout(10_000) }, live, [
          mark,
        ]).catch((err: unknown) =>
          log.warning(
            `could not remove the tag ${mark} from ${live.map((l) => l.id).join(', ')}: ${describeAwsError(err)}; ` +
              `other deploys of ${id} wait for it until ${new Date(realClock.now() + LOCK_WINDOW_MS).toISOString()}`,
          ),
        );
      }
    } else {
      outcome = await executeDeploy(plan, deployOpts, {
        ...deps,
        hooks: {
          afterLaunch: check,
          beforeDeliver: check,
          onHealthy: (members) => tagInstances(sctx, members, { [TAG.phase]: PHASE.ready }),
          onKept: (kept) =>
            tagInstances(
              sctx,
              Object.entries(kept).flatMap(([region, ids]) => ids.map((i) => ({ id: i, region }))),
              { [TAG.phase]: PHASE.failed },
            ),
        },
      });
    }
    setInstanceOutputs(id, outcome.records, outcome.regions);
    core.setOutput('changed', 'true');

    let retireError: string | undefined;
    if (outcome.ok) {
      // From here on the post step leaves this run's instances alone.
      core.saveState(STATE.result, 'success');
      if (strategy === 'replace' && found.length > 0) {
        try {
          notes.push(
            await log.group('Terminate the previous instances (strategy replace)', async () =>
              retire(sctx, await previousSet(sctx), 'replace', RETIRE_TIMEOUT_MS),
            ),
          );
        } catch (err) {
          retireError = `the new instances are healthy and serving, but ${errorMessage(err)}`;
          notes.push(retireError);
        }
      }
      const saved = await saveRecord({
        version: 1,
        deploymentId: id,
        instances: outcome.records.map((r) => ({ id: r.id, region: r.region })),
        regions: [...new Set([...plan.regions.map((r) => r.region), ...outcome.regions])],
        manifestDigest: plan.manifestDigest,
        savedAt: new Date().toISOString(),
        runId,
      });
      if (saved.warning)
        (process.env.GITHUB_ACTIONS === 'true' ? log.warning : log.info)(saved.warning);
    } else if (found.length > 0 && !inPlace && strategy === 'replace') {
      notes.push(
        `replace: the previous ${found.length} instance${found.length === 1 ? '' : 's'} keep serving`,
      );
    }
    outcome.report.cleanup.push(...notes);
    await writeSummary(renderDeploySummary(outcome.report));
    await preview(
      outcome.ok
        ? {
            status: 'deployed',
            deploymentId: id,
            instances: previewInstances(outcome.records),
            sha: plan.identity.sha,
            manifestDigest: plan.manifestDigest,
          }
        : {
            status: 'failed',
            deploymentId: id,
            reason: outcome.error?.split('\n')[0] ?? 'unknown error',
            // What serves now: the previous set (replace, update) or nothing (recreate).
            instances: previewInstances(
              inPlace
                ? outcome.records
                : strategy === 'recreate'
                  ? []
                  : found.map((f) => instanceRecord(f, 'unknown')),
            ),
            sha: plan.identity.sha,
          },
    );
    if (!outcome.ok)
      throw new DeployError(
        `deploy ${outcome.report.outcome}: ${outcome.error ?? 'unknown error'}`,
      );
    if (retireError) throw new DeployError(retireError);
    log.info(
      `deployed ${outcome.records.length} instance${outcome.records.length === 1 ? '' : 's'}` +
        `${inPlace ? ' (updated in place)' : ''}: ${outcome.records.map((r) => r.id).join(', ')}`,
    );
    return { ...outcome, plan, changed: true, strategy };
  } finally {
    clients.close();
  }
}

/** The first instance not Online in SSM, as a reason to deploy; undefined when all are. */
async function offline(
  clientsFor: (region: string) => { ssm: SSMClient },
  found: readonly FoundInstance[],
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const missing = await Promise.all(
    [...byRegion(found)].map(async ([region, ids]) => {
      const online = await onlineIds(clientsFor(region).ssm, ids, signal);
      return ids.filter((i) => !online.has(i));
    }),
  );
  const first = missing.find((m) => m.length > 0);
  return first ? `not Online in SSM: ${first.join(', ')}` : undefined;
}

/** Nothing to do: say so, and still give the outputs, the summary and the comment. */
async function unchanged(
  plan: Plan,
  found: readonly FoundInstance[],
  strategy: Strategy,
  log: Log,
  preview: (c: PreviewContent) => Promise<unknown>,
): Promise<DeployCommandResult> {
  // Healthy as far as this run can tell without a command: the deploy that launched (or
  // updated) them found them healthy and tagged them ready, and SSM has them Online now.
  const records = found.map((f) => instanceRecord(f, 'healthy'));
  const regions = [...new Set(records.map((r) => r.region))];
  setInstanceOutputs(plan.deploymentId, records, regions);
  core.setOutput('changed', 'false');
  const line =
    `nothing to deploy: the ${records.length} instance${records.length === 1 ? '' : 's'} of ${plan.deploymentId} ` +
    `already run manifest ${plan.manifestDigest.slice(0, 12)} and are Online in SSM; ` +
    'set force: true to deploy anyway (e.g. after rotating a secret)';
  log.info(line);
  await writeSummary(
    [
      `## Spot deploy \`${plan.deploymentId}\`: unchanged`,
      '',
      line[0]?.toUpperCase() + line.slice(1) + '.',
      '',
      instanceTable(records),
      '',
    ].join('\n'),
  );
  await preview({
    status: 'deployed',
    deploymentId: plan.deploymentId,
    instances: previewInstances(records),
    sha: plan.identity.sha,
    manifestDigest: plan.manifestDigest,
  });
  return {
    ok: true,
    plan,
    changed: false,
    strategy,
    records,
    regions,
    report: {
      deploymentId: plan.deploymentId,
      outcome: 'succeeded',
      requested: records.length,
      instances: records,
      steps: [],
      phases: [],
      launch: [],
      costNotes: [],
      cleanup: [line],
    },
  };
}

/** The secrets sealing of src/plan/secrets.ts, loaded only when a plan delivers secrets;
 * secrets too large to deliver fail here, before anything is launched. */
async function loadSealer(secrets: Record<string, string>): Promise<SecretsSealer> {
  const s = await import('../plan/secrets.ts');
  try {
    s.assertSecretsFit(secrets);
  } catch (err) {
    throw new DeployError(`input 'secrets': ${errorMessage(err)}; nothing was launched`);
  }
  return {
    keyScript: s.secretsKeyScript,
    seal: s.sealForInstances,
  };
}

// The deploy of one plan, launch to healthy: a list of named phases, each a function that
// takes what the previous ones produced (the progress) and returns it, grown. The first
// phase that throws ends the run; the cleanup is then decided from the outcome alone
// (cleanup.ts) and the report built from it (outcome.ts). Any failure after the launch ends
// with either a healthy, reported deployment or no instance of this run (unless keep-failed;
// the post step checks again).

import { DeployError } from '../aws/errors.ts';
import { COMMAND_POLL, POLL, realClock } from '../aws/poll.ts';
import { deliverSteps } from '../deliver/deliver.ts';
import { Fleet, minHealthyCount, type Member } from '../deliver/fleet.ts';
import { waitOnline, waitRunning } from '../deliver/wait.ts';
import { launchAll, shortfallCause, shortfallReport, type LaunchResult } from '../launch/launch.ts';
import { STATE, type RunRecord } from '../launch/state.ts';
import type { ProgressInstance } from '../host.ts';
import type { Plan } from '../plan/types.ts';
import type { Phase } from '../report/summary.ts';
import { verifyFleet } from '../verify/fleet.ts';
import { applyCleanup, decideCleanup, isCancelled, isTimedOut } from './cleanup.ts';
import { buildOutcome, priceLive } from './outcome.ts';
import type {
  DeployDeps,
  DeployHooks,
  DeployOptions,
  DeployOutcome,
  PhasesResult,
  Progress,
  Run,
  Step,
} from './types.ts';

export type { DeployDeps, DeployHooks, DeployOptions, DeployOutcome } from './types.ts';

export async function executeDeploy(
  plan: Plan,
  opts: DeployOptions,
  deps: DeployDeps,
): Promise<DeployOutcome> {
  const run = resolveRun(plan, opts, deps);
  const result = await runPhases(run, PHASES);
  const decision = decideCleanup({
    failed: result.failure !== undefined,
    inPlace: opts.inPlace !== undefined,
    keepFailed: opts.keepFailed,
    launchStarted: result.progress.launchStarted,
    failedInstances: result.progress.fleet.failed().length,
  });
  const show = deps.progress;
  if (decision !== 'none')
    show?.({ kind: 'phase', name: `cleanup: ${decision}`, state: 'running' });
  const cancelled = isCancelled(run, result);
  const cleanup = await applyCleanup(run, decision, result, cancelled);
  if (decision !== 'none') show?.({ kind: 'phase', name: `cleanup: ${decision}`, state: 'done' });
  const cost = await priceLive(deps.clientsFor, cleanup.live, deps.signal);
  return buildOutcome({ run, result, cleanup, cost, cancelled, timedOut: isTimedOut(run, result) });
}

export function resolveRun(plan: Plan, opts: DeployOptions, deps: DeployDeps): Run {
  const inPlace = opts.inPlace;
  const requested = inPlace ? inPlace.length : plan.regions.reduce((n, r) => n + r.count, 0);
  return {
    plan,
    opts,
    deps,
    clock: deps.clock ?? realClock,
    poll: deps.poll ?? POLL,
    commandPoll: deps.commandPoll ?? deps.poll ?? COMMAND_POLL,
    requested,
    minHealthy: minHealthyCount(opts.minHealthy, requested),
    regions: inPlace
      ? [...new Set(inPlace.map((i) => i.region))]
      : plan.regions.map((r) => r.region),
  };
}

/** Runs the steps in order; the first that throws ends the run, named. */
export async function runPhases(run: Run, steps: readonly Step[]): Promise<PhasesResult> {
  const timings: Phase[] = [];
  let progress: Progress = { fleet: new Fleet([]), outcomes: [], launchStarted: false };
  for (const step of steps) {
    if (step.when && !step.when(run)) continue;
    const t0 = run.clock.now();
    const show = run.deps.progress;
    if (step.timed) show?.({ kind: 'phase', name: step.name, state: 'running' });
    let failure: PhasesResult['failure'];
    try {
      progress = await step.run(run, progress);
    } catch (error) {
      failure = { error, phase: step.name };
    }
    if (step.timed) timings.push({ name: step.name, ms: run.clock.now() - t0 });
    if (failure || step.timed) {
      show?.({ kind: 'phase', name: step.name, state: failure ? 'failed' : 'done' });
      show?.({ kind: 'instances', instances: fleetView(progress.fleet, step.name === 'verify') });
    }
    if (failure) return { progress, timings, failure };
  }
  return { progress, timings };
}

/** The fleet as the host's progress shows it: healthy once verified, else unknown until an
 * instance drops out (then the phase it failed in). */
function fleetView(fleet: Fleet, verified: boolean): ProgressInstance[] {
  return fleet.members.map((m) => ({
    id: m.id,
    region: m.region,
    zone: m.zone ?? '',
    type: m.instanceType,
    lifecycle: m.lifecycle,
    state: m.state,
    health: m.failure ? `failed: ${m.failure.phase}` : verified ? 'healthy' : 'unknown',
  }));
}

/** Enough instances healthy to go on, or the deploy fails naming those that dropped out.
 * A step of its own after the phase it judges (same name), so that what that phase
 * produced stays in the progress for the report. */
const enough =
  (what: string) =>
  async (run: Run, p: Progress): Promise<Progress> => {
    const healthy = p.fleet.healthy().length;
    if (healthy >= run.minHealthy && healthy > 0) return p;
    const n = run.requested;
    throw new DeployError(
      `${what}: ${healthy} of ${n} instance${n === 1 ? '' : 's'} healthy, ` +
        `${run.minHealthy} needed (min-healthy):\n${failureList(p.fleet.failed())}`,
    );
  };

function failureList(members: readonly Member[], limit = 10): string {
  const lines = members
    .slice(0, limit)
    .map(
      (m) => `  ${m.id} (${m.region}, ${m.instanceType}): ${m.failure?.phase}: ${m.failure?.cause}`,
    );
  if (members.length > limit) lines.push(`  … and ${members.length - limit} more`);
  return lines.join('\n');
}

/** Checks before anything is launched; then the fleet to work on (in place) or the run
 * record saved for the post step (a launch is about to start). */
async function preflight(run: Run, p: Progress): Promise<Progress> {
  const { plan, opts, deps } = run;
  if (run.minHealthy > run.requested) {
    throw new DeployError(
      `min-healthy asks for ${run.minHealthy} instances but the plan launches ${run.requested}`,
    );
  }
  if (!opts.inPlace && plan.regions.some((r) => !r.instance.instanceProfile)) {
    throw new DeployError(
      "no instance profile: set input instance-profile (or the manifest's instance profile) to an IAM instance " +
        'profile whose role has the AmazonSSMManagedInstanceCore policy; without it the instances cannot take SSM commands',
    );
  }
  if (plan.steps.some((s) => s.kind === 'secrets') && !deps.sealer) {
    throw new DeployError('the plan delivers secrets but no secrets sealer is available');
  }
  // In place: nothing of this run to clean up afterwards; the post step is not told about a run.
  if (opts.inPlace) return { ...p, fleet: new Fleet(opts.inPlace) };
  const record: RunRecord = {
    runId: plan.identity.runId,
    deploymentId: plan.deploymentId,
    regions: run.regions,
    keepFailed: opts.keepFailed,
  };
  deps.saveState(STATE.run, JSON.stringify(record));
  return { ...p, launchStarted: true };
}

async function launch(run: Run, p: Progress): Promise<Progress> {
  const { deps, plan, requested } = run;
  const result = await deps.log.group(
    `Launch ${requested} instance${requested === 1 ? '' : 's'} in ${run.regions.join(', ')}`,
    () =>
      launchAll(
        {
          clientsFor: deps.clientsFor,
          registry: deps.registry,
          log: deps.log,
          ...(deps.signal ? { signal: deps.signal } : {}),
        },
        plan,
      ),
  );
  return { ...p, launch: result };
}

/** Spot ran out, or fewer instances than planned: a warning, or a failure below min-healthy. */
async function capacity(run: Run, p: Progress): Promise<Progress> {
  const result = p.launch as LaunchResult;
  const { log } = run.deps;
  for (const r of result.regions) {
    if (r.onDemand > 0)
      log.warning(
        `${r.region}: spot capacity ran out; launched ${r.onDemand} on-demand (on-demand fallback)`,
      );
  }
  const n = result.instances.length;
  if (n < run.requested) {
    const lines = shortfallReport(result);
    if (n < run.minHealthy || n === 0) {
      throw new DeployError(
        `${shortfallCause(result)}: launched ${n} of ${run.requested}, ${run.minHealthy} needed\n${lines.join('\n')}` +
          (run.plan.regions.some((r) => !r.market.onDemandFallback)
            ? '\n(on-demand fallback is off)'
            : ''),
      );
    }
    for (const l of lines) log.warning(l);
  }
  return { ...p, fleet: new Fleet(result.instances) };
}

const waitContext = (run: Run) => ({
  clientsFor: run.deps.clientsFor,
  log: run.deps.log,
  clock: run.clock,
  poll: run.poll,
  ...(run.deps.signal ? { signal: run.deps.signal } : {}),
});

async function running(run: Run, p: Progress): Promise<Progress> {
  await run.deps.log.group('Wait for instances to run', () =>
    waitRunning(waitContext(run), p.fleet, run.opts.onlineTimeoutSeconds * 1000),
  );
  return p;
}

async function online(run: Run, p: Progress): Promise<Progress> {
  await run.deps.log.group('Wait for SSM Online', () =>
    waitOnline(waitContext(run), p.fleet, run.opts.onlineTimeoutSeconds * 1000),
  );
  return p;
}

async function deliver(run: Run, p: Progress): Promise<Progress> {
  const { deps, plan } = run;
  const outcomes = await deliverSteps(
    {
      ...waitContext(run),
      poll: run.commandPoll,
      deploymentId: plan.deploymentId,
      secrets: run.opts.secrets,
      ...(deps.sealer ? { sealer: deps.sealer } : {}),
    },
    p.fleet,
    plan.steps,
    run.minHealthy,
  );
  return { ...p, outcomes };
}

async function verify(run: Run, p: Progress): Promise<Progress> {
  await run.deps.log.group('Verify services', () =>
    verifyFleet(
      { ...waitContext(run), poll: run.commandPoll },
      p.fleet,
      run.plan.deploymentId,
      run.opts.services ?? run.plan.services,
      p.outcomes,
    ),
  );
  return p;
}

const hook =
  (name: 'afterLaunch' | 'beforeDeliver') =>
  async (run: Run, p: Progress): Promise<Progress> => {
    await run.deps.hooks?.[name]?.(p.fleet);
    return p;
  };

const hasHook = (name: keyof DeployHooks) => (run: Run) => run.deps.hooks?.[name] !== undefined;

/** The deploy, phase by phase (the names are those of the report and of "cancelled during"). */
export const PHASES: readonly Step[] = [
  { name: 'planning', timed: false, run: preflight },
  { name: 'launch', timed: true, when: (r) => !r.opts.inPlace, run: launch },
  { name: 'launch', timed: false, when: (r) => !r.opts.inPlace, run: capacity },
  {
    name: 'concurrency check',
    timed: true,
    when: hasHook('afterLaunch'),
    run: hook('afterLaunch'),
  },
  { name: 'running', timed: true, run: running },
  { name: 'running', timed: false, run: enough('waiting for running') },
  { name: 'ssm online', timed: true, run: online },
  { name: 'ssm online', timed: false, run: enough('waiting for SSM Online') },
  {
    name: 'concurrency check',
    timed: true,
    when: hasHook('beforeDeliver'),
    run: hook('beforeDeliver'),
  },
  { name: 'deliver', timed: true, run: deliver },
  { name: 'deliver', timed: false, run: enough('delivery') },
  { name: 'verify', timed: true, run: verify },
  { name: 'verify', timed: false, run: enough('verify') },
  {
    name: 'tag',
    timed: true,
    when: hasHook('onHealthy'),
    run: async (run, p) => {
      await run.deps.hooks?.onHealthy?.(p.fleet.healthy());
      return p;
    },
  },
];

// command: deploy — a pipeline of named phases over one host (src/host.ts):
//   prepare (manifest → plan) → locate (what runs now, by tags) → decide (another run at
//   work? nothing to do? which strategy) → execute (launch → deliver → verify, with the
//   cleanup of a failure: src/pipeline/) → retire (the previous set, per strategy) →
//   report (outputs, summary, record, preview comment).
// Each phase takes what the previous ones produced and returns a value. The summary's time
// table covers them all: planning (prepare, locate, decide), execute's own phases, retire.

import { DeployError } from '../aws/errors.ts';
import { errorMessage } from '../diagnostics.ts';
import { previewInstances, type PreviewContent } from '../github/preview.ts';
import { inPhase, setInstanceOutputs, type Host } from '../host.ts';
import { resolveDeploymentId, resolveIdentity } from '../identity.ts';
import { applyInputOverrides, type Inputs } from '../inputs.ts';
import { InstanceRegistry } from '../launch/registry.ts';
import { STATE } from '../launch/state.ts';
import type { StrategyContext } from '../launch/strategy.ts';
import { buildPlan } from '../plan/plan.ts';
import type { Plan } from '../plan/types.ts';
import { renderDeploySummary, type Phase } from '../report/summary.ts';
import { executeDeploy, type DeployDeps, type DeployOutcome } from '../pipeline/execute.ts';
import { startDeadline, type Deadline } from '../pipeline/deadline.ts';
import { decide, loadSealer, type Decision, type Prepared } from '../pipeline/decide.ts';

export type { Prepared } from '../pipeline/decide.ts';
import { locate } from '../pipeline/locate.ts';
import { deploymentRecord } from '../pipeline/outcome.ts';
import {
  healMinHealthy,
  type RedeployStrategy,
  type StrategyInput,
  type StrategyName,
} from '../pipeline/strategies/index.ts';
import { fallbackRegion } from '../validate/load.ts';
import { loadOrThrow } from './validate.ts';

export {
  executeDeploy,
  type DeployDeps,
  type DeployHooks,
  type DeployOptions,
  type DeployOutcome,
} from '../pipeline/execute.ts';
export { toRecord } from '../pipeline/outcome.ts';

export interface DeployCommandResult extends DeployOutcome {
  plan: Plan;
  /** false when the deployment already ran the plan and nothing was done. */
  changed: boolean;
  strategy: StrategyName;
}

/** The action's deploy: manifest → plan → what runs now → nothing to do, or the strategy
 * around executeDeploy → outputs, summary, record, preview comment. */
export async function deployCommand(inputs: Inputs, outer: Host): Promise<DeployCommandResult> {
  // One deadline (input timeout): every wait of every phase draws from its signal.
  const deadline = startDeadline(inputs.timeoutSeconds * 1000, outer.signal);
  const host: Host = { ...outer, signal: deadline.signal };
  const phase = <T>(what: string, fn: () => Promise<T>): Promise<T> =>
    inPhase(host, what, fn).catch((err: unknown) => {
      throw deadline.explain(err, what);
    });
  const started = host.clock.now();
  const prepared = await phase('planning', () => prepare(inputs, host));
  const located = await phase("looking for the deployment's instances", () =>
    locate(prepared, host),
  );
  const decision = await phase('checking what runs now', () => decide(prepared, located, host));
  if (decision.kind === 'unchanged') return decision.result;
  const planning = { name: 'planning', ms: host.clock.now() - started };
  const run = await phase('starting the deploy', () => execute(prepared, decision, host, deadline));
  run.outcome.report.phases.unshift(planning, ...run.before);
  const retired = await phase('retiring the previous instances', () =>
    retirePrevious(prepared, decision, run.outcome, run.launched, host),
  );
  return report(prepared, decision, run.outcome, retired, host);
}

async function prepare(inputs: Inputs, host: Host): Promise<Prepared> {
  const reporter = { annotate: host.annotate, info: host.log.info };
  const deployment = applyInputOverrides(
    await loadOrThrow(inputs.path, reporter, fallbackRegion(host.env, inputs.regions)),
    inputs,
  );
  const plan = await buildPlan(deployment, {
    deploymentId: await resolveDeploymentId(inputs.deploymentId, host.env),
    identity: resolveIdentity(host.env),
    secretNames: Object.keys(inputs.secrets).sort(),
  });
  const id = plan.deploymentId;
  host.log.info(
    `deployment ${id}, run ${plan.identity.runId}, manifest ${plan.manifestDigest.slice(0, 12)}: ` +
      `${plan.regions.map((r) => `${r.count} in ${r.region}`).join(', ')}; ${plan.steps.length} remote steps; strategy ${inputs.strategy}`,
  );
  host.output('deployment-id', id);
  host.output('manifest-digest', plan.manifestDigest);
  if (inputs.githubToken) host.mask(inputs.githubToken);
  const mask = Object.values(inputs.secrets).filter((v) => v !== '');
  const ctx: StrategyContext = {
    clientsFor: host.clientsFor,
    log: host.log,
    clock: host.clock,
    poll: host.poll.instances,
    ...(host.signal ? { signal: host.signal } : {}),
    regions: [],
    deploymentId: id,
    runId: plan.identity.runId,
    serverUrl: host.env.GITHUB_SERVER_URL || 'https://github.com',
  };
  const preview = (content: PreviewContent) => host.preview(inputs.githubToken, content, { mask });
  return { inputs, deployment, plan, ctx, preview };
}

/** The strategy's launch (or in-place delivery), deliver and verify, with its hooks. */
async function execute(
  p: Prepared,
  d: Extract<Decision, { kind: 'deploy' }>,
  host: Host,
  deadline: Deadline,
): Promise<{ outcome: DeployOutcome; launched: ReadonlySet<string>; before: Phase[] }> {
  const { strategy, input } = d;
  const t0 = host.clock.now();
  const prepared = await strategy.prepare(input);
  // recreate retires the previous set here, before the launch: a phase of the time table.
  const before =
    strategy.name === 'recreate' && input.found.length > 0
      ? [{ name: 'retire', ms: host.clock.now() - t0 }]
      : [];
  d.notes.push(...prepared.notes);
  // Every id this deploy launched, also those terminated since (replace retires the rest).
  const launched = new Set<string>();
  const registry = new InstanceRegistry((snapshot) => {
    for (const ids of Object.values(snapshot)) for (const i of ids) launched.add(i);
    host.saveState(STATE.launched, JSON.stringify(snapshot));
  });
  const { inputs } = p;
  // What to launch: the plan, or the part of it a heal launches.
  const plan = prepared.plan ?? p.plan;
  const deps: DeployDeps = {
    clientsFor: host.clientsFor,
    log: host.log,
    registry,
    saveState: (name, value) => host.saveState(name, value),
    clock: host.clock,
    poll: host.poll.instances,
    commandPoll: host.poll.commands,
    ...(host.signal ? { signal: host.signal } : {}),
    deadline,
    ...(plan.steps.some((s) => s.kind === 'secrets')
      ? { sealer: await loadSealer(inputs.secrets) }
      : {}),
    hooks: strategy.hooks(input),
    ...(host.progress ? { progress: host.progress } : {}),
  };
  const opts = {
    minHealthy: input.heal
      ? healMinHealthy(inputs.minHealthy, p.plan, input.heal)
      : inputs.minHealthy,
    keepFailed: inputs.keepFailed,
    onlineTimeoutSeconds: inputs.onlineTimeoutSeconds,
    secrets: inputs.secrets,
    services: p.deployment.services.filter((sv) => sv.start).map((sv) => sv.name),
    ...(prepared.inPlace ? { inPlace: prepared.inPlace } : {}),
  };
  const deploy = () => executeDeploy(plan, opts, deps);
  const outcome = strategy.around ? await strategy.around(input, deploy) : await deploy();
  setInstanceOutputs(host, plan.deploymentId, outcome.records, outcome.regions);
  const healed = input.heal ? outcome.records.filter((r) => launched.has(r.id)).length : 0;
  host.output('changed', String(!input.heal || healed > 0));
  host.output('healed', String(healed));
  return { outcome, launched, before };
}

/** After a healthy deploy: the post step leaves this run alone, the strategy retires what it
 * replaces, the record says where the deployment runs. Returns the error of a failed retire. */
async function retirePrevious(
  p: Prepared,
  d: { strategy: RedeployStrategy; input: StrategyInput; notes: string[] },
  outcome: DeployOutcome,
  launched: ReadonlySet<string>,
  host: Host,
): Promise<string | undefined> {
  if (!outcome.ok) {
    d.notes.push(...d.strategy.serving(d.input, outcome).notes);
    return undefined;
  }
  host.saveState(STATE.result, 'success');
  let retireError: string | undefined;
  const t0 = host.clock.now();
  try {
    const lines = await d.strategy.retire(d.input, launched);
    d.notes.push(...lines);
    if (lines.length > 0) outcome.report.phases.push({ name: 'retire', ms: host.clock.now() - t0 });
  } catch (err) {
    retireError = `the new instances are healthy and serving, but ${errorMessage(err)}`;
    d.notes.push(retireError);
    outcome.report.phases.push({ name: 'retire', ms: host.clock.now() - t0 });
  }
  const { plan } = p;
  const saved = await host.records.save(deploymentRecord(plan, outcome, host.clock.now()));
  if (saved.warning)
    (host.env.GITHUB_ACTIONS === 'true' ? host.log.warning : host.log.info)(saved.warning);
  return retireError;
}

/** The summary and the preview comment; the failure, if any, for main to annotate. */
async function report(
  p: Prepared,
  d: { strategy: RedeployStrategy; input: StrategyInput; notes: string[] },
  outcome: DeployOutcome,
  retireError: string | undefined,
  host: Host,
): Promise<DeployCommandResult> {
  const { plan } = p;
  const id = plan.deploymentId;
  outcome.report.cleanup.push(...d.notes);
  await host.summary(renderDeploySummary(outcome.report));
  const { sha, manifestDigest } = { sha: plan.identity.sha, manifestDigest: plan.manifestDigest };
  await p.preview(
    outcome.ok
      ? {
          status: 'deployed',
          deploymentId: id,
          instances: previewInstances(outcome.records),
          sha,
          manifestDigest,
        }
      : {
          status: 'failed',
          deploymentId: id,
          reason: outcome.error?.split('\n')[0] ?? 'unknown error',
          // What serves now: the previous set (replace, update) or nothing (recreate).
          instances: previewInstances(d.strategy.serving(d.input, outcome).records),
          sha,
        },
  );
  if (!outcome.ok)
    throw new DeployError(`deploy ${outcome.report.outcome}: ${outcome.error ?? 'unknown error'}`);
  if (retireError) throw new DeployError(retireError);
  const inPlace = d.strategy.name === 'update';
  const how = inPlace ? ' (updated in place)' : d.strategy.name === 'heal' ? ' (healed)' : '';
  host.log.info(
    `deployed ${outcome.records.length} instance${outcome.records.length === 1 ? '' : 's'}` +
      `${how}: ${outcome.records.map((r) => r.id).join(', ')}`,
  );
  return { ...outcome, plan, changed: true, strategy: d.strategy.name };
}

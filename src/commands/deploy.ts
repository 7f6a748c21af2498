// command: deploy — a pipeline of named phases over one host (src/host.ts):
//   prepare (manifest → plan) → locate (what runs now, by tags) → decide (another run at
//   work? nothing to do? which strategy) → execute (launch → deliver → verify, with the
//   cleanup of a failure: src/pipeline/) → retire (the previous set, per strategy) →
//   report (outputs, summary, record, preview comment).
// Each phase takes what the previous ones produced and returns a value. The summary's time
// table covers them all: planning (prepare, locate, decide), execute's own phases, retire.

import { DeployError } from '../aws/errors.ts';
import { errorMessage } from '../diagnostics.ts';
import type { PreviewContent } from '../github/preview.ts';
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
import { reportUnchanged } from '../pipeline/unchanged.ts';
import {
  deploymentRecord,
  finalOutcome,
  previewOf,
  type Executed,
  type Retired,
} from '../pipeline/outcome.ts';
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
  /** The strategy's name (a key of STRATEGY_MODULES). */
  strategy: string;
}

/** The action's deploy: manifest → plan → what runs now → nothing to do, or the strategy
 * around executeDeploy → the previous set retired → outputs, summary, record, comment. */
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
  if (decision.kind === 'unchanged') return reportUnchanged(prepared, decision.found, host);
  const planning: Phase = { name: 'planning', ms: host.clock.now() - started };
  const run = await phase('starting the deploy', () => execute(prepared, decision, host, deadline));
  const retired = await phase('retiring the previous instances', () =>
    retirePrevious(prepared, decision, run, host),
  );
  return report(prepared, decision, run, { planning, retired }, host);
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
  d: Deploying,
  host: Host,
  deadline: Deadline,
): Promise<Executed> {
  const { strategy, input } = d;
  const { inputs } = p;
  // Secrets too large to deliver fail first, before the strategy touches anything (recreate
  // would retire the previous set); a strategy's own plan has the whole plan's steps.
  const sealer = p.plan.steps.some((s) => s.kind === 'secrets')
    ? await loadSealer(inputs.secrets)
    : undefined;
  const t0 = host.clock.now();
  const prepared = await strategy.prepare(input);
  const before = prepared.retiredFirst ? [{ name: 'retire', ms: host.clock.now() - t0 }] : [];
  const launched = new Set<string>();
  const registry = new InstanceRegistry((snapshot) => {
    for (const ids of Object.values(snapshot)) for (const i of ids) launched.add(i);
    host.saveState(STATE.launched, JSON.stringify(snapshot));
  });
  // What to launch: the plan, or the part of it the strategy launches (a heal's).
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
    ...(sealer ? { sealer } : {}),
    hooks: strategy.hooks(input),
    ...(host.progress ? { progress: host.progress } : {}),
  };
  const opts = {
    minHealthy: strategy.minHealthy?.(input, inputs.minHealthy) ?? inputs.minHealthy,
    keepFailed: inputs.keepFailed,
    onlineTimeoutSeconds: inputs.onlineTimeoutSeconds,
    secrets: inputs.secrets,
    services: p.deployment.services.filter((sv) => sv.start).map((sv) => sv.name),
    ...(prepared.inPlace ? { inPlace: prepared.inPlace } : {}),
  };
  const deploy = () => executeDeploy(plan, opts, deps);
  const outcome = strategy.around ? await strategy.around(input, deploy) : await deploy();
  setInstanceOutputs(host, plan.deploymentId, outcome.records, outcome.regions);
  const healed = strategy.healed?.(outcome, launched);
  host.output('changed', String(healed === undefined || healed > 0));
  host.output('healed', String(healed ?? 0));
  return { outcome, launched, before, notes: prepared.notes };
}

type Deploying = Extract<Decision, { kind: 'deploy' }>;

/** After a healthy deploy: the post step leaves this run alone, the strategy retires what it
 * replaces, the record says where the deployment runs. After a failed one: what serves. */
async function retirePrevious(
  p: Prepared,
  d: Deploying,
  run: Executed,
  host: Host,
): Promise<Retired> {
  const { outcome } = run;
  if (!outcome.ok) return { notes: d.strategy.serving(d.input, outcome).notes };
  host.saveState(STATE.result, 'success');
  const retired = await retireWith(d, run.launched, host.clock);
  const saved = await host.records.save(deploymentRecord(p.plan, outcome, host.clock.now()));
  if (saved.warning)
    (host.env.GITHUB_ACTIONS === 'true' ? host.log.warning : host.log.info)(saved.warning);
  return retired;
}

/** The strategy's retire, timed; a failure is a note and the deploy's error. */
async function retireWith(
  d: Deploying,
  launched: ReadonlySet<string>,
  clock: Host['clock'],
): Promise<Retired> {
  const t0 = clock.now();
  const timed = () => ({ name: 'retire', ms: clock.now() - t0 });
  try {
    const lines = await d.strategy.retire(d.input, launched);
    return { notes: lines, ...(lines.length > 0 ? { phase: timed() } : {}) };
  } catch (err) {
    const error = `the new instances are healthy and serving, but ${errorMessage(err)}`;
    return { notes: [error], phase: timed(), error };
  }
}

/** The summary and the preview comment; the failure, if any, for main to annotate. */
async function report(
  p: Prepared,
  d: Deploying,
  run: Executed,
  around: { planning: Phase; retired: Retired },
  host: Host,
): Promise<DeployCommandResult> {
  const { plan } = p;
  const outcome = finalOutcome(run, around.planning, around.retired);
  await host.summary(renderDeploySummary(outcome.report));
  await p.preview(previewOf(plan, outcome, d.strategy.serving(d.input, outcome).records));
  if (!outcome.ok)
    throw new DeployError(`deploy ${outcome.report.outcome}: ${outcome.error ?? 'unknown error'}`);
  if (around.retired.error) throw new DeployError(around.retired.error);
  const n = outcome.records.length;
  const how = d.strategy.deployed ? ` (${d.strategy.deployed})` : '';
  host.log.info(
    `deployed ${n} instance${n === 1 ? '' : 's'}${how}: ${outcome.records.map((r) => r.id).join(', ')}`,
  );
  return { ...outcome, plan, changed: true, strategy: d.strategy.name };
}

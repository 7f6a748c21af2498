// The deploy's decide phase: with what runs now in hand, stop when another run is at work
// on the deployment, let a strategy claim it (heal, when it runs the plan but lost or holds
// unhealthy instances, or on-demand ones that could be spot), answer "nothing to deploy"
// when it runs the plan whole and healthy, or choose the redeploy strategy that changes it.

import type { SSMClient } from '@aws-sdk/client-ssm';
import { DeployError } from '../aws/errors.ts';
import type { FoundInstance } from '../aws/instances.ts';
import type { Located } from '../aws/locate.ts';
import { byRegion } from '../aws/poll.ts';
import type { SecretsSealer } from '../deliver/deliver.ts';
import { onlineIds } from '../deliver/wait.ts';
import { errorMessage } from '../diagnostics.ts';
import type { PreviewContent } from '../github/preview.ts';
import type { Host } from '../host.ts';
import type { Inputs } from '../inputs.ts';
import { busyMessage, holders, others } from '../launch/concurrency.ts';
import { differences } from '../launch/existing.ts';
import type { StrategyContext } from '../launch/strategy.ts';
import type { Deployment } from '../manifest/model.ts';
import { TAG, type Plan } from '../plan/types.ts';
import {
  chooseStrategy,
  claimedStrategy,
  type RedeployStrategy,
  type StrategyInput,
} from './strategies/index.ts';

export type Decision =
  /** The deployment runs the plan whole and healthy: these instances. */
  | { kind: 'unchanged'; found: readonly FoundInstance[] }
  | {
      kind: 'deploy';
      strategy: RedeployStrategy;
      input: StrategyInput;
    };

/** What the later phases of the command share: the inputs, the manifest, the plan. */
export interface Prepared {
  inputs: Inputs;
  deployment: Deployment;
  plan: Plan;
  /** The world as the strategies see it (regions are filled in by locate). */
  ctx: StrategyContext;
  preview(content: PreviewContent): Promise<unknown>;
}

export async function decide(p: Prepared, located: Located, host: Host): Promise<Decision> {
  const { inputs, plan } = p;
  const found = located.instances;
  const ctx: StrategyContext = { ...p.ctx, regions: located.regions };
  const ended = await checkRivals(ctx, found, inputs.githubToken, host);
  if (ended) ctx.endedRuns = ended;
  const input: StrategyInput = { ctx, plan, found };
  if (!inputs.force) {
    // The instances run this plan: a strategy claims it (heal what is missing or
    // unhealthy), or nothing changed.
    const samePlan =
      found.length > 0 && found.every((f) => f.tags[TAG.digest] === plan.manifestDigest);
    const notOnline = samePlan ? await offline(host, found) : [];
    const health = { offline: new Set(notOnline), preferSpot: inputs.preferSpot };
    const claimed = claimedStrategy(input, health);
    if (claimed) return { kind: 'deploy', strategy: claimed, input };
    const why =
      differences(found, plan) ??
      (notOnline.length > 0 ? `not Online in SSM: ${notOnline.join(', ')}` : undefined);
    if (why === undefined) return { kind: 'unchanged', found };
    host.log.info(`deploying: ${why}`);
  } else {
    host.log.info('force: deploying whether or not anything changed');
  }
  return {
    kind: 'deploy',
    strategy: chooseStrategy(inputs.strategy, input, host.log),
    input,
  };
}

/**
 * Another run at work on this deployment: stop before changing anything. A run GitHub says
 * has ended (it stopped without clearing its marks) does not count; returns those runs.
 */
async function checkRivals(
  ctx: StrategyContext,
  found: readonly FoundInstance[],
  token: string,
  host: Host,
): Promise<ReadonlySet<string> | undefined> {
  let rivals = others(holders(found, host.clock.now()), ctx.runId);
  let ended: ReadonlySet<string> | undefined;
  if (rivals.length > 0 && token) {
    const answer = await host.endedRuns(token, rivals);
    for (const n of answer.notes) host.log.info(n);
    for (const h of rivals.filter((r) => answer.ended.has(r.runId))) {
      host.log.info(
        `run ${h.runId} has ended without clearing its marks on ${h.instances.map((i) => i.id).join(', ')}; they no longer count`,
      );
    }
    ended = answer.ended;
    rivals = rivals.filter((r) => !answer.ended.has(r.runId));
  }
  if (rivals.length > 0) {
    const message = busyMessage(ctx.deploymentId, rivals, ctx.serverUrl);
    await host.summary(`## Spot deploy \`${ctx.deploymentId}\`: not started\n\n${message}\n`);
    throw new DeployError(message);
  }
  return ended;
}

/** The instances not Online in SSM. */
async function offline(
  host: { clientsFor(region: string): { ssm: SSMClient }; signal?: AbortSignal },
  found: readonly FoundInstance[],
): Promise<string[]> {
  const missing = await Promise.all(
    [...byRegion(found)].map(async ([region, ids]) => {
      const online = await onlineIds(host.clientsFor(region).ssm, ids, host.signal);
      return ids.filter((i) => !online.has(i));
    }),
  );
  return missing.flat();
}

/** The secrets sealing of src/plan/secrets.ts, loaded only when a plan delivers secrets;
 * secrets too large to deliver fail here, before anything is launched. */
export async function loadSealer(secrets: Record<string, string>): Promise<SecretsSealer> {
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

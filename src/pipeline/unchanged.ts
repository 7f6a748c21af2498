// The deploy's report when decide found nothing to do: the outputs, the summary and the
// preview comment of the instances that run the plan already.

import type { FoundInstance } from '../aws/instances.ts';
import { setInstanceOutputs, type Host } from '../host.ts';
import type { Plan } from '../plan/types.ts';
import { instanceRecord } from '../report/outputs.ts';
import { instanceTable } from '../report/summary.ts';
import type { Prepared } from './decide.ts';
import { previewOf } from './outcome.ts';
import type { DeployOutcome } from './types.ts';

export interface UnchangedResult extends DeployOutcome {
  plan: Plan;
  changed: false;
  /** The strategy's name (a key of STRATEGY_MODULES). */
  strategy: string;
}

/** Nothing to do: say so, and still give the outputs, the summary and the comment. */
export async function reportUnchanged(
  p: Prepared,
  found: readonly FoundInstance[],
  host: Host,
): Promise<UnchangedResult> {
  const { plan } = p;
  // Healthy as far as this run can tell without a command: the deploy that launched (or
  // updated) them found them healthy and tagged them ready, and SSM has them Online now.
  const records = found.map((f) => instanceRecord(f, 'healthy'));
  const regions = [...new Set(records.map((r) => r.region))];
  setInstanceOutputs(host, plan.deploymentId, records, regions);
  host.output('changed', 'false');
  host.output('healed', '0');
  const n = records.length;
  const line =
    `nothing to deploy: the ${n} instance${n === 1 ? '' : 's'} of ${plan.deploymentId} ` +
    `already run manifest ${plan.manifestDigest.slice(0, 12)} and are Online in SSM; ` +
    'set force: true to deploy anyway (e.g. after rotating a secret)';
  host.log.info(line);
  await host.summary(
    [
      `## Spot deploy \`${plan.deploymentId}\`: unchanged`,
      '',
      line[0]?.toUpperCase() + line.slice(1) + '.',
      '',
      instanceTable(records),
      '',
    ].join('\n'),
  );
  const result: UnchangedResult = {
    ok: true,
    plan,
    changed: false,
    strategy: p.inputs.strategy,
    records,
    regions,
    report: {
      deploymentId: plan.deploymentId,
      outcome: 'succeeded',
      requested: n,
      instances: records,
      steps: [],
      phases: [],
      launch: [],
      costNotes: [],
      cleanup: [line],
    },
  };
  await p.preview(previewOf(plan, result, []));
  return result;
}

// command: logs — the journal of the deployment's services on each running instance, read
// over SSM (operate/scripts.ts logsScript: the real end, within SSM's output limit).

import { DeployError } from '../aws/errors.ts';
import type { Host } from '../host.ts';
import { parseDuration } from '../inputs.ts';
import { runRemote, type RemoteResult } from '../operate/remote.ts';
import { logsScript } from '../operate/scripts.ts';
import { findTargets, type TargetInputs } from '../operate/target.ts';
import { reportRemote } from '../operate/report.ts';
import { manifestServices } from '../operate/manifest.ts';
import { fallbackRegion } from '../validate/load.ts';

export interface LogsInputs extends TargetInputs {
  /** Service names; empty: every service the manifest starts. */
  services: string[];
  /** A duration like 10m; '' for the whole journal. */
  since: string;
  lines: number;
  grep?: string;
}

export interface LogsResult {
  deploymentId: string;
  services: string[];
  results: RemoteResult[];
}

const NAME_THEM = 'name the services (input service, or --service on the command line)';

/** The services to read: those named, else those the manifest starts. */
async function servicesToRead(inputs: LogsInputs, host: Host): Promise<string[]> {
  if (inputs.services.length > 0) return inputs.services;
  const facts = await manifestServices(inputs.path, fallbackRegion(host.env, inputs.regions));
  if ('problem' in facts) {
    throw new DeployError(`no service to read: ${facts.problem}; ${NAME_THEM}`);
  }
  if (facts.services.length === 0) {
    throw new DeployError(
      `no service to read: the manifest at '${inputs.path}' starts none; ${NAME_THEM}`,
    );
  }
  return facts.services;
}

export async function logsCommand(inputs: LogsInputs, host: Host): Promise<LogsResult> {
  const services = await servicesToRead(inputs, host);
  const sinceSeconds = inputs.since ? parseDuration('since', inputs.since, 'm') : undefined;
  const script = logsScript({
    services,
    lines: inputs.lines,
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
    ...(inputs.grep !== undefined ? { grep: inputs.grep } : {}),
  });
  const { deploymentId, instances } = await findTargets(inputs, host);
  const results = await runRemote(host, instances, {
    script,
    timeoutSeconds: 120,
    comment: `spot-deployer logs ${deploymentId}`,
  });
  return { deploymentId, services, results };
}

const lineCount = (text: string) => (text.trim() === '' ? 0 : text.trimEnd().split('\n').length);

/** The action: each instance's log in a collapsed group, then a short summary. */
export async function logsAction(inputs: LogsInputs, host: Host): Promise<void> {
  const res = await logsCommand(inputs, host);
  await reportRemote(host, 'logs', res.deploymentId, res.results, {
    title: (r) => `${r.instanceId} (${r.region}): ${lineCount(r.stdout)} lines`,
    header: ['lines', 'status'],
    row: (r) => [String(lineCount(r.stdout)), r.status],
  });
  const failed = res.results.filter((r) => r.status !== 'Success');
  host.log.info(
    `logs of ${res.services.join(', ')} from ${res.results.length} instance${res.results.length === 1 ? '' : 's'} of ${res.deploymentId}` +
      (failed.length > 0 ? `; ${failed.length} could not be read` : ''),
  );
  for (const r of failed)
    host.log.warning(`${r.instanceId}: logs not read: ${r.status} ${r.detail ?? ''}`);
}

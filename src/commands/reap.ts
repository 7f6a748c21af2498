// command: reap — destroys this repository's preview deployments (OWNER/REPO/pr-N, as
// identity.ts derives them for pull requests) whose pull request is closed: the close
// event's destroy may have been missed. Found by tag in the manifest's regions and the
// `regions` input; the pull requests' state from the GitHub API; each closed one destroyed
// as destroy does (destroyLocated on what the search found).

import { fallbackRegion } from '../validate/load.ts';
import { DeployError } from '../aws/errors.ts';
import { findManaged } from '../aws/managed.ts';
import type { FoundInstance } from '../aws/instances.ts';
import { destroyLocated } from '../destroy/destroy.ts';
import { pullStates } from '../github/pulls.ts';
import type { Host } from '../host.ts';
import { previewNumber } from '../identity.ts';
import type { Inputs } from '../inputs.ts';
import { manifestRegions } from '../pipeline/search.ts';
import { TAG } from '../plan/types.ts';
import { table } from '../report/summary.ts';
import { destroyContext } from './destroy.ts';

export interface Reaped {
  deploymentId: string;
  pull: number;
  state: string;
  terminated: string[];
}

async function previews(host: Host, regions: string[], repository: string) {
  const found = (
    await Promise.all(regions.map((r) => findManaged(host.clientsFor(r).ec2, r, host.signal)))
  ).flat();
  const byId = new Map<string, { pull: number; instances: FoundInstance[] }>();
  for (const f of found) {
    const id = f.tags[TAG.deployment] ?? '';
    const pull = previewNumber(repository, id);
    if (pull === undefined) continue;
    const entry = byId.get(id) ?? { pull, instances: [] };
    entry.instances.push(f);
    byId.set(id, entry);
  }
  return byId;
}

export async function reapCommand(
  inputs: Pick<Inputs, 'path' | 'regions' | 'githubToken'> & { waitTerminated?: boolean },
  host: Host,
): Promise<Reaped[]> {
  const { log } = host;
  const repository = host.env.GITHUB_REPOSITORY ?? '';
  if (!/^[^/]+\/[^/]+$/.test(repository))
    throw new DeployError('reap needs GITHUB_REPOSITORY (owner/repo)');
  if (inputs.githubToken === '')
    throw new DeployError("command 'reap' needs the input 'github-token'");
  host.mask(inputs.githubToken);
  const fromManifest = await manifestRegions(
    inputs.path,
    log,
    fallbackRegion(host.env, inputs.regions),
  );
  const regions = [...new Set([...fromManifest, ...inputs.regions])];
  if (regions.length === 0) throw new DeployError("reap needs a manifest or the 'regions' input");
  const found = await previews(host, regions, repository);
  const states = await pullStates(
    inputs.githubToken,
    repository,
    [...found.values()].map((p) => p.pull),
    host.env.GITHUB_API_URL,
  );
  const reaped: Reaped[] = [];
  for (const [deploymentId, { pull, instances }] of found) {
    const state = states.get(pull) ?? 'open';
    log.info(`${deploymentId}: pull request #${pull} is ${state}, ${instances.length} instance(s)`);
    if (state === 'open') continue;
    const res = await destroyLocated(destroyContext(host, inputs.waitTerminated), {
      regions: [...new Set(instances.map((i) => i.region))],
      instances,
    });
    reaped.push({ deploymentId, pull, state, terminated: res.terminated });
  }
  log.info(
    reaped.length === 0
      ? `no preview of ${repository} to reap in ${regions.join(', ')}`
      : `reaped ${reaped.length} preview deployment(s)`,
  );
  host.output('instance-ids', JSON.stringify(reaped.flatMap((r) => r.terminated)));
  await host.summary(
    [
      `## Spot reap \`${repository}\``,
      '',
      table(
        ['deployment', 'pull request', 'terminated'],
        reaped.map((r) => [r.deploymentId, `#${r.pull} (${r.state})`, String(r.terminated.length)]),
      ),
      '',
    ].join('\n'),
  );
  return reaped;
}

// The terminal's commands that operate a deployment: list, logs, exec and bundle. Each
// calls the command module the action uses and writes for people (terminal/output.ts) or,
// with --json, one JSON document. Each returns the exit status.

import type { FoundInstance } from '../aws/instances.ts';
import { formatSpan, type DeploymentSummary } from '../operate/list.ts';
import type { RemoteResult } from '../operate/remote.ts';
import { UsageError, inputsOf, type Args } from './args.ts';
import { deploymentIdFromGit, gitEnv } from './git.ts';
import { onTerminalHost } from './host.ts';
import { LiveView, outputMode, type Io } from './output.ts';

export type { Io } from './output.ts';
import { prefixLines, textTable, type ViewPhase, type ViewState } from './view.ts';
import { parseRegions } from '../inputs.ts';
import { instanceRecord } from '../report/outputs.ts';

/** The region the SDK's chain resolves (AWS_REGION, the profile's region), or undefined. */
async function defaultRegion(): Promise<string | undefined> {
  // Through aws/clients.ts, never `import('@aws-sdk/client-ec2')`: a dynamic import of the
  // package's whole namespace would bundle every one of EC2's commands into the chunk the
  // action loads too (about 2 MB to compile at start-up).
  const { chainRegion } = await import('../aws/clients.ts');
  return chainRegion();
}

/**
 * The environment the commands read as the action reads the runner's: GITHUB_* as a push
 * of the checkout would have them, and AWS_REGION as the SDK's chain resolves it (the
 * variable, --region, or the profile's region), which a manifest without cloud settings
 * runs in (validate/load.ts fallbackRegion).
 */
export async function hostEnv(dir: string): Promise<Record<string, string>> {
  const [git, region] = await Promise.all([gitEnv(dir), defaultRegion()]);
  return { ...(region ? { AWS_REGION: region } : {}), ...git };
}

/** --deployment-id, else the id a push of the checkout's branch has. */
export async function targetId(args: Args): Promise<string> {
  const given = args.flags['deployment-id'];
  if (given) return given;
  const derived = await deploymentIdFromGit(args.dir);
  if (derived) return derived;
  throw new UsageError(
    `no deployment id: '${args.dir}' is not in a git checkout with an 'origin' remote and a branch; pass --deployment-id`,
  );
}

const json = (io: Io, value: unknown) => io.out.write(JSON.stringify(value, null, 2) + '\n');

export async function listMain(args: Args, io: Io): Promise<number> {
  const regions = args.flags.regions
    ? parseRegions(args.flags.regions)
    : [(await defaultRegion()) ?? ''].filter((r) => r !== '');
  if (regions.length === 0)
    throw new UsageError('list needs --regions or --region (or AWS_REGION)');
  const view = new LiveView(io.out, outputMode(io.out, args.flags.json === true));
  const phases = new Map<string, ViewPhase>(
    regions.map((r) => [r, { name: `search ${r}`, state: 'running' }]),
  );
  const state = (): ViewState => ({
    title: 'spot-deployer list',
    phases: [...phases.values()],
    instances: [],
  });
  view.update(state());
  const { listCommand } = await import('../commands/list.ts');
  const res = await onTerminalHost(
    { io, live: view, title: 'spot-deployer list', env: {} },
    (host) =>
      listCommand(regions, host, {
        searched: (r, n) => {
          phases.set(r, {
            name: `search ${r}`,
            state: 'done',
            detail: `${n} instance${n === 1 ? '' : 's'}`,
          });
          view.update(state());
        },
      }),
  );
  if (view.mode === 'json') return (json(io, res), 0);
  view.finish(state());
  const rows = res.deployments.map((d) => [
    d.deploymentId,
    d.repository || '-',
    d.ref || '-',
    d.regions.join(','),
    `${d.instances} (${d.spot} spot, ${d.onDemand} on-demand)`,
    formatSpan(d.ageSeconds),
    formatSpan(d.ttlLeftSeconds),
    costCell(d),
  ]);
  io.out.write(
    (rows.length === 0
      ? [`no deployment in ${regions.join(', ')}`]
      : textTable(
          ['deployment', 'repository', 'ref', 'regions', 'instances', 'age', 'ttl left', 'cost'],
          rows,
        )
    ).join('\n') + '\n',
  );
  return 0;
}

/** The estimated cost; on-demand instances are not priced (not in the spot price history). */
function costCell(d: DeploymentSummary): string {
  if (d.hourlyCost === undefined) return '-';
  return `$${d.hourlyCost.toFixed(4)}/h${d.onDemand > 0 ? ' (spot only)' : ''}`;
}

export async function logsMain(args: Args, io: Io): Promise<number> {
  const inputs = await inputsOf(args, await targetId(args), io.env);
  const { logsCommand } = await import('../commands/logs.ts');
  // The journal goes to standard output as it is; the log of the search, to standard error.
  const quiet = new LiveView(io.out, 'json');
  const res = await onTerminalHost(
    { io, live: quiet, title: 'spot-deployer logs', env: await hostEnv(args.dir) },
    (host) =>
      logsCommand(
        {
          ...inputs,
          ...(args.flags.grep !== undefined ? { grep: args.flags.grep } : {}),
          ...(args.flags.instance ? { instance: args.flags.instance } : {}),
        },
        host,
      ),
  );
  if (args.flags.json) {
    json(io, {
      deploymentId: res.deploymentId,
      services: res.services,
      instances: res.results.map(asJson),
    });
  } else {
    for (const r of res.results)
      io.out.write(
        prefixLines(r.instanceId, r.stdout)
          .map((l) => l + '\n')
          .join(''),
      );
  }
  for (const r of res.results.filter((x) => x.status !== 'Success')) {
    io.err.write(
      `${r.instanceId} (${r.region}): ${r.status}: ${r.stderr.trim() || r.detail || ''}\n`,
    );
  }
  return res.results.every((r) => r.status === 'Success') ? 0 : 1;
}

function asJson(r: RemoteResult) {
  return {
    id: r.instanceId,
    region: r.region,
    status: r.status,
    exitCode: r.exitCode ?? null,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

function execView(found: readonly FoundInstance[], results: readonly RemoteResult[]): ViewState {
  const byId = new Map(results.map((r) => [r.instanceId, r]));
  return {
    title: 'spot-deployer exec',
    phases: [
      { name: 'find instances', state: 'done', detail: `${found.length}` },
      { name: 'run', state: results.length === 0 ? 'running' : 'done' },
    ],
    instances: found.map((f) => {
      const r = byId.get(f.id);
      return instanceRecord(f, r ? `${r.status} exit ${r.exitCode ?? '-'}` : 'running');
    }),
  };
}

export async function execMain(args: Args, io: Io): Promise<number> {
  if (args.rest.length === 0)
    throw new UsageError('exec needs a command after --, e.g. exec -- uname -a');
  const inputs = await inputsOf(args, await targetId(args), io.env);
  const view = new LiveView(io.out, outputMode(io.out, args.flags.json === true));
  const { execCommand } = await import('../commands/exec.ts');
  const res = await onTerminalHost(
    { io, live: view, title: 'spot-deployer exec', env: await hostEnv(args.dir) },
    (host) =>
      execCommand(
        {
          ...inputs,
          argv: args.rest,
          ...(args.flags.instance ? { instance: args.flags.instance } : {}),
        },
        host,
        (found) => view.update(execView(found, [])),
      ),
  );
  if (view.mode === 'json') {
    json(io, {
      deploymentId: res.deploymentId,
      instances: res.results.map(asJson),
      failed: res.failed.length,
    });
    return res.failed.length > 0 ? 1 : 0;
  }
  view.finish(execView(res.instances, res.results));
  for (const r of res.results) {
    io.out.write(`== ${r.instanceId} (${r.region}): ${r.status}, exit ${r.exitCode ?? '-'}\n`);
    io.out.write(
      [...prefixLines(r.instanceId, r.stdout), ...prefixLines(r.instanceId, r.stderr)]
        .map((l) => l + '\n')
        .join(''),
    );
  }
  return res.failed.length > 0 ? 1 : 0;
}

export async function bundleMain(args: Args, io: Io): Promise<number> {
  if (!args.flags.out) throw new UsageError('bundle needs --out FILE.tar.gz');
  const { bundleCommand } = await import('../commands/bundle.ts');
  const res = await bundleCommand(args.dir, args.flags.out);
  if (args.flags.json) json(io, res);
  else
    io.out.write(
      `${res.sha256}  ${res.file}\n(tarball_sha256: ${res.sha256}, ${res.bytes} bytes packed from ${res.source})\n`,
    );
  return 0;
}

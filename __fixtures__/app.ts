// Copies of the e2e fixture app (__tests__/deploy/fixtures/web) with what a test changes:
// its own port (instances of the local cloud share the machine's network), regions and
// instance types, a failing script or a service that cannot start.

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const FIXTURE = join(import.meta.dirname, '..', '__tests__', 'deploy', 'fixtures', 'web');
const FIXTURE_PORT = '18080';

export interface AppOptions {
  region?: string;
  instanceTypes?: string[];
  /** The region's `image` (an AMI id; default auto). */
  image?: string;
  /** The region's `subnets` (tried in order with each type). */
  subnets?: string[];
  total?: number;
  onDemandFallback?: boolean;
  /** Replaces scripts/setup.sh. */
  setupScript?: string;
  /** Replaces the service's ExecStart. */
  execStart?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export async function makeApp(o: AppOptions = {}): Promise<{ dir: string; port: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'spot-app-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const port = await freePort();
  const spot = join(dir, '.spot');
  const edit = (file: string, fn: (text: string) => string) =>
    writeFileSync(join(spot, file), fn(readFileSync(join(spot, file), 'utf8')));
  edit('deployment.yaml', (t) => t.replaceAll(FIXTURE_PORT, String(port)));
  edit('services/site.service', (t) => {
    const s = t.replaceAll(FIXTURE_PORT, String(port));
    return o.execStart ? s.replace(/^ExecStart=.*$/m, `ExecStart=${o.execStart}`) : s;
  });
  if (o.setupScript !== undefined)
    writeFileSync(join(spot, 'scripts', 'setup.sh'), o.setupScript, { mode: 0o755 });
  edit('config.yaml', (t) => {
    const c = parse(t) as {
      aws: Record<string, unknown>;
      regions: Record<string, { instance_types: string[]; subnets?: string[]; image?: string }>;
    };
    const region = o.region ?? 'us-west-2';
    const settings = Object.values(c.regions)[0] ?? { instance_types: ['t3.micro'] };
    if (o.instanceTypes) settings.instance_types = o.instanceTypes;
    if (o.subnets) settings.subnets = o.subnets;
    if (o.image) settings.image = o.image;
    c.regions = { [region]: { ...settings } };
    if (o.total !== undefined) c.aws.total_instances = o.total;
    if (o.onDemandFallback !== undefined) c.aws.spot = { on_demand_fallback: o.onDemandFallback };
    return stringify(c);
  });
  return { dir, port };
}

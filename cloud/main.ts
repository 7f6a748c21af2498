// `npm run cloud [-- flags]`: serves the local EC2 + SSM endpoint until Ctrl-C or SIGTERM, then
// stops every container. Prints the endpoint URL as its first line of output.

import { parseArgs } from 'node:util';
import { startCloud, type StartOptions } from './server.ts';

const USAGE = `usage: npm run cloud -- [flags]
  --port N                 listen on N (default: a free port)
  --host ADDR              listen address (default 127.0.0.1)
  --backend KIND           container (default) or simulated
  --seed N                 seed for ids and injected faults (default 1)
  --pending-ms N           pending -> running latency (default 300)
  --online-ms N            booted -> SSM Online latency (default 0)
  --terminate-ms N         shutting-down -> terminated latency (default 300)
  --capacity KEY=N         capacity cap, KEY = [spot:|on-demand:]TYPE[@ZONE|@REGION] (repeat)
  --throttle RATE[:OPS]    answer RATE (0..1) of calls with throttling errors, OPS comma-separated
  --interrupt NTH@MS       give the NTH launched spot instance an interruption notice MS after
                           it runs, and reclaim it once the notice window passed (repeat)
  --notice-ms N            interruption notice window (default 10000; EC2's is two minutes)
  --rebalance NTH@MS       a rebalance recommendation for the NTH launched spot instance (repeat)
  --never-online NTH       the NTH launched instance's SSM agent never comes online (repeat)
  --hang REGEX             commands matching REGEX hang until their timeout or a cancel
  --no-profile-needed      instances without an instance profile still come online
  --instance-profile NAME  an instance profile that exists (repeat; default: all names exist)
  --invocation-delay-ms N  GetCommandInvocation says InvocationDoesNotExist this long at first
  --sim-boot-ms N          simulated backend: boot time (default 200)
  --sim-command-ms N       simulated backend: command time (default 20)
  --sim-fail REGEX         simulated backend: commands matching REGEX fail
  --private-network        containers get loopback only (no address the host reaches, no apt)
  --host-network           containers share the host's network (default: each its own namespace)
 AWS behaviours (on by default; see the fidelity table in cloud/README.md):
  --capacity-status N      HTTP status of capacity errors (default 500, as EC2)
  --consistency-ms N       new ids are NotFound to describe/tag/terminate this long (default 500)
  --registration-lag-ms N  SendCommand refuses a just-registered agent this long (default 1000)
  --lost-invocations MODE  in-progress (default: until their timeout, as SSM) or failed
  --send-concurrency N     SendCommands served at once per region, more are throttled (default 20)
  --send-latency-ms N      time SendCommand takes to answer (default 50)
  --no-spot-slr            the account lacks the spot service-linked role (spot launches fail)
  --propagating-profile NAME@MS  the profile is refused for MS from the first launch naming it (repeat)
  --not-offered TYPE@WHERE type not offered in a region or zone (repeat; replaces the default list)
  --rootfs PATH            root file system for containers (default $SPOT_ROOTFS or the cache)
  --quiet                  no progress lines on stderr
Admin API: GET /_cloud/calls, GET /_cloud/instances, POST /_cloud/reset,
           POST /_cloud/instances/ID/interrupt, POST /_cloud/instances/ID/rebalance,
           POST /_cloud/instances/ID/terminate`;

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${name} needs a non-negative number, got ${v}`);
  return n;
}

function nthAt(name: string, s: string): { nth: number; afterMs: number } {
  const m = /^(\d+)@(\d+)$/.exec(s);
  if (!m) throw new Error(`--${name} is NTH@MS, got ${s}`);
  return { nth: Number(m[1]), afterMs: Number(m[2]) };
}

export function optionsFromArgs(argv: string[]): StartOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      backend: { type: 'string' },
      seed: { type: 'string' },
      'pending-ms': { type: 'string' },
      'online-ms': { type: 'string' },
      'terminate-ms': { type: 'string' },
      capacity: { type: 'string', multiple: true },
      throttle: { type: 'string' },
      interrupt: { type: 'string', multiple: true },
      'notice-ms': { type: 'string' },
      rebalance: { type: 'string', multiple: true },
      'never-online': { type: 'string', multiple: true },
      hang: { type: 'string' },
      'no-profile-needed': { type: 'boolean' },
      'instance-profile': { type: 'string', multiple: true },
      'invocation-delay-ms': { type: 'string' },
      'sim-boot-ms': { type: 'string' },
      'sim-command-ms': { type: 'string' },
      'sim-fail': { type: 'string' },
      rootfs: { type: 'string' },
      'private-network': { type: 'boolean' },
      'host-network': { type: 'boolean' },
      'capacity-status': { type: 'string' },
      'consistency-ms': { type: 'string' },
      'registration-lag-ms': { type: 'string' },
      'lost-invocations': { type: 'string' },
      'send-concurrency': { type: 'string' },
      'send-latency-ms': { type: 'string' },
      'no-spot-slr': { type: 'boolean' },
      'propagating-profile': { type: 'string', multiple: true },
      'not-offered': { type: 'string', multiple: true },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const opts: StartOptions = {};
  const set = <K extends keyof StartOptions>(k: K, v: StartOptions[K] | undefined) => {
    if (v !== undefined) opts[k] = v;
  };
  set('port', int('port', values.port));
  set('host', values.host);
  if (values.backend !== undefined) {
    if (values.backend !== 'container' && values.backend !== 'simulated') {
      throw new Error(`--backend is container or simulated, got ${values.backend}`);
    }
    opts.backend = values.backend;
  }
  set('seed', int('seed', values.seed));
  const latency: NonNullable<StartOptions['latency']> = {};
  const p = int('pending-ms', values['pending-ms']);
  if (p !== undefined) latency.pendingToRunningMs = p;
  const o = int('online-ms', values['online-ms']);
  if (o !== undefined) latency.runningToOnlineMs = o;
  const t = int('terminate-ms', values['terminate-ms']);
  if (t !== undefined) latency.terminateMs = t;
  opts.latency = latency;
  if (values.capacity) {
    opts.capacity = {};
    for (const c of values.capacity) {
      const m = /^(.+)=(\d+)$/.exec(c);
      if (!m) throw new Error(`--capacity is KEY=N, got ${c}`);
      opts.capacity[m[1]!] = Number(m[2]);
    }
  }
  if (values.throttle) {
    const [rate, ops] = values.throttle.split(':');
    const r = Number(rate);
    if (!(r >= 0 && r <= 1)) throw new Error(`--throttle rate must be within 0..1, got ${rate}`);
    opts.throttle = { rate: r, ...(ops ? { operations: ops.split(',') } : {}) };
  }
  if (values.interrupt) opts.interruptions = values.interrupt.map((s) => nthAt('interrupt', s));
  set('noticeMs', int('notice-ms', values['notice-ms']));
  if (values.rebalance) opts.rebalances = values.rebalance.map((s) => nthAt('rebalance', s));
  if (values['never-online'])
    opts.neverOnline = values['never-online'].map((s) => int('never-online', s)!);
  set('hangCommands', values.hang);
  if (values['no-profile-needed']) opts.requireInstanceProfile = false;
  set('instanceProfiles', values['instance-profile']);
  set('invocationDelayMs', int('invocation-delay-ms', values['invocation-delay-ms']));
  const sim: NonNullable<StartOptions['simulated']> = {};
  const sb = int('sim-boot-ms', values['sim-boot-ms']);
  if (sb !== undefined) sim.bootMs = sb;
  const sc = int('sim-command-ms', values['sim-command-ms']);
  if (sc !== undefined) sim.commandMs = sc;
  if (values['sim-fail']) sim.failCommands = new RegExp(values['sim-fail']);
  opts.simulated = sim;
  set('rootfs', values.rootfs);
  if (values['private-network']) opts.privateNetwork = true;
  if (values['host-network']) opts.network = 'host';
  opts.fidelity = fidelityFromArgs(values);
  if (!values.quiet) opts.log = (line) => process.stderr.write(`[cloud] ${line}\n`);
  return opts;
}

function fidelityFromArgs(
  values: Record<string, string | boolean | string[] | boolean[] | undefined>,
): NonNullable<StartOptions['fidelity']> {
  const f: NonNullable<StartOptions['fidelity']> = {};
  const num = (name: string) => int(name, values[name] as string | undefined);
  const put = <K extends keyof typeof f>(k: K, v: (typeof f)[K] | undefined) => {
    if (v !== undefined) f[k] = v;
  };
  put('capacityErrorStatus', num('capacity-status'));
  put('consistencyMs', num('consistency-ms'));
  put('registrationLagMs', num('registration-lag-ms'));
  put('sendCommandConcurrency', num('send-concurrency'));
  put('sendCommandLatencyMs', num('send-latency-ms'));
  const lost = values['lost-invocations'] as string | undefined;
  if (lost !== undefined) {
    if (lost !== 'in-progress' && lost !== 'failed') {
      throw new Error(`--lost-invocations is in-progress or failed, got ${lost}`);
    }
    f.lostInvocationsStayInProgress = lost === 'in-progress';
  }
  if (values['no-spot-slr']) f.noSpotServiceLinkedRole = true;
  const profiles = values['propagating-profile'] as string[] | undefined;
  if (profiles) {
    f.propagatingProfiles = {};
    for (const p of profiles) {
      const m = /^(.+)@(\d+)$/.exec(p);
      if (!m) throw new Error(`--propagating-profile is NAME@MS, got ${p}`);
      f.propagatingProfiles[m[1]!] = Number(m[2]);
    }
  }
  put('notOffered', values['not-offered'] as string[] | undefined);
  return f;
}

async function main(): Promise<void> {
  let opts: StartOptions;
  try {
    opts = optionsFromArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  let running: Awaited<ReturnType<typeof startCloud>>;
  try {
    running = await startCloud(opts);
  } catch (err) {
    console.error(`cloud: ${(err as Error).message}`);
    process.exit(1);
  }
  console.log(running.url);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[cloud] ${signal}: stopping every instance\n`);
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));
}

if (import.meta.main) await main();

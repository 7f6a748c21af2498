// npm run bench: what users wait for, measured against the local cloud's simulated instances.
// Prints Markdown tables and writes bench/results/latest.json. Not a test: figures with the
// goals beside them, no pass or fail. Writes nothing but temp dirs and bench/results/.
//
//   node bench/run.ts [--quick] [--worktree | --dist DIR] [--runs N] [--only capacity]
//     --quick    fewer scenarios and runs (to try the benchmark itself)
//     --only     measure these parts alone (comma-separated: startup, api, overhead, delivery,
//                capacity, aws); the other parts of the results file are kept as they were
//     --worktree bundle the checkout's src/ as it is, not the committed one (git HEAD)
//     --dist     measure this bundle instead of building the sources into a temp dir
//     --runs     timed start-up runs (default 20)
//     --baseline DIR  also take the AWS-latency lifecycle with this bundle (the figures before)
//   node bench/run.ts --render bench/results/latest.json
//     print the tables of earlier results again, measuring nothing

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  apiRow,
  capacityRow,
  deliveryRow,
  overheadRow,
  type ApiRow,
  type CapacityRow,
  type DeliveryRow,
  type OverheadRow,
} from './analyse.ts';
import { AWS_LATENCIES, runLifecycle } from './aws.ts';
import { buildBundle, bundleFiles, contents, type Bundle } from './bundle.ts';
import { loadNow, machine } from './machine.ts';
import { renderMarkdown, type Results } from './report.ts';
import { renderTimeline } from './timeline.ts';
import {
  closeAll,
  LATENCIES,
  runScenario,
  type Scenario,
  type ScenarioResult,
} from './scenarios.ts';
import { measureStartup } from './startup.ts';
import { killChildren, removeTemp, tempDir } from './temp.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    dist: { type: 'string' },
    worktree: { type: 'boolean', default: false },
    runs: { type: 'string' },
    render: { type: 'string' },
    only: { type: 'string' },
    baseline: { type: 'string' },
  },
});
if (values.render) {
  const earlier = JSON.parse(readFileSync(values.render, 'utf8')) as Results;
  process.stdout.write(renderMarkdown(earlier) + '\n');
  process.exit(0);
}
const quick = values.quick ?? false;
const runs = Number(values.runs ?? (quick ? 5 : 20));
const started = performance.now();
const log = (line: string) =>
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${line}\n`);

const tmp = tempDir('work-');
let stopping = false;
const stop = (sig: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  log(`${sig}: stopping the action runs and closing the local clouds`);
  killChildren();
  void closeAll().finally(() => {
    removeTemp();
    process.exit(130);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

async function scenario(s: Scenario, dist: string): Promise<ScenarioResult> {
  const r = await runScenario(s, dist, LATENCIES);
  log(
    `${s.name}: deploy ${r.deploy.ok ? 'ok' : `FAILED ${r.deploy.error ?? ''}`} ` +
      `${(r.deploy.ms / 1000).toFixed(1)} s, ${r.deploy.calls.length} calls; destroy ` +
      `${r.destroy.ok ? 'ok' : `FAILED ${r.destroy.error ?? ''}`} ${(r.destroy.ms / 1000).toFixed(1)} s, ` +
      `${r.destroy.calls.length} calls; ${r.leftBehind} left behind`,
  );
  return r;
}

/** A deploy of 1 instance whose first two spot pools are empty; the third launches. */
async function capacity(dist: string): Promise<CapacityRow> {
  const rs: ScenarioResult[] = [];
  for (let i = 0; i < (quick ? 3 : 5); i++) {
    rs.push(
      await scenario(
        {
          name: `capacity #${i + 1}`,
          instances: 1,
          regions: 1,
          instanceTypes: ['t3.micro', 't3a.micro', 't2.micro'],
          capacity: { 'spot:t3.micro@us-west-2': 0, 'spot:t3a.micro@us-west-2': 0 },
        },
        dist,
      ),
    );
  }
  return capacityRow(rs);
}

/** The parts of the benchmark, each measured alone with `--only NAME[,NAME]`. */
const PARTS = ['startup', 'api', 'overhead', 'delivery', 'capacity', 'aws'] as const;
type Part = (typeof PARTS)[number];

function partsWanted(only: string | undefined): Set<Part> {
  if (!only) return new Set(PARTS);
  const names = only.split(',').map((x) => x.trim());
  const unknown = names.filter((x) => !(PARTS as readonly string[]).includes(x));
  if (unknown.length) {
    process.stderr.write(`bench: unknown part ${unknown.join(', ')}; parts: ${PARTS.join(', ')}\n`);
    process.exit(2);
  }
  return new Set(names as Part[]);
}

async function apiPart(dist: string): Promise<ApiRow[]> {
  const sizes = quick ? [1, 10] : [1, 10, 50, 120];
  const api: ScenarioResult[] = [];
  for (const regions of quick ? [1] : [1, 3]) {
    for (const n of sizes) {
      api.push(await scenario({ name: `api ${regions}r n${n}`, instances: n, regions }, dist));
    }
  }
  for (const n of quick ? [1] : [1, 50]) {
    const secret = 'BENCH_TOKEN=not-a-real-secret';
    api.push(
      await scenario({ name: `api 1r n${n} secret`, instances: n, regions: 1, secret }, dist),
    );
  }
  return api.map(apiRow);
}

async function overheadPart(dist: string): Promise<OverheadRow[]> {
  const overhead = [];
  for (const n of [1, 20]) {
    const rs: ScenarioResult[] = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      rs.push(await scenario({ name: `overhead n${n} #${i + 1}`, instances: n, regions: 1 }, dist));
    }
    overhead.push(overheadRow(n, rs, LATENCIES));
  }
  return overhead;
}

async function deliveryPart(dist: string): Promise<DeliveryRow[]> {
  const delivery = [];
  for (const mb of quick ? [1] : [1, 10]) {
    const r = await scenario(
      { name: `delivery ${mb} MiB`, instances: 1, regions: 1, payloadBytes: mb * 1024 * 1024 },
      dist,
    );
    delivery.push(deliveryRow(r, LATENCIES));
  }
  return delivery;
}

/** The lifecycle at AWS's latencies, and the same against the baseline bundle if one is given;
 * writes the timeline of the first deploy. */
async function awsPart(dist: string): Promise<NonNullable<Results['aws']>> {
  log('AWS latencies: deploy 3, unchanged, replace, update, heal of 1, destroy');
  const now = await runLifecycle(dist, AWS_LATENCIES, log);
  const first = now.steps[0];
  if (first) {
    const svg = renderTimeline(
      first,
      AWS_LATENCIES,
      'First deploy of 3 instances at AWS latencies',
    );
    writeFileSync(join(import.meta.dirname, 'results', 'aws-timeline.svg'), svg);
  }
  if (!values.baseline) return now;
  log(`AWS latencies, the baseline bundle ${values.baseline}`);
  const before = await runLifecycle(resolve(values.baseline), AWS_LATENCIES, log);
  return { ...now, baseline: { origin: values.baseline, steps: before.steps } };
}

/** Earlier results of the same file, kept for the parts `--only` does not measure. */
function earlier(file: string): Partial<Results> {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<Results>;
    // Results written before parts were stamped one by one: every part is of the whole run.
    if (!r.taken && r.takenAt && r.bundle) {
      const t = { at: r.takenAt, origin: r.bundle.origin };
      r.taken = Object.fromEntries(PARTS.filter((p) => r[p]).map((p) => [p, t]));
    }
    return r;
  } catch {
    return {};
  }
}

try {
  const wanted = partsWanted(values.only);
  const out = join(import.meta.dirname, 'results', quick ? 'quick.json' : 'latest.json');
  const kept = values.only ? earlier(out) : {};
  const m = machine();
  let bundle: Bundle;
  if (values.dist) {
    bundle = { dir: resolve(values.dist), origin: `given: ${values.dist}` };
  } else {
    log('bundling the sources into a temp dir');
    bundle = buildBundle(tmp, values.worktree ? 'worktree' : 'head');
  }
  const dist = bundle.dir;
  const measured: Partial<Results> = {};

  if (wanted.has('startup')) {
    log(`start-up: ${runs} runs of validate and of node -e 0`);
    measured.startup = await measureStartup(bundle.dir, tmp, runs);
    const loaded = new Set(measured.startup.loaded);
    measured.bundle = {
      origin: bundle.origin,
      ...(bundle.buildMs !== undefined ? { buildMs: Math.round(bundle.buildMs) } : {}),
      files: bundleFiles(bundle).map((f) => ({
        ...f,
        validate: loaded.has(f.file),
        contents: contents(bundle, f.file),
      })),
    };
  }
  if (wanted.has('api')) measured.api = await apiPart(dist);
  if (wanted.has('overhead')) measured.overhead = await overheadPart(dist);
  if (wanted.has('delivery')) measured.delivery = await deliveryPart(dist);
  if (wanted.has('capacity')) measured.capacity = await capacity(dist);
  if (wanted.has('aws')) measured.aws = await awsPart(dist);

  m.loadEnd = loadNow();
  const results = {
    ...kept,
    ...measured,
    takenAt: new Date().toISOString(),
    machine: m,
    latencies: LATENCIES,
    taken: {
      ...kept.taken,
      ...Object.fromEntries(
        [...wanted].map((p) => [p, { at: new Date().toISOString(), origin: bundle.origin }]),
      ),
    },
    seconds: Math.round((performance.now() - started) / 1000),
  } as Results;
  process.stdout.write(renderMarkdown(results) + '\n');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  log(`done in ${results.seconds} s; wrote ${relative(process.cwd(), out)}`);
} finally {
  await closeAll();
  removeTemp();
}

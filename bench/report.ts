// The benchmark's results as Markdown tables (printed, and pasted into the README).

import type { ApiRow, CapacityRow, DeliveryRow, OverheadRow } from './analyse.ts';
import type { LifecycleResult, LifecycleStep } from './aws.ts';
import type { BundleFile } from './bundle.ts';
import type { Machine } from './machine.ts';
import type { Latencies } from './scenarios.ts';
import type { StartupResult } from './startup.ts';

export interface Results {
  takenAt: string;
  machine: Machine;
  bundle?: {
    origin: string;
    buildMs?: number;
    files: Array<BundleFile & { validate: boolean; contents: string }>;
  };
  latencies: Latencies;
  /** When each part was measured and of which sources (`--only` keeps the others' figures). */
  taken?: Partial<Record<string, { at: string; origin: string }>>;
  startup?: StartupResult;
  api?: ApiRow[];
  overhead?: OverheadRow[];
  delivery?: DeliveryRow[];
  capacity?: CapacityRow;
  aws?: LifecycleResult & { baseline?: { origin: string; steps: LifecycleStep[] } };
  /** How long the whole benchmark took, in seconds. */
  seconds: number;
}

/** `align`: one letter per column, l or r; default: the first column left, the others right. */
function table(head: string[], rows: string[][], align?: string): string {
  const marks = head.map((_, i) =>
    (align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'l' ? '---' : '---:',
  );
  return [head, marks, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

const ms = (n: number) => `${Math.round(n)} ms`;
const rounds = (n: number, what = 'round') => `${n} ${what}${n === 1 ? '' : 's'}`;
const s = (n: number) => `${(n / 1000).toFixed(1)} s`;
const mib = (n: number) => `${n.toFixed(1)} MiB`;
function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function machineLine(m: Machine): string {
  return (
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os} (Linux ${m.kernel}), Node ${m.node}; ` +
    `1-min load average ${m.loadStart} at the start and ${m.loadEnd ?? '?'} at the end (the machine is shared)`
  );
}

function apiTable(rows: ApiRow[], which: 'deploy' | 'destroy'): string {
  const ops = [...new Set(rows.flatMap((r) => Object.keys(r[which].byOperation)))].sort();
  const head = [
    'operation',
    ...rows.map((r) => `${r.regions} reg · N=${r.instances}${r.secret ? ' + secret' : ''}`),
  ];
  const body = ops.map((op) => [op, ...rows.map((r) => String(r[which].byOperation[op] ?? 0))]);
  body.push(['**total calls**', ...rows.map((r) => `**${r[which].total}**`)]);
  if (which === 'deploy') {
    body.push([
      'goal: SendCommand ≤ rounds × ⌈N per region / 50⌉',
      ...rows.map((r) => `${r.sendCommandBound} (${rounds(r.rounds)})`),
    ]);
  }
  body.push(['wall time', ...rows.map((r) => s(r[which].wallMs))]);
  body.push([
    'action CPU time · peak RSS',
    ...rows.map(
      (r) => `${s(r[which].cpuMs ?? NaN)} · ${Math.round(r[which].maxRssMiB ?? NaN)} MiB`,
    ),
  ]);
  body.push([
    'outcome',
    ...rows.map((r) =>
      r[which].ok
        ? which === 'destroy'
          ? `ok, ${r.leftBehind} left`
          : 'ok'
        : `**failed** (${r[which].error ?? ''})`,
    ),
  ]);
  return table(head, body);
}

function apiSection(api: ApiRow[]): string[] {
  const out: string[] = [];
  out.push('#### API calls by operation (local cloud, simulated instances)');
  out.push('');
  out.push(
    `Deploy of the nodejs-app example (${api[0] ? rounds(api[0].rounds, 'command round') : '? command rounds'}: the steps, the last of which checks the services' health) ` +
      'to N instances in 1 region (us-west-2) or 3 regions (us-west-2, us-east-1, eu-west-1; N split evenly).',
  );
  out.push('');
  out.push(apiTable(api, 'deploy'));
  out.push('');
  out.push('Destroy of the same deployment (found by tag in every region of the manifest):');
  out.push('');
  out.push(apiTable(api, 'destroy'));
  out.push('');

  return out;
}

function overheadSection(rows: OverheadRow[], lat: Latencies): string[] {
  const out: string[] = [];
  out.push('#### Orchestration overhead (goal: under 1.5 s)');
  out.push('');
  out.push(
    `Simulated latencies: running ${lat.pendingMs} ms and OS booted ${lat.bootMs} ms after launch (overlapping), ` +
      `SSM Online ${lat.onlineMs} ms after boot, every command ${lat.commandMs} ms. Simulated critical path = ` +
      `max(running, booted) + Online + command rounds × command time. Overhead = deploy wall time ` +
      `(spawn of \`node dist/index.js\` to exit) − simulated critical path; split with the cloud's call times.`,
  );
  out.push('');
  out.push(
    table(
      [
        'N (1 region)',
        'runs',
        'deploy wall (median)',
        'CPU time (median)',
        'simulated',
        '**overhead** median (min–max)',
        'start-up → 1st call',
        'launch calls',
        'waits beyond simulated',
        'commands beyond simulated',
        'last result → exit',
      ],
      rows.map((o) => [
        String(o.instances),
        String(o.runs.length) + (o.failures.length ? ` (+${o.failures.length} failed)` : ''),
        s(o.wallMs.median),
        s(o.cpuMs.median),
        s(o.median.simulatedMs),
        `**${s(o.overheadMs.median)}** (${s(o.overheadMs.min)}–${s(o.overheadMs.max)})`,
        ms(o.median.startupMs),
        ms(o.median.launchMs),
        ms(o.median.waitBeyondMs),
        ms(o.median.commandsBeyondMs),
        ms(o.median.finishMs),
      ]),
    ),
  );
  out.push('');

  return out;
}

function deliverySection(rows: DeliveryRow[]): string[] {
  const out: string[] = [];
  out.push('#### Delivery of files (goal: commands near the 64 KB limit, sent in parallel)');
  out.push('');
  out.push(
    table(
      [
        'payload (random files)',
        'upload commands (carry + assemble)',
        'file bytes / carry command (median, max)',
        'parameter bytes / SendCommand (median, max)',
        'payload ÷ bytes sent',
        'SendCommands (sent within)',
        'max commands in flight at once',
        'upload time (serial would be)',
      ],
      rows.map((d) => [
        `${size(d.payloadBytes)} in ${d.files} files (largest ${size(d.largestFile)})` +
          (d.ok ? '' : ` **deploy failed** (${d.error ?? ''})`),
        `${d.carryCommands} + ${d.assembleCommands}`,
        `${size(d.payloadPerCommand.median)}, ${size(d.payloadPerCommand.max)}`,
        `${size(d.parameterBytes.median)}, ${size(d.parameterBytes.max)}`,
        `${Math.round(d.efficiency * 100)} %`,
        `${d.sendCommands} (${ms(d.sendSpreadMs)})`,
        String(d.maxCommandsRunning),
        `${s(d.uploadMs)} (${s(d.serialSimulatedMs)})`,
      ]),
    ),
  );
  out.push('');

  return out;
}

function startupSection(st: StartupResult, bundle: NonNullable<Results['bundle']>): string[] {
  const out: string[] = [];
  out.push('#### Start-up (goals: under 100 ms and 60 MiB)');
  out.push('');
  out.push(
    table(
      ['process', 'wall median (min–max)', 'CPU time median', 'peak RSS median (min–max)'],
      [
        [
          '`node dist/index.js`, command validate, examples/nodejs-app' +
            (st.exitCode === 0 && st.errors.length === 0 ? '' : ` (**exit ${st.exitCode}**)`),
          `**${ms(st.wallMs.median)}** (${ms(st.wallMs.min)}–${ms(st.wallMs.max)})`,
          ms(st.cpuMs.median),
          `**${mib(st.maxRssMiB.median)}** (${mib(st.maxRssMiB.min)}–${mib(st.maxRssMiB.max)})`,
        ],
        [
          '`node -e 0` (baseline)',
          `${ms(st.baselineWallMs.median)} (${ms(st.baselineWallMs.min)}–${ms(st.baselineWallMs.max)})`,
          ms(st.baselineCpuMs.median),
          `${mib(st.baselineMaxRssMiB.median)} (${mib(st.baselineMaxRssMiB.min)}–${mib(st.baselineMaxRssMiB.max)})`,
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    `${st.wallMs.runs} timed runs of each, interleaved, after 3 warm-up runs; wall time from spawn to exit; ` +
      `peak RSS (VmHWM of /proc/self/status) and CPU time (\`process.resourceUsage()\`) written at exit ` +
      `by a preload module (\`node --import\`) in ${st.maxRssMiB.runs} more runs of each. ` +
      `1-min load average ${st.load} when this part started.`,
  );
  out.push('');
  const files = [...bundle.files].sort((a, b) => b.bytes - a.bytes);
  const loaded = files.filter((f) => f.validate);
  const total = (fs: BundleFile[]) => fs.reduce((n, f) => n + f.bytes, 0);
  const small = files.filter((f) => !f.validate && f.bytes < 10 * 1024);
  out.push(
    `Bundle: ${files.length} .js files, ${size(total(files))} in all; validate loads ${loaded.length} of them, ` +
      `${size(total(loaded))}:`,
  );
  out.push('');
  out.push(
    table(
      ['file', 'mostly', 'size', 'loaded by validate'],
      [
        ...files
          .filter((f) => f.validate || f.bytes >= 10 * 1024)
          .map((f) => [`\`dist/${f.file}\``, f.contents, size(f.bytes), f.validate ? 'yes' : '']),
        [`${small.length} other files under 10 KiB`, '', size(total(small)), ''],
      ],
      'llrl',
    ),
  );
  out.push('');
  const what = new Map(files.map((f) => [f.file, f.contents]));
  out.push(
    "Where validate's start-up goes: each file it loads, imported alone by `node -e` " +
      '(so with everything that file imports), median of 7; the largest first:',
  );
  out.push('');
  out.push(
    table(
      ['imported', 'mostly', 'wall', 'peak RSS'],
      [
        ...st.imports.filter((i) => !i.file.startsWith('(')).slice(0, 7),
        ...st.imports.filter((i) => i.file.startsWith('(')),
      ].map((i) => [
        i.file.startsWith('(') ? i.file : `\`dist/${i.file}\``,
        what.get(i.file) ?? '',
        ms(i.wallMs),
        mib(i.maxRssMiB),
      ]),
      'llrr',
    ),
  );
  out.push('');
  return out;
}

function capacitySection(c: CapacityRow): string[] {
  const m = c.median;
  return [
    '#### Empty capacity pools (goal: under 1 s beyond the calls before the third pool launches)',
    '',
    'A deploy of 1 instance whose manifest lists t3.micro, t3a.micro and t2.micro, with the local ' +
      "cloud's spot capacity for the first two set to 0 (`--capacity`): EC2 answers " +
      '`InsufficientInstanceCapacity` with HTTP 500, which the SDK would retry as a transient ' +
      "error. Beyond = start of the third pool's RunInstances − start of the first − the first " +
      "two pools' call times: what the action spends between pools (backoff, bookkeeping).",
    '',
    table(
      ['runs', '**beyond the calls** median (min–max)', 'RunInstances per pool (median run)'],
      [
        [
          String(c.runs.length) +
            (c.failures.length ? ` (${c.failures.length} deploys failed later)` : ''),
          `**${ms(c.beyondMs.median)}** (${ms(c.beyondMs.min)}–${ms(c.beyondMs.max)})`,
          m.pools.map((p) => `${p.pool}: ${p.calls} → ${p.result}`).join('; '),
        ],
      ],
      'rrl',
    ),
    '',
  ];
}

function awsSection(a: NonNullable<Results['aws']>): string[] {
  const lat = a.latencies;
  const before = new Map((a.baseline?.steps ?? []).map((x) => [x.name, x]));
  const was = (name: string, f: (x: LifecycleStep) => string) => {
    const b = before.get(name);
    return b ? ` (${f(b)})` : '';
  };
  const head = [
    'step',
    'wall time' + (a.baseline ? ' (before)' : ''),
    'critical path',
    '**overhead** (goal: < 3 s)',
    'command rounds',
    'launched',
    'API calls' + (a.baseline ? ' (before; goal: as many or fewer)' : ''),
    'outcome',
  ];
  const rows = a.steps.map((x) => [
    x.name,
    s(x.wallMs) + was(x.name, (b) => s(b.wallMs)),
    s(x.criticalMs),
    `**${s(x.overheadMs)}**`,
    String(x.rounds) + was(x.name, (b) => String(b.rounds)),
    String(x.launched),
    String(x.calls) + was(x.name, (b) => String(b.calls)),
    x.ok
      ? [x.changed ? `changed ${x.changed}` : 'ok', x.healed ? `healed ${x.healed}` : '']
          .filter(Boolean)
          .join(', ')
      : `**failed** (${x.error ?? ''})`,
  ]);
  return [
    '#### At AWS latencies (goal: overhead under 3 s for each step)',
    '',
    `One deployment of ${a.instances} instances in one region, taken through its life on the ` +
      `simulated backend at AWS-like latencies: running ${s(lat.pendingMs)} and OS booted ` +
      `${s(lat.bootMs)} after launch, SSM Online ${s(lat.onlineMs)} after boot, each command ` +
      `${s(lat.commandMs)}, shutting-down → terminated ${s(lat.terminateMs)}. Critical path = ` +
      'boot + Online when the step launches, plus command rounds × command time (a round: ' +
      'commands that overlap on one instance). Retiring or destroying costs none of it: EC2 ' +
      'stops billing at shutting-down. Overhead = wall time − critical path.' +
      (a.baseline ? ` Before: the bundle ${a.baseline.origin}.` : ''),
    '',
    table(head, rows),
    '',
    '![One AWS-latency deploy as a timeline](bench/results/aws-timeline.svg)',
    '',
  ];
}

const SECTIONS: Array<[string, (r: Results) => string[] | undefined]> = [
  ['aws', (r) => (r.aws ? awsSection(r.aws) : undefined)],
  ['api', (r) => (r.api ? apiSection(r.api) : undefined)],
  ['overhead', (r) => (r.overhead ? overheadSection(r.overhead, r.latencies) : undefined)],
  ['delivery', (r) => (r.delivery ? deliverySection(r.delivery) : undefined)],
  ['capacity', (r) => (r.capacity ? capacitySection(r.capacity) : undefined)],
  ['startup', (r) => (r.startup && r.bundle ? startupSection(r.startup, r.bundle) : undefined)],
];

export function renderMarkdown(r: Results): string {
  const out: string[] = [];
  out.push(`Taken ${stamp(r.takenAt)} UTC on ${machineLine(r.machine)}.`);
  const taken = r.taken ?? {};
  const origins = new Set(Object.values(taken).map((t) => t?.origin));
  if (origins.size <= 1)
    out.push(`The action measured: ${[...origins][0] ?? r.bundle?.origin ?? '?'}.`);
  out.push('');
  for (const [part, render] of SECTIONS) {
    const lines = render(r);
    if (!lines) continue;
    const t = taken[part];
    if (t && (origins.size > 1 || stamp(t.at) !== stamp(r.takenAt))) {
      lines.splice(2, 0, `Measured ${stamp(t.at)} UTC; the action: ${t.origin}.`, '');
    }
    out.push(...lines);
  }
  return out.join('\n');
}

const stamp = (iso: string) => iso.slice(0, 16).replace('T', ' ');

// The job summary (Markdown): instances with state and health, what was delivered, time per
// phase, estimated cost. Built as text by pure functions; written once at the end.

import type { InstanceRecord } from './outputs.ts';

export interface Phase {
  name: string;
  ms: number;
}

export interface DeliveredStep {
  id: string;
  description: string;
  bytes: number;
  instances: number;
  failed: number;
  ms: number;
}

export interface DeployReport {
  deploymentId: string;
  outcome: 'succeeded' | 'failed' | 'cancelled';
  /** One line saying why, when it did not succeed. */
  reason?: string;
  requested: number;
  instances: ReadonlyArray<InstanceRecord & { cause?: string }>;
  steps: DeliveredStep[];
  phases: Phase[];
  launch: string[];
  costPerHour?: number;
  costNotes: string[];
  /** What happened to failed instances (terminated, kept). */
  cleanup: string[];
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

export function instanceTable(
  instances: ReadonlyArray<InstanceRecord & { cause?: string }>,
): string {
  if (instances.length === 0) return '_No instances._';
  return table(
    [
      'instance',
      'region',
      'zone',
      'type',
      'lifecycle',
      'state',
      'public IP',
      'private IP',
      'health',
    ],
    instances.map((i) => [
      `\`${i.id}\``,
      i.region,
      i.zone,
      i.type,
      i.lifecycle,
      i.state,
      i['public-ip'],
      i['private-ip'],
      i.cause ? `${i.health}: ${i.cause}` : i.health,
    ]),
  );
}

export function renderDeploySummary(r: DeployReport): string {
  const healthy = r.instances.filter((i) => i.health === 'healthy').length;
  const total = r.phases.reduce((n, p) => n + p.ms, 0);
  const out: string[] = [
    `## Spot deploy \`${r.deploymentId}\`: ${r.outcome}`,
    '',
    `${healthy} of ${r.requested} instance${r.requested === 1 ? '' : 's'} healthy, ${secs(total)} in all.` +
      (r.reason
        ? `\n\n**${r.outcome === 'cancelled' ? 'Cancelled' : 'Failed'}:** ${r.reason}`
        : ''),
    '',
    '### Instances',
    '',
    instanceTable(r.instances),
    '',
  ];
  if (r.cleanup.length > 0) out.push(...r.cleanup.map((c) => `- ${c}`), '');
  if (r.steps.length > 0) {
    const bytes = r.steps.reduce((n, s) => n + s.bytes, 0);
    out.push(
      '### Delivered',
      '',
      table(
        ['step', 'what', 'payload', 'instances', 'failed', 'time'],
        r.steps.map((s) => [
          s.id,
          s.description,
          formatBytes(s.bytes),
          String(s.instances),
          String(s.failed),
          secs(s.ms),
        ]),
      ),
      '',
      `${r.steps.length} step${r.steps.length === 1 ? '' : 's'}, ${formatBytes(bytes)} of files per instance.`,
      '',
    );
  }
  out.push(
    '### Time',
    '',
    table(
      ['phase', 'time'],
      r.phases.map((p) => [p.name, secs(p.ms)]),
    ),
    '',
  );
  if (r.launch.length > 0) out.push('### Launch', '', ...r.launch.map((l) => `- ${l}`), '');
  out.push('### Cost', '');
  out.push(
    r.costPerHour !== undefined
      ? `Estimated **$${r.costPerHour.toFixed(4)} per hour** at the current spot prices.`
      : 'No cost estimate.',
  );
  if (r.costNotes.length > 0) out.push('', ...r.costNotes.map((n) => `- ${n}`));
  out.push('');
  return out.join('\n');
}

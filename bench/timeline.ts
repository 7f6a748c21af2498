// One AWS-latency deploy as an SVG timeline: a row per phase of the action (from its debug
// log), one for its API calls, and a row per instance (from the local cloud's records:
// launch, running, booted, SSM Online, each command it ran, termination).

import type { LifecycleStep } from './aws.ts';
import type { Latencies } from './scenarios.ts';

const WIDTH = 1000;
const LABEL = 260;
const ROW = 22;
const TOP = 34;
const COLORS = {
  phase: '#4c78a8',
  failed: '#e45756',
  pending: '#bab0ac',
  boot: '#9ecae9',
  agent: '#72b7b2',
  command: '#f58518',
  ec2: '#54a24b',
  ssm: '#b279a2',
  shutting: '#d6d6d6',
};

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Bar {
  start: number;
  end: number;
  color: string;
  title: string;
}

interface Row {
  label: string;
  bars: Bar[];
}

function rowsOf(s: LifecycleStep, lat: Latencies): Row[] {
  const calls = s.callTimes;
  const rows: Row[] = s.phases.map((p) => ({
    label: p.name,
    bars: [
      {
        start: p.start,
        end: p.end,
        color: p.state === 'failed' ? COLORS.failed : COLORS.phase,
        title: `${p.name}: ${((p.end - p.start) / 1000).toFixed(1)} s`,
      },
    ],
  }));
  rows.push({
    label: `API calls (${calls.length})`,
    bars: calls.map((c) => ({
      start: c.at,
      end: c.at + Math.max(c.ms, 1),
      color: c.service === 'ssm' ? COLORS.ssm : COLORS.ec2,
      title: `${c.op} (${c.ms} ms)`,
    })),
  });
  for (const i of s.instances) {
    const bars: Bar[] = [];
    if (i.launchedAt !== undefined) {
      const running = i.launchedAt + lat.pendingMs;
      const booted = i.launchedAt + lat.bootMs;
      bars.push({ start: i.launchedAt, end: running, color: COLORS.pending, title: 'pending' });
      bars.push({ start: running, end: booted, color: COLORS.boot, title: 'running, booting' });
      if (i.onlineAt !== undefined) {
        bars.push({ start: booted, end: i.onlineAt, color: COLORS.agent, title: 'SSM agent' });
      }
    }
    for (const c of i.commands) {
      bars.push({ ...c, color: COLORS.command, title: `command: ${c.comment}` });
    }
    if (i.terminateAt !== undefined) {
      const end = Math.min(i.terminateAt + lat.terminateMs, s.endedAt);
      bars.push({ start: i.terminateAt, end, color: COLORS.shutting, title: 'shutting-down' });
    }
    rows.push({ label: i.id, bars });
  }
  return rows;
}

/** The SVG of one step of the lifecycle. */
export function renderTimeline(s: LifecycleStep, lat: Latencies, title: string): string {
  const rows = rowsOf(s, lat);
  const t0 = s.startedAt;
  const span = Math.max(1, s.endedAt - t0);
  const plot = WIDTH - LABEL - 20;
  const x = (t: number) => LABEL + (Math.min(Math.max(t, t0), s.endedAt) - t0) * (plot / span);
  const height = TOP + rows.length * ROW + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" ` +
      `viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  const step = span > 60_000 ? 10_000 : span > 20_000 ? 5_000 : 1_000;
  for (let t = 0; t <= span; t += step) {
    const gx = x(t0 + t).toFixed(1);
    out.push(
      `<line x1="${gx}" y1="${TOP - 4}" x2="${gx}" y2="${TOP + rows.length * ROW}" stroke="#eee"/>`,
      `<text x="${gx}" y="${TOP + rows.length * ROW + 16}" text-anchor="middle" fill="#555">${t / 1000} s</text>`,
    );
  }
  rows.forEach((r, n) => {
    const y = TOP + n * ROW;
    out.push(`<text x="10" y="${y + 15}" fill="#222">${esc(r.label)}</text>`);
    for (const b of r.bars) {
      const bx = x(b.start);
      const w = Math.max(1, x(b.end) - bx);
      out.push(
        `<rect x="${bx.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 6}" ` +
          `fill="${b.color}"><title>${esc(b.title)}</title></rect>`,
      );
    }
  });
  const legend: Array<[string, string]> = [
    ['action phase', COLORS.phase],
    ['EC2 call', COLORS.ec2],
    ['SSM call', COLORS.ssm],
    ['pending', COLORS.pending],
    ['booting', COLORS.boot],
    ['SSM agent starting', COLORS.agent],
    ['command', COLORS.command],
    ['shutting-down', COLORS.shutting],
  ];
  let lx = 10;
  const ly = height - 12;
  for (const [name, color] of legend) {
    out.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${color}"/>`,
      `<text x="${lx + 16}" y="${ly}" fill="#333">${esc(name)}</text>`,
    );
    lx += 34 + name.length * 7;
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

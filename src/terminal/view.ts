// The terminal view as pure functions of a state: the phases (with a mark for their state)
// and a table of instances (region, zone, type, spot/on-demand, state, health), as lines.
// terminal/output.ts draws them live on a terminal, or as plain lines when not one.

import type { InstanceRecord } from '../report/outputs.ts';

export type PhaseState = 'pending' | 'running' | 'done' | 'failed';

export interface ViewPhase {
  name: string;
  state: PhaseState;
  detail?: string;
}

/** What the view shows of an instance: the step outputs' record, without the addresses. */
export type ViewInstance = Pick<
  InstanceRecord,
  'id' | 'region' | 'zone' | 'type' | 'lifecycle' | 'state' | 'health'
>;

export interface ViewState {
  title: string;
  phases: ViewPhase[];
  instances: ViewInstance[];
}

const MARK: Record<PhaseState, string> = { pending: '·', running: '…', done: '✓', failed: '✗' };

export function phaseLine(p: ViewPhase): string {
  return `${MARK[p.state]} ${p.name}${p.detail ? `: ${p.detail}` : ''}`;
}

/** Columns padded to their widest cell, two spaces apart; no trailing blanks. */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(width[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export const INSTANCE_COLUMNS = ['instance', 'region', 'zone', 'type', 'market', 'state', 'health'];

export function instanceLines(instances: readonly ViewInstance[]): string[] {
  return textTable(
    INSTANCE_COLUMNS,
    instances.map((i) => [
      i.id,
      i.region,
      i.zone || '-',
      i.type,
      i.lifecycle,
      i.state,
      i.health || '-',
    ]),
  );
}

export function renderView(s: ViewState): string[] {
  return [
    s.title,
    ...s.phases.map((p) => `  ${phaseLine(p)}`),
    ...(s.instances.length > 0 ? ['', ...instanceLines(s.instances)] : []),
  ];
}

/** Each line of `text` with `prefix ` before it (no trailing empty line). */
export function prefixLines(prefix: string, text: string): string[] {
  const lines = text.replace(/\n+$/, '').split('\n');
  return text.trim() === '' ? [] : lines.map((l) => `${prefix} ${l}`);
}

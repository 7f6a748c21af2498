// A light check of a systemd unit file before it is shipped: readable text with a
// [Service] section and an ExecStart=. (systemd-analyze verify is the full check; it is
// not available where the action runs validate.)

import type { Diagnostic } from '../diagnostics.ts';
import { readTextFile } from './yaml.ts';

export async function checkUnitFile(
  abs: string,
  file: string,
  enabled: boolean,
): Promise<Diagnostic[]> {
  const read = await readTextFile(abs, file, 'the unit file');
  if (read.text === undefined) return read.diagnostics;
  const out: Diagnostic[] = [];
  const at = (line: number, severity: Diagnostic['severity'], message: string) =>
    out.push({ file, line, col: line > 0 ? 1 : 0, severity, message });
  let section = '';
  const sections = new Set<string>();
  let execStart = false;
  let install = false;
  let continued = false;
  read.text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const wasContinued = continued;
    continued = line.endsWith('\\') && !line.startsWith('#') && !line.startsWith(';');
    if (wasContinued || line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      sections.add(section);
      return;
    }
    const key = /^([A-Za-z0-9]+)\s*=/.exec(line)?.[1];
    if (key === undefined) {
      at(i + 1, 'error', `not a 'Key=value' line or a [Section] header: ${line.slice(0, 60)}`);
      return;
    }
    if (section === '') at(i + 1, 'error', `'${key}=' comes before any [Section] header`);
    if (section === 'Service' && key === 'ExecStart') execStart = true;
    if (section === 'Install' && /^(WantedBy|RequiredBy|UpheldBy|Alias|Also)$/.test(key))
      install = true;
  });
  if (!sections.has('Service')) at(0, 'error', 'has no [Service] section; is it a service unit?');
  else if (!execStart) at(0, 'error', 'has no ExecStart= in its [Service] section');
  if (enabled && !install) {
    at(
      0,
      'warning',
      'has no [Install] section with WantedBy= (e.g. WantedBy=multi-user.target), so enabling it does nothing',
    );
  }
  return out;
}

// The workflow commands the action uses: inputs, log lines, groups, annotations, masks,
// outputs, state for the post step, the job summary and the failure status.
//
// Why not @actions/core: bundled, it pulls in an HTTP client (undici, for OIDC, which this
// action never asks for) that costs about 120 ms and 26 MiB to load. For `validate` that is
// more than the command itself; for `deploy` it sits between the start and the first AWS
// call, where users wait. @actions/core is still the reference: __tests__/unit/runner.test.ts
// checks that every function here writes exactly what @actions/core writes for the same call.
// (@actions/cache and @actions/github use it themselves, when the record or the pull request
// comment needs them.)

import { appendFileSync, existsSync } from 'node:fs';
import { access, appendFile, constants } from 'node:fs/promises';
import { EOL } from 'node:os';

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

const escapeData = (s: string) =>
  s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

type Fields = Array<[string, string | number | undefined]>;

/** Annotation properties in the order, and under the names, the runner reads them. */
const annotationFields = (p: AnnotationProperties = {}): Fields => [
  ['title', p.title],
  ['file', p.file],
  ['line', p.startLine],
  ['endLine', p.endLine],
  ['col', p.startColumn],
  ['endColumn', p.endColumn],
];

function issue(command: string, message: string, fields: Fields = []): void {
  // Empty and zero values are left out, as the runner's own toolkit leaves them out.
  const list = fields
    .filter(([, v]) => v !== undefined && v !== '' && v !== 0)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  process.stdout.write(`::${command}${list ? ` ${list}` : ''}::${escapeData(message)}${EOL}`);
}

/** The value of input `name` (INPUT_<NAME>, spaces as '_'), trimmed; '' when absent. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function debug(message: string): void {
  issue('debug', message);
}

export function warning(message: string, props?: AnnotationProperties): void {
  issue('warning', message, annotationFields(props));
}

export function notice(message: string, props?: AnnotationProperties): void {
  issue('notice', message, annotationFields(props));
}

export function error(message: string, props?: AnnotationProperties): void {
  issue('error', message, annotationFields(props));
}

/** Masks `value` in every later log line of the job. */
export function setSecret(value: string): void {
  issue('add-mask', value);
}

export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** Appends a `name<<delimiter` record to the file the runner named in `variable`. */
function fileCommand(path: string, name: string, value: string): void {
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  // node:crypto is loaded here, not at start-up: its module graph costs ~10 ms to load.
  const { randomUUID } = process.getBuiltinModule('node:crypto');
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error('Unexpected input: output name or value contains the delimiter');
  }
  appendFileSync(path, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT ?? '';
  if (file === '') {
    process.stdout.write(EOL);
    issue('set-output', value, [['name', name]]);
    return;
  }
  fileCommand(file, name, value);
}

/** Saves state for this action's post step (which reads it with getState). */
export function saveState(name: string, value: string): void {
  const file = process.env.GITHUB_STATE ?? '';
  if (file === '') {
    issue('save-state', value, [['name', name]]);
    return;
  }
  fileCommand(file, name, value);
}

/** State the main step saved, in the post step; '' when there is none. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] || '';
}

export function startGroup(name: string): void {
  issue('group', name);
}

export function endGroup(): void {
  issue('endgroup', '');
}

/** Runs `fn` inside a collapsed log group. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  startGroup(name);
  try {
    return await fn();
  } finally {
    endGroup();
  }
}

/** Appends Markdown (and a newline) to the job summary file, as
 * `core.summary.addRaw(markdown, true).write()` does. */
export async function appendSummary(markdown: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) {
    throw new Error(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
    );
  }
  try {
    await access(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(
      `Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`,
    );
  }
  await appendFile(file, markdown + EOL, { encoding: 'utf8' });
}

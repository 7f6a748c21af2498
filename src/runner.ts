// The few workflow commands the action's entry needs before it knows which command runs:
// inputs, log lines, annotations, masks, outputs and the failure status.
//
// Why not @actions/core here: bundled, it pulls in an HTTP client (undici, for OIDC) that
// costs about 120 ms and 26 MiB at start-up, more than `validate` takes in all. The deploy,
// destroy and status commands still use @actions/core for everything else (summary, state,
// groups); they load it with the AWS SDK. __tests__/unit/runner.test.ts checks that every
// function here writes exactly what @actions/core writes for the same call.

import { appendFileSync, existsSync } from 'node:fs';
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

export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT ?? '';
  if (file === '') {
    process.stdout.write(EOL);
    issue('set-output', value, [['name', name]]);
    return;
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  // node:crypto is loaded here, not at start-up: its module graph costs ~10 ms to load.
  const { randomUUID } = process.getBuiltinModule('node:crypto');
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error('Unexpected input: output name or value contains the delimiter');
  }
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

// Reading a manifest file: size, binary and encoding checks, YAML parsing with positions,
// and mapping a path inside the data back to a line and column of the source.
// Nothing here throws for bad input: every problem becomes a located Diagnostic.

import { isUtf8 } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Node,
} from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';

/** Manifest files larger than this are refused before parsing. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** yaml's guard against alias expansion bombs ("billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** Flow collections nested deeper than this are refused before parsing (the parser recurses). */
export const MAX_FLOW_DEPTH = 64;

/** A path into parsed data: map keys and sequence indices. */
export type DataPath = ReadonlyArray<string | number>;

/** A data path as a JSON Pointer (RFC 6901), as the schema validator reports paths. */
export const pointerOf = (path: DataPath): string =>
  path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

export interface Position {
  line: number;
  col: number;
}

export interface YamlFile {
  /** Relative to the deployment root, '/'-separated. */
  file: string;
  /** The document when the file parsed without error, else undefined. */
  doc?: Document.Parsed;
  lineCounter: LineCounter;
  /** The plain data (undefined when the file could not be read or parsed). */
  data: unknown;
  diagnostics: Diagnostic[];
}

export interface TextFile {
  file: string;
  text?: string;
  diagnostics: Diagnostic[];
}

/** Position of a byte offset in a buffer (1-based line and column, columns in characters). */
function bufferPosition(buf: Buffer, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (buf[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: buf.subarray(lineStart, offset).toString('utf8').length + 1 };
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) n = 0;
    else if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c === undefined || c < min || c > max) return i;
    }
    i += n + 1;
  }
  return -1;
}

/**
 * Reads a small text file of the user's: refuses missing, huge, binary and non-UTF-8 files
 * with a located message. `what` names the file's role in messages.
 */
export async function readTextFile(absPath: string, file: string, what: string): Promise<TextFile> {
  const fail = (message: string, pos: Position = { line: 0, col: 0 }): TextFile => ({
    file,
    diagnostics: [{ file, line: pos.line, col: pos.col, severity: 'error', message }],
  });
  let size: number;
  try {
    const st = await stat(absPath);
    if (!st.isFile()) return fail(`${what} is not a regular file`);
    size = st.size;
  } catch {
    return fail(`${what} not found`);
  }
  if (size > MAX_FILE_BYTES) {
    return fail(
      `${what} is ${(size / 1024 / 1024).toFixed(1)} MiB; the limit is ${MAX_FILE_BYTES / 1024 / 1024} MiB`,
    );
  }
  let buf: Buffer;
  try {
    buf = await readFile(absPath);
  } catch (e) {
    return fail(`${what} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    return fail(
      `${what} is a binary file (it contains a NUL byte); expected text`,
      bufferPosition(buf, nul),
    );
  }
  // The native check is fast; the position is computed only for a file that fails it.
  const bad = isUtf8(buf) ? -1 : firstInvalidUtf8(buf);
  if (bad >= 0) {
    return fail(`${what} is not valid UTF-8 text`, bufferPosition(buf, bad));
  }
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { file, text, diagnostics: [] };
}

/** Deepest nesting of flow collections ([ and {) outside quoted strings and comments. */
function flowDepth(text: string): { depth: number; offset: number } {
  let depth = 0;
  let max = 0;
  let at = 0;
  let quote = '';
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (comment) {
      if (c === '\n') comment = false;
    } else if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) comment = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth > max) {
        max = depth;
        at = i;
      }
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return { depth: max, offset: at };
}

const YAML_MESSAGES: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'tabs cannot indent YAML; use spaces',
  BLOCK_AS_IMPLICIT_KEY: 'a mapping cannot start on the same line as a key (check the indentation)',
  MULTILINE_IMPLICIT_KEY: 'a key must be on a single line (check the indentation above)',
  BAD_INDENT: 'unexpected indentation',
  MISSING_CHAR: 'missing a closing character',
  BAD_SCALAR_START: 'this value must be quoted',
};

/**
 * Reads and parses one YAML manifest file. `expect` says what its top level should hold,
 * e.g. "a mapping with aws: and regions:".
 */
/** The parser's errors (one per kind: a broken file can yield hundreds) and warnings. */
function parseProblems(doc: Document.Parsed, file: string, lineCounter: LineCounter): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const err = (message: string, offset: number): Diagnostic => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, col: pos.col, severity: 'error', message };
  };
  const seen = new Set<string>();
  for (const e of doc.errors) {
    if (seen.has(e.code)) continue;
    seen.add(e.code);
    if (e.code === 'DUPLICATE_KEY') {
      diagnostics.push(err(duplicateKeyMessage(doc, e.pos[0], lineCounter), e.pos[0]));
    } else if (e.code === 'RESOURCE_EXHAUSTION') {
      diagnostics.push(err('YAML nested too deeply to read', e.pos[0]));
    } else {
      const m = YAML_MESSAGES[e.code] ?? e.message.replace(/ at line \d+, column \d+.*$/s, '');
      diagnostics.push(err(`YAML syntax: ${m}`, e.pos[0]));
    }
  }
  for (const w of doc.warnings) {
    const pos = lineCounter.linePos(w.pos[0]);
    diagnostics.push({
      file,
      ...pos,
      severity: 'warning',
      message: `YAML: ${w.message.replace(/ at line \d+, column \d+.*$/s, '')}`,
    });
  }
  return diagnostics;
}

/**
 * Reads one YAML document. An empty file (nothing but comments) is an error naming what was
 * `expect`ed, unless `emptyMeans` is given: then the file stands for that value.
 */
export async function readYamlFile(
  absPath: string,
  file: string,
  expect: string,
  emptyMeans?: Record<string, never>,
): Promise<YamlFile> {
  const lineCounter = new LineCounter();
  const base: YamlFile = { file, lineCounter, data: undefined, diagnostics: [] };
  const read = await readTextFile(absPath, file, file);
  if (read.text === undefined) return { ...base, diagnostics: read.diagnostics };
  const text = read.text;
  const err = (message: string, offset?: number): Diagnostic => {
    const pos = offset === undefined ? { line: 0, col: 0 } : lineCounter.linePos(offset);
    return { file, line: pos.line, col: pos.col, severity: 'error', message };
  };

  const flow = flowDepth(text);
  if (flow.depth > MAX_FLOW_DEPTH) {
    // The parser has not run, so the line counter is empty: count here.
    const before = text.slice(0, flow.offset);
    const pos = { line: before.split('\n').length, col: flow.offset - before.lastIndexOf('\n') };
    return {
      ...base,
      diagnostics: [
        {
          file,
          ...pos,
          severity: 'error',
          message: `YAML nested more than ${MAX_FLOW_DEPTH} levels deep; a manifest never needs that`,
        },
      ],
    };
  }

  const docs = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
  });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0 || list.every((d) => d.contents === null)) {
    if (emptyMeans !== undefined && list.every((d) => d.errors.length === 0)) {
      return { ...base, data: emptyMeans };
    }
    return { ...base, diagnostics: [err(`${file} is empty; expected ${expect}`)] };
  }
  if (list.length > 1) {
    const second = list[1]!;
    return {
      ...base,
      diagnostics: [
        err(
          `${file} holds ${list.length} YAML documents (separated by ---); put everything in one`,
          second.range[0],
        ),
      ],
    };
  }
  const doc = list[0]!;
  const diagnostics = parseProblems(doc, file, lineCounter);
  if (diagnostics.some((d) => d.severity === 'error')) return { ...base, diagnostics };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message =
      e instanceof ReferenceError && /alias/i.test(e.message)
        ? `YAML aliases (*name) expand to too much data (more than ${MAX_ALIAS_COUNT} uses); write the values out`
        : `YAML cannot be read: ${e instanceof Error ? e.message : String(e)}`;
    return { ...base, diagnostics: [...diagnostics, err(message, doc.contents?.range[0] ?? 0)] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const found = Array.isArray(data) ? 'a list' : data === null ? 'nothing' : `a single value`;
    return {
      ...base,
      diagnostics: [
        ...diagnostics,
        err(`${file} must be ${expect}; found ${found}`, doc.contents?.range[0] ?? 0),
      ],
    };
  }
  diagnostics.push(...structureProblems(doc, file, lineCounter));
  return { ...base, doc, data, diagnostics };
}

function duplicateKeyMessage(doc: Document.Parsed, offset: number, lc: LineCounter): string {
  let message = 'duplicate key';
  visit(doc, {
    Map(_, map) {
      const firsts = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const name = String(pair.key.value);
        const first = firsts.get(name);
        if (pair.key.range[0] === offset && first !== undefined) {
          message = `duplicate key '${name}' (first at line ${lc.linePos(first).line})`;
          return visit.BREAK;
        }
        if (first === undefined) firsts.set(name, pair.key.range[0]);
      }
      return undefined;
    },
  });
  return message;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Names a control character for a message. */
export function controlCharName(s: string): string | undefined {
  const m = CONTROL.exec(s);
  if (!m) return undefined;
  const c = m[0];
  if (c === '\n') return 'a newline';
  if (c === '\r') return 'a carriage return';
  if (c === '\t') return 'a tab';
  return `control character U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
}

/** Keys that are not plain text, and text (keys and values) holding control characters. */
function structureProblems(doc: Document.Parsed, file: string, lc: LineCounter): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (node: Node, message: string) => {
    const pos = lc.linePos(node.range?.[0] ?? 0);
    out.push({ file, ...pos, severity: 'error', message });
  };
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      if (isNode(key) && !isScalar(key))
        at(key, 'keys must be plain text, not a list or a mapping');
      else if (isScalar(key) && (key.value === null || typeof key.value === 'object')) {
        at(key, 'keys must be plain text');
      }
    },
    Scalar(_, node) {
      if (typeof node.value !== 'string') return;
      const c = controlCharName(node.value);
      if (c) at(node, `text must not contain ${c}: ${JSON.stringify(node.value).slice(0, 60)}`);
    },
  });
  return out;
}

function isNode(x: unknown): x is Node {
  return isScalar(x) || isMap(x) || isSeq(x) || isAlias(x);
}

export interface Located {
  /** The value's node (undefined when the path does not exist in the file). */
  node?: Node;
  /** The key node of the last map step that was taken. */
  keyNode?: Node;
  /** True when every step of the path was found. */
  complete: boolean;
}

/** Follows a data path through the document, keeping the nodes met on the way. */
export function findNode(doc: Document.Parsed, path: DataPath): Located {
  let current: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const seg of path) {
    if (isAlias(current)) current = current.resolve(doc);
    if (isMap(current)) {
      const pair = current.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair)
        return {
          ...(isNode(current) ? { node: current } : {}),
          ...(keyNode ? { keyNode } : {}),
          complete: false,
        };
      keyNode = pair.key as Node;
      current = pair.value;
    } else if (isSeq(current)) {
      const item = current.items[Number(seg)];
      if (item === undefined)
        return { node: current, ...(keyNode ? { keyNode } : {}), complete: false };
      current = item;
    } else {
      return {
        ...(isNode(current) ? { node: current } : {}),
        ...(keyNode ? { keyNode } : {}),
        complete: false,
      };
    }
  }
  if (isAlias(current)) current = current.resolve(doc);
  return {
    ...(isNode(current) ? { node: current } : {}),
    ...(keyNode ? { keyNode } : {}),
    complete: true,
  };
}

/**
 * Line and column of a path. 'value' points at the value (or its key when the value is
 * empty); 'key' at the key of the last segment; 'container' at the key that holds the
 * mapping or list at `path` (for "missing key" messages), or the top of the file.
 */
export function locate(
  y: YamlFile,
  path: DataPath,
  mode: 'value' | 'key' | 'container' = 'value',
): Position {
  // Data without a document: an empty file read as empty, whose start stands for it all.
  if (!y.doc) return y.data !== undefined ? { line: 1, col: 1 } : { line: 0, col: 0 };
  const found = findNode(y.doc, path);
  let offset: number | undefined;
  if (mode === 'key') {
    offset = found.complete ? found.keyNode?.range?.[0] : found.node?.range?.[0];
  } else if (mode === 'container') {
    if (path.length === 0) offset = y.doc.contents?.range?.[0];
    else if (!found.complete) offset = found.node?.range?.[0];
    // A list item has no key: point at the item itself; a mapping at the key that holds it.
    else if (typeof path[path.length - 1] === 'number') offset = found.node?.range?.[0];
    else offset = found.keyNode?.range?.[0];
  } else {
    const node = found.node;
    const empty =
      isScalar(node) && node.value === null && node.range && node.range[0] === node.range[1];
    offset = empty || !node?.range ? found.keyNode?.range?.[0] : node.range[0];
    if (offset === undefined) offset = node?.range?.[0];
  }
  if (offset === undefined) return { line: 1, col: 1 };
  return y.lineCounter.linePos(offset);
}

/** The source text of a scalar (e.g. "0644" for a plain number), when it was parsed. */
export function sourceText(y: YamlFile, path: DataPath): string | undefined {
  if (!y.doc) return undefined;
  const { node, complete } = findNode(y.doc, path);
  if (!complete || !isScalar(node)) return undefined;
  return typeof node.source === 'string' ? node.source : undefined;
}

/** "deployment.uploads[0].destination" */
export function displayPath(path: DataPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

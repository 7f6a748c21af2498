// Files travel inside the SSM commands themselves, base64 in here-documents. Small files
// are installed by the command that carries them; a file too large for one command is cut
// into parts that land in the staging directory (the commands carrying them may run in
// parallel) and an `assemble` command joins, verifies and installs them afterwards.
//
// The SSM limit is 64 KB for the document plus its parameters. Measured: AWS-RunShellScript's
// document is 917 bytes of JSON compact (1,161 pretty-printed), and the rest of a SendCommand
// request with 50 instance ids, a 100-character comment and the timeouts is 1,405 bytes. So
// one script may take COMMAND_BUDGET = 62,000 bytes (leaving ~970 bytes spare), counted as
// they appear in the request: UTF-8 after JSON escaping (a newline costs two bytes). A full
// upload command carries about 44.7 KB of file bytes (base64 costs a third more).

import type { DeliveredFile } from './files.ts';
import { type Helper, preludeReserve } from './prelude.ts';
import { heredocDelimiter, jsonBytes, sh, shPath } from '../shell.ts';

export const COMMAND_BUDGET = 62_000;
/** Base64 characters per line inside a here-document. */
const LINE = 4096;

/** One command's worth: renderSteps puts `prelude(id, description, helpers)` before `body`. */
export interface UploadCommand {
  description: string;
  helpers: Helper[];
  body: string;
  payloadBytes: number;
}

const CARRY_HELPERS: Helper[] = ['same', 'put', 'deliver', 'stage'];
const ASSEMBLE_HELPERS: Helper[] = ['same', 'put', 'assemble'];

export interface UploadPlan {
  /** Commands with no order among themselves. */
  carry: UploadCommand[];
  /** Commands that install the files that were cut into parts; run after every `carry`. */
  assemble: UploadCommand[];
}

interface Piece {
  file: DeliveredFile;
  fileIndex: number;
  /** Undefined for a whole file. */
  part?: { index: number; count: number; name: string };
  start: number;
  end: number;
  head: string;
  cost: number;
}

function base64Body(data: Buffer): string {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += LINE) lines.push(b64.slice(i, i + LINE));
  return lines.join('\n');
}

function heredoc(head: string, data: Buffer): string {
  const body = base64Body(data);
  const delim = heredocDelimiter(body);
  return `${head} <<'${delim}'\n${body}${body ? '\n' : ''}${delim}\n`;
}

/** Bytes of `heredoc(head, data)` for `n` bytes of data, without building it. */
function heredocCost(head: string, n: number): number {
  const b64 = 4 * Math.ceil(n / 3);
  const lines = Math.ceil(b64 / LINE);
  // head + " <<'SPOT_EOF'" + \n + body (+ \n per line) + SPOT_EOF + \n, newlines at 2 bytes
  return jsonBytes(head) + " <<'SPOT_EOF'".length + 2 + b64 + 2 * lines + 'SPOT_EOF'.length + 2;
}

function deliverHead(f: DeliveredFile): string {
  return `deliver ${shPath(f.dest)} ${f.sha256} ${f.mode} ${sh(f.owner)}`;
}

function partName(fileIndex: number, f: DeliveredFile): string {
  return `${fileIndex}-${f.sha256.slice(0, 16)}`;
}

/** The largest multiple of 3 bytes whose here-document under `head` fits in `room`. */
function maxRaw(head: string, room: number): number {
  let lo = 0;
  let hi = Math.max(0, Math.floor((room * 3) / 4));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi + 1) / 2);
    if (heredocCost(head, mid) <= room) lo = mid;
    else hi = mid - 1;
  }
  return lo - (lo % 3);
}

const EPILOGUE = 'echo "files written: $written, unchanged: $unchanged"\n';

function kib(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`;
}

/**
 * Packs `files` into as few commands as fit `budget` bytes each (first-fit decreasing over
 * whole files and parts), and the assemble commands for the files that had to be cut.
 */
/** Each file as one heredoc, or cut into parts that each fit in `room`. */
function piecesOf(files: DeliveredFile[], room: number, budget: number): Piece[] {
  const pieces: Piece[] = [];
  for (const [fileIndex, file] of files.entries()) {
    const head = deliverHead(file);
    if (heredocCost(head, file.data.length) <= room) {
      pieces.push({
        file,
        fileIndex,
        start: 0,
        end: file.data.length,
        head,
        cost: heredocCost(head, file.data.length),
      });
      continue;
    }
    const name = partName(fileIndex, file);
    const longestHead = `stage ${name}.999999`;
    const size = maxRaw(longestHead, room);
    if (size < 3) throw new Error(`${file.dest}: no room for upload parts in ${budget} bytes`);
    const count = Math.ceil(file.data.length / size);
    for (let index = 0; index < count; index++) {
      const start = index * size;
      const end = Math.min(file.data.length, start + size);
      const partHead = `stage ${name}.${index}`;
      pieces.push({
        file,
        fileIndex,
        part: { index, count, name },
        start,
        end,
        head: partHead,
        cost: heredocCost(partHead, end - start),
      });
    }
  }
  return pieces;
}

/** First-fit decreasing; ties keep the original order so the plan is deterministic. */
function binPack(pieces: Piece[], room: number): Piece[][] {
  const order = pieces.map((p, i) => ({ p, i })).sort((a, b) => b.p.cost - a.p.cost || a.i - b.i);
  const bins: { used: number; items: { p: Piece; i: number }[] }[] = [];
  for (const item of order) {
    let bin = bins.find((b) => b.used + item.p.cost <= room);
    if (!bin) {
      bin = { used: 0, items: [] };
      bins.push(bin);
    }
    bin.used += item.p.cost;
    bin.items.push(item);
  }
  return bins.map((bin) => bin.items.sort((a, b) => a.i - b.i).map((x) => x.p));
}

function carryCommand(items: Piece[], n: number, total: number): UploadCommand {
  let payload = 0;
  let whole = 0;
  let parts = 0;
  const body = items
    .map((p) => {
      payload += p.end - p.start;
      if (p.part) parts++;
      else whole++;
      return heredoc(p.head, p.file.data.subarray(p.start, p.end));
    })
    .join('');
  const what = [
    whole ? `${whole} file${whole > 1 ? 's' : ''}` : '',
    parts ? `${parts} part${parts > 1 ? 's' : ''}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const description = `upload ${n + 1}/${total}: ${what} (${kib(payload)})`;
  return { description, helpers: CARRY_HELPERS, body: body + EPILOGUE, payloadBytes: payload };
}

/** The commands that join each cut file from its parts, as few as fit the budget. */
function assembleCommands(pieces: Piece[], budget: number): UploadCommand[] {
  const cut = new Map<number, Piece>();
  for (const p of pieces) if (p.part && !cut.has(p.fileIndex)) cut.set(p.fileIndex, p);
  if (cut.size === 0) return [];
  const lines = [...cut.values()].map(
    (p) =>
      `assemble ${shPath(p.file.dest)} ${p.file.sha256} ${p.file.mode} ${sh(p.file.owner)} ` +
      `${p.part?.name} ${p.part?.count}\n`,
  );
  const roomA = budget - preludeReserve(ASSEMBLE_HELPERS) - jsonBytes(EPILOGUE);
  let cur: string[] = [];
  let used = 0;
  const groups: string[][] = [];
  for (const line of lines) {
    const c = jsonBytes(line);
    if (c > roomA) throw new Error(`path too long for an assemble command: ${line}`);
    if (used + c > roomA && cur.length) {
      groups.push(cur);
      cur = [];
      used = 0;
    }
    cur.push(line);
    used += c;
  }
  if (cur.length) groups.push(cur);
  return groups.map((g, n) => ({
    description: `assemble ${g.length} large file${g.length > 1 ? 's' : ''} from their parts (${n + 1}/${groups.length})`,
    helpers: ASSEMBLE_HELPERS,
    body: g.join('') + EPILOGUE,
    payloadBytes: 0,
  }));
}

export function planUploads(files: DeliveredFile[], budget = COMMAND_BUDGET): UploadPlan {
  const room = budget - preludeReserve(CARRY_HELPERS) - jsonBytes(EPILOGUE);
  if (room < 1024) throw new Error(`command budget ${budget} is too small for upload commands`);
  const pieces = piecesOf(files, room, budget);
  const bins = binPack(pieces, room);
  const carry = bins.map((items, n) => carryCommand(items, n, bins.length));
  return { carry, assemble: assembleCommands(pieces, budget) };
}

import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  preludeReserve
} from "./chunk-7B7HW6FF.js";
import {
  heredocDelimiter,
  jsonBytes,
  sh,
  shPath
} from "./chunk-ET7XX2IW.js";

// src/plan/render/upload.ts
var COMMAND_BUDGET = 62e3;
var LINE = 4096;
var CARRY_HELPERS = ["same", "put", "deliver", "stage"];
var ASSEMBLE_HELPERS = ["same", "put", "assemble"];
function base64Body(data) {
  const b64 = data.toString("base64");
  const lines = [];
  for (let i = 0; i < b64.length; i += LINE) lines.push(b64.slice(i, i + LINE));
  return lines.join("\n");
}
function heredoc(head, data) {
  const body = base64Body(data);
  const delim = heredocDelimiter(body);
  return `${head} <<'${delim}'
${body}${body ? "\n" : ""}${delim}
`;
}
function heredocCost(head, n) {
  const b64 = 4 * Math.ceil(n / 3);
  const lines = Math.ceil(b64 / LINE);
  return jsonBytes(head) + " <<'SPOT_EOF'".length + 2 + b64 + 2 * lines + "SPOT_EOF".length + 2;
}
function deliverHead(f) {
  return `deliver ${shPath(f.dest)} ${f.sha256} ${f.mode} ${sh(f.owner)}`;
}
function partName(fileIndex, f) {
  return `${fileIndex}-${f.sha256.slice(0, 16)}`;
}
function maxRaw(head, room) {
  let lo = 0;
  let hi = Math.max(0, Math.floor(room * 3 / 4));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi + 1) / 2);
    if (heredocCost(head, mid) <= room) lo = mid;
    else hi = mid - 1;
  }
  return lo - lo % 3;
}
var EPILOGUE = 'echo "files written: $written, unchanged: $unchanged"\n';
function kib(n) {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`;
}
function piecesOf(files, room, budget) {
  const pieces = [];
  for (const [fileIndex, file] of files.entries()) {
    const head = deliverHead(file);
    if (heredocCost(head, file.data.length) <= room) {
      pieces.push({
        file,
        fileIndex,
        start: 0,
        end: file.data.length,
        head,
        cost: heredocCost(head, file.data.length)
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
        cost: heredocCost(partHead, end - start)
      });
    }
  }
  return pieces;
}
function binPack(pieces, room) {
  const order = pieces.map((p, i) => ({ p, i })).sort((a, b) => b.p.cost - a.p.cost || a.i - b.i);
  const bins = [];
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
function carryCommand(items, n, total) {
  let payload = 0;
  let whole = 0;
  let parts = 0;
  const body = items.map((p) => {
    payload += p.end - p.start;
    if (p.part) parts++;
    else whole++;
    return heredoc(p.head, p.file.data.subarray(p.start, p.end));
  }).join("");
  const what = [
    whole ? `${whole} file${whole > 1 ? "s" : ""}` : "",
    parts ? `${parts} part${parts > 1 ? "s" : ""}` : ""
  ].filter(Boolean).join(" and ");
  const description = `upload ${n + 1}/${total}: ${what} (${kib(payload)})`;
  return { description, helpers: CARRY_HELPERS, body: body + EPILOGUE, payloadBytes: payload };
}
function assembleCommands(pieces, budget) {
  const cut = /* @__PURE__ */ new Map();
  for (const p of pieces) if (p.part && !cut.has(p.fileIndex)) cut.set(p.fileIndex, p);
  if (cut.size === 0) return [];
  const lines = [...cut.values()].map(
    (p) => `assemble ${shPath(p.file.dest)} ${p.file.sha256} ${p.file.mode} ${sh(p.file.owner)} ${p.part?.name} ${p.part?.count}
`
  );
  const roomA = budget - preludeReserve(ASSEMBLE_HELPERS) - jsonBytes(EPILOGUE);
  let cur = [];
  let used = 0;
  const groups = [];
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
    description: `assemble ${g.length} large file${g.length > 1 ? "s" : ""} from their parts (${n + 1}/${groups.length})`,
    helpers: ASSEMBLE_HELPERS,
    body: g.join("") + EPILOGUE,
    payloadBytes: 0
  }));
}
function planUploads(files, budget = COMMAND_BUDGET) {
  const room = budget - preludeReserve(CARRY_HELPERS) - jsonBytes(EPILOGUE);
  if (room < 1024) throw new Error(`command budget ${budget} is too small for upload commands`);
  const pieces = piecesOf(files, room, budget);
  const bins = binPack(pieces, room);
  const carry = bins.map((items, n) => carryCommand(items, n, bins.length));
  return { carry, assemble: assembleCommands(pieces, budget) };
}

export {
  COMMAND_BUDGET,
  planUploads
};
//# sourceMappingURL=chunk-6KFZP2ZV.js.map

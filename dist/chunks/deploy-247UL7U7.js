import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  estimateHourlyCost
} from "./chunk-KFOJTLTH.js";
import {
  buildPlan
} from "./chunk-KVFMOGFQ.js";
import {
  COMMAND_BUDGET
} from "./chunk-6KFZP2ZV.js";
import {
  destroyTagged,
  terminateInstances
} from "./chunk-VELJBD3Y.js";
import {
  LOCK_WINDOW_MS,
  PHASE,
  UPDATING_PREFIX,
  busyMessage,
  checkServices,
  concurrencyCheck,
  holders,
  liveHolders,
  others,
  tagInstances,
  untagInstances,
  updatedTags
} from "./chunk-HHGKN6WZ.js";
import {
  inPhase,
  setInstanceOutputs
} from "./chunk-HCODADNL.js";
import {
  instanceRecord
} from "./chunk-SNYK7PHB.js";
import "./chunk-WEEMSLTQ.js";
import "./chunk-3HBCK5FV.js";
import "./chunk-7B7HW6FF.js";
import "./chunk-GYQ757SJ.js";
import {
  SEND_BATCH,
  failureDetail,
  runCommand,
  statusMeaning,
  tail
} from "./chunk-HHV4SY3M.js";
import {
  heredocDelimiter,
  jsonBytes,
  sh
} from "./chunk-ET7XX2IW.js";
import {
  instanceTable,
  renderDeploySummary
} from "./chunk-FQMHTO7E.js";
import {
  GONE,
  _ep0 as _ep02,
  _mw0 as _mw02,
  command as command2,
  goneReason,
  locateDeployment,
  observe,
  onlineIds,
  survey,
  waitOnline,
  waitRunning
} from "./chunk-LXZS54HF.js";
import {
  _ep0,
  _mw0,
  command,
  describeInstances
} from "./chunk-NCEH4VHK.js";
import {
  TAG
} from "./chunk-DFAL24WV.js";
import {
  previewInstances
} from "./chunk-O643GYUH.js";
import "./chunk-TFPGGUJ2.js";
import {
  resolveDeploymentId,
  resolveIdentity
} from "./chunk-DPXUJE6X.js";
import "./chunk-V2M23LJS.js";
import {
  COMMAND_POLL,
  POLL,
  backoff,
  byRegion,
  mapLimit,
  realClock
} from "./chunk-P4BHK4MN.js";
import {
  DescribeImages$,
  DescribeInstanceTypes$,
  GetParameters$,
  RunInstances$,
  abortable
} from "./chunk-UE23O574.js";
import "./chunk-MGZNPMRM.js";
import {
  loadOrThrow
} from "./chunk-CKOWOM3Y.js";
import {
  fallbackRegion
} from "./chunk-QL5CQV3S.js";
import "./chunk-BEC6WV65.js";
import "./chunk-XTVJNGXJ.js";
import {
  STATE
} from "./chunk-FGP2QIDB.js";
import {
  CAPACITY_CODES,
  DeployError,
  SPOT_SLR_CODE,
  UNOFFERED_CODES,
  awsErrorCode,
  describeAwsError,
  isAbortError,
  isCapacityError
} from "./chunk-4OVCB57H.js";
import {
  applyInputOverrides
} from "./chunk-A4JSAB4L.js";
import "./chunk-NIG5AYO3.js";
import {
  errorMessage
} from "./chunk-5LWETDWB.js";
import "./chunk-DOESRUQL.js";
import "./chunk-RZQHOU5W.js";
import "./chunk-26QGXXSG.js";
import "./chunk-RLOAZQV4.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";

// src/launch/registry.ts
var InstanceRegistry = class {
  #byRegion = /* @__PURE__ */ new Map();
  #onChange;
  constructor(onChange) {
    this.#onChange = onChange;
  }
  add(region, ids) {
    if (ids.length === 0) return;
    const list = this.#byRegion.get(region) ?? [];
    for (const id of ids) if (!list.includes(id)) list.push(id);
    this.#byRegion.set(region, list);
    this.#onChange?.(this.snapshot());
  }
  /** Marks instances as gone (terminated by us); they are no longer this run's to clean. */
  remove(region, ids) {
    const list = this.#byRegion.get(region);
    if (!list) return;
    const left = list.filter((id) => !ids.includes(id));
    if (left.length === list.length) return;
    if (left.length === 0) this.#byRegion.delete(region);
    else this.#byRegion.set(region, left);
    this.#onChange?.(this.snapshot());
  }
  snapshot() {
    return Object.fromEntries([...this.#byRegion].map(([r, ids]) => [r, [...ids]]));
  }
  get size() {
    let n = 0;
    for (const ids of this.#byRegion.values()) n += ids.length;
    return n;
  }
};

// node_modules/@aws-sdk/client-ssm/dist-es/commands/GetParametersCommand.js
var GetParametersCommand = class extends command2(_ep02, _mw02, "GetParameters", GetParameters$) {
};

// node_modules/@aws-sdk/client-ec2/dist-es/commands/DescribeImagesCommand.js
var DescribeImagesCommand = class extends command(_ep0, _mw0, "DescribeImages", DescribeImages$) {
};

// node_modules/@aws-sdk/client-ec2/dist-es/commands/DescribeInstanceTypesCommand.js
var DescribeInstanceTypesCommand = class extends command(_ep0, _mw0, "DescribeInstanceTypes", DescribeInstanceTypes$) {
};

// node_modules/@aws-sdk/client-ec2/dist-es/commands/RunInstancesCommand.js
var RunInstancesCommand = class extends command(_ep0, _mw0, "RunInstances", RunInstances$) {
};

// src/deliver/rounds.ts
import { randomBytes } from "node:crypto";
var KILL_AFTER = 10;
var MERGE_MARGIN = 60;
var SHOWN = { stdout: 16e3, stderr: 7e3 };
var RUNNER = (nonce) => `#!/bin/bash
# spot-deployer: several steps in one command; each runs as its own script, with its own timeout
set -u
umask 022
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
_spot_dir=$(mktemp -d) || exit 1
trap 'rm -rf -- "$_spot_dir"' EXIT
# _spot_show FILE BYTES: the last BYTES of FILE, ending with a newline
_spot_show() {
  tail -c "$2" -- "$1"
  [ ! -s "$1" ] || [ -z "$(tail -c 1 -- "$1")" ] || echo
}
# _spot_kept DIR KIND: the output a step stopped by its timeout kept in DIR (its own copy, see
# the step's prelude), or nothing
_spot_kept() {
  local f
  for f in "$1"/spot-"$2".*; do
    if [ -s "$f" ]; then cat -- "$f"; fi
  done
}
# _spot_step ID TIMEOUT SHOW: runs $_spot_dir/ID, framed by marker lines; prints its output when
# it fails (its end: the start is in the file) or when SHOW is 1
_spot_step() {
  local rc=0 t0 t1 tmp="$_spot_dir/$1.tmp"
  mkdir -p -- "$tmp"
  t0=$(date +%s%3N)
  echo "[spot-deployer ${nonce}] start $1 $t0"
  TMPDIR="$tmp" timeout -k ${KILL_AFTER} "$2" /bin/bash "$_spot_dir/$1" >"$_spot_dir/$1.out" 2>"$_spot_dir/$1.err" </dev/null || rc=$?
  t1=$(date +%s%3N)
  if [ "$rc" -ne 0 ]; then
    if [ ! -s "$_spot_dir/$1.out" ]; then _spot_kept "$tmp" out >"$_spot_dir/$1.out"; fi
    if [ ! -s "$_spot_dir/$1.err" ]; then _spot_kept "$tmp" err >"$_spot_dir/$1.err"; fi
    _spot_show "$_spot_dir/$1.out" ${SHOWN.stdout}
    _spot_show "$_spot_dir/$1.err" ${SHOWN.stderr} >&2
  elif [ "$3" = 1 ]; then
    _spot_show "$_spot_dir/$1.out" ${SHOWN.stdout}
  fi
  echo "[spot-deployer ${nonce}] end $1 $rc $t0 $t1"
  return "$rc"
}
`;
function newNonce() {
  return randomBytes(6).toString("hex");
}
function mergedScript(parts, nonce) {
  const lines = [RUNNER(nonce)];
  for (const p of parts) {
    const delim = heredocDelimiter(p.script, "SPOT_STEP_EOF");
    lines.push(
      `cat >"$_spot_dir/"${sh(p.step.id)} <<'${delim}'
${p.script.replace(/\n?$/, "\n")}${delim}`
    );
  }
  for (const p of parts) {
    lines.push(`_spot_step ${sh(p.step.id)} ${p.timeoutSeconds} ${p.show ? 1 : 0} || exit $?`);
  }
  return lines.join("\n") + "\n";
}
function mergedTimeout(parts) {
  return parts.reduce((n, p) => n + p.timeoutSeconds + KILL_AFTER, MERGE_MARGIN);
}
function fits(parts, budget = COMMAND_BUDGET) {
  return jsonBytes(mergedScript(parts, "0".repeat(12))) <= budget;
}
function parseMarkers(stdout, nonce) {
  const tag = `[spot-deployer ${nonce}] `;
  const out = [];
  let open;
  for (const line of stdout.split("\n")) {
    if (!line.startsWith(tag)) {
      open?.lines.push(line);
      continue;
    }
    const [what, id = "", ...rest] = line.slice(tag.length).trim().split(" ");
    if (what === "start") {
      open = { report: { id, output: "", startMs: Number(rest[0]) }, lines: [] };
      out.push(open.report);
    } else if (what === "end") {
      const report2 = open?.report.id === id ? open.report : { id, output: "" };
      if (report2 !== open?.report) out.push(report2);
      report2.exitCode = Number(rest[0]);
      report2.startMs = Number(rest[1]);
      report2.endMs = Number(rest[2]);
      if (open?.report === report2) report2.output = open.lines.join("\n");
      open = void 0;
    }
  }
  if (open) open.report.output = open.lines.join("\n");
  return out;
}
var ALL_LINES = Number.MAX_SAFE_INTEGER;
var TIMED_OUT = /* @__PURE__ */ new Set([124, 137]);
function readPlain(r, region) {
  return r.status === "Success" ? [{ ran: true, ok: true, ...r.output !== void 0 ? { output: r.output } : {} }] : [{ ran: true, ok: false, failure: { instanceId: r.instanceId, region, result: r } }];
}
function reportMs(rep) {
  if (rep?.startMs === void 0 || rep.endMs === void 0) return void 0;
  const ms = rep.endMs - rep.startMs;
  return Number.isFinite(ms) && ms >= 0 ? ms : void 0;
}
function partFailure(part, rep, r, full, region) {
  const code = rep?.exitCode ?? full.responseCode ?? r.responseCode;
  const ms = reportMs(rep);
  const timedOut = rep?.exitCode !== void 0 && TIMED_OUT.has(rep.exitCode) && (rep.exitCode === 124 || (ms ?? 0) >= part.timeoutSeconds * 1e3);
  const statusDetails = timedOut ? `the step ran past its ${part.timeoutSeconds} s timeout and was stopped` : full.statusDetails ?? r.statusDetails;
  const result = {
    ...r,
    ...code !== void 0 ? { responseCode: code } : {},
    ...statusDetails ? { statusDetails } : {}
  };
  return {
    instanceId: r.instanceId,
    region,
    result,
    detail: {
      stdoutTail: tail(rep ? rep.output : full.stdoutTail),
      stderrTail: tail(full.stderrTail),
      ...code !== void 0 ? { responseCode: code } : {},
      ...statusDetails ? { statusDetails } : {}
    }
  };
}
async function readMerged(cctx, r, parts, nonce, region) {
  let reports = parseMarkers(r.output ?? "", nonce);
  const shown = (reps) => parts.every((p) => !p.show || reps.some((x) => x.id === p.step.id && x.exitCode === 0));
  let full;
  if (r.status !== "Success" || !shown(reports)) {
    full = await failureDetail(cctx, r, ALL_LINES);
    reports = parseMarkers(full.stdoutTail || (r.output ?? ""), nonce);
  }
  const out = [];
  let failed = false;
  for (const part of parts) {
    const rep = reports.find((x) => x.id === part.step.id);
    const ms = reportMs(rep);
    const base = { ...ms !== void 0 ? { ms } : {}, ...rep ? { output: rep.output } : {} };
    if (failed) out.push({ ran: false, ok: false });
    else if (r.status === "Success" || rep?.exitCode === 0)
      out.push({ ran: true, ok: true, ...base });
    else {
      failed = true;
      const detail = full ?? { stdoutTail: r.output ?? "", stderrTail: "" };
      out.push({
        ran: true,
        ok: false,
        ...base,
        failure: partFailure(part, rep, r, detail, region)
      });
    }
  }
  return out;
}

// src/deliver/deliver.ts
function stepBatches(steps) {
  const out = [];
  for (const s of steps) {
    const last = out.at(-1);
    const prev = last?.at(-1);
    if (last && prev && s.parallelGroup !== void 0 && prev.parallelGroup === s.parallelGroup) {
      last.push(s);
    } else out.push([s]);
  }
  return out;
}
function describeResult(r) {
  const code = r.responseCode !== void 0 && r.responseCode >= 0 ? `, exit code ${r.responseCode}` : "";
  const details = r.statusDetails && r.statusDetails !== r.status ? ` (${r.statusDetails})` : "";
  return `${r.status}${code}${details}`;
}
function commandContext(ctx, region) {
  const { ssm, ec2 } = ctx.clientsFor(region);
  return {
    ssm,
    ec2,
    clock: ctx.clock,
    poll: ctx.poll,
    ...ctx.signal ? { signal: ctx.signal } : {}
  };
}
var PEM = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/;
async function runStep(ctx, step, members) {
  const started = ctx.clock.now();
  const failed = [];
  await Promise.all(
    [...byRegion(members)].map(async ([region, ids]) => {
      const results = await runCommand(commandContext(ctx, region), ids, {
        script: step.script,
        timeoutSeconds: step.timeoutSeconds,
        comment: `spot-deployer ${step.id} ${ctx.deploymentId}`
      });
      let ok = 0;
      for (const id of ids) {
        const r = results.get(id) ?? {
          instanceId: id,
          status: "Failed",
          statusDetails: "no result"
        };
        if (r.status === "Success") ok++;
        else failed.push({ instanceId: id, region, result: r });
      }
      ctx.log.info(`${step.id} ${region}: ${ok}/${ids.length} succeeded`);
    })
  );
  return { step, ms: ctx.clock.now() - started, instances: members.length, failed };
}
async function logFailures(ctx, stepId, failures) {
  for (const f of failures) {
    const detail = f.detail ?? await failureDetail(commandContext(ctx, f.region), f.result);
    await ctx.log.group(
      `\u2717 ${stepId} failed on ${f.instanceId} (${f.region}): ${describeResult({ ...f.result, ...detail.responseCode !== void 0 ? { responseCode: detail.responseCode } : {} })}`,
      async () => {
        if (detail.statusDetails) {
          const meaning = statusMeaning(detail.statusDetails);
          ctx.log.info(`status details: ${detail.statusDetails}${meaning ? ` (${meaning})` : ""}`);
        }
        ctx.log.info(`--- stdout (last lines) ---
${detail.stdoutTail || "(empty)"}`);
        ctx.log.info(`--- stderr (last lines) ---
${detail.stderrTail || "(empty)"}`);
      }
    );
  }
}
async function explainGone(ctx, fleet, failures) {
  const failed = failures.map((f) => ({ id: f.instanceId, region: f.region }));
  await Promise.all(
    [...byRegion(failed)].map(async ([region, ids]) => {
      let seen;
      try {
        seen = await describeInstances(ctx.clientsFor(region).ec2, ids, ctx.signal);
      } catch {
        return;
      }
      for (const i of seen) {
        const m = i.InstanceId ? fleet.get(i.InstanceId) : void 0;
        if (!m?.failure) continue;
        observe(m, i);
        if (GONE.has(m.state)) {
          m.failure = {
            phase: m.failure.phase,
            cause: `${goneReason(m, i)}; the command: ${m.failure.cause}`
          };
        }
      }
    })
  );
}
async function runParts(ctx, region, ids, parts) {
  const cctx = commandContext(ctx, region);
  const lone = parts.length === 1 ? parts[0] : void 0;
  const nonce = newNonce();
  const spec = lone ? { script: lone.script, timeoutSeconds: lone.timeoutSeconds } : { script: mergedScript(parts, nonce), timeoutSeconds: mergedTimeout(parts) };
  const first = parts[0]?.step.id ?? "";
  const last = parts.at(-1)?.step.id ?? "";
  const what = first === last ? first : `${first}..${last}`;
  const results = await runCommand(cctx, ids, {
    ...spec,
    comment: `spot-deployer ${what} ${ctx.deploymentId}`
  });
  const out = /* @__PURE__ */ new Map();
  await mapLimit([...ids], 10, async (id) => {
    const r = results.get(id) ?? { instanceId: id, status: "Failed", statusDetails: "no result" };
    if (!lone) out.set(id, await readMerged(cctx, r, parts, nonce, region));
    else if (lone.show && r.status === "Success" && !PEM.test(r.output ?? "")) {
      const full = await failureDetail(cctx, r, ALL_LINES);
      out.set(id, readPlain({ ...r, output: full.stdoutTail }, region));
    } else out.set(id, readPlain(r, region));
  });
  return out;
}
var stepPart = (step) => ({
  step,
  script: step.script,
  timeoutSeconds: step.timeoutSeconds
});
function keyPartOf(step, keyScript) {
  if (!keyScript) throw new Error("a secrets step needs a sealer");
  return {
    step,
    script: keyScript,
    timeoutSeconds: Math.min(step.timeoutSeconds, 120),
    show: true
  };
}
var installPart = (step, script) => ({
  step,
  script,
  timeoutSeconds: step.timeoutSeconds
});
var keyFailure = (id, region, statusDetails, output = "") => ({
  ran: true,
  ok: false,
  failure: {
    instanceId: id,
    region,
    result: { instanceId: id, status: "Failed", statusDetails },
    detail: { stdoutTail: tail(output), stderrTail: "", statusDetails }
  }
});
async function sealRegion(ctx, region, results, k) {
  const sealer = ctx.sealer;
  if (!sealer) throw new Error("a secrets step needs a sealer");
  const holders2 = [];
  for (const [id, res] of results) {
    const key = res[k];
    if (!key?.ok) continue;
    const pem = PEM.exec(key.output ?? "")?.[0];
    if (pem) holders2.push({ id, pem });
    else res[k] = keyFailure(id, region, "the key command printed no public key", key.output ?? "");
  }
  if (holders2.length === 0) return [];
  const { commands, unreadable } = await sealer.seal(
    holders2.map((h) => h.pem),
    ctx.secrets,
    SEND_BATCH
  );
  for (const i of unreadable) {
    const h = holders2[i];
    const res = h ? results.get(h.id) : void 0;
    if (h && res) {
      res[k] = keyFailure(h.id, region, "the key command printed a public key that cannot be read");
    }
  }
  return commands.map(({ script, keys }) => ({
    script,
    ids: keys.map((i) => holders2[i]?.id).filter((id) => id !== void 0)
  }));
}
async function runParallel(ctx, fleet, batch, members, outcomes) {
  const results = await ctx.log.group(
    `Steps ${batch.map((s) => s.id).join(", ")} in parallel (${members.length} instance${members.length === 1 ? "" : "s"})`,
    () => Promise.all(batch.map((s) => runStep(ctx, s, members)))
  );
  for (const o of results) await record(ctx, fleet, o, outcomes);
}
async function record(ctx, fleet, o, outcomes) {
  const earlier = outcomes.find((x) => x.step === o.step);
  if (earlier) {
    earlier.ms += o.ms;
    earlier.failed.push(...o.failed);
  } else outcomes.push(o);
  for (const f of o.failed) fleet.fail(f.instanceId, `step ${o.step.id}`, describeResult(f.result));
  if (o.failed.length > 0) {
    await explainGone(ctx, fleet, o.failed);
    await logFailures(ctx, o.step.id, o.failed);
  }
}
async function runRound(ctx, fleet, members, parts, pending, outcomes) {
  const all = pending ? [installPart(pending.step, ""), ...parts] : [...parts];
  const started = ctx.clock.now();
  const n = members.length;
  if (all.length > 1) {
    ctx.log.info(
      `Steps ${all.map((p) => p.step.id).join(", ")} in one command (${n} instance${n === 1 ? "" : "s"})`
    );
  }
  const sealed = /* @__PURE__ */ new Map();
  const last = all.at(-1);
  const keyAt = last?.show && last.step.kind === "secrets" ? all.length - 1 : -1;
  const regions = await Promise.all(
    [...byRegion(members)].map(async ([region, ids]) => {
      const commands = pending ? (pending.byRegion.get(region) ?? []).map((s) => ({
        ids: s.ids.filter((id) => ids.includes(id)),
        parts: [installPart(pending.step, s.script), ...parts]
      })).filter((c) => c.ids.length > 0) : [{ ids, parts }];
      const results = /* @__PURE__ */ new Map();
      await mapLimit(commands, 10, async (c) => {
        for (const [id, r] of await runParts(ctx, region, c.ids, c.parts)) results.set(id, r);
      });
      if (keyAt >= 0) sealed.set(region, await sealRegion(ctx, region, results, keyAt));
      return { region, results };
    })
  );
  const wall = ctx.clock.now() - started;
  const stepOutcomes = roundOutcomes(all, regions, wall);
  for (const [k, o] of stepOutcomes.entries()) {
    const part = all[k];
    if (!part) continue;
    const title = `Step ${part.step.id}: ${part.step.description}${k === 0 && pending ? " (sealed secrets)" : ""} (${o.instances} instance${o.instances === 1 ? "" : "s"})`;
    await ctx.log.group(title, async () => {
      for (const { region, results } of regions) {
        const ran = [...results.values()].filter((r) => r[k]?.ran);
        const ok = ran.filter((r) => r[k]?.ok).length;
        if (ran.length > 0)
          ctx.log.info(
            `${part.step.id} ${region}: ${ok}/${ran.length} succeeded (${(o.ms / 1e3).toFixed(1)} s)`
          );
      }
    });
    await record(ctx, fleet, o, outcomes);
  }
  const key = keyAt >= 0 ? all[keyAt] : void 0;
  return key ? { step: key.step, byRegion: sealed } : void 0;
}
function roundOutcomes(all, regions, wall) {
  const results = regions.flatMap((r) => [...r.results.values()]);
  const timed = all.map((_, k) => {
    const ms = results.flatMap((r) => r[k]?.ms !== void 0 ? [r[k].ms] : []);
    return ms.length > 0 ? Math.max(...ms) : void 0;
  });
  const known = timed.reduce((n, ms) => n + (ms ?? 0), 0);
  const untimed = timed.filter((ms) => ms === void 0).length;
  const share = untimed > 0 ? Math.max(0, wall - known) / untimed : 0;
  return all.map((part, k) => ({
    step: part.step,
    ms: Math.round(timed[k] ?? share),
    instances: results.filter((r) => r[k]?.ran).length,
    failed: results.flatMap((r) => r[k]?.failure ? [r[k].failure] : [])
  }));
}
async function deliverSteps(ctx, fleet, steps, minHealthy) {
  const outcomes = [];
  const batches = stepBatches(steps);
  let pending;
  let i = 0;
  while (i < batches.length || pending) {
    const members = fleet.healthy();
    if (members.length < minHealthy || members.length === 0) break;
    const batch = batches[i] ?? [];
    if (!pending && batch.length > 1) {
      await runParallel(ctx, fleet, batch, members, outcomes);
      i++;
      continue;
    }
    const reserve = pending ? [installPart(pending.step, longestSealed(pending))] : [];
    const keyScript = ctx.sealer ? ctx.sealer.keyScript() : "";
    const round = gatherRound(batches, i, reserve, keyScript);
    i = round.next;
    pending = await runRound(ctx, fleet, members, round.parts, pending, outcomes);
  }
  return outcomes.sort((a, b) => steps.indexOf(a.step) - steps.indexOf(b.step));
}
function gatherRound(batches, i, reserve, keyScript) {
  const parts = [];
  let key;
  let next = i;
  for (let b = batches[next]; b?.length === 1 && b[0]; b = batches[next]) {
    const step = b[0];
    if (key && step.kind !== "upload") break;
    const part = step.kind === "secrets" ? keyPartOf(step, keyScript) : stepPart(step);
    const after = key ? [key] : [];
    if (reserve.length + parts.length > 0 && !fits([...reserve, ...parts, part, ...after])) break;
    if (step.kind === "secrets") key = part;
    else parts.push(part);
    next++;
  }
  if (key) parts.push(key);
  return { parts, next };
}
function longestSealed(p) {
  let longest = "";
  for (const list of p.byRegion.values())
    for (const s of list) if (s.script.length > longest.length) longest = s.script;
  return longest;
}

// src/deliver/fleet.ts
var Fleet = class {
  members;
  constructor(launched) {
    this.members = launched.map((i) => ({ ...i, state: "pending" }));
  }
  healthy() {
    return this.members.filter((m) => !m.failure);
  }
  failed() {
    return this.members.filter((m) => m.failure);
  }
  get(id) {
    return this.members.find((m) => m.id === id);
  }
  /** The first failure of an instance is the one reported; later ones are ignored. */
  fail(id, phase, cause) {
    const m = this.get(id);
    if (m && !m.failure) m.failure = { phase, cause };
  }
  /** Healthy members grouped by region, in launch order. */
  healthyByRegion() {
    const out = /* @__PURE__ */ new Map();
    for (const m of this.healthy()) {
      const list = out.get(m.region);
      if (list) list.push(m);
      else out.set(m.region, [m]);
    }
    return out;
  }
};
function minHealthyCount(spec, total) {
  switch (spec.kind) {
    case "all":
      return total;
    case "count":
      return spec.n;
    case "percent":
      return Math.max(1, Math.ceil(spec.p / 100 * total));
  }
}

// src/launch/launch.ts
import { randomUUID } from "node:crypto";

// src/launch/images.ts
var DEFAULT_ROOT_DEVICE = { ubuntu: "/dev/sda1", al2023: "/dev/xvda" };
async function instanceArchitectures(ec2, types, signal) {
  try {
    return await describeArchitectures(ec2, types, signal);
  } catch (err) {
    if (awsErrorCode(err) !== "InvalidInstanceType" || types.length === 0) {
      throw new DeployError(
        `could not look up instance types ${types.join(", ")}: ${describeAwsError(err)}`
      );
    }
  }
  const out = /* @__PURE__ */ new Map();
  for (const type of types) {
    try {
      for (const [k, v] of await describeArchitectures(ec2, [type], signal)) out.set(k, v);
    } catch (err) {
      if (awsErrorCode(err) === "InvalidInstanceType") continue;
      throw new DeployError(`could not look up instance type ${type}: ${describeAwsError(err)}`);
    }
  }
  return out;
}
async function describeArchitectures(ec2, types, signal) {
  const out = /* @__PURE__ */ new Map();
  let NextToken;
  do {
    const page = await ec2.send(
      new DescribeInstanceTypesCommand({
        InstanceTypes: types,
        ...NextToken ? { NextToken } : {}
      }),
      abortable(signal)
    );
    for (const t of page.InstanceTypes ?? []) {
      if (!t.InstanceType) continue;
      const archs = (t.ProcessorInfo?.SupportedArchitectures ?? []).filter(
        (a) => a === "x86_64" || a === "arm64"
      );
      out.set(t.InstanceType, archs);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}
async function resolveImages(clients, rp, signal) {
  const types = [...new Set(rp.pools.map((p) => p.instanceType))];
  const archs = await instanceArchitectures(clients.ec2, types, signal);
  const idByArch = /* @__PURE__ */ new Map();
  if (rp.image.kind === "auto") {
    const names = rp.image.parameters;
    let values;
    try {
      const res = await clients.ssm.send(
        new GetParametersCommand({ Names: [names.x86_64, names.arm64] }),
        abortable(signal)
      );
      values = new Map((res.Parameters ?? []).map((p) => [p.Name ?? "", p.Value ?? ""]));
    } catch (err) {
      throw new DeployError(
        `${rp.region}: could not resolve image 'auto' (${rp.image.os}) through SSM public parameters: ${describeAwsError(err)}`
      );
    }
    for (const arch of ["x86_64", "arm64"]) {
      const v = values.get(names[arch]);
      if (v) idByArch.set(arch, v);
    }
  }
  const imageIds = rp.image.kind === "ami" ? [rp.image.id] : [...new Set(idByArch.values())].sort();
  const images = /* @__PURE__ */ new Map();
  if (imageIds.length > 0) {
    try {
      const res = await clients.ec2.send(
        new DescribeImagesCommand({ ImageIds: imageIds }),
        abortable(signal)
      );
      for (const img of res.Images ?? []) if (img.ImageId) images.set(img.ImageId, img);
    } catch (err) {
      if (rp.image.kind === "ami") {
        throw new DeployError(`${rp.region}: image ${rp.image.id}: ${describeAwsError(err)}`);
      }
    }
  }
  const rootDeviceOf = (id) => {
    const name = images.get(id)?.RootDeviceName;
    if (name) return name;
    if (rp.image.kind === "auto") {
      return rp.image.os === "al2023" ? DEFAULT_ROOT_DEVICE.al2023 : DEFAULT_ROOT_DEVICE.ubuntu;
    }
    throw new DeployError(`${rp.region}: image ${id} was not found in the region`);
  };
  const byType = /* @__PURE__ */ new Map();
  const skipped = /* @__PURE__ */ new Map();
  for (const type of types) {
    const supported = archs.get(type);
    if (!supported) {
      skipped.set(type, `instance type ${type} is not offered in ${rp.region}`);
      continue;
    }
    if (rp.image.kind === "ami") {
      const arch2 = images.get(rp.image.id)?.Architecture;
      if (arch2 !== "x86_64" && arch2 !== "arm64") {
        skipped.set(type, `image ${rp.image.id} has architecture ${arch2 ?? "unknown"}`);
      } else if (!supported.includes(arch2)) {
        skipped.set(type, `${type} is ${supported.join("/")}, image ${rp.image.id} is ${arch2}`);
      } else {
        byType.set(type, {
          imageId: rp.image.id,
          architecture: arch2,
          rootDevice: rootDeviceOf(rp.image.id)
        });
      }
      continue;
    }
    const arch = supported.includes("x86_64") ? "x86_64" : supported.includes("arm64") ? "arm64" : void 0;
    const id = arch ? idByArch.get(arch) : void 0;
    if (!arch || !id) {
      skipped.set(
        type,
        arch ? `no ${rp.image.os} image for ${arch} (SSM parameter ${rp.image.parameters[arch]} not found)` : `${type} has no x86_64 or arm64 support`
      );
      continue;
    }
    byType.set(type, { imageId: id, architecture: arch, rootDevice: rootDeviceOf(id) });
  }
  return { byType, skipped };
}

// src/launch/request.ts
function tagSpecifications(tags, market) {
  const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const types = market === "spot" ? ["instance", "volume", "spot-instances-request"] : ["instance", "volume"];
  return types.map((ResourceType) => ({ ResourceType, Tags }));
}
function runInstancesInput(rp, o) {
  const s = rp.instance;
  const networkInterface = s.associatePublicIp || o.pool.subnetId !== void 0;
  return {
    ImageId: o.image.imageId,
    InstanceType: o.pool.instanceType,
    MinCount: 1,
    MaxCount: o.count,
    ...o.market === "spot" ? {
      InstanceMarketOptions: {
        MarketType: "spot",
        SpotOptions: {
          SpotInstanceType: "one-time",
          InstanceInterruptionBehavior: "terminate",
          ...rp.market.maxPrice !== void 0 ? { MaxPrice: rp.market.maxPrice } : {}
        }
      }
    } : {},
    MetadataOptions: { HttpTokens: s.httpTokens, HttpEndpoint: "enabled" },
    BlockDeviceMappings: [
      {
        DeviceName: o.image.rootDevice,
        Ebs: {
          VolumeSize: s.rootVolumeGb,
          VolumeType: "gp3",
          Encrypted: true,
          DeleteOnTermination: true
        }
      }
    ],
    ...s.instanceProfile !== void 0 ? { IamInstanceProfile: { Name: s.instanceProfile } } : {},
    InstanceInitiatedShutdownBehavior: s.shutdownBehavior,
    ...networkInterface ? {
      NetworkInterfaces: [
        {
          DeviceIndex: 0,
          AssociatePublicIpAddress: s.associatePublicIp,
          DeleteOnTermination: true,
          ...o.pool.subnetId !== void 0 ? { SubnetId: o.pool.subnetId } : {}
        }
      ]
    } : {},
    UserData: o.userDataBase64,
    TagSpecifications: tagSpecifications(rp.tags, o.market),
    ClientToken: o.clientToken
  };
}

// src/launch/launch.ts
var PROFILE_WAIT_MS = 3e4;
function isProfileRefusal(code, message) {
  return code.startsWith("InvalidIamInstanceProfile") || code === "InvalidParameterValue" && /iamInstanceProfile|instance ?profile/i.test(message);
}
function poolLabel(p) {
  return `${p.instanceType} in ${p.subnetId ?? "any zone"}`;
}
function formatAttempts(attempts) {
  return attempts.map(
    (a) => `${poolLabel(a.pool)} (${a.market}): ` + (a.code !== void 0 ? a.code === "skipped" ? `skipped, ${a.message ?? ""}` : a.launched > 0 ? `${a.launched}/${a.requested}, then ${a.code}` : a.code : `${a.launched}/${a.requested}`)
  ).join("; ");
}
function hint(code, message, rp) {
  if (/iam|instance ?profile/i.test(message) || code.startsWith("InvalidIamInstanceProfile")) {
    return ` The instance profile '${rp.instance.instanceProfile ?? ""}' must exist in the account and its role must have the AmazonSSMManagedInstanceCore policy (set it with input 'instance-profile'); the deploying role needs iam:PassRole on that role.`;
  }
  if (code === SPOT_SLR_CODE) {
    return " The account has no service-linked role for spot instances (AWSServiceRoleForEC2Spot) and the deploying role may not create it: allow iam:CreateServiceLinkedRole with the condition iam:AWSServiceName = spot.amazonaws.com (docs/iam-policy.json), or create it once with `aws iam create-service-linked-role --aws-service-name spot.amazonaws.com`.";
  }
  if (code === "UnauthorizedOperation") {
    return " The deploying role lacks a permission: it needs ec2:RunInstances, ec2:CreateTags and iam:PassRole.";
  }
  return "";
}
async function launchRegion(ctx, rp, userDataBase64) {
  const { ec2, ssm } = ctx.clientsFor(rp.region);
  const newToken = ctx.newToken ?? randomUUID;
  const images = await resolveImages({ ec2, ssm }, rp, ctx.signal);
  const result = {
    region: rp.region,
    requested: rp.count,
    instances: [],
    attempts: [],
    onDemand: 0
  };
  const markets = rp.market.onDemandFallback ? ["spot", "on-demand"] : ["spot"];
  for (const market of markets) {
    for (const pool of rp.pools) {
      const remaining = rp.count - result.instances.length;
      if (remaining <= 0) return result;
      const image = images.byType.get(pool.instanceType);
      if (!image) {
        result.attempts.push({
          pool,
          market,
          requested: remaining,
          launched: 0,
          code: "skipped",
          message: images.skipped.get(pool.instanceType) ?? "no image"
        });
        continue;
      }
      const input = runInstancesInput(rp, {
        pool,
        image,
        market,
        count: remaining,
        userDataBase64,
        clientToken: newToken()
      });
      try {
        const res = await runInstances(
          ctx,
          ec2,
          (retry) => retry ? { ...input, ClientToken: newToken() } : input
        );
        const launched = (res.Instances ?? []).filter((i) => i.InstanceId);
        ctx.registry.add(
          rp.region,
          launched.map((i) => i.InstanceId)
        );
        for (const i of launched) {
          result.instances.push({
            id: i.InstanceId,
            region: rp.region,
            instanceType: pool.instanceType,
            lifecycle: market,
            ...i.Placement?.AvailabilityZone ? { zone: i.Placement.AvailabilityZone } : {},
            ...i.SubnetId ? { subnetId: i.SubnetId } : {}
          });
        }
        if (market === "on-demand") result.onDemand += launched.length;
        result.attempts.push({ pool, market, requested: remaining, launched: launched.length });
        ctx.log.info(
          `${rp.region}: ${launched.length}/${remaining} ${market} ${poolLabel(pool)}: ` + launched.map((i) => i.InstanceId).join(", ")
        );
      } catch (err) {
        if (isAbortError(err) || ctx.signal?.aborted) throw err;
        const code = awsErrorCode(err);
        const message = describeAwsError(err);
        result.attempts.push({ pool, market, requested: remaining, launched: 0, code, message });
        if (isCapacityError(err) || UNOFFERED_CODES.has(code)) {
          ctx.log.info(`${rp.region}: ${market} ${poolLabel(pool)}: ${code}, trying the next pool`);
          continue;
        }
        throw new DeployError(
          `${rp.region}: RunInstances failed for ${poolLabel(pool)} (${market}): ${message}.` + hint(code, message, rp) + ` Tried: ${formatAttempts(result.attempts)}`
        );
      }
    }
  }
  return result;
}
async function runInstances(ctx, ec2, input) {
  const clock = ctx.clock ?? realClock;
  const deadline = clock.now() + (ctx.profileWaitMs ?? PROFILE_WAIT_MS);
  const delays = backoff({ initialMs: 1e3, maxMs: 5e3, factor: 1.5 });
  for (let retry = false; ; retry = true) {
    try {
      return await ec2.send(new RunInstancesCommand(input(retry)), abortable(ctx.signal));
    } catch (err) {
      const again = isProfileRefusal(awsErrorCode(err), describeAwsError(err));
      if (!again || ctx.signal?.aborted || clock.now() >= deadline) throw err;
      ctx.log.info(`instance profile refused (IAM may still be propagating it); asking again`);
      await clock.sleep(delays.next().value, ctx.signal);
    }
  }
}
function shortfallCause(result) {
  const causes = new Set(
    result.regions.filter((r) => r.instances.length < r.requested).flatMap((r) => r.attempts.filter((a) => a.launched === 0).map(attemptCause))
  );
  const [only] = causes;
  return causes.size === 1 && only !== void 0 ? only : "not enough capacity";
}
function attemptCause(a) {
  const code = a.code ?? "";
  const message = a.message ?? "";
  if (code === "skipped") {
    return / is not offered in /.test(message) ? "the instance types are not offered where asked" : message;
  }
  if (UNOFFERED_CODES.has(code)) return "the instance types are not offered where asked";
  if (code === "MaxSpotInstanceCountExceeded") {
    return "the account reached its spot instance quota (MaxSpotInstanceCountExceeded)";
  }
  if (code === "SpotMaxPriceTooLow")
    return "the max price is below the spot price (SpotMaxPriceTooLow)";
  if (CAPACITY_CODES.has(code)) return "not enough capacity";
  return code || "not enough capacity";
}
async function launchAll(ctx, plan) {
  const settled = await Promise.allSettled(
    plan.regions.map((rp) => launchRegion(ctx, rp, plan.userData.bytesBase64))
  );
  const failed = settled.filter((s) => s.status === "rejected");
  if (failed.length > 0) {
    const first = failed[0];
    if (failed.length === 1) throw first.reason;
    throw new DeployError(
      failed.map((f) => f.reason instanceof Error ? f.reason.message : String(f.reason)).join("\n")
    );
  }
  const regions = settled.map((s) => s.value);
  return {
    regions,
    instances: regions.flatMap((r) => r.instances),
    requested: plan.regions.reduce((n, r) => n + r.count, 0)
  };
}
function shortfallReport(result) {
  return result.regions.filter((r) => r.instances.length < r.requested).map(
    (r) => `${r.region}: launched ${r.instances.length} of ${r.requested}; tried ${formatAttempts(r.attempts)}`
  );
}

// src/verify/fleet.ts
async function verifyFleet(ctx, fleet, deploymentId, services, outcomes) {
  if (services.length === 0) {
    ctx.log.info("no services to verify");
    return;
  }
  const health = outcomes.find((o) => o.step.services !== void 0)?.step;
  if (health?.services && services.every((s) => health.services?.includes(s))) {
    for (const m of fleet.healthy()) {
      ctx.log.info(
        `${m.id} (${m.region}): ${services.map((s) => `${s} active`).join(", ")} (step ${health.id})`
      );
    }
    return;
  }
  await Promise.all(
    [...fleet.healthyByRegion()].map(
      ([region, members]) => verifyRegion(
        ctx,
        fleet,
        region,
        members.map((m) => m.id),
        services,
        deploymentId
      )
    )
  );
}
async function verifyRegion(ctx, fleet, region, start, services, deploymentId) {
  let ids = start;
  for (let attempt = 1; ids.length > 0; attempt++) {
    const health = await checkServices(
      {
        ssm: ctx.clientsFor(region).ssm,
        clock: ctx.clock,
        poll: ctx.poll,
        ...ctx.signal ? { signal: ctx.signal } : {}
      },
      ids,
      services,
      `spot-deployer verify ${deploymentId}`
    );
    const again = [];
    for (const [id, h] of health) {
      const transient = Object.values(h.services).some(
        (s) => s === "activating" || s === "reloading"
      );
      if (h.health === "healthy")
        ctx.log.info(`${id} (${region}): ${services.map((s) => `${s} active`).join(", ")}`);
      else if (transient && attempt < 3) again.push(id);
      else {
        fleet.fail(id, "verify", h.detail ?? "services not healthy");
        ctx.log.warning(`${id} (${region}): ${h.detail ?? "services not healthy"}`);
      }
    }
    ids = again;
    if (ids.length > 0) await ctx.clock.sleep(2e3, ctx.signal);
  }
}

// src/pipeline/cleanup.ts
function decideCleanup(f) {
  if (f.inPlace) return "none";
  const doomed = f.failed ? f.launchStarted : f.failedInstances > 0;
  if (!doomed) return "none";
  if (f.keepFailed) return "keep";
  return f.failed ? "terminate-all" : "terminate-failed";
}
var plural = (n) => `${n} instance${n === 1 ? "" : "s"}`;
function survivors(decision, members, inPlace) {
  if (decision === "terminate-all") return [];
  if (decision === "keep" || inPlace) return [...members];
  return members.filter((m) => !m.failure);
}
async function applyCleanup(run, decision, result, cancelled) {
  const { fleet } = result.progress;
  const failed = result.failure !== void 0;
  const { log } = run.deps;
  const live = survivors(decision, fleet.members, run.opts.inPlace !== void 0);
  const doomed = failed ? fleet.members : fleet.failed();
  if (decision === "none") {
    if (!run.opts.inPlace || doomed.length === 0) return { decision, notes: [], live };
    const note = `update in place: nothing was terminated; ${plural(doomed.length)} did not take the update (${doomed.map((m) => m.id).join(", ")}); the next deploy delivers again`;
    log.warning(note);
    return { decision, notes: [note], live };
  }
  if (decision === "keep") return { decision, notes: await keep(run, failed, doomed), live };
  const t0 = run.clock.now();
  const notes = await log.group(
    failed ? "Terminate this run's instances" : "Terminate failed instances",
    () => terminate(
      {
        clientsFor: run.deps.clientsFor,
        log,
        clock: run.clock,
        poll: run.poll,
        registry: run.deps.registry,
        cancelled,
        timeoutSeconds: run.opts.terminateTimeoutSeconds ?? 600,
        fleet
      },
      decision === "terminate-all" ? { everything: true, plan: run.plan } : { everything: false, members: doomed }
    )
  );
  return { decision, notes, live, timing: { name: "cleanup", ms: run.clock.now() - t0 } };
}
function isTimedOut(run, result) {
  return result.failure !== void 0 && run.deps.deadline?.expired() === true;
}
function isCancelled(run, result) {
  return result.failure !== void 0 && !isTimedOut(run, result) && (isAbortError(result.failure.error) || run.deps.signal?.aborted === true);
}
async function keep(run, failed, doomed) {
  const kept = failed ? run.deps.registry.snapshot() : Object.fromEntries(byRegion(doomed));
  const ids = Object.values(kept).flat();
  if (ids.length === 0) return [];
  const note = `keep-failed: left ${plural(ids.length)} running for debugging: ${ids.join(", ")}; destroy them with command: destroy`;
  run.deps.log.warning(note);
  await run.deps.hooks?.onKept?.(kept).catch(
    (err) => run.deps.log.warning(`could not tag the kept instances: ${describeAwsError(err)}`)
  );
  return [note];
}
function markStates(fleet, res) {
  for (const id of res.terminated) {
    const m = fleet.get(id);
    if (m) m.state = "terminated";
  }
  for (const r of res.remaining) {
    const m = fleet.get(r.id);
    if (m) m.state = r.state;
  }
}
async function terminate(ctx, what) {
  const budgetMs = ctx.cancelled ? 6e3 : (ctx.timeoutSeconds + 60) * 1e3;
  const base = {
    log: ctx.log,
    clock: ctx.clock,
    poll: ctx.poll,
    signal: AbortSignal.timeout(budgetMs),
    timeoutMs: ctx.cancelled ? 4e3 : ctx.timeoutSeconds * 1e3,
    clientsFor: ctx.clientsFor
  };
  try {
    const lines = what.everything ? await terminateRun(ctx, base, what.plan) : await terminateFailed(ctx, base, what.members);
    for (const l of lines) ctx.log.info(l);
    return lines;
  } catch (err) {
    const line = `could not terminate every instance (${errorMessage(err)}); the post step will try again`;
    ctx.log.warning(line);
    return [line];
  }
}
async function terminateRun(ctx, base, plan) {
  const known = ctx.registry.snapshot();
  const regions = [.../* @__PURE__ */ new Set([...plan.regions.map((r) => r.region), ...Object.keys(known)])];
  const res = await destroyTagged(
    base,
    regions,
    { deploymentId: plan.deploymentId, runId: plan.identity.runId },
    known
  );
  markStates(ctx.fleet, res);
  for (const [region, ids] of Object.entries(known))
    ctx.registry.remove(
      region,
      ids.filter((id) => res.terminated.includes(id))
    );
  const total = res.terminated.length + res.remaining.length;
  return res.remaining.length === 0 ? [`terminated ${plural(total)} of this run`] : [
    `termination requested for ${plural(total)} of this run: ${res.terminated.length} terminated, still shutting down: ${res.remaining.map((r) => `${r.id} (${r.state})`).join(", ")}`
  ];
}
async function terminateFailed(ctx, base, members) {
  const res = await terminateInstances(base, members);
  markStates(ctx.fleet, res);
  const lines = [];
  for (const [region, ids] of byRegion(members)) {
    ctx.registry.remove(
      region,
      ids.filter((id) => res.terminated.includes(id))
    );
    lines.push(
      `${region}: terminated failed instance${ids.length === 1 ? "" : "s"} ${ids.join(", ")}`
    );
    const left = res.remaining.filter((r) => r.region === region);
    if (left.length > 0)
      lines.push(`${region}: still shutting down: ${left.map((r) => r.id).join(", ")}`);
  }
  return lines;
}

// src/pipeline/deadline.ts
function startDeadline(ms, outer) {
  const timer = AbortSignal.timeout(ms);
  const signal = outer ? AbortSignal.any([outer, timer]) : timer;
  const expired = () => timer.aborted && outer?.aborted !== true;
  return {
    signal,
    ms,
    expired,
    explain: (err, what) => expired() && (isAbortError(err) || signal.aborted) ? new DeployError(timeoutMessage(ms, what)) : err
  };
}
function timeoutMessage(ms, what) {
  return `timed out after ${formatDuration(ms)} (input timeout) while ${what}; raise timeout (and the job\u2019s timeout-minutes above it) if the deploy needs longer`;
}
function formatDuration(ms) {
  const s = Math.round(ms / 1e3);
  const parts = [];
  if (s >= 3600) parts.push(`${Math.floor(s / 3600)}h`);
  if (s % 3600 >= 60) parts.push(`${Math.floor(s % 3600 / 60)}m`);
  if (s % 60 > 0 || parts.length === 0) parts.push(`${s % 60}s`);
  return parts.join("");
}

// src/pipeline/outcome.ts
function toRecord(m, health) {
  return {
    ...instanceRecord(m, health),
    ...m.failure ? { cause: `${m.failure.phase}: ${m.failure.cause}` } : {}
  };
}
async function priceLive(clientsFor, live, signal) {
  if (live.length === 0) return { priced: 0, notes: [] };
  return estimateHourlyCost(
    clientsFor,
    live.map((m) => ({
      region: m.region,
      type: m.instanceType,
      lifecycle: m.lifecycle,
      ...m.zone ? { zone: m.zone } : {}
    })),
    signal?.aborted ? void 0 : signal
  ).catch((err) => ({
    priced: 0,
    notes: [`no cost estimate: ${describeAwsError(err)}`]
  }));
}
var WAITING = {
  planning: "planning",
  launch: "launching the instances",
  "concurrency check": "checking for another run of this deployment",
  running: "waiting for the instances to be running",
  "ssm online": "waiting for the instances to be Online in SSM",
  deliver: "delivering the steps",
  verify: "verifying the services",
  tag: "tagging the healthy instances"
};
function waitingFor(phase, fleet) {
  const ids = fleet.healthy().map((m) => m.id);
  const on = ids.length > 0 && phase !== "planning" && phase !== "launch";
  return `${WAITING[phase] ?? phase}${on ? ` (${ids.join(", ")})` : ""}`;
}
function buildOutcome(o) {
  const { run, result, cleanup, cost } = o;
  const { fleet, launch: launch2, outcomes } = result.progress;
  const failure = result.failure;
  const error = failure === void 0 ? void 0 : o.timedOut ? timeoutMessage(run.deps.deadline?.ms ?? 0, waitingFor(failure.phase, fleet)) : o.cancelled ? `cancelled during ${failure.phase}` : errorMessage(failure.error);
  const report2 = {
    deploymentId: run.plan.deploymentId,
    outcome: failure === void 0 ? "succeeded" : o.cancelled ? "cancelled" : "failed",
    ...error !== void 0 ? { reason: error.split("\n")[0] ?? error } : {},
    requested: run.requested,
    instances: fleet.members.map(
      (m) => toRecord(m, m.failure ? "unhealthy" : failure === void 0 ? "healthy" : "unknown")
    ),
    steps: outcomes.map((s) => ({
      id: s.step.id,
      description: s.step.description,
      bytes: s.step.payloadBytes,
      instances: s.instances,
      failed: s.failed.length,
      ms: s.ms
    })),
    phases: cleanup.timing ? [...result.timings, cleanup.timing] : result.timings,
    launch: launch2 ? launch2.regions.map(
      (r) => `${r.region}: ${r.instances.length}/${r.requested} \u2014 ${formatAttempts(r.attempts)}`
    ) : [],
    ...cost.perHour !== void 0 ? { costPerHour: cost.perHour } : {},
    costNotes: cost.notes,
    cleanup: cleanup.notes
  };
  const inPlaceFailed = run.opts.inPlace !== void 0 && failure !== void 0;
  const records = cleanup.live.map((m) => {
    const health = m.failure ? "unhealthy" : inPlaceFailed ? "unknown" : "healthy";
    const { cause: _cause, ...r } = toRecord(m, health);
    return r;
  });
  return {
    ok: failure === void 0,
    ...error !== void 0 ? { error } : {},
    report: report2,
    records,
    regions: [...new Set(cleanup.live.map((m) => m.region))]
  };
}
function deploymentRecord(plan, outcome, now) {
  return {
    version: 1,
    deploymentId: plan.deploymentId,
    instances: outcome.records.map((r) => ({ id: r.id, region: r.region })),
    regions: [.../* @__PURE__ */ new Set([...plan.regions.map((r) => r.region), ...outcome.regions])],
    manifestDigest: plan.manifestDigest,
    savedAt: new Date(now).toISOString(),
    runId: plan.identity.runId
  };
}
function finalOutcome(run, planning, retired) {
  const { outcome } = run;
  const phases = [planning, ...run.before, ...outcome.report.phases];
  if (retired.phase) phases.push(retired.phase);
  const cleanup = [...outcome.report.cleanup, ...run.notes, ...retired.notes];
  return { ...outcome, report: { ...outcome.report, phases, cleanup } };
}
function previewOf(plan, outcome, serving) {
  const { deploymentId, manifestDigest } = plan;
  const { sha } = plan.identity;
  if (outcome.ok)
    return {
      status: "deployed",
      deploymentId,
      instances: previewInstances(outcome.records),
      sha,
      manifestDigest
    };
  return {
    status: "failed",
    deploymentId,
    reason: outcome.error?.split("\n")[0] ?? "unknown error",
    instances: previewInstances(serving),
    sha
  };
}

// src/pipeline/execute.ts
async function executeDeploy(plan, opts, deps) {
  const run = resolveRun(plan, opts, deps);
  const result = await runPhases(run, PHASES);
  const decision = decideCleanup({
    failed: result.failure !== void 0,
    inPlace: opts.inPlace !== void 0,
    keepFailed: opts.keepFailed,
    launchStarted: result.progress.launchStarted,
    failedInstances: result.progress.fleet.failed().length
  });
  const show = deps.progress;
  if (decision !== "none")
    show?.({ kind: "phase", name: `cleanup: ${decision}`, state: "running" });
  const cancelled = isCancelled(run, result);
  const cleanup = await applyCleanup(run, decision, result, cancelled);
  if (decision !== "none") show?.({ kind: "phase", name: `cleanup: ${decision}`, state: "done" });
  const cost = await priceLive(deps.clientsFor, cleanup.live, deps.signal);
  return buildOutcome({ run, result, cleanup, cost, cancelled, timedOut: isTimedOut(run, result) });
}
function resolveRun(plan, opts, deps) {
  const inPlace = opts.inPlace;
  const requested = inPlace ? inPlace.length : plan.regions.reduce((n, r) => n + r.count, 0);
  return {
    plan,
    opts,
    deps,
    clock: deps.clock ?? realClock,
    poll: deps.poll ?? POLL,
    commandPoll: deps.commandPoll ?? deps.poll ?? COMMAND_POLL,
    requested,
    minHealthy: minHealthyCount(opts.minHealthy, requested),
    regions: inPlace ? [...new Set(inPlace.map((i) => i.region))] : plan.regions.map((r) => r.region)
  };
}
async function runPhases(run, steps) {
  const timings = [];
  let progress = { fleet: new Fleet([]), outcomes: [], launchStarted: false };
  for (const step of steps) {
    if (step.when && !step.when(run)) continue;
    const t0 = run.clock.now();
    const show = run.deps.progress;
    if (step.timed) show?.({ kind: "phase", name: step.name, state: "running" });
    let failure;
    try {
      progress = await step.run(run, progress);
    } catch (error) {
      failure = { error, phase: step.name };
    }
    if (step.timed) timings.push({ name: step.name, ms: run.clock.now() - t0 });
    if (failure || step.timed) {
      show?.({ kind: "phase", name: step.name, state: failure ? "failed" : "done" });
      show?.({ kind: "instances", instances: fleetView(progress.fleet, step.name === "verify") });
    }
    if (failure) return { progress, timings, failure };
  }
  return { progress, timings };
}
function fleetView(fleet, verified) {
  return fleet.members.map((m) => ({
    id: m.id,
    region: m.region,
    zone: m.zone ?? "",
    type: m.instanceType,
    lifecycle: m.lifecycle,
    state: m.state,
    health: m.failure ? `failed: ${m.failure.phase}` : verified ? "healthy" : "unknown"
  }));
}
var enough = (what) => async (run, p) => {
  const healthy = p.fleet.healthy().length;
  if (healthy >= run.minHealthy && healthy > 0) return p;
  const n = run.requested;
  throw new DeployError(
    `${what}: ${healthy} of ${n} instance${n === 1 ? "" : "s"} healthy, ${run.minHealthy} needed (min-healthy):
${failureList(p.fleet.failed())}`
  );
};
function failureList(members, limit = 10) {
  const lines = members.slice(0, limit).map(
    (m) => `  ${m.id} (${m.region}, ${m.instanceType}): ${m.failure?.phase}: ${m.failure?.cause}`
  );
  if (members.length > limit) lines.push(`  \u2026 and ${members.length - limit} more`);
  return lines.join("\n");
}
async function preflight(run, p) {
  const { plan, opts, deps } = run;
  if (run.minHealthy > run.requested) {
    throw new DeployError(
      `min-healthy asks for ${run.minHealthy} instances but the plan launches ${run.requested}`
    );
  }
  if (!opts.inPlace && plan.regions.some((r) => !r.instance.instanceProfile)) {
    throw new DeployError(
      "no instance profile: set input instance-profile (or the manifest's instance profile) to an IAM instance profile whose role has the AmazonSSMManagedInstanceCore policy; without it the instances cannot take SSM commands"
    );
  }
  if (plan.steps.some((s) => s.kind === "secrets") && !deps.sealer) {
    throw new DeployError("the plan delivers secrets but no secrets sealer is available");
  }
  if (opts.inPlace) return { ...p, fleet: new Fleet(opts.inPlace) };
  const record2 = {
    runId: plan.identity.runId,
    deploymentId: plan.deploymentId,
    regions: run.regions,
    keepFailed: opts.keepFailed
  };
  deps.saveState(STATE.run, JSON.stringify(record2));
  return { ...p, launchStarted: true };
}
async function launch(run, p) {
  const { deps, plan, requested } = run;
  const result = await deps.log.group(
    `Launch ${requested} instance${requested === 1 ? "" : "s"} in ${run.regions.join(", ")}`,
    () => launchAll(
      {
        clientsFor: deps.clientsFor,
        registry: deps.registry,
        log: deps.log,
        ...deps.signal ? { signal: deps.signal } : {}
      },
      plan
    )
  );
  return { ...p, launch: result };
}
async function capacity(run, p) {
  const result = p.launch;
  const { log } = run.deps;
  for (const r of result.regions) {
    if (r.onDemand > 0)
      log.warning(
        `${r.region}: spot capacity ran out; launched ${r.onDemand} on-demand (on-demand fallback)`
      );
  }
  const n = result.instances.length;
  if (n < run.requested) {
    const lines = shortfallReport(result);
    if (n < run.minHealthy || n === 0) {
      throw new DeployError(
        `${shortfallCause(result)}: launched ${n} of ${run.requested}, ${run.minHealthy} needed
${lines.join("\n")}` + (run.plan.regions.some((r) => !r.market.onDemandFallback) ? "\n(on-demand fallback is off)" : "")
      );
    }
    for (const l of lines) log.warning(l);
  }
  return { ...p, fleet: new Fleet(result.instances) };
}
var waitContext = (run) => ({
  clientsFor: run.deps.clientsFor,
  log: run.deps.log,
  clock: run.clock,
  poll: run.poll,
  ...run.deps.signal ? { signal: run.deps.signal } : {}
});
async function running(run, p) {
  await run.deps.log.group(
    "Wait for instances to run",
    () => waitRunning(waitContext(run), p.fleet, run.opts.onlineTimeoutSeconds * 1e3)
  );
  return p;
}
async function online(run, p) {
  await run.deps.log.group(
    "Wait for SSM Online",
    () => waitOnline(waitContext(run), p.fleet, run.opts.onlineTimeoutSeconds * 1e3)
  );
  return p;
}
async function deliver(run, p) {
  const { deps, plan } = run;
  const outcomes = await deliverSteps(
    {
      ...waitContext(run),
      poll: run.commandPoll,
      deploymentId: plan.deploymentId,
      secrets: run.opts.secrets,
      ...deps.sealer ? { sealer: deps.sealer } : {}
    },
    p.fleet,
    plan.steps,
    run.minHealthy
  );
  return { ...p, outcomes };
}
async function verify(run, p) {
  await run.deps.log.group(
    "Verify services",
    () => verifyFleet(
      { ...waitContext(run), poll: run.commandPoll },
      p.fleet,
      run.plan.deploymentId,
      run.opts.services ?? run.plan.services,
      p.outcomes
    )
  );
  return p;
}
var hook = (name) => async (run, p) => {
  await run.deps.hooks?.[name]?.(p.fleet);
  return p;
};
var hasHook = (name) => (run) => run.deps.hooks?.[name] !== void 0;
var PHASES = [
  { name: "planning", timed: false, run: preflight },
  { name: "launch", timed: true, when: (r) => !r.opts.inPlace, run: launch },
  { name: "launch", timed: false, when: (r) => !r.opts.inPlace, run: capacity },
  {
    name: "concurrency check",
    timed: true,
    when: hasHook("afterLaunch"),
    run: hook("afterLaunch")
  },
  { name: "running", timed: true, run: running },
  { name: "running", timed: false, run: enough("waiting for running") },
  { name: "ssm online", timed: true, run: online },
  { name: "ssm online", timed: false, run: enough("waiting for SSM Online") },
  {
    name: "concurrency check",
    timed: true,
    when: hasHook("beforeDeliver"),
    run: hook("beforeDeliver")
  },
  { name: "deliver", timed: true, run: deliver },
  { name: "deliver", timed: false, run: enough("delivery") },
  { name: "verify", timed: true, run: verify },
  { name: "verify", timed: false, run: enough("verify") },
  {
    name: "tag",
    timed: true,
    when: hasHook("onHealthy"),
    run: async (run, p) => {
      await run.deps.hooks?.onHealthy?.(p.fleet.healthy());
      return p;
    }
  }
];

// src/launch/existing.ts
function differences(found, plan) {
  if (found.length === 0) return "the deployment has no instances";
  const stale = found.filter((f) => f.tags[TAG.digest] !== plan.manifestDigest);
  if (stale.length > 0) {
    const was = [...new Set(stale.map((f) => (f.tags[TAG.digest] ?? "none").slice(0, 12)))];
    return `the plan changed: manifest digest ${plan.manifestDigest.slice(0, 12)}, the instances have ${was.join(", ")}`;
  }
  const notRunning = found.filter((f) => f.state !== "running");
  if (notRunning.length > 0) {
    return `not every instance is running: ${notRunning.map((f) => `${f.id} ${f.state}`).join(", ")}`;
  }
  const notReady = found.filter((f) => (f.tags[TAG.phase] ?? PHASE.ready) !== PHASE.ready);
  if (notReady.length > 0) {
    return `instances never finished a deploy: ${notReady.map((f) => `${f.id} (${f.tags[TAG.phase]})`).join(", ")}`;
  }
  const counts = /* @__PURE__ */ new Map();
  for (const f of found) counts.set(f.region, (counts.get(f.region) ?? 0) + 1);
  const wanted = new Map(plan.regions.map((r) => [r.region, r.count]));
  for (const [region, n] of wanted) {
    if ((counts.get(region) ?? 0) !== n) {
      return `${region} has ${counts.get(region) ?? 0} instance${counts.get(region) === 1 ? "" : "s"}, the plan asks for ${n}`;
    }
  }
  for (const [region, n] of counts) {
    if (!wanted.has(region)) {
      return `${n} instance${n === 1 ? "" : "s"} in ${region}, which the plan no longer uses`;
    }
  }
  return void 0;
}
function updateCaveats(targets, plan) {
  const out = [];
  const wanted = new Map(plan.regions.map((r) => [r.region, r]));
  const counts = /* @__PURE__ */ new Map();
  for (const t of targets) counts.set(t.region, (counts.get(t.region) ?? 0) + 1);
  for (const [region, n] of counts) {
    const rp = wanted.get(region);
    if (!rp) {
      out.push(`${n} instance${n === 1 ? "" : "s"} in ${region}, which the plan no longer uses`);
      continue;
    }
    if (n !== rp.count)
      out.push(`${region}: ${n} instance${n === 1 ? "" : "s"}, the plan asks for ${rp.count}`);
    const types = new Set(rp.pools.map((p) => p.instanceType));
    const odd = targets.filter((t) => t.region === region && !types.has(t.instanceType));
    if (odd.length > 0) {
      out.push(
        `${region}: ${odd.map((t) => `${t.id} is ${t.instanceType}`).join(", ")}; the plan launches ${[...types].join(", ")}`
      );
    }
  }
  for (const rp of plan.regions) {
    if (!counts.has(rp.region))
      out.push(`${rp.region}: no instance, the plan asks for ${rp.count}`);
  }
  return out;
}
function asLaunched(f) {
  return {
    id: f.id,
    region: f.region,
    instanceType: f.instanceType,
    lifecycle: f.lifecycle,
    ...f.zone ? { zone: f.zone } : {}
  };
}

// src/pipeline/strategies/retire.ts
var RETIRE_TIMEOUT_MS = 6e5;
var plural2 = (n) => `${n} instance${n === 1 ? "" : "s"}`;
async function previousSet(ctx, launched) {
  const found = await survey(ctx, ctx.regions, { deploymentId: ctx.deploymentId });
  const rivals = new Set(
    others(liveHolders(ctx, found), ctx.runId).flatMap((h) => h.instances.map((i) => i.id))
  );
  for (const id of rivals) ctx.log.warning(`${id} belongs to another run's deploy; left alone`);
  return found.filter((f) => !launched.has(f.id) && !rivals.has(f.id));
}
async function retire(ctx, old, why, goal = "terminated", timeoutMs = RETIRE_TIMEOUT_MS) {
  if (old.length === 0) return `${why}: no previous instance to terminate`;
  let res;
  try {
    res = await terminateInstances(
      {
        clientsFor: ctx.clientsFor,
        log: ctx.log,
        clock: ctx.clock,
        poll: ctx.poll,
        timeoutMs,
        goal,
        ...ctx.signal ? { signal: ctx.signal } : {}
      },
      old
    );
  } catch (err) {
    throw new DeployError(
      `${why}: could not terminate the previous ${plural2(old.length)} (${old.map((o) => o.id).join(", ")}): ${describeAwsError(err)}`
    );
  }
  if (res.remaining.length > 0) {
    throw new DeployError(
      `${why}: the previous ${plural2(res.remaining.length)} did not ${goal === "terminated" ? "terminate" : "begin shutting down"} in ${Math.round(timeoutMs / 1e3)} s: ` + res.remaining.map((r) => `${r.id} (${r.region}, ${r.state})`).join(", ")
    );
  }
  const down = new Set(res.shuttingDown ?? []);
  const line = `${why}: terminated the previous ${plural2(old.length)}: ` + old.map((o) => down.has(o.id) ? `${o.id} (shutting-down)` : o.id).join(", ");
  ctx.log.info(line);
  return line;
}

// src/pipeline/strategies/strategy.ts
function launchHooks(s) {
  const check = concurrencyCheck(s.ctx);
  return {
    afterLaunch: check,
    beforeDeliver: check,
    onHealthy: (members) => tagInstances(s.ctx, members, { [TAG.phase]: PHASE.ready }),
    onKept: (kept) => tagInstances(
      s.ctx,
      Object.entries(kept).flatMap(([region, ids]) => ids.map((id) => ({ id, region }))),
      { [TAG.phase]: PHASE.failed }
    )
  };
}
var plural3 = (n, what = "instance") => `${n} ${what}${n === 1 ? "" : "s"}`;

// src/pipeline/strategies/heal.ts
function unhealthy(f, offline2) {
  if (f.state !== "running") return `${f.id} is ${f.state}`;
  const phase = f.tags[TAG.phase] ?? PHASE.ready;
  if (phase === PHASE.rebalance) return `${f.id}: EC2 recommends rebalancing (status marked it)`;
  if (phase !== PHASE.ready) return `${f.id} never finished a deploy (${phase})`;
  if (offline2.has(f.id)) return `${f.id} is not Online in SSM`;
  return void 0;
}
function healNeed(found, plan, offline2, preferSpot) {
  if (found.length === 0) return void 0;
  if (found.some((f) => f.tags[TAG.digest] !== plan.manifestDigest)) return void 0;
  const wanted = new Map(plan.regions.map((r) => [r.region, r.count]));
  if (found.some((f) => !wanted.has(f.region))) return void 0;
  const reasons = [];
  const keep2 = [];
  const bad = [];
  for (const f of found) {
    const why = unhealthy(f, offline2);
    if (why) reasons.push(why);
    (why ? bad : keep2).push(f);
  }
  const launch2 = {};
  for (const [region, count] of wanted) {
    const healthy = keep2.filter((k) => k.region === region).length;
    if (healthy > count) return void 0;
    if (healthy < count) {
      launch2[region] = count - healthy;
      reasons.unshift(`${region}: ${healthy} of ${plural3(count)} healthy`);
    }
  }
  if (Object.keys(launch2).length > 0)
    return { launch: launch2, keep: keep2, retire: bad, backToSpot: false, reasons };
  if (bad.length > 0 || !preferSpot) return void 0;
  const onDemand = keep2.find((k) => k.lifecycle === "on-demand");
  if (!onDemand) return void 0;
  return {
    launch: { [onDemand.region]: 1 },
    keep: keep2.filter((k) => k !== onDemand),
    retire: [onDemand],
    backToSpot: true,
    reasons: [
      `${onDemand.id} is on-demand (on-demand fallback launched it); trying spot (prefer-spot)`
    ]
  };
}
function healPlan(plan, need) {
  const regions = plan.regions.filter((r) => (need.launch[r.region] ?? 0) > 0).map((r) => ({
    ...r,
    count: need.launch[r.region] ?? 0,
    ...need.backToSpot ? { market: { ...r.market, onDemandFallback: false } } : {}
  }));
  return { ...plan, regions };
}
function healMinHealthy(spec, plan, need) {
  const planned = plan.regions.reduce((n2, r) => n2 + r.count, 0);
  const launching = Object.values(need.launch).reduce((a, b) => a + b, 0);
  const n = minHealthyCount(spec, planned) - need.keep.length;
  return { kind: "count", n: Math.min(launching, Math.max(1, n)) };
}
function spotStillShort(need, outcome) {
  return need.backToSpot && !outcome.ok && outcome.records.length === 0 && outcome.report.steps.length === 0 && /^[^\n]*: launched 0 of /.test(outcome.error ?? "");
}
function withKept(outcome, kept) {
  const records = [...kept.map((k) => instanceRecord(k, "healthy")), ...outcome.records];
  return {
    ...outcome,
    records,
    regions: [.../* @__PURE__ */ new Set([...kept.map((k) => k.region), ...outcome.regions])],
    report: { ...outcome.report, instances: [...records] }
  };
}
function healing(need) {
  return {
    name: "heal",
    deployed: "healed",
    async prepare(s) {
      const n = Object.values(need.launch).reduce((a, b) => a + b, 0);
      const what = need.backToSpot ? "a spot instance" : plural3(n);
      const line = `heal: ${need.reasons.join("; ")}; launching ${what}, then retiring ${need.retire.map((r) => r.id).join(", ") || "nothing"}`;
      s.ctx.log.info(line);
      return { plan: healPlan(s.plan, need), notes: [line] };
    },
    minHealthy: (s, asked) => healMinHealthy(asked, s.plan, need),
    hooks: launchHooks,
    healed: (outcome, launched) => outcome.records.filter((r) => launched.has(r.id)).length,
    around: (s, deploy) => aroundHeal(s.ctx.log, need, deploy),
    async retire(s, launched) {
      if (launched.size === 0 || need.retire.length === 0) return [];
      return [
        await s.ctx.log.group(
          "Terminate the instances the heal replaced",
          () => retire(s.ctx, need.retire, "heal", "shutting-down")
        )
      ];
    },
    serving: () => {
      const all = [...need.keep, ...need.retire];
      return {
        records: all.map((f) => instanceRecord(f, "unknown")),
        notes: [`heal: the ${plural3(all.length)} running before keep serving`]
      };
    }
  };
}
async function aroundHeal(log, need, deploy) {
  const outcome = await deploy();
  if (spotStillShort(need, outcome)) {
    const why = (outcome.error ?? "").split("\n")[0]?.replace(/: launched 0 of .*/, "");
    const line = `prefer-spot: spot is still short (${why}); ${need.retire.map((r) => r.id).join(", ")} stays on-demand`;
    log.info(line);
    const { error: _e, ...rest } = outcome;
    const ok = { ...rest, ok: true };
    ok.report = { ...ok.report, outcome: "succeeded", cleanup: [...ok.report.cleanup, line] };
    delete ok.report.reason;
    return withKept(ok, [...need.keep, ...need.retire]);
  }
  return outcome.ok ? withKept(outcome, need.keep) : outcome;
}
var heal = {
  name: "heal",
  claim(s, health) {
    const need = healNeed(s.found, s.plan, health.offline, health.preferSpot);
    return need ? healing(need) : void 0;
  }
};

// src/pipeline/strategies/recreate.ts
var recreate = {
  name: "recreate",
  async prepare(s) {
    if (s.found.length === 0) return { notes: [] };
    const line = await s.ctx.log.group(
      "Terminate the previous instances (strategy recreate)",
      () => retire(s.ctx, s.found, "recreate")
    );
    return { retiredFirst: true, notes: [line] };
  },
  hooks: launchHooks,
  retire: async () => [],
  serving: () => ({ records: [], notes: [] })
};

// src/pipeline/strategies/replace.ts
var replace = {
  name: "replace",
  prepare: async () => ({ notes: [] }),
  hooks: launchHooks,
  async retire(s, launched) {
    if (s.found.length === 0) return [];
    return [
      await s.ctx.log.group(
        "Terminate the previous instances (strategy replace)",
        async () => retire(s.ctx, await previousSet(s.ctx, launched), "replace", "shutting-down")
      )
    ];
  },
  serving: (s) => ({
    records: s.found.map((f) => instanceRecord(f, "unknown")),
    notes: s.found.length > 0 ? [`replace: the previous ${plural3(s.found.length)} keep serving`] : []
  })
};

// src/pipeline/strategies/update.ts
var running2 = (s) => s.found.filter((f) => f.state === "running" || f.state === "pending");
var update = {
  name: "update",
  deployed: "updated in place",
  applies: (s) => running2(s).length > 0,
  fallback: {
    strategy: "replace",
    why: "update: the deployment has no running instance to update; launching a new set"
  },
  async prepare(s) {
    const live = running2(s);
    for (const c of updateCaveats(live, s.plan)) {
      s.ctx.log.warning(
        `update: ${c}; an update delivers to the existing instances as they are (strategy replace or recreate applies it)`
      );
    }
    return { inPlace: live.map(asLaunched), notes: [] };
  },
  hooks(s) {
    const check = concurrencyCheck(s.ctx);
    return {
      afterLaunch: check,
      beforeDeliver: check,
      onHealthy: (members) => tagInstances(s.ctx, members, updatedTags(s.plan))
    };
  },
  /** Marks the instances as being updated by this run (the concurrency check then sees it),
   * and removes the mark whatever happens. */
  async around(s, deploy) {
    const { ctx } = s;
    const live = running2(s);
    const mark = `${UPDATING_PREFIX}${ctx.runId}`;
    await tagInstances(ctx, live, { [mark]: new Date(ctx.clock.now()).toISOString() });
    try {
      return await deploy();
    } finally {
      await untagInstances(
        { clientsFor: ctx.clientsFor, signal: AbortSignal.timeout(1e4) },
        live,
        [mark]
      ).catch(
        (err) => ctx.log.warning(
          `could not remove the tag ${mark} from ${live.map((l) => l.id).join(", ")}: ${describeAwsError(err)}; other deploys of ${ctx.deploymentId} wait for it until ${new Date(ctx.clock.now() + LOCK_WINDOW_MS).toISOString()}`
        )
      );
    }
  },
  retire: async () => [],
  serving: (_s, outcome) => ({ records: outcome.records, notes: [] })
};

// src/pipeline/strategies/index.ts
var STRATEGY_MODULES = {
  replace,
  update,
  recreate,
  heal
};
function claimedStrategy(s, health) {
  for (const m of Object.values(STRATEGY_MODULES)) {
    const claimed = "claim" in m ? m.claim(s, health) : void 0;
    if (claimed) return claimed;
  }
  return void 0;
}
function chooseStrategy(asked, s, log) {
  const chosen = STRATEGY_MODULES[asked];
  if (!chosen.applies || chosen.applies(s) || !chosen.fallback) return chosen;
  log.info(chosen.fallback.why);
  return STRATEGY_MODULES[chosen.fallback.strategy];
}

// src/pipeline/decide.ts
async function decide(p, located, host) {
  const { inputs, plan } = p;
  const found = located.instances;
  const ctx = { ...p.ctx, regions: located.regions };
  const ended = await checkRivals(ctx, found, inputs.githubToken, host);
  if (ended) ctx.endedRuns = ended;
  const input = { ctx, plan, found };
  if (!inputs.force) {
    const samePlan = found.length > 0 && found.every((f) => f.tags[TAG.digest] === plan.manifestDigest);
    const notOnline = samePlan ? await offline(host, found) : [];
    const health = { offline: new Set(notOnline), preferSpot: inputs.preferSpot };
    const claimed = claimedStrategy(input, health);
    if (claimed) return { kind: "deploy", strategy: claimed, input };
    const why = differences(found, plan) ?? (notOnline.length > 0 ? `not Online in SSM: ${notOnline.join(", ")}` : void 0);
    if (why === void 0) return { kind: "unchanged", found };
    host.log.info(`deploying: ${why}`);
  } else {
    host.log.info("force: deploying whether or not anything changed");
  }
  return {
    kind: "deploy",
    strategy: chooseStrategy(inputs.strategy, input, host.log),
    input
  };
}
async function checkRivals(ctx, found, token, host) {
  let rivals = others(holders(found, host.clock.now()), ctx.runId);
  let ended;
  if (rivals.length > 0 && token) {
    const answer = await host.endedRuns(token, rivals);
    for (const n of answer.notes) host.log.info(n);
    for (const h of rivals.filter((r) => answer.ended.has(r.runId))) {
      host.log.info(
        `run ${h.runId} has ended without clearing its marks on ${h.instances.map((i) => i.id).join(", ")}; they no longer count`
      );
    }
    ended = answer.ended;
    rivals = rivals.filter((r) => !answer.ended.has(r.runId));
  }
  if (rivals.length > 0) {
    const message = busyMessage(ctx.deploymentId, rivals, ctx.serverUrl);
    await host.summary(`## Spot deploy \`${ctx.deploymentId}\`: not started

${message}
`);
    throw new DeployError(message);
  }
  return ended;
}
async function offline(host, found) {
  const missing = await Promise.all(
    [...byRegion(found)].map(async ([region, ids]) => {
      const online2 = await onlineIds(host.clientsFor(region).ssm, ids, host.signal);
      return ids.filter((i) => !online2.has(i));
    })
  );
  return missing.flat();
}
async function loadSealer(secrets) {
  const s = await import("./secrets-ZDRVXHEJ.js");
  try {
    s.assertSecretsFit(secrets);
  } catch (err) {
    throw new DeployError(`input 'secrets': ${errorMessage(err)}; nothing was launched`);
  }
  return {
    keyScript: s.secretsKeyScript,
    seal: s.sealForInstances
  };
}

// src/pipeline/locate.ts
async function locate(p, host) {
  const id = p.plan.deploymentId;
  const located = await locateDeployment(
    host,
    { deploymentId: id },
    {
      regions: [...p.plan.regions.map((r) => r.region), ...p.inputs.regions],
      record: () => host.records.restore(id)
    }
  );
  const leaving = located.instances.filter((i) => i.state === "shutting-down");
  const instances = located.instances.filter((i) => i.state !== "shutting-down");
  await host.log.group(`Look for ${id} in ${located.regions.join(", ")}`, async () => {
    for (const w of located.warnings) host.log.info(w);
    host.log.info(describeFound(instances));
    if (leaving.length > 0) {
      host.log.info(
        `already shutting-down, not counted: ${leaving.map((i) => `${i.id} (${i.region})`).join(", ")}`
      );
    }
  });
  return { ...located, instances };
}
function describeFound(f) {
  if (f.length === 0) return "no live instance: a first deploy";
  const list = f.map(
    (i) => `${i.id} (${i.region}, ${i.state}, ${i.tags[TAG.phase] ?? "ready"}, manifest ${(i.tags[TAG.digest] ?? "").slice(0, 12)})`
  );
  return `${f.length} live instance${f.length === 1 ? "" : "s"}: ${list.join(", ")}`;
}

// src/pipeline/unchanged.ts
async function reportUnchanged(p, found, host) {
  const { plan } = p;
  const records = found.map((f) => instanceRecord(f, "healthy"));
  const regions = [...new Set(records.map((r) => r.region))];
  setInstanceOutputs(host, plan.deploymentId, records, regions);
  host.output("changed", "false");
  host.output("healed", "0");
  const n = records.length;
  const line = `nothing to deploy: the ${n} instance${n === 1 ? "" : "s"} of ${plan.deploymentId} already run manifest ${plan.manifestDigest.slice(0, 12)} and are Online in SSM; set force: true to deploy anyway (e.g. after rotating a secret)`;
  host.log.info(line);
  await host.summary(
    [
      `## Spot deploy \`${plan.deploymentId}\`: unchanged`,
      "",
      line[0]?.toUpperCase() + line.slice(1) + ".",
      "",
      instanceTable(records),
      ""
    ].join("\n")
  );
  const result = {
    ok: true,
    plan,
    changed: false,
    strategy: p.inputs.strategy,
    records,
    regions,
    report: {
      deploymentId: plan.deploymentId,
      outcome: "succeeded",
      requested: n,
      instances: records,
      steps: [],
      phases: [],
      launch: [],
      costNotes: [],
      cleanup: [line]
    }
  };
  await p.preview(previewOf(plan, result, []));
  return result;
}

// src/commands/deploy.ts
async function deployCommand(inputs, outer) {
  const deadline = startDeadline(inputs.timeoutSeconds * 1e3, outer.signal);
  const host = { ...outer, signal: deadline.signal };
  const phase = (what, fn) => inPhase(host, what, fn).catch((err) => {
    throw deadline.explain(err, what);
  });
  const started = host.clock.now();
  const prepared = await phase("planning", () => prepare(inputs, host));
  const located = await phase(
    "looking for the deployment's instances",
    () => locate(prepared, host)
  );
  const decision = await phase("checking what runs now", () => decide(prepared, located, host));
  if (decision.kind === "unchanged") return reportUnchanged(prepared, decision.found, host);
  const planning = { name: "planning", ms: host.clock.now() - started };
  const run = await phase("starting the deploy", () => execute(prepared, decision, host, deadline));
  const retired = await phase(
    "retiring the previous instances",
    () => retirePrevious(prepared, decision, run, host)
  );
  return report(prepared, decision, run, { planning, retired }, host);
}
async function prepare(inputs, host) {
  const reporter = { annotate: host.annotate, info: host.log.info };
  const deployment = applyInputOverrides(
    await loadOrThrow(inputs.path, reporter, fallbackRegion(host.env, inputs.regions)),
    inputs
  );
  const plan = await buildPlan(deployment, {
    deploymentId: await resolveDeploymentId(inputs.deploymentId, host.env),
    identity: resolveIdentity(host.env),
    secretNames: Object.keys(inputs.secrets).sort()
  });
  const id = plan.deploymentId;
  host.log.info(
    `deployment ${id}, run ${plan.identity.runId}, manifest ${plan.manifestDigest.slice(0, 12)}: ${plan.regions.map((r) => `${r.count} in ${r.region}`).join(", ")}; ${plan.steps.length} remote steps; strategy ${inputs.strategy}`
  );
  host.output("deployment-id", id);
  host.output("manifest-digest", plan.manifestDigest);
  if (inputs.githubToken) host.mask(inputs.githubToken);
  const mask = Object.values(inputs.secrets).filter((v) => v !== "");
  const ctx = {
    clientsFor: host.clientsFor,
    log: host.log,
    clock: host.clock,
    poll: host.poll.instances,
    ...host.signal ? { signal: host.signal } : {},
    regions: [],
    deploymentId: id,
    runId: plan.identity.runId,
    serverUrl: host.env.GITHUB_SERVER_URL || "https://github.com"
  };
  const preview = (content) => host.preview(inputs.githubToken, content, { mask });
  return { inputs, deployment, plan, ctx, preview };
}
async function execute(p, d, host, deadline) {
  const { strategy, input } = d;
  const { inputs } = p;
  const sealer = p.plan.steps.some((s) => s.kind === "secrets") ? await loadSealer(inputs.secrets) : void 0;
  const t0 = host.clock.now();
  const prepared = await strategy.prepare(input);
  const before = prepared.retiredFirst ? [{ name: "retire", ms: host.clock.now() - t0 }] : [];
  const launched = /* @__PURE__ */ new Set();
  const registry = new InstanceRegistry((snapshot) => {
    for (const ids of Object.values(snapshot)) for (const i of ids) launched.add(i);
    host.saveState(STATE.launched, JSON.stringify(snapshot));
  });
  const plan = prepared.plan ?? p.plan;
  const deps = {
    clientsFor: host.clientsFor,
    log: host.log,
    registry,
    saveState: (name, value) => host.saveState(name, value),
    clock: host.clock,
    poll: host.poll.instances,
    commandPoll: host.poll.commands,
    ...host.signal ? { signal: host.signal } : {},
    deadline,
    ...sealer ? { sealer } : {},
    hooks: strategy.hooks(input),
    ...host.progress ? { progress: host.progress } : {}
  };
  const opts = {
    minHealthy: strategy.minHealthy?.(input, inputs.minHealthy) ?? inputs.minHealthy,
    keepFailed: inputs.keepFailed,
    onlineTimeoutSeconds: inputs.onlineTimeoutSeconds,
    secrets: inputs.secrets,
    services: p.deployment.services.filter((sv) => sv.start).map((sv) => sv.name),
    ...prepared.inPlace ? { inPlace: prepared.inPlace } : {}
  };
  const deploy = () => executeDeploy(plan, opts, deps);
  const outcome = strategy.around ? await strategy.around(input, deploy) : await deploy();
  setInstanceOutputs(host, plan.deploymentId, outcome.records, outcome.regions);
  const healed = strategy.healed?.(outcome, launched);
  host.output("changed", String(healed === void 0 || healed > 0));
  host.output("healed", String(healed ?? 0));
  return { outcome, launched, before, notes: prepared.notes };
}
async function retirePrevious(p, d, run, host) {
  const { outcome } = run;
  if (!outcome.ok) return { notes: d.strategy.serving(d.input, outcome).notes };
  host.saveState(STATE.result, "success");
  const retired = await retireWith(d, run.launched, host.clock);
  const saved = await host.records.save(deploymentRecord(p.plan, outcome, host.clock.now()));
  if (saved.warning)
    (host.env.GITHUB_ACTIONS === "true" ? host.log.warning : host.log.info)(saved.warning);
  return retired;
}
async function retireWith(d, launched, clock) {
  const t0 = clock.now();
  const timed = () => ({ name: "retire", ms: clock.now() - t0 });
  try {
    const lines = await d.strategy.retire(d.input, launched);
    return { notes: lines, ...lines.length > 0 ? { phase: timed() } : {} };
  } catch (err) {
    const error = `the new instances are healthy and serving, but ${errorMessage(err)}`;
    return { notes: [error], phase: timed(), error };
  }
}
async function report(p, d, run, around, host) {
  const { plan } = p;
  const outcome = finalOutcome(run, around.planning, around.retired);
  await host.summary(renderDeploySummary(outcome.report));
  await p.preview(previewOf(plan, outcome, d.strategy.serving(d.input, outcome).records));
  if (!outcome.ok)
    throw new DeployError(`deploy ${outcome.report.outcome}: ${outcome.error ?? "unknown error"}`);
  if (around.retired.error) throw new DeployError(around.retired.error);
  const n = outcome.records.length;
  const how = d.strategy.deployed ? ` (${d.strategy.deployed})` : "";
  host.log.info(
    `deployed ${n} instance${n === 1 ? "" : "s"}${how}: ${outcome.records.map((r) => r.id).join(", ")}`
  );
  return { ...outcome, plan, changed: true, strategy: d.strategy.name };
}
export {
  deployCommand,
  executeDeploy,
  toRecord
};
//# sourceMappingURL=deploy-247UL7U7.js.map

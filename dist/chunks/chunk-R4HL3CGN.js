import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  deploymentIdFromGit,
  gitEnv
} from "./chunk-63JJSYQO.js";
import {
  formatSpan
} from "./chunk-XJLXGMQD.js";
import {
  instanceRecord
} from "./chunk-SNYK7PHB.js";
import {
  COMMAND_POLL,
  POLL,
  realClock
} from "./chunk-P4BHK4MN.js";
import {
  Clients
} from "./chunk-UE23O574.js";
import {
  withCancellation
} from "./chunk-BY77YRZ3.js";
import {
  UsageError,
  inputsOf
} from "./chunk-AOH4AXCE.js";
import {
  parseRegions
} from "./chunk-A4JSAB4L.js";
import {
  errorMessage,
  formatDiagnostic
} from "./chunk-5LWETDWB.js";

// src/terminal/host.ts
import { appendFile } from "node:fs/promises";
var NO_RECORD = "no deployment record on the command line: searched the manifest's regions and --regions";
function terminalHost(o) {
  const clients = new Clients();
  const masks = /* @__PURE__ */ new Set();
  const hide = (m) => [...masks].reduce((t, v) => t.split(v).join("***"), m);
  const say = (m) => o.live.print(hide(m), o.io.err);
  const log = {
    info: say,
    warning: (m) => say(`warning: ${m}`),
    group: (title, fn) => (say(`\u25B8 ${title}`), fn())
  };
  const state = { title: o.title, phases: [], instances: [] };
  const progress = (e) => {
    if (e.kind === "instances") state.instances = e.instances;
    else upsertPhase(state.phases, { name: e.name, state: e.state, ...detailOf(e) });
    o.live.update(state);
  };
  const summary = async (markdown) => {
    if (!o.summaryFile) return;
    await appendFile(o.summaryFile, markdown).catch((err) => {
      log.warning(`could not write the summary to ${o.summaryFile}: ${errorMessage(err)}`);
    });
  };
  const saved = /* @__PURE__ */ new Map();
  const outputs = /* @__PURE__ */ new Map();
  return {
    clientsFor: (region) => clients.for(region),
    clock: realClock,
    poll: { instances: POLL, commands: COMMAND_POLL },
    log,
    annotate: (d) => say(formatDiagnostic(d)),
    output: (name, value) => void outputs.set(name, value),
    mask: (value) => void (value !== "" && masks.add(value)),
    saveState: (name, value) => void saved.set(name, value),
    summary,
    preview: async () => void 0,
    records: { restore: async () => ({ warning: NO_RECORD }), save: async () => ({}) },
    endedRuns: async () => ({ ended: /* @__PURE__ */ new Set(), notes: [] }),
    progress,
    ...o.signal ? { signal: o.signal } : {},
    env: o.env,
    outputs,
    view: () => state,
    close: () => clients.close()
  };
}
function detailOf(e) {
  return e.detail ? { detail: e.detail } : {};
}
function upsertPhase(phases, p) {
  const i = phases.findIndex((x) => x.name === p.name);
  if (i >= 0) phases[i] = p;
  else phases.push(p);
}
function outputsDocument(outputs) {
  const doc = {};
  for (const [name, value] of outputs) {
    doc[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return doc;
}
async function onTerminalHost(o, fn) {
  const say = (m) => o.live.print(m, o.io.err);
  return withCancellation({ info: say, warning: (m) => say(`warning: ${m}`) }, async (signal) => {
    const host = terminalHost({ ...o, signal });
    try {
      return await fn(host);
    } finally {
      host.close();
    }
  });
}

// src/terminal/view.ts
var MARK = { pending: "\xB7", running: "\u2026", done: "\u2713", failed: "\u2717" };
function phaseLine(p) {
  return `${MARK[p.state]} ${p.name}${p.detail ? `: ${p.detail}` : ""}`;
}
function textTable(header, rows) {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(width[i] ?? 0)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}
var INSTANCE_COLUMNS = ["instance", "region", "zone", "type", "market", "state", "health"];
function instanceLines(instances) {
  return textTable(
    INSTANCE_COLUMNS,
    instances.map((i) => [
      i.id,
      i.region,
      i.zone || "-",
      i.type,
      i.lifecycle,
      i.state,
      i.health || "-"
    ])
  );
}
function renderView(s) {
  return [
    s.title,
    ...s.phases.map((p) => `  ${phaseLine(p)}`),
    ...s.instances.length > 0 ? ["", ...instanceLines(s.instances)] : []
  ];
}
function prefixLines(prefix, text) {
  const lines = text.replace(/\n+$/, "").split("\n");
  return text.trim() === "" ? [] : lines.map((l) => `${prefix} ${l}`);
}

// src/terminal/output.ts
function outputMode(stream, json2) {
  return json2 ? "json" : stream.isTTY ? "tty" : "plain";
}
var LiveView = class {
  #drawn = 0;
  #last;
  #said = /* @__PURE__ */ new Set();
  mode;
  #out;
  constructor(out, mode) {
    this.#out = out;
    this.mode = mode;
  }
  /** Shows the state: redrawn over the previous one on a terminal, new phase lines else. */
  update(s) {
    if (this.mode === "json") return;
    if (this.mode === "plain") {
      for (const p of s.phases) {
        const line = phaseLine(p);
        if (p.state === "pending" || this.#said.has(line)) continue;
        this.#said.add(line);
        this.#out.write(line + "\n");
      }
      return;
    }
    this.#last = s;
    const lines = renderView(s);
    const back = this.#drawn > 0 ? `\x1B[${this.#drawn}F\x1B[J` : "";
    this.#out.write(back + lines.join("\n") + "\n");
    this.#drawn = lines.length;
  }
  /** A line of the log: on a terminal written above the view (which is drawn again under
   * it); otherwise to `fallback` (standard error, keeping standard output for the result). */
  print(line, fallback) {
    if (this.mode !== "tty") {
      fallback.write(line + "\n");
      return;
    }
    const back = this.#drawn > 0 ? `\x1B[${this.#drawn}F\x1B[J` : "";
    this.#out.write(back + line + "\n");
    this.#drawn = 0;
    if (this.#last) this.update(this.#last);
  }
  /** The final state: on a terminal, the view as it ends; plain, the phases and the table. */
  finish(s) {
    if (this.mode === "json") return;
    if (this.mode === "tty") return this.update(s);
    this.update(s);
    if (s.instances.length > 0)
      this.#out.write(
        renderView({ ...s, phases: [] }).slice(1).join("\n") + "\n"
      );
  }
};

// src/terminal/commands.ts
async function defaultRegion() {
  const { chainRegion } = await import("./clients-WOD6JHCL.js");
  return chainRegion();
}
async function hostEnv(dir) {
  const [git, region] = await Promise.all([gitEnv(dir), defaultRegion()]);
  return { ...region ? { AWS_REGION: region } : {}, ...git };
}
async function targetId(args) {
  const given = args.flags["deployment-id"];
  if (given) return given;
  const derived = await deploymentIdFromGit(args.dir);
  if (derived) return derived;
  throw new UsageError(
    `no deployment id: '${args.dir}' is not in a git checkout with an 'origin' remote and a branch; pass --deployment-id`
  );
}
var json = (io, value) => io.out.write(JSON.stringify(value, null, 2) + "\n");
async function listMain(args, io) {
  const regions = args.flags.regions ? parseRegions(args.flags.regions) : [await defaultRegion() ?? ""].filter((r) => r !== "");
  if (regions.length === 0)
    throw new UsageError("list needs --regions or --region (or AWS_REGION)");
  const view = new LiveView(io.out, outputMode(io.out, args.flags.json === true));
  const phases = new Map(
    regions.map((r) => [r, { name: `search ${r}`, state: "running" }])
  );
  const state = () => ({
    title: "spot-deployer list",
    phases: [...phases.values()],
    instances: []
  });
  view.update(state());
  const { listCommand } = await import("./list-ZEX7VHXK.js");
  const res = await onTerminalHost(
    { io, live: view, title: "spot-deployer list", env: {} },
    (host) => listCommand(regions, host, {
      searched: (r, n) => {
        phases.set(r, {
          name: `search ${r}`,
          state: "done",
          detail: `${n} instance${n === 1 ? "" : "s"}`
        });
        view.update(state());
      }
    })
  );
  if (view.mode === "json") return json(io, res), 0;
  view.finish(state());
  const rows = res.deployments.map((d) => [
    d.deploymentId,
    d.repository || "-",
    d.ref || "-",
    d.regions.join(","),
    `${d.instances} (${d.spot} spot, ${d.onDemand} on-demand)`,
    formatSpan(d.ageSeconds),
    formatSpan(d.ttlLeftSeconds),
    costCell(d)
  ]);
  io.out.write(
    (rows.length === 0 ? [`no deployment in ${regions.join(", ")}`] : textTable(
      ["deployment", "repository", "ref", "regions", "instances", "age", "ttl left", "cost"],
      rows
    )).join("\n") + "\n"
  );
  return 0;
}
function costCell(d) {
  if (d.hourlyCost === void 0) return "-";
  return `$${d.hourlyCost.toFixed(4)}/h${d.onDemand > 0 ? " (spot only)" : ""}`;
}
async function logsMain(args, io) {
  const inputs = await inputsOf(args, await targetId(args), io.env);
  const { logsCommand } = await import("./logs-EKOXF4LC.js");
  const quiet = new LiveView(io.out, "json");
  const res = await onTerminalHost(
    { io, live: quiet, title: "spot-deployer logs", env: await hostEnv(args.dir) },
    (host) => logsCommand(
      {
        ...inputs,
        ...args.flags.grep !== void 0 ? { grep: args.flags.grep } : {},
        ...args.flags.instance ? { instance: args.flags.instance } : {}
      },
      host
    )
  );
  if (args.flags.json) {
    json(io, {
      deploymentId: res.deploymentId,
      services: res.services,
      instances: res.results.map(asJson)
    });
  } else {
    for (const r of res.results)
      io.out.write(
        prefixLines(r.instanceId, r.stdout).map((l) => l + "\n").join("")
      );
  }
  for (const r of res.results.filter((x) => x.status !== "Success")) {
    io.err.write(
      `${r.instanceId} (${r.region}): ${r.status}: ${r.stderr.trim() || r.detail || ""}
`
    );
  }
  return res.results.every((r) => r.status === "Success") ? 0 : 1;
}
function asJson(r) {
  return {
    id: r.instanceId,
    region: r.region,
    status: r.status,
    exitCode: r.exitCode ?? null,
    stdout: r.stdout,
    stderr: r.stderr
  };
}
function execView(found, results) {
  const byId = new Map(results.map((r) => [r.instanceId, r]));
  return {
    title: "spot-deployer exec",
    phases: [
      { name: "find instances", state: "done", detail: `${found.length}` },
      { name: "run", state: results.length === 0 ? "running" : "done" }
    ],
    instances: found.map((f) => {
      const r = byId.get(f.id);
      return instanceRecord(f, r ? `${r.status} exit ${r.exitCode ?? "-"}` : "running");
    })
  };
}
async function execMain(args, io) {
  if (args.rest.length === 0)
    throw new UsageError("exec needs a command after --, e.g. exec -- uname -a");
  const inputs = await inputsOf(args, await targetId(args), io.env);
  const view = new LiveView(io.out, outputMode(io.out, args.flags.json === true));
  const { execCommand } = await import("./exec-TZ2V2GN2.js");
  const res = await onTerminalHost(
    { io, live: view, title: "spot-deployer exec", env: await hostEnv(args.dir) },
    (host) => execCommand(
      {
        ...inputs,
        argv: args.rest,
        ...args.flags.instance ? { instance: args.flags.instance } : {}
      },
      host,
      (found) => view.update(execView(found, []))
    )
  );
  if (view.mode === "json") {
    json(io, {
      deploymentId: res.deploymentId,
      instances: res.results.map(asJson),
      failed: res.failed.length
    });
    return res.failed.length > 0 ? 1 : 0;
  }
  view.finish(execView(res.instances, res.results));
  for (const r of res.results) {
    io.out.write(`== ${r.instanceId} (${r.region}): ${r.status}, exit ${r.exitCode ?? "-"}
`);
    io.out.write(
      [...prefixLines(r.instanceId, r.stdout), ...prefixLines(r.instanceId, r.stderr)].map((l) => l + "\n").join("")
    );
  }
  return res.failed.length > 0 ? 1 : 0;
}
async function bundleMain(args, io) {
  if (!args.flags.out) throw new UsageError("bundle needs --out FILE.tar.gz");
  const { bundleCommand } = await import("./bundle-ZPJDI5VG.js");
  const res = await bundleCommand(args.dir, args.flags.out);
  if (args.flags.json) json(io, res);
  else
    io.out.write(
      `${res.sha256}  ${res.file}
(tarball_sha256: ${res.sha256}, ${res.bytes} bytes packed from ${res.source})
`
    );
  return 0;
}

export {
  outputsDocument,
  onTerminalHost,
  outputMode,
  LiveView,
  hostEnv,
  targetId,
  listMain,
  logsMain,
  execMain,
  bundleMain
};
//# sourceMappingURL=chunk-R4HL3CGN.js.map

import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  GetCommandInvocationCommand,
  runCommand
} from "./chunk-HHV4SY3M.js";
import {
  sh
} from "./chunk-ET7XX2IW.js";
import {
  searchDeployment
} from "./chunk-KXLZV4D5.js";
import {
  table
} from "./chunk-FQMHTO7E.js";
import {
  TAG
} from "./chunk-DFAL24WV.js";
import {
  resolveDeploymentId
} from "./chunk-DPXUJE6X.js";
import {
  byRegion
} from "./chunk-P4BHK4MN.js";
import {
  abortable
} from "./chunk-UE23O574.js";
import {
  DeployError,
  describeAwsError
} from "./chunk-4OVCB57H.js";

// src/operate/remote.ts
async function readOutput(ssm, region, r, signal) {
  const base = {
    instanceId: r.instanceId,
    region,
    status: r.status,
    ...r.responseCode !== void 0 ? { exitCode: r.responseCode } : {},
    ...r.statusDetails ? { detail: r.statusDetails } : {}
  };
  if (!r.commandId) return { ...base, stdout: "", stderr: "" };
  try {
    const inv = await ssm.send(
      new GetCommandInvocationCommand({ CommandId: r.commandId, InstanceId: r.instanceId }),
      abortable(signal)
    );
    return {
      ...base,
      ...inv.ResponseCode !== void 0 ? { exitCode: inv.ResponseCode } : {},
      stdout: inv.StandardOutputContent ?? "",
      stderr: inv.StandardErrorContent ?? ""
    };
  } catch (err) {
    return {
      ...base,
      stdout: r.output ?? "",
      stderr: `(GetCommandInvocation failed: ${describeAwsError(err)})`
    };
  }
}
async function runRemote(ctx, instances, spec) {
  const perRegion = await Promise.all(
    [...byRegion(instances)].map(async ([region, ids]) => {
      const ssm = ctx.clientsFor(region).ssm;
      const cmd = {
        ssm,
        clock: ctx.clock,
        poll: ctx.poll.commands,
        ...ctx.signal ? { signal: ctx.signal } : {}
      };
      const results = await runCommand(cmd, ids, spec);
      return Promise.all(
        ids.map(
          (id) => readOutput(
            ssm,
            region,
            results.get(id) ?? { instanceId: id, status: "TimedOut" },
            ctx.signal
          )
        )
      );
    })
  );
  return perRegion.flat();
}

// src/operate/scripts.ts
var OUTPUT_TAIL_BYTES = 23e3;
var EMIT = [
  "emit() {",
  "  local size",
  '  size=$(wc -c <"$1")',
  `  if [ "$size" -le ${OUTPUT_TAIL_BYTES} ]; then cat -- "$1"; return; fi`,
  `  echo "[spot-deployer: $((size - ${OUTPUT_TAIL_BYTES})) earlier bytes cut]"`,
  `  tail -c ${OUTPUT_TAIL_BYTES} -- "$1" | tail -n +2`,
  "}"
];
function logsScript(q) {
  if (!Number.isSafeInteger(q.lines) || q.lines < 1) throw new Error("lines must be 1 or more");
  const since = q.sinceSeconds !== void 0 ? ` --since=-${Math.floor(q.sinceSeconds)}s` : "";
  const journal = `journalctl --no-pager --quiet -o short-iso "\${units[@]}"${since}`;
  return [
    "#!/bin/bash",
    "set -o pipefail",
    ...EMIT,
    `units=(${q.services.map((s) => `-u ${sh(`${s}.service`)}`).join(" ")})`,
    "out=$(mktemp)",
    q.grep !== void 0 ? `re=${sh(q.grep)}
${journal} | { grep -E -e "$re" || true; } | tail -n ${q.lines} >"$out" 2>&1` : `${journal} -n ${q.lines} >"$out" 2>&1`,
    "rc=$?",
    'emit "$out"',
    'rm -f -- "$out"',
    'exit "$rc"'
  ].join("\n");
}
function encodeArgv(argv) {
  if (argv.length === 0) throw new Error("no command to run");
  if (argv.some((a) => a.includes("\0"))) throw new Error("a command word cannot contain NUL");
  return Buffer.from(argv.map((a) => `${a}\0`).join(""), "utf8").toString("base64");
}
function execScript(argv) {
  return [
    "#!/bin/bash",
    ...EMIT,
    `mapfile -d '' -t argv < <(printf %s ${encodeArgv(argv)} | base64 -d)`,
    "out=$(mktemp)",
    '"${argv[@]}" >"$out" 2>&1 </dev/null',
    "rc=$?",
    'emit "$out"',
    'rm -f -- "$out"',
    'exit "$rc"'
  ].join("\n");
}

// src/operate/target.ts
async function findTargets(inputs, host) {
  const deploymentId = await resolveDeploymentId(inputs.deploymentId, host.env);
  const { regions, instances: found } = await searchDeployment(inputs, deploymentId, host);
  const running = found.filter(
    (f) => f.state === "running" && (inputs.instance === void 0 || f.id === inputs.instance)
  );
  if (running.length === 0) {
    const what = inputs.instance ? `instance ${inputs.instance} of ` : "running instance of ";
    throw new DeployError(
      `no ${what}${TAG.deployment}=${deploymentId} in ${regions.join(", ")}` + (found.length > 0 ? ` (found: ${found.map((f) => `${f.id} ${f.state}`).join(", ")})` : "")
    );
  }
  return { deploymentId, instances: running };
}

// src/operate/report.ts
async function reportRemote(host, what, deploymentId, results, columns) {
  for (const r of results) {
    await host.log.group(columns.title(r), async () => {
      if (r.stdout) host.log.info(r.stdout.trimEnd());
      if (r.stderr.trim()) host.log.info(r.stderr.trimEnd());
    });
  }
  host.output("deployment-id", deploymentId);
  await host.summary(
    [
      `## Spot ${what} \`${deploymentId}\``,
      "",
      table(
        ["instance", "region", ...columns.header],
        results.map((r) => [r.instanceId, r.region, ...columns.row(r)])
      ),
      ""
    ].join("\n")
  );
}

export {
  runRemote,
  logsScript,
  execScript,
  findTargets,
  reportRemote
};
//# sourceMappingURL=chunk-XN4I4DHM.js.map

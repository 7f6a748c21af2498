import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  SEND_BATCH,
  checkServices,
  failureDetail,
  instanceRecord,
  runCommand,
  setInstanceOutputs
} from "./chunk-GIBJ2NAJ.js";
import {
  coreLog,
  instanceTable,
  octokitFor,
  previewInstances,
  regionsToSearch,
  renderDeploySummary,
  restoreRecord,
  saveRecord,
  updatePreview,
  writeSummary
} from "./chunk-4DJKKYXP.js";
import {
  GONE,
  _ep0,
  _ep02,
  _mw0,
  _mw02,
  command,
  command2,
  describeInstances,
  destroyTagged,
  findTagged,
  goneReason,
  observe,
  onlineIds,
  terminateInstances,
  waitOnline,
  waitRunning
} from "./chunk-2HABILYQ.js";
import {
  Clients,
  CreateTags$,
  DeleteTags$,
  DescribeImages$,
  DescribeInstanceTypes$,
  DescribeSpotPriceHistory$,
  GetParameters$,
  RunInstances$,
  abortable
} from "./chunk-DTPRKKXX.js";
import {
  COMMAND_POLL,
  POLL,
  byRegion,
  chunk,
  mapLimit,
  realClock
} from "./chunk-PGOONENN.js";
import "./chunk-VHTXZ2YU.js";
import "./chunk-ZZ2SNOZL.js";
import "./chunk-26QGXXSG.js";
import "./chunk-2KBZCNNM.js";
import "./chunk-5UZIY2RH.js";
import {
  DeployError,
  awsErrorCode,
  describeAwsError,
  isAbortError,
  isCapacityError
} from "./chunk-CPITSMUT.js";
import {
  STATE
} from "./chunk-FGP2QIDB.js";
import {
  saveState,
  setOutput,
  setSecret
} from "./chunk-6QLUEHOR.js";
import {
  buildPlan
} from "./chunk-3XDGEYJE.js";
import "./chunk-BM6V3LCX.js";
import {
  resolveDeploymentId,
  resolveIdentity
} from "./chunk-MEXPPU4T.js";
import {
  TAG
} from "./chunk-JVXDG6VL.js";
import {
  applyInputOverrides
} from "./chunk-V4AE43C7.js";
import "./chunk-MGZNPMRM.js";
import {
  loadOrThrow
} from "./chunk-VEQ3MLU7.js";
import "./chunk-TZFXLC47.js";
import "./chunk-3OWNIHIA.js";
import "./chunk-762IFG6K.js";
import {
  errorMessage
} from "./chunk-4G5IXWVH.js";
import "./chunk-DOESRUQL.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";

// node_modules/@aws-sdk/client-ec2/dist-es/commands/CreateTagsCommand.js
var CreateTagsCommand = class extends command(_ep0, _mw0, "CreateTags", CreateTags$) {
};

// node_modules/@aws-sdk/client-ec2/dist-es/commands/DeleteTagsCommand.js
var DeleteTagsCommand = class extends command(_ep0, _mw0, "DeleteTags", DeleteTags$) {
};

// node_modules/@aws-sdk/client-ec2/dist-es/commands/DescribeImagesCommand.js
var DescribeImagesCommand = class extends command(_ep0, _mw0, "DescribeImages", DescribeImages$) {
};

// node_modules/@aws-sdk/client-ec2/dist-es/commands/DescribeInstanceTypesCommand.js
var DescribeInstanceTypesCommand = class extends command(_ep0, _mw0, "DescribeInstanceTypes", DescribeInstanceTypes$) {
};

// node_modules/@aws-sdk/client-ec2/dist-es/commands/DescribeSpotPriceHistoryCommand.js
var DescribeSpotPriceHistoryCommand = class extends command(_ep0, _mw0, "DescribeSpotPriceHistory", DescribeSpotPriceHistory$) {
};

// node_modules/@aws-sdk/client-ec2/dist-es/commands/RunInstancesCommand.js
var RunInstancesCommand = class extends command(_ep0, _mw0, "RunInstances", RunInstances$) {
};

// node_modules/@aws-sdk/client-ssm/dist-es/commands/GetParametersCommand.js
var GetParametersCommand = class extends command2(_ep02, _mw02, "GetParameters", GetParameters$) {
};

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
  return {
    ssm: ctx.clientsFor(region).ssm,
    clock: ctx.clock,
    poll: ctx.poll,
    ...ctx.signal ? { signal: ctx.signal } : {}
  };
}
var PEM = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/;
async function runSecretsStep(ctx, step, region, ids) {
  const sealer = ctx.sealer;
  if (!sealer) throw new Error("a secrets step needs a sealer");
  const cctx = commandContext(ctx, region);
  const comment = `spot-deployer ${step.id} key ${ctx.deploymentId}`;
  const keys = await runCommand(cctx, ids, {
    script: sealer.keyScript(),
    timeoutSeconds: Math.min(step.timeoutSeconds, 120),
    comment
  });
  const out = /* @__PURE__ */ new Map();
  const ready = await mapLimit(ids, 10, async (id) => {
    const r = keys.get(id);
    if (!r || r.status !== "Success") {
      out.set(
        id,
        r ?? { instanceId: id, status: "Failed", statusDetails: "no result for the key command" }
      );
      return void 0;
    }
    let pem = PEM.exec(r.output ?? "")?.[0];
    if (!pem) {
      const full = await failureDetail(cctx, r, 1e4);
      pem = PEM.exec(full.stdoutTail)?.[0];
    }
    if (!pem) {
      out.set(id, {
        ...r,
        status: "Failed",
        statusDetails: "the key command printed no public key"
      });
      return void 0;
    }
    return { id, pem };
  });
  const holders2 = ready.filter((x) => x !== void 0);
  if (holders2.length === 0) return out;
  const { commands, unreadable } = await sealer.seal(
    holders2.map((h) => h.pem),
    ctx.secrets,
    SEND_BATCH
  );
  for (const i of unreadable) {
    const h = holders2[i];
    const r = h ? keys.get(h.id) : void 0;
    if (h && r) {
      out.set(h.id, {
        ...r,
        status: "Failed",
        statusDetails: "the key command printed a public key that cannot be read"
      });
    }
  }
  await mapLimit(commands, 10, async ({ script, keys: which }) => {
    const batch = which.map((i) => holders2[i]?.id).filter((id) => id !== void 0);
    const res = await runCommand(cctx, batch, {
      script,
      timeoutSeconds: step.timeoutSeconds,
      comment: `spot-deployer ${step.id} ${ctx.deploymentId}`
    });
    for (const id of batch) {
      out.set(id, res.get(id) ?? { instanceId: id, status: "Failed", statusDetails: "no result" });
    }
  });
  return out;
}
async function runStep(ctx, step, members) {
  const started = ctx.clock.now();
  const failed = [];
  await Promise.all(
    [...byRegion(members)].map(async ([region, ids]) => {
      const results = step.kind === "secrets" ? await runSecretsStep(ctx, step, region, ids) : await runCommand(commandContext(ctx, region), ids, {
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
    const detail = await failureDetail(commandContext(ctx, f.region), f.result);
    await ctx.log.group(
      `\u2717 ${stepId} failed on ${f.instanceId} (${f.region}): ${describeResult({ ...f.result, ...detail.responseCode !== void 0 ? { responseCode: detail.responseCode } : {} })}`,
      async () => {
        if (detail.statusDetails) ctx.log.info(`status details: ${detail.statusDetails}`);
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
async function deliverSteps(ctx, fleet, steps, minHealthy) {
  const outcomes = [];
  for (const batch of stepBatches(steps)) {
    const members = fleet.healthy();
    if (members.length < minHealthy || members.length === 0) break;
    const title = batch.length === 1 ? `Step ${batch[0]?.id}: ${batch[0]?.description} (${members.length} instance${members.length === 1 ? "" : "s"})` : `Steps ${batch.map((s) => s.id).join(", ")} in parallel (${members.length} instances)`;
    const results = await ctx.log.group(
      title,
      () => Promise.all(batch.map((s) => runStep(ctx, s, members)))
    );
    for (const o of results) {
      outcomes.push(o);
      for (const f of o.failed)
        fleet.fail(f.instanceId, `step ${o.step.id}`, describeResult(f.result));
      if (o.failed.length > 0) {
        await explainGone(ctx, fleet, o.failed);
        await logFailures(ctx, o.step.id, o.failed);
      }
    }
  }
  return outcomes;
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

// src/github/runs.ts
async function endedRuns(token, runs, deps = {}) {
  const out = { ended: /* @__PURE__ */ new Set(), notes: [] };
  const checkable = runs.filter(
    (r) => /^\d+-\d+$/.test(r.runId) && /^[^/]+\/[^/]+$/.test(r.repository)
  );
  if (token === "" || checkable.length === 0) return out;
  const octokit = await octokitFor(token, deps.apiUrl);
  await Promise.all(
    checkable.map(async (r) => {
      const [run, attempt] = r.runId.split("-").map(Number);
      const [owner, repo] = r.repository.split("/");
      try {
        const { data } = await octokit.rest.actions.getWorkflowRunAttempt({
          owner,
          repo,
          run_id: run,
          attempt_number: attempt
        });
        if (data.status === "completed") out.ended.add(r.runId);
      } catch (err) {
        const e = err;
        out.notes.push(
          `could not ask GitHub whether run ${r.runId} of ${r.repository} has ended: ${e.status ? `${e.status} ` : ""}${e.message ?? String(err)}` + (e.status === 403 || e.status === 404 ? " (the github-token needs `actions: read` on that repository)" : "")
        );
      }
    })
  );
  return out;
}

// src/launch/launch.ts
import { randomUUID } from "node:crypto";

// src/launch/images.ts
var DEFAULT_ROOT_DEVICE = { ubuntu: "/dev/sda1", al2023: "/dev/xvda" };
async function instanceArchitectures(ec2, types, signal) {
  const out = /* @__PURE__ */ new Map();
  let NextToken;
  try {
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
  } catch (err) {
    throw new DeployError(
      `could not look up instance types ${types.join(", ")}: ${describeAwsError(err)}`
    );
  }
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
        const res = await ec2.send(new RunInstancesCommand(input), abortable(ctx.signal));
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
        if (isCapacityError(err)) {
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

// src/launch/concurrency.ts
var PHASE = {
  deploying: "deploying",
  ready: "ready",
  /** Kept by keep-failed after a failed deploy: not in progress any more, never healthy. */
  failed: "failed"
};
var UPDATING_PREFIX = "spot-deployer:updating:";
var LOCK_WINDOW_MS = 60 * 60 * 1e3;
var ACTIVE_STATES = /* @__PURE__ */ new Set(["pending", "running"]);
function runParts(runId) {
  const m = /^(\d+)-(\d+)$/.exec(runId);
  return m ? { run: m[1], attempt: Number(m[2]) } : { run: runId };
}
function isEarlierAttempt(other, mine) {
  const a = runParts(other);
  const b = runParts(mine);
  return a.attempt !== void 0 && b.attempt !== void 0 && a.run === b.run && a.attempt < b.attempt;
}
function holders(found, now, windowMs = LOCK_WINDOW_MS) {
  const byRun = /* @__PURE__ */ new Map();
  const add = (runId, what, since, f, repository) => {
    if (!Number.isFinite(since) || now - since >= windowMs) return;
    const h = byRun.get(runId);
    if (!h) {
      byRun.set(runId, {
        runId,
        what,
        since,
        instances: [{ id: f.id, region: f.region }],
        repository
      });
      return;
    }
    h.since = Math.min(h.since, since);
    if (!h.instances.some((i) => i.id === f.id)) h.instances.push({ id: f.id, region: f.region });
  };
  for (const f of found) {
    if (!ACTIVE_STATES.has(f.state)) continue;
    const repository = f.tags[TAG.repository] ?? "";
    const run = f.tags[TAG.run];
    if (f.tags[TAG.phase] === PHASE.deploying && run && f.launchTime) {
      add(run, "deploying", Date.parse(f.launchTime), f, repository);
    }
    for (const [key, value] of Object.entries(f.tags)) {
      if (key.startsWith(UPDATING_PREFIX) && key.length > UPDATING_PREFIX.length) {
        add(key.slice(UPDATING_PREFIX.length), "updating", Date.parse(value), f, repository);
      }
    }
  }
  return order([...byRun.values()]);
}
function order(list) {
  return [...list].sort(
    (a, b) => a.since - b.since || a.runId.localeCompare(b.runId, "en", { numeric: true }) || 0
  );
}
function others(list, myRunId) {
  return list.filter((h) => h.runId !== myRunId && !isEarlierAttempt(h.runId, myRunId));
}
function decide(list, myRunId) {
  const rivals = others(list, myRunId);
  if (rivals.length === 0) return { proceed: true };
  const mine = list.find((h) => h.runId === myRunId);
  const first = order(mine ? [...rivals, mine] : rivals)[0];
  return first.runId === myRunId ? { proceed: true } : { proceed: false, winner: first };
}
function runUrl(h, serverUrl) {
  const { run, attempt } = runParts(h.runId);
  if (!h.repository || attempt === void 0) return "";
  return `${serverUrl.replace(/\/+$/, "")}/${h.repository}/actions/runs/${run}${attempt > 1 ? `/attempts/${attempt}` : ""}`;
}
var CONCURRENCY_HINT = "Serialize the deploys of one deployment in the workflow: `concurrency: { group: spot-deploy-${{ github.repository }}-${{ github.ref }}, cancel-in-progress: false }` (for pull request previews: `spot-preview-${{ github.repository }}-${{ github.event.pull_request.number }}`).";
function describeHolder(h, serverUrl) {
  const url = runUrl(h, serverUrl);
  const ids = h.instances.map((i) => `${i.id} (${i.region})`);
  const shown = ids.length > 5 ? [...ids.slice(0, 5), `\u2026 ${ids.length - 5} more`] : ids;
  return `run ${h.runId}${url ? ` (${url})` : ""}, ${h.what} since ${new Date(h.since).toISOString()}: ` + shown.join(", ");
}
function busyMessage(deploymentId, rivals, serverUrl, windowMs = LOCK_WINDOW_MS) {
  const first = rivals[0];
  const until = new Date(first.since + windowMs).toISOString();
  return `another run is deploying '${deploymentId}' right now: ${rivals.map((h) => describeHolder(h, serverUrl)).join("; ")}. This run stopped before launching or changing anything, so the fleet is not doubled. ${CONCURRENCY_HINT} If that run is no longer running (it crashed), its marks stop counting at ${until}, or at once for a github-token that may read the repository's runs (\`permissions: actions: read\`); or remove its instances with command: destroy.`;
}
function lostMessage(deploymentId, winner, myRunId, serverUrl) {
  return `run ${winner.runId} started deploying '${deploymentId}' at the same time as this run (${myRunId}); both checked before either had started, and the earlier one goes on: ${describeHolder(winner, serverUrl)}. This run withdraws: it terminates the instances it launched and changes nothing else. ${CONCURRENCY_HINT}`;
}

// src/launch/existing.ts
async function survey(clientsFor, regions, deploymentId, signal) {
  const per = await Promise.all(
    regions.map((r) => findTagged(clientsFor(r).ec2, r, { deploymentId }, signal))
  );
  return per.flat();
}
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

// src/launch/phase.ts
var TAG_BATCH = 500;
async function setTags(ec2, ids, tags, signal) {
  const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  for (const batch of chunk(ids, TAG_BATCH)) {
    await ec2.send(new CreateTagsCommand({ Resources: batch, Tags }), abortable(signal));
  }
}
async function removeTags(ec2, ids, keys, signal) {
  const Tags = keys.map((Key) => ({ Key }));
  for (const batch of chunk(ids, TAG_BATCH)) {
    await ec2.send(new DeleteTagsCommand({ Resources: batch, Tags }), abortable(signal));
  }
}

// src/launch/strategy.ts
function liveHolders(ctx, found) {
  return holders(found, ctx.clock.now()).filter((h) => !ctx.endedRuns?.has(h.runId));
}
function concurrencyCheck(ctx) {
  return async () => {
    const found = await survey(ctx.clientsFor, ctx.regions, ctx.deploymentId, ctx.signal);
    const d = decide(liveHolders(ctx, found), ctx.runId);
    if (!d.proceed) {
      throw new DeployError(lostMessage(ctx.deploymentId, d.winner, ctx.runId, ctx.serverUrl));
    }
    ctx.log.info(`no other run is deploying ${ctx.deploymentId}`);
  };
}
async function tagInstances(ctx, instances, tags) {
  await Promise.all(
    [...byRegion(instances)].map(
      ([region, ids]) => setTags(ctx.clientsFor(region).ec2, ids, tags, ctx.signal)
    )
  );
}
async function untagInstances(ctx, instances, keys) {
  await Promise.all(
    [...byRegion(instances)].map(
      ([region, ids]) => removeTags(ctx.clientsFor(region).ec2, ids, keys, ctx.signal)
    )
  );
}
function updatedTags(plan) {
  return {
    [TAG.phase]: "ready",
    [TAG.digest]: plan.manifestDigest,
    [TAG.sha]: plan.identity.sha,
    [TAG.ref]: plan.identity.ref
  };
}
var plural = (n) => `${n} instance${n === 1 ? "" : "s"}`;
async function previousSet(ctx) {
  const found = await survey(ctx.clientsFor, ctx.regions, ctx.deploymentId, ctx.signal);
  const rivals = new Set(
    others(liveHolders(ctx, found), ctx.runId).flatMap((h) => h.instances.map((i) => i.id))
  );
  for (const id of rivals) ctx.log.warning(`${id} belongs to another run's deploy; left alone`);
  return found.filter((f) => f.tags[TAG.run] !== ctx.runId && !rivals.has(f.id));
}
async function retire(ctx, old, why, timeoutMs) {
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
        ...ctx.signal ? { signal: ctx.signal } : {}
      },
      old
    );
  } catch (err) {
    throw new DeployError(
      `${why}: could not terminate the previous ${plural(old.length)} (${old.map((o) => o.id).join(", ")}): ${describeAwsError(err)}`
    );
  }
  if (res.remaining.length > 0) {
    throw new DeployError(
      `${why}: the previous ${plural(res.remaining.length)} did not terminate in ${Math.round(timeoutMs / 1e3)} s: ` + res.remaining.map((r) => `${r.id} (${r.region}, ${r.state})`).join(", ")
    );
  }
  const line = `${why}: terminated the previous ${plural(old.length)}: ${old.map((o) => o.id).join(", ")}`;
  ctx.log.info(line);
  return line;
}

// src/report/cost.ts
async function estimateHourlyCost(clientsFor, instances, signal) {
  const notes = [];
  const spot = instances.filter((i) => i.lifecycle === "spot");
  const onDemand = instances.length - spot.length;
  if (onDemand > 0)
    notes.push(
      `${onDemand} on-demand instance${onDemand === 1 ? "" : "s"} not included (on-demand prices are not in the spot price history)`
    );
  const regions = [...new Set(spot.map((i) => i.region))];
  let perHour;
  let priced = 0;
  await Promise.all(
    regions.map(async (region) => {
      const types = [...new Set(spot.filter((i) => i.region === region).map((i) => i.type))];
      const latest = /* @__PURE__ */ new Map();
      try {
        const res = await clientsFor(region).ec2.send(
          new DescribeSpotPriceHistoryCommand({
            InstanceTypes: types,
            ProductDescriptions: ["Linux/UNIX"],
            StartTime: /* @__PURE__ */ new Date(),
            MaxResults: 1e3
          }),
          abortable(signal)
        );
        for (const p of res.SpotPriceHistory ?? []) {
          if (!p.InstanceType || !p.SpotPrice) continue;
          const zone = p.AvailabilityZone ?? "";
          const at = p.Timestamp ? new Date(p.Timestamp).getTime() : 0;
          const byZone = latest.get(p.InstanceType) ?? /* @__PURE__ */ new Map();
          const prev = byZone.get(zone);
          if (!prev || prev[0] < at) byZone.set(zone, [at, Number(p.SpotPrice)]);
          latest.set(p.InstanceType, byZone);
        }
      } catch (err) {
        notes.push(`${region}: no spot price history (${describeAwsError(err)})`);
        return;
      }
      for (const i of spot.filter((x) => x.region === region)) {
        const byZone = latest.get(i.type);
        const price = byZone ? byZone.get(i.zone ?? "") ?? [...byZone.values()][0] : void 0;
        if (!price || !Number.isFinite(price[1])) {
          notes.push(`${region}: no spot price for ${i.type}${i.zone ? ` in ${i.zone}` : ""}`);
          continue;
        }
        perHour = (perHour ?? 0) + price[1];
        priced++;
      }
    })
  );
  return { ...perHour !== void 0 ? { perHour } : {}, priced, notes };
}

// src/commands/deploy.ts
function toRecord(m, health) {
  return {
    ...instanceRecord(m, health),
    ...m.failure ? { cause: `${m.failure.phase}: ${m.failure.cause}` } : {}
  };
}
function failureList(members, limit = 10) {
  const lines = members.slice(0, limit).map(
    (m) => `  ${m.id} (${m.region}, ${m.instanceType}): ${m.failure?.phase}: ${m.failure?.cause}`
  );
  if (members.length > limit) lines.push(`  \u2026 and ${members.length - limit} more`);
  return lines.join("\n");
}
async function executeDeploy(plan, opts, deps) {
  const clock = deps.clock ?? realClock;
  const poll = deps.poll ?? POLL;
  const commandPoll = deps.commandPoll ?? deps.poll ?? COMMAND_POLL;
  const { log, registry } = deps;
  const signal = deps.signal;
  const inPlace = opts.inPlace;
  const regions = inPlace ? [...new Set(inPlace.map((i) => i.region))] : plan.regions.map((r) => r.region);
  const requested = inPlace ? inPlace.length : plan.regions.reduce((n, r) => n + r.count, 0);
  const minHealthy = minHealthyCount(opts.minHealthy, requested);
  const phases = [];
  let phase = "planning";
  let failedPhase = phase;
  const timed = async (name, fn) => {
    phase = name;
    const t0 = clock.now();
    try {
      return await fn();
    } finally {
      phases.push({ name, ms: clock.now() - t0 });
    }
  };
  const ctx = { clientsFor: deps.clientsFor, log, clock, poll, ...signal ? { signal } : {} };
  let launch;
  let fleet = new Fleet([]);
  let outcomes = [];
  let failure;
  let launchStarted = false;
  const enough = (phase2) => {
    const healthy = fleet.healthy().length;
    if (healthy >= minHealthy && healthy > 0) return;
    throw new DeployError(
      `${phase2}: ${healthy} of ${requested} instance${requested === 1 ? "" : "s"} healthy, ${minHealthy} needed (min-healthy):
${failureList(fleet.failed())}`
    );
  };
  try {
    if (minHealthy > requested) {
      throw new DeployError(
        `min-healthy asks for ${minHealthy} instances but the plan launches ${requested}`
      );
    }
    if (!inPlace && plan.regions.some((r) => !r.instance.instanceProfile)) {
      throw new DeployError(
        "no instance profile: set input instance-profile (or the manifest's instance profile) to an IAM instance profile whose role has the AmazonSSMManagedInstanceCore policy; without it the instances cannot take SSM commands"
      );
    }
    if (plan.steps.some((s) => s.kind === "secrets") && !deps.sealer) {
      throw new DeployError("the plan delivers secrets but no secrets sealer is available");
    }
    if (inPlace) {
      fleet = new Fleet(inPlace);
    } else {
      const record = {
        runId: plan.identity.runId,
        deploymentId: plan.deploymentId,
        regions,
        keepFailed: opts.keepFailed
      };
      deps.saveState(STATE.run, JSON.stringify(record));
      launchStarted = true;
      launch = await timed(
        "launch",
        () => log.group(
          `Launch ${requested} instance${requested === 1 ? "" : "s"} in ${regions.join(", ")}`,
          () => launchAll(
            { clientsFor: deps.clientsFor, registry, log, ...signal ? { signal } : {} },
            plan
          )
        )
      );
      for (const r of launch.regions) {
        if (r.onDemand > 0)
          log.warning(
            `${r.region}: spot capacity ran out; launched ${r.onDemand} on-demand (on-demand fallback)`
          );
      }
      if (launch.instances.length < requested) {
        const lines = shortfallReport(launch);
        if (launch.instances.length < minHealthy || launch.instances.length === 0) {
          throw new DeployError(
            `not enough capacity: launched ${launch.instances.length} of ${requested}, ${minHealthy} needed
${lines.join("\n")}` + (plan.regions.some((r) => !r.market.onDemandFallback) ? "\n(on-demand fallback is off)" : "")
          );
        }
        for (const l of lines) log.warning(l);
      }
      fleet = new Fleet(launch.instances);
    }
    const hooks = deps.hooks ?? {};
    if (hooks.afterLaunch) {
      const hook = hooks.afterLaunch;
      await timed("concurrency check", () => hook(fleet));
    }
    const waitCtx = ctx;
    await timed(
      "running",
      () => log.group(
        "Wait for instances to run",
        () => waitRunning(waitCtx, fleet, opts.onlineTimeoutSeconds * 1e3)
      )
    );
    enough("waiting for running");
    await timed(
      "ssm online",
      () => log.group(
        "Wait for SSM Online",
        () => waitOnline(waitCtx, fleet, opts.onlineTimeoutSeconds * 1e3)
      )
    );
    enough("waiting for SSM Online");
    if (hooks.beforeDeliver) {
      const hook = hooks.beforeDeliver;
      await timed("concurrency check", () => hook(fleet));
    }
    const dctx = {
      ...ctx,
      poll: commandPoll,
      deploymentId: plan.deploymentId,
      secrets: opts.secrets,
      ...deps.sealer ? { sealer: deps.sealer } : {}
    };
    await timed("deliver", async () => {
      outcomes = await deliverSteps(dctx, fleet, plan.steps, minHealthy);
    });
    enough("delivery");
    await timed(
      "verify",
      () => log.group(
        "Verify services",
        () => verify(
          { ...ctx, poll: commandPoll },
          fleet,
          plan,
          opts.services ?? plan.services,
          outcomes
        )
      )
    );
    enough("verify");
    if (hooks.onHealthy) {
      const hook = hooks.onHealthy;
      await timed("tag", () => hook(fleet.healthy()));
    }
  } catch (err) {
    failure = err;
    failedPhase = phase;
  }
  const cancelled = failure !== void 0 && (isAbortError(failure) || signal?.aborted === true);
  const doomed = failure !== void 0 ? fleet.members : fleet.failed();
  const cleanup = [];
  if (inPlace) {
    if (doomed.length > 0) {
      cleanup.push(
        `update in place: nothing was terminated; ${doomed.length} instance${doomed.length === 1 ? "" : "s"} did not take the update (${doomed.map((m) => m.id).join(", ")}); the next deploy delivers again`
      );
      log.warning(cleanup.at(-1));
    }
  } else if (failure !== void 0 && launchStarted || doomed.length > 0) {
    if (opts.keepFailed) {
      const kept = failure !== void 0 ? registry.snapshot() : Object.fromEntries(byRegion(doomed));
      const ids = Object.values(kept).flat();
      if (ids.length > 0) {
        cleanup.push(
          `keep-failed: left ${ids.length} instance${ids.length === 1 ? "" : "s"} running for debugging: ${ids.join(", ")}; destroy them with command: destroy`
        );
        log.warning(cleanup.at(-1));
        if (deps.hooks?.onKept) {
          await deps.hooks.onKept(kept).catch(
            (err) => log.warning(`could not tag the kept instances: ${describeAwsError(err)}`)
          );
        }
      }
    } else {
      await timed(
        "cleanup",
        () => log.group(
          failure !== void 0 ? "Terminate this run's instances" : "Terminate failed instances",
          async () => {
            cleanup.push(
              ...await terminate(
                {
                  ...ctx,
                  registry,
                  cancelled,
                  timeoutSeconds: opts.terminateTimeoutSeconds ?? 600,
                  fleet
                },
                failure !== void 0 ? { everything: true, plan } : { everything: false, members: doomed }
              )
            );
          }
        )
      );
    }
  }
  const live = fleet.members.filter(
    (m) => inPlace || opts.keepFailed ? true : failure === void 0 && !m.failure
  );
  const cost = live.length > 0 ? await estimateHourlyCost(
    deps.clientsFor,
    live.map((m) => ({
      region: m.region,
      type: m.instanceType,
      lifecycle: m.lifecycle,
      ...m.zone ? { zone: m.zone } : {}
    })),
    signal?.aborted ? void 0 : signal
  ).catch(
    (err) => ({ priced: 0, notes: [`no cost estimate: ${describeAwsError(err)}`] })
  ) : { priced: 0, notes: [] };
  const error = failure === void 0 ? void 0 : cancelled ? `cancelled during ${failedPhase}` : errorMessage(failure);
  const report = {
    deploymentId: plan.deploymentId,
    outcome: failure === void 0 ? "succeeded" : cancelled ? "cancelled" : "failed",
    ...error !== void 0 ? { reason: error.split("\n")[0] ?? error } : {},
    requested,
    instances: fleet.members.map(
      (m) => toRecord(m, m.failure ? "unhealthy" : failure === void 0 ? "healthy" : "unknown")
    ),
    steps: outcomes.map((o) => ({
      id: o.step.id,
      description: o.step.description,
      bytes: o.step.payloadBytes,
      instances: o.instances,
      failed: o.failed.length,
      ms: o.ms
    })),
    phases,
    launch: launch ? launch.regions.map(
      (r) => `${r.region}: ${r.instances.length}/${r.requested} \u2014 ${formatAttempts(r.attempts)}`
    ) : [],
    ...cost.perHour !== void 0 ? { costPerHour: cost.perHour } : {},
    costNotes: cost.notes,
    cleanup
  };
  const records = live.map((m) => {
    const health = m.failure ? "unhealthy" : inPlace && failure !== void 0 ? "unknown" : "healthy";
    const { cause: _cause, ...r } = toRecord(m, health);
    return r;
  });
  return {
    ok: failure === void 0,
    ...error !== void 0 ? { error } : {},
    report,
    records,
    regions: [...new Set(live.map((m) => m.region))]
  };
}
async function verify(ctx, fleet, plan, services, outcomes) {
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
    [...fleet.healthyByRegion()].map(async ([region, members]) => {
      let ids = members.map((m) => m.id);
      for (let attempt = 1; ids.length > 0; attempt++) {
        const health2 = await checkServices(
          {
            ssm: ctx.clientsFor(region).ssm,
            clock: ctx.clock,
            poll: ctx.poll,
            ...ctx.signal ? { signal: ctx.signal } : {}
          },
          ids,
          services,
          `spot-deployer verify ${plan.deploymentId}`
        );
        const again = [];
        for (const [id, h] of health2) {
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
    })
  );
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
  const signal = AbortSignal.timeout(budgetMs);
  const waitMs = ctx.cancelled ? 4e3 : ctx.timeoutSeconds * 1e3;
  const base = {
    log: ctx.log,
    clock: ctx.clock,
    poll: ctx.poll,
    signal,
    timeoutMs: waitMs,
    clientsFor: ctx.clientsFor
  };
  try {
    if (what.everything) {
      const known = ctx.registry.snapshot();
      const regions = [
        .../* @__PURE__ */ new Set([...what.plan.regions.map((r) => r.region), ...Object.keys(known)])
      ];
      const res2 = await destroyTagged(
        base,
        regions,
        { deploymentId: what.plan.deploymentId, runId: what.plan.identity.runId },
        known
      );
      markStates(ctx.fleet, res2);
      for (const [region, ids] of Object.entries(known))
        ctx.registry.remove(
          region,
          ids.filter((id) => res2.terminated.includes(id))
        );
      const total = res2.terminated.length + res2.remaining.length;
      const plural2 = (n) => `${n} instance${n === 1 ? "" : "s"}`;
      const lines2 = res2.remaining.length === 0 ? [`terminated ${plural2(total)} of this run`] : [
        `termination requested for ${plural2(total)} of this run: ${res2.terminated.length} terminated, still shutting down: ${res2.remaining.map((r) => `${r.id} (${r.state})`).join(", ")}`
      ];
      for (const l of lines2) ctx.log.info(l);
      return lines2;
    }
    const res = await terminateInstances(base, what.members);
    markStates(ctx.fleet, res);
    const lines = [];
    for (const [region, ids] of byRegion(what.members)) {
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
    for (const l of lines) ctx.log.info(l);
    return lines;
  } catch (err) {
    const line = `could not terminate every instance (${errorMessage(err)}); the post step will try again`;
    ctx.log.warning(line);
    return [line];
  }
}
var RETIRE_TIMEOUT_MS = 6e5;
async function deployCommand(inputs, reporter, opts = {}) {
  const log = opts.log ?? coreLog;
  const signal = opts.signal;
  const deployment = applyInputOverrides(await loadOrThrow(inputs.path, reporter), inputs);
  const plan = await buildPlan(deployment, {
    deploymentId: await resolveDeploymentId(inputs.deploymentId, process.env),
    identity: resolveIdentity(process.env),
    secretNames: Object.keys(inputs.secrets).sort()
  });
  const id = plan.deploymentId;
  const runId = plan.identity.runId;
  log.info(
    `deployment ${id}, run ${runId}, manifest ${plan.manifestDigest.slice(0, 12)}: ${plan.regions.map((r) => `${r.count} in ${r.region}`).join(", ")}; ${plan.steps.length} remote steps; strategy ${inputs.strategy}`
  );
  setOutput("deployment-id", id);
  setOutput("manifest-digest", plan.manifestDigest);
  if (inputs.githubToken) setSecret(inputs.githubToken);
  const mask = Object.values(inputs.secrets).filter((v) => v !== "");
  const preview = (content) => updatePreview(inputs.githubToken, content, log, { mask });
  const clients = new Clients();
  const clientsFor = (region) => clients.for(region);
  try {
    const planRegions = regionsToSearch([...plan.regions.map((r) => r.region), ...inputs.regions]);
    const [restored, inPlanRegions] = await Promise.all([
      restoreRecord(id),
      survey(clientsFor, planRegions, id, signal)
    ]);
    const regions = regionsToSearch(planRegions, restored.record);
    const more = regions.filter((r) => !planRegions.includes(r));
    const sctx = {
      clientsFor,
      log,
      clock: realClock,
      poll: POLL,
      ...signal ? { signal } : {},
      regions,
      deploymentId: id,
      runId,
      serverUrl: process.env.GITHUB_SERVER_URL || "https://github.com"
    };
    const found = await log.group(`Look for ${id} in ${regions.join(", ")}`, async () => {
      if (restored.warning) log.info(restored.warning);
      const f = more.length === 0 ? inPlanRegions : [...inPlanRegions, ...await survey(clientsFor, more, id, signal)];
      log.info(
        f.length === 0 ? "no live instance: a first deploy" : `${f.length} live instance${f.length === 1 ? "" : "s"}: ${f.map((i) => `${i.id} (${i.region}, ${i.state}, ${i.tags[TAG.phase] ?? "ready"}, manifest ${(i.tags[TAG.digest] ?? "").slice(0, 12)})`).join(", ")}`
      );
      return f;
    });
    let rivals = others(holders(found, realClock.now()), runId);
    if (rivals.length > 0 && inputs.githubToken) {
      const { ended, notes: notes2 } = await endedRuns(inputs.githubToken, rivals);
      for (const n of notes2) log.info(n);
      for (const h of rivals.filter((r) => ended.has(r.runId))) {
        log.info(
          `run ${h.runId} has ended without clearing its marks on ${h.instances.map((i) => i.id).join(", ")}; they no longer count`
        );
      }
      sctx.endedRuns = ended;
      rivals = rivals.filter((r) => !ended.has(r.runId));
    }
    if (rivals.length > 0) {
      const message = busyMessage(id, rivals, sctx.serverUrl);
      await writeSummary(`## Spot deploy \`${id}\`: not started

${message}
`);
      throw new DeployError(message);
    }
    if (!inputs.force) {
      const why = differences(found, plan) ?? await offline(clientsFor, found, signal);
      if (why === void 0) return await unchanged(plan, found, inputs.strategy, log, preview);
      log.info(`deploying: ${why}`);
    } else {
      log.info("force: deploying whether or not anything changed");
    }
    const live = found.filter((f) => f.state === "running" || f.state === "pending");
    const inPlace = inputs.strategy === "update" && live.length > 0;
    const strategy = inputs.strategy === "update" && !inPlace ? "replace" : inputs.strategy;
    if (strategy !== inputs.strategy) {
      log.info("update: the deployment has no running instance to update; launching a new set");
    }
    const notes = [];
    if (strategy === "recreate" && found.length > 0) {
      notes.push(
        await log.group(
          "Terminate the previous instances (strategy recreate)",
          () => retire(sctx, found, "recreate", RETIRE_TIMEOUT_MS)
        )
      );
    }
    const registry = new InstanceRegistry(
      (snapshot) => saveState(STATE.launched, JSON.stringify(snapshot))
    );
    const check = concurrencyCheck(sctx);
    const deployOpts = {
      minHealthy: inputs.minHealthy,
      keepFailed: inputs.keepFailed,
      onlineTimeoutSeconds: inputs.onlineTimeoutSeconds,
      secrets: inputs.secrets,
      services: deployment.services.filter((sv) => sv.start).map((sv) => sv.name)
    };
    const deps = {
      clientsFor,
      log,
      registry,
      saveState: (name, value) => saveState(name, value),
      ...signal ? { signal } : {},
      ...plan.steps.some((s) => s.kind === "secrets") ? { sealer: await loadSealer(inputs.secrets) } : {}
    };
    let outcome;
    if (inPlace) {
      for (const c of updateCaveats(live, plan)) {
        log.warning(
          `update: ${c}; an update delivers to the existing instances as they are (strategy replace or recreate applies it)`
        );
      }
      const mark = `${UPDATING_PREFIX}${runId}`;
      await tagInstances(sctx, live, { [mark]: new Date(realClock.now()).toISOString() });
      try {
        outcome = await executeDeploy(
          plan,
          { ...deployOpts, inPlace: live.map(asLaunched) },
          {
            ...deps,
            hooks: {
              afterLaunch: check,
              beforeDeliver: check,
              onHealthy: (members) => tagInstances(sctx, members, updatedTags(plan))
            }
          }
        );
      } finally {
        await untagInstances({ clientsFor, signal: AbortSignal.timeout(1e4) }, live, [
          mark
        ]).catch(
          (err) => log.warning(
            `could not remove the tag ${mark} from ${live.map((l) => l.id).join(", ")}: ${describeAwsError(err)}; other deploys of ${id} wait for it until ${new Date(realClock.now() + LOCK_WINDOW_MS).toISOString()}`
          )
        );
      }
    } else {
      outcome = await executeDeploy(plan, deployOpts, {
        ...deps,
        hooks: {
          afterLaunch: check,
          beforeDeliver: check,
          onHealthy: (members) => tagInstances(sctx, members, { [TAG.phase]: PHASE.ready }),
          onKept: (kept) => tagInstances(
            sctx,
            Object.entries(kept).flatMap(([region, ids]) => ids.map((i) => ({ id: i, region }))),
            { [TAG.phase]: PHASE.failed }
          )
        }
      });
    }
    setInstanceOutputs(id, outcome.records, outcome.regions);
    setOutput("changed", "true");
    let retireError;
    if (outcome.ok) {
      saveState(STATE.result, "success");
      if (strategy === "replace" && found.length > 0) {
        try {
          notes.push(
            await log.group(
              "Terminate the previous instances (strategy replace)",
              async () => retire(sctx, await previousSet(sctx), "replace", RETIRE_TIMEOUT_MS)
            )
          );
        } catch (err) {
          retireError = `the new instances are healthy and serving, but ${errorMessage(err)}`;
          notes.push(retireError);
        }
      }
      const saved = await saveRecord({
        version: 1,
        deploymentId: id,
        instances: outcome.records.map((r) => ({ id: r.id, region: r.region })),
        regions: [.../* @__PURE__ */ new Set([...plan.regions.map((r) => r.region), ...outcome.regions])],
        manifestDigest: plan.manifestDigest,
        savedAt: (/* @__PURE__ */ new Date()).toISOString(),
        runId
      });
      if (saved.warning)
        (process.env.GITHUB_ACTIONS === "true" ? log.warning : log.info)(saved.warning);
    } else if (found.length > 0 && !inPlace && strategy === "replace") {
      notes.push(
        `replace: the previous ${found.length} instance${found.length === 1 ? "" : "s"} keep serving`
      );
    }
    outcome.report.cleanup.push(...notes);
    await writeSummary(renderDeploySummary(outcome.report));
    await preview(
      outcome.ok ? {
        status: "deployed",
        deploymentId: id,
        instances: previewInstances(outcome.records),
        sha: plan.identity.sha,
        manifestDigest: plan.manifestDigest
      } : {
        status: "failed",
        deploymentId: id,
        reason: outcome.error?.split("\n")[0] ?? "unknown error",
        // What serves now: the previous set (replace, update) or nothing (recreate).
        instances: previewInstances(
          inPlace ? outcome.records : strategy === "recreate" ? [] : found.map((f) => instanceRecord(f, "unknown"))
        ),
        sha: plan.identity.sha
      }
    );
    if (!outcome.ok)
      throw new DeployError(
        `deploy ${outcome.report.outcome}: ${outcome.error ?? "unknown error"}`
      );
    if (retireError) throw new DeployError(retireError);
    log.info(
      `deployed ${outcome.records.length} instance${outcome.records.length === 1 ? "" : "s"}${inPlace ? " (updated in place)" : ""}: ${outcome.records.map((r) => r.id).join(", ")}`
    );
    return { ...outcome, plan, changed: true, strategy };
  } finally {
    clients.close();
  }
}
async function offline(clientsFor, found, signal) {
  const missing = await Promise.all(
    [...byRegion(found)].map(async ([region, ids]) => {
      const online = await onlineIds(clientsFor(region).ssm, ids, signal);
      return ids.filter((i) => !online.has(i));
    })
  );
  const first = missing.find((m) => m.length > 0);
  return first ? `not Online in SSM: ${first.join(", ")}` : void 0;
}
async function unchanged(plan, found, strategy, log, preview) {
  const records = found.map((f) => instanceRecord(f, "healthy"));
  const regions = [...new Set(records.map((r) => r.region))];
  setInstanceOutputs(plan.deploymentId, records, regions);
  setOutput("changed", "false");
  const line = `nothing to deploy: the ${records.length} instance${records.length === 1 ? "" : "s"} of ${plan.deploymentId} already run manifest ${plan.manifestDigest.slice(0, 12)} and are Online in SSM; set force: true to deploy anyway (e.g. after rotating a secret)`;
  log.info(line);
  await writeSummary(
    [
      `## Spot deploy \`${plan.deploymentId}\`: unchanged`,
      "",
      line[0]?.toUpperCase() + line.slice(1) + ".",
      "",
      instanceTable(records),
      ""
    ].join("\n")
  );
  await preview({
    status: "deployed",
    deploymentId: plan.deploymentId,
    instances: previewInstances(records),
    sha: plan.identity.sha,
    manifestDigest: plan.manifestDigest
  });
  return {
    ok: true,
    plan,
    changed: false,
    strategy,
    records,
    regions,
    report: {
      deploymentId: plan.deploymentId,
      outcome: "succeeded",
      requested: records.length,
      instances: records,
      steps: [],
      phases: [],
      launch: [],
      costNotes: [],
      cleanup: [line]
    }
  };
}
async function loadSealer(secrets) {
  const s = await import("./secrets-MWBGQYIR.js");
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
export {
  deployCommand,
  executeDeploy,
  toRecord
};
//# sourceMappingURL=deploy-SDC67RIY.js.map

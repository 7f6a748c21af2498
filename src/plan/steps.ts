// The remote steps: shell scripts sent with SSM AWS-RunShellScript, in order.
//
//   NN-prepare        wait for cloud-init, state directories, deferred packages, the env file
//   NN-secrets        placeholder: built at delivery, sealed to each instance's key (secrets.ts)
//   NN-upload-KofN    files in base64 (parallel among themselves)
//   NN-assemble-KofN  large files joined from their parts
//   NN-tarball        fetch or take the archive, verify, unpack
//   NN-script-NAME    one per script, in order, each run once per content
//   NN-services       unit files are uploads; reload, enable, start or restart in order;
//                     the interruption watcher (render/watcher.ts) started;
//                     then health: active and settled, plus the manifest's probes
//   NN-watcher        without services, but with an on_interruption hook: starts the watcher
//
// Every step is idempotent: running the whole sequence again leaves the machine as it was.

import { createHash } from 'node:crypto';
import type { Deployment, ServiceSpec } from '../manifest/model.ts';
import {
  type DeliveredFile,
  collectUploads,
  makeFile,
  packDirectory,
  readSource,
  sha256Hex,
} from './render/files.ts';
import { CONFIG_DIR, ENV_FILE, type Helper, STATE_DIR, stepScript } from './render/prelude.ts';
import { type ScriptRun, scriptBody } from './render/scripts.ts';
import {
  DEFAULT_SETTLE_SECONDS,
  assertUnitName,
  healthBody,
  healthSeconds,
  orderServices,
  servicesBody,
} from './render/services.ts';
import { type TarballInput, tarballBody } from './render/tarball.ts';
import { COMMAND_BUDGET, planUploads } from './render/upload.ts';
import { type RenderedWatcher, renderWatcher } from './render/watcher.ts';
import { assertEnvName, envFile, jsonBytes, sh } from './shell.ts';
import type { RemoteStep, StepKind, UserData } from './types.ts';
import { renderUserData } from './userdata.ts';

export interface StepOptions {
  /** Names of the secrets the deploy will deliver (values never come here). */
  secretNames: string[];
  /** The user data the plan sends; its `deferredPackages` are installed by the prepare step.
   * When absent it is rendered here from the deployment. */
  userData?: UserData;
  /** Seconds each started service must stay active (default 3). */
  settleSeconds?: number;
  /** Bytes per command (default COMMAND_BUDGET); tests lower it to cross chunk boundaries. */
  commandBudget?: number;
}

/** Where the deployer keeps script bodies on the instance. */
export const SCRIPTS_DIR = `${STATE_DIR}/scripts`;
export const TARBALLS_DIR = `${STATE_DIR}/tarballs`;
const PREPARE_TIMEOUT = 1800;
const CLOUD_INIT_WAIT = 1500;

/** A file-name-safe rendering of a name: [a-z0-9-], at most 40 characters, never empty. */
export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || 'x';
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

interface Draft {
  name: string;
  kind: StepKind;
  description: string;
  helpers: Helper[];
  body: string;
  timeoutSeconds: number;
  parallelGroup?: string;
  payloadBytes: number;
  services?: string[];
  /** Tools the step runs that the prepare step checks for. */
  needs?: string[];
  /** The command is built at delivery time (it needs the instances' keys): no script now. */
  atDelivery?: true;
}

/** Steps run one group after another; the steps of a group run in parallel. */
type Group = Draft[];

function prepareBody(packages: string[], env: string, needs: string[]): string {
  const envFileData = Buffer.from(env, 'utf8');
  const lines = [
    '[ "$(id -u)" = 0 ] || fail "must run as root (the SSM agent runs commands as root)"',
    'missing=""',
    `for tool in ${needs.join(' ')}; do`,
    '  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"',
    'done',
    '[ -z "$missing" ] || fail "missing on this instance:$missing"',
    '# cloud-init installs the packages; nothing may start before it is done.',
    'if command -v cloud-init >/dev/null 2>&1; then',
    '  rc=0',
    `  timeout ${CLOUD_INIT_WAIT} cloud-init status --wait >/dev/null 2>&1 || rc=$?`,
    '  case $rc in',
    '    0) echo "cloud-init: done" ;;',
    '    2) echo "cloud-init: done, with recoverable errors" ;;',
    `    124) fail "cloud-init still running after ${CLOUD_INIT_WAIT} s" ;;`,
    '    *)',
    '      cloud-init status --long >&2 || true',
    '      fail "cloud-init failed (exit $rc); see /var/log/cloud-init-output.log"',
    '      ;;',
    '  esac',
    'fi',
    'install -d -m 0700 -o root -g root -- "$S" "$S/state" "$S/logs"',
    'rm -rf -- "$S/staging"',
    'install -d -m 0700 -o root -g root -- "$S/staging"',
    `install -d -m 0755 -- ${CONFIG_DIR}`,
  ];
  if (packages.length > 0) {
    lines.push(
      '# packages that did not fit in the user data',
      `packages=(${packages.map(sh).join(' ')})`,
      'if command -v apt-get >/dev/null 2>&1; then',
      '  export DEBIAN_FRONTEND=noninteractive',
      '  apt-get -o DPkg::Lock::Timeout=600 -q update || fail "apt-get update failed"',
      '  apt-get -o DPkg::Lock::Timeout=600 -q -y install "${packages[@]}" || fail "cannot install packages"',
      'elif command -v dnf >/dev/null 2>&1; then',
      '  dnf -y -q install "${packages[@]}" || fail "cannot install packages"',
      'else',
      '  fail "no apt-get or dnf to install packages with"',
      'fi',
    );
  }
  lines.push(
    `deliver ${ENV_FILE} ${sha256Hex(envFileData)} 0644 root:root <<'SPOT_EOF'`,
    envFileData.toString('base64'),
    'SPOT_EOF',
    'echo "ready: state in $S, environment in ' + ENV_FILE + '"',
  );
  return lines.join('\n') + '\n';
}

interface Delivery {
  /** Every file delivered, one per destination, sorted by destination. */
  files: DeliveredFile[];
  scriptRuns: ScriptRun[];
  unitText: Map<ServiceSpec, string>;
  tarball?: TarballInput;
  watcher?: RenderedWatcher;
}

async function readScripts(deployment: Deployment, files: DeliveredFile[]): Promise<ScriptRun[]> {
  const runs: ScriptRun[] = [];
  for (const [i, s] of deployment.scripts.entries()) {
    const body =
      s.path !== undefined
        ? await readSource(deployment, s.path, `scripts[${i}] (${s.name})`)
        : Buffer.from(`#!/bin/bash\n${s.command ?? ''}\n`);
    const key = `${slug(s.name)}-${shortHash(s.name)}`;
    const bodyPath = `${SCRIPTS_DIR}/${key}`;
    files.push(makeFile(bodyPath, body, '0700', 'root:root', s.path ?? `scripts[${i}].command`));
    runs.push({
      name: s.name,
      bodyPath,
      digest: sha256Hex(body),
      key,
      workdir: s.workdir,
      timeoutSeconds: s.timeoutSeconds,
      logName: key,
      body,
    });
  }
  return runs;
}

async function readUnits(
  deployment: Deployment,
  files: DeliveredFile[],
): Promise<Map<ServiceSpec, string>> {
  const unitText = new Map<ServiceSpec, string>();
  for (const [i, s] of deployment.services.entries()) {
    assertUnitName(s.name);
    const data = await readSource(deployment, s.file, `services[${i}] (${s.name})`);
    unitText.set(s, data.toString('utf8'));
    files.push(
      makeFile(`/etc/systemd/system/${s.name}.service`, data, '0644', 'root:root', s.file),
    );
  }
  return unitText;
}

/** The interruption watcher (render/watcher.ts), its files delivered with the others. */
async function readWatcher(
  deployment: Deployment,
  unitText: Map<ServiceSpec, string>,
  files: DeliveredFile[],
): Promise<RenderedWatcher | undefined> {
  const startOrder = orderServices(deployment.services, (s) => unitText.get(s) ?? '');
  const watcher = await renderWatcher(
    deployment,
    startOrder.map((s) => s.name),
  );
  if (watcher) files.push(...watcher.files);
  return watcher;
}

async function readTarball(
  deployment: Deployment,
  files: DeliveredFile[],
): Promise<TarballInput | undefined> {
  const t = deployment.tarball;
  if (t?.kind === 'url') {
    return { kind: 'url', url: t.url, sha256: t.sha256.toLowerCase(), destination: t.destination };
  }
  if (t?.kind !== 'source') return undefined;
  const data = await packDirectory(deployment, t.path, `tarball_source (${t.path})`);
  const sum = sha256Hex(data);
  const path = `${TARBALLS_DIR}/${sum.slice(0, 16)}.tar.gz`;
  files.push(makeFile(path, data, '0600', 'root:root', t.path));
  return { kind: 'staged', path, sha256: sum, destination: t.destination };
}

/** One destination, one content: identical duplicates collapse, different ones are an error. */
function onePerDestination(files: DeliveredFile[]): DeliveredFile[] {
  const byDest = new Map<string, DeliveredFile>();
  for (const f of files) {
    const prev = byDest.get(f.dest);
    if (!prev) byDest.set(f.dest, f);
    else if (prev.sha256 !== f.sha256 || prev.mode !== f.mode || prev.owner !== f.owner) {
      throw new Error(`${f.dest} would be written twice, from ${prev.origin} and from ${f.origin}`);
    }
  }
  return [...byDest.values()].sort((a, b) => (a.dest < b.dest ? -1 : a.dest > b.dest ? 1 : 0));
}

/** Everything that will be delivered, read now. */
async function readDelivery(deployment: Deployment): Promise<Delivery> {
  const files: DeliveredFile[] = await collectUploads(deployment);
  const scriptRuns = await readScripts(deployment, files);
  const unitText = await readUnits(deployment, files);
  const watcher = await readWatcher(deployment, unitText, files);
  const tarball = await readTarball(deployment, files);
  return {
    files: onePerDestination(files),
    scriptRuns,
    unitText,
    ...(tarball ? { tarball } : {}),
    ...(watcher ? { watcher } : {}),
  };
}

/** What services restart on: every delivered byte, where and how it lands, and the env. */
function deliveryDigest(delivery: Delivery, env: string): string {
  const digest = createHash('sha256');
  for (const f of delivery.files) digest.update(`${f.dest}\0${f.sha256}\0${f.mode}\0${f.owner}\n`);
  digest.update(env);
  const t = delivery.tarball;
  if (t) digest.update(`${t.destination}\0${t.sha256}`);
  return digest.digest('hex');
}

const BASE_TOOLS = ['base64', 'sha256sum', 'install', 'stat', 'timeout'];

function prepareStep(packages: string[], env: string, later: Group[]): Draft {
  const needs = [...new Set([...BASE_TOOLS, ...later.flat().flatMap((d) => d.needs ?? [])])];
  return {
    name: 'prepare',
    kind: 'prepare',
    description: 'wait for cloud-init, create state directories, write the environment',
    helpers: ['same', 'put', 'deliver'],
    body: prepareBody(packages, env, needs),
    timeoutSeconds: PREPARE_TIMEOUT,
    payloadBytes: Buffer.byteLength(env),
  };
}

function secretsSteps(secretNames: string[]): Group[] {
  if (secretNames.length === 0) return [];
  // Refused here, before anything is launched, rather than when the secrets are sealed.
  for (const name of secretNames) assertEnvName(name);
  return [
    [
      {
        name: 'secrets',
        kind: 'secrets',
        description: `deliver ${secretNames.length} secret(s): ${secretNames.join(', ')}`,
        helpers: [],
        body: '',
        timeoutSeconds: 120,
        payloadBytes: 0,
        needs: ['openssl'],
        atDelivery: true,
      },
    ],
  ];
}

function uploadSteps(files: DeliveredFile[], budget: number): Group[] {
  const uploads = planUploads(files, budget);
  const groups: Group[] = [];
  if (uploads.carry.length) {
    groups.push(
      uploads.carry.map((c) => ({
        name: 'upload',
        kind: 'upload' as const,
        description: c.description,
        helpers: c.helpers,
        body: c.body,
        timeoutSeconds: 600,
        parallelGroup: 'upload',
        payloadBytes: c.payloadBytes,
      })),
    );
  }
  if (uploads.assemble.length) {
    groups.push(
      uploads.assemble.map((c) => ({
        name: 'assemble',
        kind: 'upload' as const,
        description: c.description,
        helpers: c.helpers,
        body: c.body,
        timeoutSeconds: 1200,
        parallelGroup: 'assemble',
        payloadBytes: 0,
      })),
    );
  }
  return groups;
}

function tarballSteps(tarball: TarballInput | undefined): Group[] {
  if (!tarball) return [];
  const download = tarball.kind === 'url' && !tarball.url.startsWith('s3:');
  return [
    [
      {
        name: 'tarball',
        kind: 'tarball',
        description:
          tarball.kind === 'url'
            ? `download ${tarball.url.replace(/[?#].*$/, '')} and unpack it in ${tarball.destination}`
            : `unpack the packed tarball_source in ${tarball.destination}`,
        helpers: [],
        body: tarballBody(tarball),
        timeoutSeconds: 2400,
        payloadBytes: 0,
        needs: ['tar', 'gzip', ...(download ? ['curl'] : [])],
      },
    ],
  ];
}

function scriptSteps(runs: ScriptRun[]): Group[] {
  return runs.map((run) => [
    {
      name: `script-${slug(run.name)}`,
      kind: 'script',
      description: `run script ${run.name}`,
      helpers: [],
      body: scriptBody(run),
      timeoutSeconds: run.timeoutSeconds + 60,
      payloadBytes: 0,
    },
  ]);
}

/** One command installs and starts the services (and the interruption watcher, when there is
 * one), then checks them: active and settled, plus the manifest's probes. Its success is the
 * deploy's service verification. */
function servicesSteps(
  services: ServiceSpec[],
  unitText: Map<ServiceSpec, string>,
  digest: string,
  settle: number,
  watcher: RenderedWatcher | undefined,
): Group[] {
  if (services.length === 0) return [];
  const ordered = orderServices(services, (s) => unitText.get(s) ?? '');
  const started = ordered.filter((s) => s.start);
  const names = (list: ServiceSpec[]) => list.map((s) => s.name).join(', ');
  return [
    [
      {
        name: 'services',
        kind: 'services',
        description:
          started.length > 0
            ? `install and start services, then check their health: ${names(ordered)}`
            : `install services: ${names(ordered)}`,
        helpers: ['report'],
        body:
          servicesBody(ordered, digest) +
          (watcher?.start ?? '') +
          (started.length > 0 ? healthBody(started, settle) : ''),
        timeoutSeconds:
          120 + 120 * ordered.length + (started.length > 0 ? healthSeconds(started, settle) : 0),
        payloadBytes: 0,
        ...(started.length > 0 ? { services: started.map((s) => s.name) } : {}),
        needs: ['systemctl', ...(services.some((s) => s.health?.kind === 'http') ? ['curl'] : [])],
      },
    ],
  ];
}

/** A hook without services: a step of its own starts the watcher (the services step does
 * otherwise). */
function watcherSteps(watcher: RenderedWatcher | undefined, services: ServiceSpec[]): Group[] {
  if (!watcher || services.length > 0) return [];
  return [
    [
      {
        name: 'watcher',
        kind: 'services',
        description: 'install and start the interruption watcher',
        helpers: [],
        body: `systemctl daemon-reload\n${watcher.start}`,
        timeoutSeconds: 120,
        payloadBytes: 0,
        needs: ['systemctl'],
      },
    ],
  ];
}

/** Ids: NN-name, NN-name-KofN for groups; zero-padded so file names sort in run order. */
function numberSteps(groups: Group[], budget: number): RemoteStep[] {
  const width = Math.max(2, String(groups.length).length);
  const steps: RemoteStep[] = [];
  for (const [n, group] of groups.entries()) {
    const nn = String(n + 1).padStart(width, '0');
    const gw = String(group.length).length;
    for (const [k, d] of group.entries()) {
      const id =
        group.length > 1 || d.parallelGroup
          ? `${nn}-${d.name}-${String(k + 1).padStart(gw, '0')}of${group.length}`
          : `${nn}-${d.name}`;
      const script = d.atDelivery ? '' : stepScript(id, d.description, d.helpers, d.body);
      if (jsonBytes(script) > budget) {
        throw new Error(
          `step ${id} is ${jsonBytes(script)} bytes, over the ${budget}-byte limit of one SSM command`,
        );
      }
      steps.push({
        id,
        kind: d.kind,
        description: d.description,
        script,
        timeoutSeconds: d.timeoutSeconds,
        ...(d.parallelGroup ? { parallelGroup: `${nn}-${d.parallelGroup}` } : {}),
        payloadBytes: d.payloadBytes,
        ...(d.services ? { services: d.services } : {}),
      });
    }
  }
  return steps;
}

export async function renderSteps(
  deployment: Deployment,
  opts: StepOptions,
): Promise<RemoteStep[]> {
  const budget = opts.commandBudget ?? COMMAND_BUDGET;
  const userData =
    opts.userData ??
    renderUserData(
      deployment,
      deployment.cloud.ttlSeconds !== undefined ? { ttlSeconds: deployment.cloud.ttlSeconds } : {},
    );
  const delivery = await readDelivery(deployment);
  const env = envFile(deployment.env, 'environment of the deployment (written by spot-deployer)');
  const secrets = secretsSteps(opts.secretNames);
  const uploads = uploadSteps(delivery.files, budget);
  const tarball = tarballSteps(delivery.tarball);
  const scripts = scriptSteps(delivery.scriptRuns);
  const services = servicesSteps(
    deployment.services,
    delivery.unitText,
    deliveryDigest(delivery, env),
    opts.settleSeconds ?? DEFAULT_SETTLE_SECONDS,
    delivery.watcher,
  );
  const watcher = watcherSteps(delivery.watcher, deployment.services);
  // The prepare step checks for the tools every later step needs, in this order.
  const prepare = prepareStep(userData.deferredPackages ?? [], env, [
    ...tarball,
    ...services,
    ...watcher,
    ...secrets,
  ]);
  return numberSteps(
    [[prepare], ...secrets, ...uploads, ...tarball, ...scripts, ...services, ...watcher],
    budget,
  );
}

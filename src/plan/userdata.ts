// Cloud-init user data, built as data and serialised with `yaml` (never by pasting strings).
//
// What goes in: `locale: C.UTF-8` (minimal images have no en_US locale, and a failing locale
// module marks the boot degraded); the manifest's packages; the template base (`minimal`,
// `docker`, or the user's own #cloud-config merged under ours); /etc/spot-deployer/deployment.json
// with non-secret metadata; and, with a TTL, the safety net that powers the instance off.
// Nothing secret ever goes here: user data is readable by anyone who can describe the instance.
//
// Size: EC2 takes at most 16384 bytes. Plain text when it fits, else gzip (cloud-init sniffs
// the magic bytes), else the packages move to the first SSM command (see renderSteps), else
// an error that names the part that is too large.

import { realpathSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse, stringify } from 'yaml';
import type { Deployment } from '../manifest/model.ts';
import { PACKAGE_NAME } from '../manifest/names.ts';
import { inside } from '../manifest/paths.ts';
import { emptyOriginalPlaceholders } from '../manifest/template.ts';
import { DEPLOYMENT_JSON } from './render/prelude.ts';
import type { UserData } from './types.ts';

export const USER_DATA_LIMIT = 16 * 1024;

export interface UserDataOptions {
  /** Seconds after boot when the instance powers itself off; absent or 0: no TTL. */
  ttlSeconds?: number;
  /** Included in deployment.json when given (not secret). */
  deploymentId?: string;
  /** Bytes EC2 accepts; tests lower it. */
  limit?: number;
}

/** Name of the transient timer (and its service) that enforce the TTL. */
export const TTL_UNIT = 'spot-deployer-ttl';

type CloudConfig = Record<string, unknown>;

function assertPackages(packages: string[]): void {
  for (const p of packages) {
    if (!PACKAGE_NAME.test(p)) throw new Error(`package name ${JSON.stringify(p)} is not valid`);
  }
}

/** Where the first boot writes the TTL's deadline (epoch seconds). Under cloud-init's
 * per-instance directory, so an image made from the instance does not carry it along. */
export const TTL_DEADLINE = '/var/lib/cloud/instance/spot-deployer-ttl-deadline';

/**
 * The TTL as a transient systemd timer armed by bootcmd, the earliest hook cloud-init offers
 * (before packages, before anything that could hang). The first boot writes the deadline;
 * every boot arms the timer for what is left of it, so a reboot does not give the instance a
 * new TTL (past the deadline, it powers off at once). DefaultDependencies=no lets the timer
 * start while cloud-init still holds up sysinit.target; with the default dependencies
 * `systemd-run` waits on a job that cannot run yet and the boot deadlocks.
 */
export function ttlBootcmd(ttl: number): string {
  return [
    `d=${TTL_DEADLINE}`,
    `[ -s "$d" ] || echo "$(( $(date +%s) + ${ttl} ))" >"$d"`,
    // An unreadable or damaged deadline falls back to the whole TTL (never to no TTL, and
    // never an arithmetic error that would stop the bootcmd entries after this one).
    'end=$(cat "$d" 2>/dev/null) || end=',
    `case $end in ''|*[!0-9]*) left=${ttl} ;; *) left=$(( end - $(date +%s) )) ;; esac`,
    '[ "$left" -gt 0 ] || left=1',
    `systemd-run --no-block --unit=${TTL_UNIT} --on-active="$left"` +
      ' --timer-property=AccuracySec=1s --timer-property=DefaultDependencies=no' +
      " --description='spot-deployer time to live: power off (and so terminate)'" +
      ' /usr/bin/systemctl poweroff',
  ].join('\n');
}

function readTemplate(deployment: Deployment, path: string): CloudConfig {
  const abs = resolve(deployment.baseDir, path);
  let real: string;
  let text: string;
  try {
    real = realpathSync(abs);
    text = readFileSync(real, 'utf8');
  } catch {
    throw new Error(`template ${path}: cannot read ${abs}`);
  }
  const root = realpathSync(deployment.root);
  if (!inside(root, real)) {
    throw new Error(`template ${path}: resolves to ${real}, outside the repository`);
  }
  // cloud-init reads YAML 1.1 (PyYAML): `yes`, `off`, `0644`, `12:30` mean what they mean there.
  const doc: unknown = parse(emptyOriginalPlaceholders(text).text, { version: '1.1' });
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error(`template ${path}: a #cloud-config file must be a mapping`);
  }
  return doc as CloudConfig;
}

const YAML_OUT = { lineWidth: 0, version: '1.1' } as const;

function asList(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`template: ${what} must be a list`);
  return value;
}

interface Parts {
  config: CloudConfig;
  /** Every package (the manifest's, the template's, docker's), as apt/dnf arguments. */
  packages: string[];
  /** Where each top-level key came from, for the too-large message. */
  origin: Record<string, string>;
}

function build(deployment: Deployment, opts: UserDataOptions, withPackages: boolean): Parts {
  const user =
    deployment.template.kind === 'file' ? readTemplate(deployment, deployment.template.path) : {};
  const userLabel =
    deployment.template.kind === 'file' ? `the template file ${deployment.template.path}` : '';
  const config: CloudConfig = {};
  const origin: Record<string, string> = {};
  // The user's keys first, then ours on top (ours win for what we set; lists are merged).
  for (const [k, v] of Object.entries(user)) {
    config[k] = v;
    origin[k] = userLabel;
  }

  config.locale = 'C.UTF-8';
  origin.locale = 'the deployer';

  const packages: unknown[] = [...asList(user.packages, 'packages')];
  const ours = [...deployment.packages];
  if (deployment.template.kind === 'docker') {
    ours.push(deployment.cloud.os === 'al2023' ? 'docker' : 'docker.io');
  }
  assertPackages(ours);
  for (const p of ours) if (!packages.includes(p)) packages.push(p);
  delete config.packages;
  delete config.package_update;
  if (withPackages && packages.length > 0) {
    config.package_update = true;
    config.packages = packages;
    origin.packages = user.packages ? `the manifest and ${userLabel}` : 'the manifest';
  } else if (withPackages && user.package_update !== undefined) {
    config.package_update = user.package_update;
  }

  const metadata: Record<string, unknown> = {
    version: 1,
    ...(opts.deploymentId ? { deploymentId: opts.deploymentId } : {}),
    layout: deployment.layout,
    template: deployment.template.kind,
    scripts: deployment.scripts.map((s) => s.name),
    services: deployment.services.map((s) => s.name),
    ...(opts.ttlSeconds ? { ttlSeconds: opts.ttlSeconds } : {}),
  };
  const ourFiles = [
    {
      path: DEPLOYMENT_JSON,
      permissions: '0644',
      owner: 'root:root',
      content: JSON.stringify(metadata, null, 2) + '\n',
    },
  ];
  const userFiles = asList(user.write_files, 'write_files').filter(
    (f) => !ourFiles.some((o) => (f as { path?: unknown } | null)?.path === o.path),
  );
  config.write_files = [...ourFiles, ...userFiles];
  origin.write_files = userFiles.length ? `${userLabel} and the deployer` : 'the deployer';

  const bootcmd: unknown[] = [];
  if (opts.ttlSeconds !== undefined && opts.ttlSeconds !== 0) {
    if (!Number.isInteger(opts.ttlSeconds) || opts.ttlSeconds < 1) {
      throw new Error(`ttl must be a positive whole number of seconds (got ${opts.ttlSeconds})`);
    }
    bootcmd.push(ttlBootcmd(opts.ttlSeconds));
  }
  bootcmd.push(...asList(user.bootcmd, 'bootcmd'));
  if (bootcmd.length) config.bootcmd = bootcmd;
  else delete config.bootcmd;

  const runcmd: unknown[] = [];
  if (deployment.template.kind === 'docker') {
    runcmd.push(['systemctl', 'enable', '--now', 'docker.service']);
  }
  runcmd.push(...asList(user.runcmd, 'runcmd'));
  if (runcmd.length) config.runcmd = runcmd;
  else delete config.runcmd;
  const names = packages.map((p) =>
    Array.isArray(p) ? p.map(String).join('=') : typeof p === 'string' ? p : JSON.stringify(p),
  );
  return { config, origin, packages: names };
}

function serialise(config: CloudConfig): string {
  // YAML 1.1, as cloud-init reads it: strings such as `no`, `on` or `12:30` are quoted, else
  // PyYAML would read a package named `no` as false and `12:30` as 750.
  return '#cloud-config\n' + stringify(config, YAML_OUT);
}

function encode(text: string, limit: number): Omit<UserData, 'deferredPackages'> | undefined {
  const raw = Buffer.from(text, 'utf8');
  if (raw.length <= limit) {
    return {
      text,
      bytesBase64: raw.toString('base64'),
      encoding: 'plain',
      rawSize: raw.length,
      sentSize: raw.length,
    };
  }
  const gz = gzipSync(raw, { level: 9 });
  if (gz.length > limit) return undefined;
  return {
    text,
    bytesBase64: gz.toString('base64'),
    encoding: 'gzip',
    rawSize: raw.length,
    sentSize: gz.length,
  };
}

export function renderUserData(deployment: Deployment, opts: UserDataOptions): UserData {
  const limit = opts.limit ?? USER_DATA_LIMIT;
  const full = build(deployment, opts, true);
  const first = encode(serialise(full.config), limit);
  if (first) return first;

  // Packages move to the first SSM command (renderSteps reads `deferredPackages`).
  const lean = build(deployment, opts, false);
  const leanText = serialise(lean.config);
  const second = encode(leanText, limit);
  if (second) return lean.packages.length ? { ...second, deferredPackages: lean.packages } : second;

  // Nothing fits: name the largest part.
  const sizes = Object.entries(lean.config)
    .map(([k, v]) => ({ k, bytes: Buffer.byteLength(stringify({ [k]: v }, YAML_OUT)) }))
    .sort((a, b) => b.bytes - a.bytes);
  const top = sizes[0];
  const gz = gzipSync(Buffer.from(leanText, 'utf8'), { level: 9 }).length;
  const where = top
    ? `\`${top.k}\` (from ${lean.origin[top.k] || 'the deployer'})`
    : 'the document';
  throw new Error(
    `user data is too large: ${Buffer.byteLength(leanText)} bytes (${gz} gzipped) against EC2's ` +
      `limit of ${limit}, even with the packages moved to the SSM steps; the largest part is ` +
      `${where} (${top?.bytes ?? 0} bytes)`,
  );
}

// The normalized deployment: what both layouts (.spot/ and deployment/) and both file
// shapes (the original tool's and the native one) become after validation. Everything
// downstream (plan, launch, deliver) reads only this, never the raw YAML.
//
// The raw file shapes are described by the JSON Schemas in schema/; their TypeScript
// types are generated from them (src/manifest/schema-types.ts). This file is the
// canonical model the raw shapes are normalized into.

import type { Diagnostic } from '../diagnostics.ts';

export type Layout = 'spot' | 'convention';

export interface Deployment {
  /** Absolute path of the directory the user pointed at (the `path` input). */
  root: string;
  layout: Layout;
  /** Absolute directory that relative sources resolve against (`.spot/` or `deployment/`). */
  baseDir: string;
  /** Manifest files read, relative to root (for messages and the digest). */
  files: string[];
  cloud: CloudConfig;
  /** apt (or dnf) packages installed by cloud-init at boot. */
  packages: string[];
  template: TemplateSpec;
  /** Non-secret environment given to every script (and written to /etc/spot-deployer/env). */
  env: Record<string, string>;
  uploads: UploadSpec[];
  /** Run in this order (already sorted by `order`, ties by position). */
  scripts: ScriptSpec[];
  services: ServiceSpec[];
  tarball?: TarballSpec;
  /** Run on a spot instance when EC2 posts its interruption notice (before services stop). */
  onInterruption?: InterruptionHookSpec;
  /** Non-fatal notes (deprecated keys and the like), located. */
  warnings: Diagnostic[];
}

export type TemplateSpec =
  | { kind: 'minimal' }
  | { kind: 'docker' }
  /** A user's #cloud-config file merged under ours; path relative to baseDir. */
  | { kind: 'file'; path: string };

export type OsName = 'ubuntu-24.04' | 'ubuntu-22.04' | 'al2023';

export interface CloudConfig {
  totalInstances: number;
  regions: RegionSpec[];
  /** User's tags, added to every resource. */
  tags: Record<string, string>;
  os: OsName;
  /** Maximum spot price in USD per hour; absent means the on-demand price caps it. */
  maxPrice?: string;
  /** Launch on-demand for what spot could not fill. Off by default. */
  onDemandFallback: boolean;
  associatePublicIp: boolean;
  rootVolumeGb: number;
  /** IAM instance profile name with AmazonSSMManagedInstanceCore. */
  instanceProfile?: string;
  /** Seconds after boot when the instance powers itself off (and so terminates). */
  ttlSeconds?: number;
}

export interface RegionSpec {
  name: string;
  /** Tried in order: the capacity pools are instanceTypes x (subnets or "any zone"). */
  instanceTypes: string[];
  /** 'auto' resolves through the public SSM parameter for cloud.os. */
  image: 'auto' | string;
  subnets: string[];
  /** Explicit count; when absent the total is split evenly (remainder to the first). */
  count?: number;
}

export interface UploadSpec {
  /** Relative to baseDir; a directory when it ends in '/' or is one on disk. */
  source: string;
  /** Absolute path on the instance; for a directory source, the directory to fill. */
  destination: string;
  /** Octal string such as "0644"; absent keeps the file's own mode bits from the repo. */
  mode?: string;
  owner?: string;
  /** Glob patterns (picomatch) relative to the source directory. */
  exclude: string[];
  /** Files of the source directory (exact relative paths) left out because a later upload
   * to the same destination delivers its own (instance-files/ over deployment/). */
  shadowed?: string[];
}

export interface ScriptSpec {
  name: string;
  /** Relative to baseDir; absent when the script is a `command`. */
  path?: string;
  /** A shell command (one line), run with bash; absent when the script is a file. */
  command?: string;
  order: number;
  /** Working directory on the instance; default /opt/deployment. */
  workdir: string;
  timeoutSeconds: number;
}

export interface InterruptionHookSpec {
  /** Relative to baseDir. */
  path: string;
  timeoutSeconds: number;
}

export interface ServiceSpec {
  /** Unit name without '.service'. */
  name: string;
  /** Relative to baseDir. */
  file: string;
  enabled: boolean;
  start: boolean;
  health?: HealthCheck;
}

export type HealthCheck =
  | {
      kind: 'http';
      url: string;
      expectStatus: number;
      retries: number;
      intervalSeconds: number;
      timeoutSeconds: number;
    }
  | {
      kind: 'tcp';
      host: string;
      port: number;
      retries: number;
      intervalSeconds: number;
      timeoutSeconds: number;
    };

export type TarballSpec =
  | { kind: 'url'; url: string; sha256: string; destination: string }
  /** A local directory (relative to baseDir) packed at deploy time and uploaded. */
  | { kind: 'source'; path: string; destination: string };

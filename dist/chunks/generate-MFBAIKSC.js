import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  config_schema_default,
  deployment_schema_default
} from "./chunk-BEC6WV65.js";
import {
  UserError
} from "./chunk-5LWETDWB.js";
import "./chunk-SLSPYRCZ.js";

// src/commands/generate.ts
import { chmod, lstat, mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

// src/generate/templates.ts
var schemaLine = (id) => `# yaml-language-server: $schema=${id}
`;
var CONFIG_YAML = schemaLine(config_schema_default.$id) + `#
# Cloud settings: how many spot instances, where, of which types.
# Check with: spot-deployer validate      Preview with: spot-deployer plan --out plan

aws:
  # Instances in all regions together, split evenly over the regions without a count.
  total_instances: 1
  # Operating system for image: auto (ubuntu-24.04, ubuntu-22.04 or al2023).
  os: ubuntu-24.04
  # IAM instance profile with the AmazonSSMManagedInstanceCore policy; the action's
  # instance-profile input can give it instead.
  # instance_profile: spot-deployer-ssm
  spot:
    # Launch on-demand instances for what spot capacity cannot fill.
    on_demand_fallback: false
    # Highest price in USD per hour; without it, the on-demand price caps it.
    # max_price: '0.02'
  # The instances power off, and terminate, this long after boot: 90m, 8h, 2d, or off.
  ttl: 8h
  # Encrypted gp3 root volume, GiB.
  instance_storage_gb: 16
  # Extra tags on every instance, volume and spot request.
  tags:
    project: my-app

# Region name -> settings. Instance types are tried in order when one has no spot
# capacity. (The original tool's list form, "- us-west-2: {machine_type: t3.micro}",
# works too.)
regions:
  us-west-2:
    instance_types: [t3.micro, t3a.micro]
    # auto: the current image of aws.os; or an AMI id of this region.
    image: auto
    # Subnets to try (default: the default subnet of any zone).
    # subnets: [subnet-0123456789abcdef0]
    # Instances in this region; regions without a count share the rest.
    # count: 1
`;
var DEPLOYMENT_YAML = schemaLine(deployment_schema_default.$id) + `#
# What goes on each instance. Relative paths are relative to this .spot/ directory and
# may reach the rest of the repository with ../ (never outside it).
version: 1

deployment:
  # Installed by cloud-init at boot (apt on Ubuntu, dnf on Amazon Linux).
  packages:
    - python3
    - curl

  # Given to every script, and to services through /etc/spot-deployer/env.
  # Not for secrets: use the action's secrets input.
  env:
    APP_PORT: 8080

  # Copied to the instances before the scripts run.
  uploads:
    - source: configs/app.env
      destination: /etc/app/app.env
      permissions: '0644' # octal, quoted
      # owner: www-data:www-data
    # A directory: its contents go to the destination directory.
    # - source: ../build/
    #   destination: /opt/app
    #   exclude: ['*.map']

  # Run as root with bash, in increasing order, after the uploads.
  scripts:
    - name: setup
      path: scripts/setup.sh
      order: 1
      # workdir: /opt/deployment
      # timeout: 10m

  # systemd units installed to /etc/systemd/system/NAME.service, enabled and started
  # after the scripts, then checked.
  services:
    - name: app
      file: services/app.service
      enabled: true
      start: true
      health:
        http: http://127.0.0.1:8080/
        # expect_status: 200
        # retries: 10
        # interval: 3
        # Or a port: tcp: 8080

  # Base cloud-init: minimal (default), docker, or a #cloud-config file of yours.
  # template: minimal

  # Or deploy an archive instead of (or as well as) single files:
  # tarball_source: ../dist            # a directory, packed at deploy time
  # tarball_url: https://example.com/app.tar.gz
  # tarball_sha256: <64 hex digits>    # required with tarball_url
  # tarball_destination: /opt/deployment
`;
var SETUP_SH = `#!/bin/bash
# Runs as root on each instance, from /opt/deployment, after the uploads.
# Environment: the env: of deployment.yaml. Make it safe to run twice.
set -euo pipefail

mkdir -p /opt/app
echo "<h1>Deployed by spot-deployer on $(hostname)</h1>" > /opt/app/index.html
`;
var APP_ENV = `# Read by services/app.service (EnvironmentFile=); uploaded to /etc/app/app.env.
APP_GREETING=hello
`;
var APP_SERVICE = `[Unit]
Description=Example app deployed by spot-deployer
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
EnvironmentFile=/etc/app/app.env
ExecStart=/usr/bin/python3 -m http.server 8080 --bind 0.0.0.0 --directory /opt/app
Restart=on-failure

[Install]
WantedBy=multi-user.target
`;
var SCAFFOLD = [
  { path: "config.yaml", text: CONFIG_YAML, mode: 420 },
  { path: "deployment.yaml", text: DEPLOYMENT_YAML, mode: 420 },
  { path: "scripts/setup.sh", text: SETUP_SH, mode: 493 },
  { path: "configs/app.env", text: APP_ENV, mode: 420 },
  { path: "services/app.service", text: APP_SERVICE, mode: 420 }
];

// src/commands/generate.ts
async function generateCommand(inputs, reporter) {
  const root = resolve(inputs.path);
  const spot = join(root, ".spot");
  try {
    const st = await lstat(root);
    if (!st.isDirectory()) throw new UserError(`${inputs.path} is not a directory`);
  } catch (e) {
    if (e instanceof UserError) throw e;
  }
  let exists = false;
  try {
    const st = await lstat(spot);
    exists = true;
    if (!st.isDirectory())
      throw new UserError(`${join(inputs.path, ".spot")} exists and is not a directory`);
  } catch (e) {
    if (e instanceof UserError) throw e;
  }
  if (exists && !inputs.force) {
    throw new UserError(
      `${join(inputs.path, ".spot")} already exists; use --force to overwrite its example files (other files are kept)`
    );
  }
  const written = [];
  try {
    for (const f of SCAFFOLD) {
      const target = join(spot, f.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.text, { mode: f.mode });
      await chmod(target, f.mode);
      written.push(join(".spot", f.path));
    }
  } catch (e) {
    const code = e.code ?? String(e);
    throw new UserError(`cannot write .spot/ in ${inputs.path}: ${code}`);
  }
  for (const w of written) reporter.info(`created ${w}`);
  reporter.info(
    `next: edit .spot/config.yaml (regions, instances) and .spot/deployment.yaml, then run: spot-deployer validate ${inputs.path}`
  );
}
export {
  generateCommand
};
//# sourceMappingURL=generate-MFBAIKSC.js.map

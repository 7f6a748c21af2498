// Repositories in the shapes the original spot-deployer tool writes and reads (its
// `generate` command, its .spot/ templates, its example service), written here in our own
// words: a repository made for that tool must validate, plan and deploy unchanged.

/** The root config.yaml its `generate` writes: SSH and layout settings this action ignores. */
export const ORIGINAL_CONFIG = `aws:
  total_instances: 3
  username: ubuntu
  # ssh_key_name: ''  # not used
  public_ssh_key_path: ''  # path of your public key
  private_ssh_key_path: ''  # path of your private key
  files_directory: instance-files
  scripts_directory: instance/scripts
  cloud_init_template: instance/cloud-init/init-vm-template.yml
  startup_script: instance/scripts/deploy_services.py
  instance_storage_gb: 50
  tags:
    Project: Example
  use_dedicated_vpc: true
regions:
- us-west-2:
    machine_type: t3.medium
    image: auto
`;

/** Its .spot/deployment.yaml template: uploads and services hold only commented examples. */
export const ORIGINAL_DEPLOYMENT = `# What goes on the instances
version: 1

deployment:
  # apt packages
  packages:
    - curl
    - python3

  # run in order during setup
  scripts:
    - name: setup
      path: scripts/setup.sh
      order: 1
    - name: additional
      path: scripts/additional_commands.sh
      order: 2

  # files to copy (source, dest, permissions)
  uploads:
    # - source: files/
    #   dest: /opt/uploaded_files/
    #   permissions: "0644"

  # systemd services
  services:
    # - name: my-app
    #   file: services/my-app.service
    #   enabled: true
`;

/** Its main setup script template: comments and two echo lines. */
export const ORIGINAL_SETUP = `#!/bin/bash
# Runs after the packages are installed
set -e
echo "Starting deployment setup..."
# add your commands here
echo "Setup complete!"
`;

export const ORIGINAL_ADDITIONAL = `#!/bin/bash
# More commands, after the main setup script; may stay empty
`;

/** Its example unit, as its service template writes it: runs as the image's default user. */
export function originalService(
  dir = '/opt/myapp',
  execStart = '/usr/bin/python3 /opt/myapp/app.py',
) {
  return `[Unit]
Description=My Application Service
After=network.target

[Service]
Type=simple
User=ubuntu
WorkingDirectory=${dir}
ExecStart=${execStart}
Restart=on-failure
RestartSec=10

[Install]
WantedBy=multi-user.target
`;
}

/** What its `generate` writes today: config.yaml at the root, deployment/setup.sh, files/. */
export function generatedLayout(config = ORIGINAL_CONFIG): Record<string, string> {
  return {
    'config.yaml': config,
    'deployment/setup.sh': ORIGINAL_SETUP,
    'files/README.md': '# Files\n\nPut files for the instances here.\n',
  };
}

/** Its .spot/ templates, as they come. */
export function spotTemplates(config = ORIGINAL_CONFIG): Record<string, string> {
  return {
    '.spot/config.yaml': config,
    '.spot/deployment.yaml': ORIGINAL_DEPLOYMENT,
    '.spot/scripts/setup.sh': ORIGINAL_SETUP,
    '.spot/scripts/additional_commands.sh': ORIGINAL_ADDITIONAL,
  };
}

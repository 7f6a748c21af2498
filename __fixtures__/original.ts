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

/** The .spot/config.yaml its earlier `generate` wrote: an AWS key pair name to fill in, and
 * quoted directories relative to .spot/. */
export const EARLIER_SPOT_CONFIG = `# AWS settings of the deployment
aws:
  # how many instances in all
  total_instances: 1

  # SSH
  username: ubuntu
  ssh_key_name: YOUR-KEY-NAME  # replace with yours

  # directories, relative to .spot/
  files_directory: "files"
  scripts_directory: "scripts"

# one entry per region
regions:
  - us-west-2:
      machine_type: t3.medium
      image: auto  # the newest Ubuntu
`;

/** The other config.yaml shapes it documents or writes: its example file (the Bacalhau
 * settings, three regions), its README's, the one its `setup` dumps (image before
 * machine_type, list not indented), and the minimal one its validator suggests. */
export const ORIGINAL_CONFIGS: Record<string, string> = {
  example: `aws:
  total_instances: 3
  username: ubuntu
  public_ssh_key_path: ~/.ssh/id_ed25519.pub
  private_ssh_key_path: ~/.ssh/id_ed25519
  files_directory: instance-files
  scripts_directory: instance-files/usr/local/bin
  startup_script: instance-files/usr/local/bin/deploy_services.py
  cloud_init_template: instance/cloud-init/init-vm-template.yml
  bacalhau_data_dir: /bacalhau_data
  bacalhau_node_dir: /bacalhau_node
  bacalhau_config_template: instance/config/bacalhau-config-template.yaml
  docker_compose_template: instance-files/opt/uploaded_files/docker-compose.yaml
  instance_storage_gb: 20
  associate_public_ip: true
  use_dedicated_vpc: true # a VPC of its own
  tags:
    Project: Example
    Environment: Development
    NodeCount: "3"
regions:
  - us-west-2:
      machine_type: t3.medium
      image: auto
  - us-east-1:
      machine_type: t3.medium
      image: auto
  - eu-west-1:
      machine_type: t3.medium
      image: auto
`,
  readme: `aws:
  total_instances: 3
  username: ubuntu
  ssh_key_name: my-key
  files_directory: "deployment-files"
  scripts_directory: "instance/scripts"

regions:
  - us-west-2:
      machine_type: t3.medium
      image: auto  # the newest Ubuntu
  - us-east-1:
      machine_type: t3.medium
      image: auto
`,
  setup: `aws:
  total_instances: 3
  username: ubuntu
  public_ssh_key_path: ~/.ssh/id_rsa.pub
  private_ssh_key_path: ~/.ssh/id_rsa
  files_directory: instance-files
  scripts_directory: instance-files/usr/local/bin
  cloud_init_template: instance/cloud-init/init-vm-template.yml
  startup_script: instance-files/usr/local/bin/deploy_services.py
  instance_storage_gb: 50
  tags:
    Project: Example
  use_dedicated_vpc: true
regions:
- us-west-2:
    image: auto
    machine_type: t3.medium
- us-east-1:
    image: auto
    machine_type: t3.medium
- eu-west-1:
    image: auto
    machine_type: t3.medium
`,
  minimal: `aws:
  total_instances: 2
  username: ubuntu
  public_ssh_key_path: ~/.ssh/id_ed25519.pub
  private_ssh_key_path: ~/.ssh/id_ed25519
regions:
  - us-east-2:
      machine_type: t3.micro
      image: auto
`,
};

/** An instance-files/ tree beside deployment/, as in the original's own repository: paths
 * that mirror the instance's, and a setup.sh that copies them into place from
 * /opt/deployment, where the original unpacked the tree. */
export function instanceFilesTree(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'instance-files/setup.sh': `#!/bin/bash
# Runs in the unpacked tree: put its files where they belong
set -e
for top in etc opt; do
  if [ -d "$top" ]; then cp -r "$top"/. "/$top/"; fi
done
echo placed > /var/tmp/instance-files-ran
`,
    'instance-files/etc/myapp/endpoint.sample': 'http://127.0.0.1:1\n',
    ...extra,
  };
}

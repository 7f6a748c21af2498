// The default user an instance's image names, made the way cloud-init makes it on that
// image: the distribution's cloud.cfg sets `system_info.default_user` and `users: [default]`
// creates it at first boot. Every image of the local cloud boots one Debian root file
// system, so each instance gets a cloud.cfg.d snippet (bind-mounted by container.ts) naming
// the user of the OS its AMI names.
//
// Names: "Manage system users on your Amazon EC2 Linux instance" (AWS EC2 User Guide,
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/managing-users.html): ubuntu on
// Ubuntu, ec2-user on Amazon Linux, admin on Debian. Groups, gecos, sudo and shell: the
// default_user of each distribution's cloud.cfg (Ubuntu's and Debian's from cloud-init's
// config/cloud.cfg.tmpl; Amazon Linux 2023's /etc/cloud/cloud.cfg).

export interface DefaultUser {
  name: string;
  gecos: string;
  groups: string[];
  shell: string;
}

const DEBIAN_GROUPS = ['adm', 'audio', 'cdrom', 'dialout', 'dip', 'floppy', 'netdev', 'plugdev'];

const BY_PLATFORM: ReadonlyArray<readonly [RegExp, DefaultUser]> = [
  [
    /^Ubuntu/,
    {
      name: 'ubuntu',
      gecos: 'Ubuntu',
      groups: [...DEBIAN_GROUPS, 'lxd', 'sudo', 'video'],
      shell: '/bin/bash',
    },
  ],
  [
    /^Amazon Linux/,
    {
      name: 'ec2-user',
      gecos: 'EC2 Default User',
      groups: ['wheel', 'adm', 'systemd-journal'],
      shell: '/bin/bash',
    },
  ],
  [
    /^Debian/,
    {
      name: 'admin',
      gecos: 'Debian',
      groups: [...DEBIAN_GROUPS, 'sudo', 'video'],
      shell: '/bin/bash',
    },
  ],
];

/** The default user of an image by its platform name (DescribeImages' PlatformDetails
 * family: "Ubuntu", "Amazon Linux", "Debian GNU/Linux"); undefined for others. */
export function defaultUserOf(image: { platformName: string }): DefaultUser | undefined {
  return BY_PLATFORM.find(([re]) => re.test(image.platformName))?.[1];
}

/** The cloud.cfg.d snippet that makes `user` the default user (JSON is YAML). */
export function defaultUserConfig(user: DefaultUser): string {
  const config = {
    system_info: {
      default_user: {
        name: user.name,
        lock_passwd: true,
        gecos: user.gecos,
        groups: user.groups,
        sudo: ['ALL=(ALL) NOPASSWD:ALL'],
        shell: user.shell,
      },
    },
  };
  return `# the default user of this instance's image (local cloud)\n${JSON.stringify(config, null, 2)}\n`;
}

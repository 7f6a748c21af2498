import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// schema/config.schema.json
var config_schema_default = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://raw.githubusercontent.com/your-org/portable-spot-deployer/v0/schema/config.schema.json",
  title: "SpotConfigFile",
  description: "Cloud settings of a spot-deployer deployment (.spot/config.yaml): how many instances, where, of which types, on which image. The original tool's shape (aws: block, regions as a list of one-key maps) is accepted as it is; the native additions are marked as such. An optional list or map left empty (a key with nothing but comments under it, as the original tool's templates write) means none.",
  type: "object",
  additionalProperties: false,
  required: ["regions"],
  properties: {
    aws: { $ref: "#/definitions/aws" },
    regions: {
      description: "Where to launch. Either the original list of one-key maps (`- us-west-2: {machine_type: t3.medium}`) or a map from region name to settings (`us-west-2: {instance_types: [t3.micro]}`). Instances are split evenly over the regions without an explicit `count`, the remainder to the first.",
      anyOf: [
        {
          title: "RegionList",
          type: "array",
          minItems: 1,
          items: { $ref: "#/definitions/regionListEntry" }
        },
        {
          title: "RegionMap",
          type: "object",
          "x-error": "must name at least one region",
          minProperties: 1,
          propertyNames: { $ref: "#/definitions/regionName" },
          additionalProperties: { $ref: "#/definitions/regionSettings" }
        }
      ]
    }
  },
  definitions: {
    aws: {
      title: "AwsSettings",
      description: "Launch settings shared by every region.",
      type: ["object", "null"],
      additionalProperties: false,
      properties: {
        total_instances: {
          description: "How many instances in all regions together. Default: the sum of the regions' `count` when every region has one, else 3 (the original tool's default).",
          type: "integer",
          minimum: 1,
          maximum: 1e3
        },
        os: {
          description: "Operating system of `image: auto` (native). The current image is looked up through AWS's public SSM parameters, for the instance type's architecture.",
          enum: ["ubuntu-24.04", "ubuntu-22.04", "al2023"],
          default: "ubuntu-24.04"
        },
        instance_profile: {
          description: "IAM instance profile name for the instances (native). It needs the AmazonSSMManagedInstanceCore policy so the action can reach the instances over SSM. The action's `instance-profile` input overrides it.",
          type: "string",
          pattern: "^[A-Za-z0-9+=,.@_-]{1,128}$",
          "x-error": "must be an IAM instance profile name (letters, digits and +=,.@_-, at most 128)"
        },
        spot: { $ref: "#/definitions/spot" },
        spot_price_limit: {
          description: "The original tool's maximum spot price in USD per hour. Same as `spot: {max_price: ...}`.",
          type: ["number", "string"],
          pattern: "^[0-9]+(\\.[0-9]+)?$",
          exclusiveMinimum: 0,
          "x-error": "must be a price in USD per hour such as 0.05"
        },
        instance_storage_gb: {
          description: "Size of the encrypted gp3 root volume in GiB.",
          type: "integer",
          minimum: 8,
          maximum: 16384,
          default: 20
        },
        associate_public_ip: {
          description: "Give the instances a public IPv4 address. The action itself never needs one (it talks over SSM).",
          type: "boolean",
          default: true
        },
        ttl: {
          description: "Time to live (native): the instances power off, and so terminate, this long after boot. A number of seconds or a duration such as 90m, 8h, 2d; `off` for none. The action's `ttl` input overrides it.",
          type: ["string", "integer"],
          pattern: "^(off|[0-9]+[smhd]?)$",
          "x-error": "must be a duration such as 90m, 8h or 2d, a number of seconds, or off"
        },
        tags: {
          description: "Extra tags put on every instance, volume and spot request.",
          type: ["object", "null"],
          propertyNames: {
            pattern: "^(?!aws:)(?!spot-deployer:)[^\\u0000-\\u001f]{1,128}$",
            "x-error": "is not a usable tag key (1 to 128 characters, not starting with aws: or spot-deployer:)"
          },
          additionalProperties: {
            type: ["string", "number", "boolean"]
          }
        },
        username: { $ref: "#/definitions/obsoleteSsh" },
        ssh_key_name: { $ref: "#/definitions/obsoleteSsh" },
        public_ssh_key_path: { $ref: "#/definitions/obsoleteSsh" },
        private_ssh_key_path: { $ref: "#/definitions/obsoleteSsh" },
        use_dedicated_vpc: { $ref: "#/definitions/obsoleteNetwork" },
        ensure_default_vpc: { $ref: "#/definitions/obsoleteNetwork" },
        vpc_tag_name: { $ref: "#/definitions/obsoleteNetwork" },
        security_group_name: {
          description: "Obsolete: no security group is created; the instances need no inbound rule because they are reached over SSM.",
          tsType: "unknown",
          deprecationMessage: "ignored: no security group is created (SSM needs no inbound rule)"
        },
        files_directory: { $ref: "#/definitions/obsoleteLayout" },
        scripts_directory: { $ref: "#/definitions/obsoleteLayout" },
        startup_script: { $ref: "#/definitions/obsoleteLayout" },
        cloud_init_template: { $ref: "#/definitions/obsoleteLayout" },
        additional_commands_script: { $ref: "#/definitions/obsoleteLayout" },
        docker_compose_template: { $ref: "#/definitions/obsoleteLayout" },
        bacalhau_data_dir: { $ref: "#/definitions/obsoleteLayout" },
        bacalhau_node_dir: { $ref: "#/definitions/obsoleteLayout" },
        bacalhau_config_template: { $ref: "#/definitions/obsoleteLayout" }
      }
    },
    spot: {
      title: "SpotSettings",
      description: "Spot market options (native).",
      type: ["object", "null"],
      additionalProperties: false,
      properties: {
        max_price: {
          description: "Maximum price in USD per hour. Absent: capped at the on-demand price.",
          type: ["number", "string"],
          pattern: "^[0-9]+(\\.[0-9]+)?$",
          exclusiveMinimum: 0,
          "x-error": "must be a price in USD per hour such as 0.05"
        },
        on_demand_fallback: {
          description: "Launch on-demand instances for what spot capacity could not fill.",
          type: "boolean",
          default: false
        }
      }
    },
    regionName: {
      type: "string",
      pattern: "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$",
      "x-error": "is not an AWS region name (such as us-west-2)",
      examples: [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "ca-central-1",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-central-1",
        "eu-north-1",
        "ap-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "sa-east-1"
      ]
    },
    regionListEntry: {
      title: "RegionListEntry",
      description: "One region, as `- REGION: {settings}` (the original tool's shape).",
      type: "object",
      "x-error": "must be a single 'REGION: settings' pair, with the settings indented under the region name",
      minProperties: 1,
      maxProperties: 1,
      propertyNames: { $ref: "#/definitions/regionName" },
      additionalProperties: { $ref: "#/definitions/regionSettings" }
    },
    regionSettings: {
      title: "RegionSettings",
      description: "Settings of one region. May be left empty for the defaults.",
      type: ["object", "null"],
      additionalProperties: false,
      properties: {
        machine_type: {
          description: "The original tool's instance type. Same as `instance_types: [this]`.",
          $ref: "#/definitions/instanceType"
        },
        instance_types: {
          description: "Instance types to try, in order (native): when one has no spot capacity the next is tried. Default: [t3.medium].",
          type: ["array", "null"],
          minItems: 1,
          items: { $ref: "#/definitions/instanceType" }
        },
        image: {
          description: "`auto` (the current image of `aws.os`, looked up at launch) or an AMI id of this region. `latest`, which the original tool's validator allowed too, means `auto`.",
          type: "string",
          pattern: "^(auto|latest|ami-([0-9a-f]{8}|[0-9a-f]{17}))$",
          "x-error": "must be auto or an AMI id such as ami-0123456789abcdef0",
          default: "auto"
        },
        subnets: {
          description: "Subnets to launch into, tried in order with each instance type (native). Default: the default subnet of any zone.",
          type: ["array", "null"],
          uniqueItems: true,
          items: {
            type: "string",
            pattern: "^subnet-([0-9a-f]{8}|[0-9a-f]{17})$",
            "x-error": "must be a subnet id such as subnet-0123456789abcdef0"
          }
        },
        count: {
          description: "Instances in this region (native). Regions without one share what is left of `total_instances`.",
          type: "integer",
          minimum: 1,
          maximum: 1e3
        }
      }
    },
    instanceType: {
      type: "string",
      pattern: "^[a-z][a-z0-9-]*\\.[a-z0-9-]+$",
      "x-error": "must be an EC2 instance type such as t3.micro",
      examples: [
        "t3.micro",
        "t3.small",
        "t3.medium",
        "t3a.medium",
        "t4g.small",
        "m7i.large",
        "c7g.large"
      ]
    },
    obsoleteSsh: {
      description: "Obsolete: instances are reached over SSM Run Command, never SSH. Accepted and ignored.",
      tsType: "unknown",
      deprecationMessage: "ignored: instances are reached over SSM, not SSH"
    },
    obsoleteNetwork: {
      description: "Obsolete: no VPC is created or looked up by tag; list `subnets` per region to choose the network.",
      tsType: "unknown",
      deprecationMessage: "ignored: no VPC is created; list subnets per region instead"
    },
    obsoleteLayout: {
      description: "Obsolete: a setting of the original tool's Bacalhau-specific layout. Use .spot/deployment.yaml (uploads, scripts, services) instead.",
      tsType: "unknown",
      deprecationMessage: "ignored: a setting of the original tool's fixed layout; use .spot/deployment.yaml instead"
    }
  }
};

// schema/deployment.schema.json
var deployment_schema_default = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://raw.githubusercontent.com/your-org/portable-spot-deployer/v0/schema/deployment.schema.json",
  title: "SpotDeploymentFile",
  description: "What a spot-deployer deployment puts on each instance (.spot/deployment.yaml): packages, files, scripts and systemd services, or a tarball. Relative paths are relative to the .spot/ directory and must stay inside the repository. An empty file, or an optional list or map left empty (a key with nothing but comments under it, as the original tool's templates write) means none.",
  type: "object",
  additionalProperties: false,
  properties: {
    version: {
      description: "Format version. Only 1 exists.",
      const: 1,
      default: 1
    },
    deployment: { $ref: "#/definitions/deployment" }
  },
  definitions: {
    deployment: {
      title: "DeploymentSection",
      description: "What to put on each instance: packages, uploads, scripts, services, environment, or a tarball. Left out or empty: nothing (a warning says so).",
      type: ["object", "null"],
      additionalProperties: false,
      properties: {
        packages: {
          description: "Packages installed at boot by cloud-init (apt on Ubuntu, dnf on Amazon Linux).",
          type: ["array", "null"],
          uniqueItems: true,
          items: {
            type: "string",
            pattern: "^[a-z0-9][a-z0-9+.-]+$",
            "x-error": "is not a valid package name (lower-case letters, digits and + . -, at least 2 characters)"
          }
        },
        scripts: {
          description: "Shell scripts run as root over SSM after the files are in place, in `order` (ties in the order written).",
          type: ["array", "null"],
          items: { $ref: "#/definitions/script" }
        },
        uploads: {
          description: "Files and directories copied to the instances.",
          type: ["array", "null"],
          items: { $ref: "#/definitions/upload" }
        },
        services: {
          description: "systemd units installed to /etc/systemd/system/NAME.service, enabled and started after the scripts ran.",
          type: ["array", "null"],
          items: {
            anyOf: [
              {
                title: "ServiceFile",
                description: "The unit file alone, relative to .spot/ (a short form the original tool's templates read): the same as `file: PATH`.",
                type: "string"
              },
              { $ref: "#/definitions/service" }
            ]
          }
        },
        template: {
          description: "Base cloud-init configuration: `minimal` (default), `docker` (installs and starts Docker), or the path of a #cloud-config file of yours merged under the generated one.",
          type: "string",
          default: "minimal",
          examples: ["minimal", "docker"]
        },
        env: {
          description: "Environment variables (native) given to every script and written to /etc/spot-deployer/env for services (EnvironmentFile=). Not for secrets: use the action's `secrets` input.",
          type: ["object", "null"],
          propertyNames: {
            pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
            "x-error": "is not a valid environment variable name (letters, digits and _, not starting with a digit)"
          },
          additionalProperties: { type: ["string", "number", "boolean"] }
        },
        tarball_url: {
          description: "Deploy an archive downloaded by the instances (http, https or s3 URL). Needs `tarball_sha256`.",
          type: "string",
          pattern: "^(https?|s3)://[^\\s]+$",
          "x-error": "must be an http://, https:// or s3:// URL"
        },
        tarball_sha256: {
          description: "SHA-256 of the archive at `tarball_url` (64 hex digits); the instances refuse an archive that does not match.",
          type: "string",
          pattern: "^[0-9a-fA-F]{64}$",
          "x-error": "must be a SHA-256 digest: 64 hexadecimal digits"
        },
        tarball_source: {
          description: "Deploy a local directory (relative to .spot/), packed into an archive at deploy time.",
          type: "string"
        },
        tarball_destination: {
          description: "Where the archive is unpacked on the instances.",
          type: "string",
          default: "/opt/deployment"
        },
        on_interruption: { $ref: "#/definitions/interruptionHook" }
      }
    },
    interruptionHook: {
      title: "InterruptionHook",
      description: "A script run as root on a spot instance when EC2 posts its interruption notice (two minutes before the reclaim), before the deployment's services are stopped.",
      type: "object",
      additionalProperties: false,
      required: ["path"],
      properties: {
        path: {
          description: "The script, relative to .spot/. Run with bash, with the deployment's environment and SPOT_INTERRUPTION_TIME (when EC2 acts) and SPOT_INTERRUPTION_ACTION.",
          type: "string"
        },
        timeout: {
          description: "Time limit: seconds, or a duration such as 90s; at most 100 s, so the services can still be stopped within the notice.",
          type: ["integer", "string"],
          pattern: "^[0-9]+[smh]?$",
          minimum: 1,
          "x-error": "must be a duration such as 30s or 1m, or a number of seconds",
          default: 60
        }
      }
    },
    script: {
      title: "Script",
      description: "A script file (`path`) or a one-line shell `command`, not both.",
      type: "object",
      additionalProperties: false,
      properties: {
        name: {
          description: "Name in logs and in the plan. Default: the file name without extension.",
          type: "string",
          pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
          "x-error": "must be a short name of letters, digits and . _ - (at most 64)"
        },
        path: {
          description: "The script, relative to .spot/. Run with bash.",
          type: "string"
        },
        command: {
          description: "Instead of `path`: a shell command run with bash (the original tool's other shape of a script, such as `command: /opt/deployment/setup.sh`).",
          type: "string"
        },
        order: {
          description: "Scripts run in increasing order; equal orders in the order written.",
          type: "integer",
          default: 0
        },
        workdir: {
          description: "Working directory on the instance (native).",
          type: "string",
          default: "/opt/deployment"
        },
        working_dir: {
          description: "The original tool's spelling of `workdir`.",
          type: "string"
        },
        timeout: {
          description: "Time limit (native): seconds, or a duration such as 10m.",
          type: ["integer", "string"],
          pattern: "^[0-9]+[smh]?$",
          minimum: 1,
          "x-error": "must be a duration such as 90s, 10m or 1h, or a number of seconds",
          default: 600
        }
      }
    },
    upload: {
      title: "Upload",
      type: "object",
      additionalProperties: false,
      required: ["source"],
      properties: {
        source: {
          description: "File or directory relative to .spot/ (may lead elsewhere in the repository with ../).",
          type: "string"
        },
        destination: {
          description: "Absolute path on the instance. For a directory source, the directory its contents go to; for a file source ending in /, the directory the file goes into. Default: /opt/deployment, as in the original tool.",
          type: "string",
          default: "/opt/deployment"
        },
        dest: {
          description: "The original tool's spelling of `destination`.",
          type: "string"
        },
        permissions: {
          description: `Octal file mode such as "644" or "0600" (quote it). Default: the file's own mode in the repository.`,
          type: ["string", "integer"],
          pattern: "^(0o)?[0-7]{3,4}$",
          "x-error": 'must be an octal file mode such as "0644"'
        },
        owner: {
          description: "Owner as user or user:group (native). Default root:root.",
          type: "string",
          pattern: "^[a-z_][a-z0-9_-]{0,31}(:[a-z_][a-z0-9_-]{0,31})?$",
          "x-error": "must be user or user:group (lower-case names such as www-data)"
        },
        exclude: {
          description: "Glob patterns, relative to a directory source, of files not to upload.",
          type: ["array", "null"],
          items: { type: "string" },
          examples: [["node_modules/**", "*.log"]]
        }
      }
    },
    service: {
      title: "Service",
      type: "object",
      additionalProperties: false,
      properties: {
        name: {
          description: "Unit name without .service. Default: the file name.",
          type: "string",
          pattern: "^[A-Za-z0-9:_.-]+(@[A-Za-z0-9:_.-]+)?(\\.service)?$",
          "x-error": "must be a systemd unit name (letters, digits and : _ . -, optionally @instance)"
        },
        file: {
          description: "The unit file, relative to .spot/. Required (or its spelling `path`).",
          type: "string"
        },
        path: {
          description: "The original tool's other spelling of `file`.",
          type: "string"
        },
        enabled: {
          description: "Enable the unit so it starts at boot.",
          type: "boolean",
          default: true
        },
        start: {
          description: "Start (or restart) the unit once deployed.",
          type: "boolean",
          default: true
        },
        health: { $ref: "#/definitions/health" }
      }
    },
    health: {
      title: "HealthCheck",
      description: "How to tell the service is healthy (native): an HTTP URL or a TCP port, checked on the instance after it started.",
      type: ["object", "null"],
      additionalProperties: false,
      properties: {
        http: {
          description: "URL fetched on the instance, e.g. http://127.0.0.1:8080/healthz.",
          type: "string",
          pattern: "^https?://[^\\s]+$",
          "x-error": "must be an http:// or https:// URL"
        },
        tcp: {
          description: "Port (or host:port) that must accept a connection on the instance.",
          type: ["integer", "string"],
          pattern: "^([A-Za-z0-9.-]+:)?[0-9]{1,5}$",
          minimum: 1,
          maximum: 65535,
          "x-error": "must be a port or host:port such as 127.0.0.1:5432"
        },
        expect_status: {
          description: "HTTP status that means healthy.",
          type: "integer",
          minimum: 100,
          maximum: 599,
          default: 200
        },
        retries: {
          description: "Attempts before the service is declared unhealthy.",
          type: "integer",
          minimum: 1,
          maximum: 1e3,
          default: 10
        },
        interval: {
          description: "Seconds between attempts.",
          type: "integer",
          minimum: 1,
          maximum: 3600,
          default: 3
        },
        timeout: {
          description: "Seconds one attempt may take.",
          type: "integer",
          minimum: 1,
          maximum: 600,
          default: 5
        }
      }
    }
  }
};

export {
  config_schema_default,
  deployment_schema_default
};
//# sourceMappingURL=chunk-BEC6WV65.js.map

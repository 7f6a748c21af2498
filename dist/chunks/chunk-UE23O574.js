import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  AwsEc2QueryProtocol,
  AwsJson1_1Protocol,
  AwsSdkSigV4Signer,
  NODE_AUTH_SCHEME_PREFERENCE_OPTIONS,
  resolveAwsSdkSigV4Config
} from "./chunk-XTVJNGXJ.js";
import {
  CAPACITY_CODES,
  awsErrorCode
} from "./chunk-4OVCB57H.js";
import {
  Sha256Node
} from "./chunk-DOESRUQL.js";
import {
  ENV_KEY,
  ENV_SECRET,
  fromEnv
} from "./chunk-RZQHOU5W.js";
import {
  NodeHttpHandler
} from "./chunk-26QGXXSG.js";
import {
  AdaptiveRetryStrategy,
  BinaryDecisionDiagram,
  Client,
  DEFAULT_RETRY_MODE,
  DefaultIdentityProviderConfig,
  EndpointCache,
  NODE_APP_ID_CONFIG_OPTIONS,
  NODE_MAX_ATTEMPT_CONFIG_OPTIONS,
  NODE_RETRY_MODE_CONFIG_OPTIONS,
  NoOpLogger,
  ServiceException,
  awsEndpointFunctions,
  createDefaultUserAgentProvider,
  customEndpointFunctions,
  decideEndpoint,
  emitWarningIfUnsupportedVersion,
  emitWarningIfUnsupportedVersion2,
  getAwsRegionExtensionConfiguration,
  getDefaultExtensionConfiguration,
  getDefaultSocketTimeout,
  getHostHeaderPlugin,
  getHttpAuthSchemeEndpointRuleSetPlugin,
  getHttpSigningPlugin,
  getLoggerPlugin,
  getRecursionDetectionPlugin,
  getRetryPlugin,
  getUserAgentPlugin,
  loadConfigsForDefaultMode,
  resolveAwsRegionExtensionConfiguration,
  resolveDefaultRuntimeConfig,
  resolveEndpointConfig,
  resolveHostHeaderConfig,
  resolveRetryConfig,
  resolveUserAgentConfig
} from "./chunk-RLOAZQV4.js";
import {
  CredentialsProviderError,
  ENV_PROFILE,
  NODE_REGION_CONFIG_FILE_OPTIONS,
  NODE_REGION_CONFIG_OPTIONS,
  NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS,
  NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS,
  chain,
  getContentLengthPlugin,
  getHttpHandlerExtensionConfiguration,
  loadConfig,
  resolveDefaultsModeConfig,
  resolveHttpHandlerRuntimeConfig,
  resolveRegionConfig
} from "./chunk-5UZIY2RH.js";
import {
  TypeRegistry,
  calculateBodyLength,
  fromBase64,
  fromUtf8,
  getSchemaSerdePlugin,
  getSmithyContext,
  normalizeProvider,
  parseUrl,
  streamCollector,
  toBase64,
  toUtf8
} from "./chunk-5JFPBMIT.js";

// node_modules/@aws-sdk/client-ec2/dist-es/auth/httpAuthSchemeProvider.js
var defaultEC2HttpAuthSchemeParametersProvider = async (config, context, input) => {
  return {
    operation: getSmithyContext(context).operation,
    region: await normalizeProvider(config.region)() || (() => {
      throw new Error("expected `region` to be configured for `aws.auth#sigv4`");
    })()
  };
};
function createAwsAuthSigv4HttpAuthOption(authParameters) {
  return {
    schemeId: "aws.auth#sigv4",
    signingProperties: {
      name: "ec2",
      region: authParameters.region
    },
    propertiesExtractor: (config, context) => ({
      signingProperties: {
        config,
        context
      }
    })
  };
}
var defaultEC2HttpAuthSchemeProvider = (authParameters) => {
  const options = [];
  switch (authParameters.operation) {
    default: {
      options.push(createAwsAuthSigv4HttpAuthOption(authParameters));
    }
  }
  return options;
};
var resolveHttpAuthSchemeConfig = (config) => {
  const config_0 = resolveAwsSdkSigV4Config(config);
  return Object.assign(config_0, {
    authSchemePreference: normalizeProvider(config.authSchemePreference ?? [])
  });
};

// node_modules/@aws-sdk/client-ec2/dist-es/endpoint/EndpointParameters.js
var resolveClientEndpointParameters = (options) => {
  return Object.assign(options, {
    useDualstackEndpoint: options.useDualstackEndpoint ?? false,
    useFipsEndpoint: options.useFipsEndpoint ?? false,
    defaultSigningName: "ec2"
  });
};
var commonParams = {
  UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
  Endpoint: { type: "builtInParams", name: "endpoint" },
  Region: { type: "builtInParams", name: "region" },
  UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" }
};

// node_modules/@aws-sdk/client-ec2/package.json
var package_default = {
  name: "@aws-sdk/client-ec2",
  version: "3.1169.0",
  description: "AWS SDK for JavaScript Ec2 Client for Node.js, Browser and React Native",
  homepage: "https://github.com/aws/aws-sdk-js-v3/tree/main/clients/client-ec2",
  license: "Apache-2.0",
  author: {
    name: "AWS SDK for JavaScript Team",
    url: "https://aws.amazon.com/sdk-for-javascript/"
  },
  repository: {
    type: "git",
    url: "https://github.com/aws/aws-sdk-js-v3.git",
    directory: "clients/client-ec2"
  },
  files: [
    "dist-*/**"
  ],
  sideEffects: false,
  main: "./dist-cjs/index.js",
  module: "./dist-es/index.js",
  browser: {
    "./dist-es/runtimeConfig": "./dist-es/runtimeConfig.browser"
  },
  types: "./dist-types/index.d.ts",
  typesVersions: {
    "<4.5": {
      "dist-types/*": [
        "dist-types/ts3.4/*"
      ]
    }
  },
  "react-native": {
    "./dist-es/runtimeConfig": "./dist-es/runtimeConfig.native"
  },
  scripts: {
    build: "concurrently 'yarn:build:types' 'yarn:build:es' && yarn build:cjs",
    "build:cjs": "node ../../scripts/compilation/inline",
    "build:es": "premove dist-es && tsc -p tsconfig.es.json",
    "build:include:deps": 'yarn g:turbo run build -F="$npm_package_name"',
    "build:types": "premove dist-types && tsc -p tsconfig.types.json",
    "build:types:downlevel": "downlevel-dts dist-types dist-types/ts3.4",
    clean: "premove dist-cjs dist-es dist-types",
    "extract:docs": "api-extractor run --local",
    "generate:client": "node ../../scripts/generate-clients/single-service",
    test: "yarn g:vitest run --passWithNoTests",
    "test:watch": "yarn g:vitest watch --passWithNoTests",
    "test:integration": "yarn g:vitest run --passWithNoTests -c vitest.config.integ.mts",
    "test:integration:watch": "yarn g:vitest watch --passWithNoTests -c vitest.config.integ.mts",
    "test:e2e": "yarn g:vitest run -c vitest.config.e2e.mts",
    "test:e2e:watch": "yarn g:vitest watch -c vitest.config.e2e.mts",
    "test:index": "tsc -p tsconfig.test.json && node ./test/index-objects.spec.mjs"
  },
  dependencies: {
    "@aws-sdk/core": "^3.981.0",
    "@aws-sdk/credential-provider-node": "^3.972.97",
    "@aws-sdk/middleware-sdk-ec2": "^3.972.72",
    "@aws-sdk/types": "^3.975.1",
    "@smithy/core": "^3.40.0",
    "@smithy/fetch-http-handler": "^5.8.1",
    "@smithy/node-http-handler": "^4.14.2",
    "@smithy/types": "^4.20.0",
    tslib: "^2.6.2"
  },
  devDependencies: {
    "@smithy/snapshot-testing": "^2.4.0",
    "@tsconfig/node20": "20.1.8",
    "@types/node": "^20.14.8",
    concurrently: "7.0.0",
    "downlevel-dts": "0.10.1",
    premove: "4.0.0",
    typescript: "~7.0.2",
    vitest: "^4.0.17"
  },
  engines: {
    node: ">=20.0.0"
  }
};

// node_modules/@aws-sdk/credential-provider-node/dist-es/remoteProvider.js
var ENV_IMDS_DISABLED = "AWS_EC2_METADATA_DISABLED";
var remoteProvider = async (init) => {
  const { ENV_CMDS_FULL_URI, ENV_CMDS_RELATIVE_URI, fromContainerMetadata, fromInstanceMetadata } = await import("./dist-es-BM5GGBK3.js");
  if (process.env[ENV_CMDS_RELATIVE_URI] || process.env[ENV_CMDS_FULL_URI]) {
    init.logger?.debug("@aws-sdk/credential-provider-node - remoteProvider::fromHttp/fromContainerMetadata");
    const { fromHttp } = await import("./dist-es-NTENIT4X.js");
    return chain(fromHttp(init), fromContainerMetadata(init));
  }
  if (process.env[ENV_IMDS_DISABLED] && process.env[ENV_IMDS_DISABLED] !== "false") {
    return async () => {
      throw new CredentialsProviderError("EC2 Instance Metadata Service access disabled", { logger: init.logger });
    };
  }
  init.logger?.debug("@aws-sdk/credential-provider-node - remoteProvider::fromInstanceMetadata");
  return fromInstanceMetadata(init);
};

// node_modules/@aws-sdk/credential-provider-node/dist-es/runtime/memoize-chain.js
function memoizeChain(providers, treatAsExpired) {
  const chain2 = internalCreateChain(providers);
  let activeLock;
  let passiveLock;
  let credentials;
  let forceRefreshLock;
  const provider = async (options) => {
    if (options?.forceRefresh) {
      if (!forceRefreshLock) {
        forceRefreshLock = chain2(options).then((c3) => {
          credentials = c3;
        }).finally(() => {
          forceRefreshLock = void 0;
        });
      }
      await forceRefreshLock;
      return credentials;
    }
    if (credentials?.expiration) {
      if (credentials?.expiration?.getTime() < Date.now()) {
        credentials = void 0;
      }
    }
    if (activeLock) {
      await activeLock;
    } else if (!credentials || treatAsExpired?.(credentials)) {
      if (credentials) {
        if (!passiveLock) {
          passiveLock = chain2(options).then((c3) => {
            credentials = c3;
          }).catch(() => {
          }).finally(() => {
            passiveLock = void 0;
          });
        }
      } else {
        activeLock = chain2(options).then((c3) => {
          credentials = c3;
        }).finally(() => {
          activeLock = void 0;
        });
        return provider(options);
      }
    }
    return credentials;
  };
  return provider;
}
var internalCreateChain = (providers) => async (awsIdentityProperties) => {
  let lastProviderError;
  for (const provider of providers) {
    try {
      return await provider(awsIdentityProperties);
    } catch (err) {
      lastProviderError = err;
      if (err?.tryNextLink) {
        continue;
      }
      throw err;
    }
  }
  throw lastProviderError;
};

// node_modules/@aws-sdk/credential-provider-node/dist-es/defaultProvider.js
var multipleCredentialSourceWarningEmitted = false;
var defaultProvider = (init = {}) => memoizeChain([
  async () => {
    const profile = init.profile ?? process.env[ENV_PROFILE];
    if (profile) {
      const envStaticCredentialsAreSet = process.env[ENV_KEY] && process.env[ENV_SECRET];
      if (envStaticCredentialsAreSet) {
        if (!multipleCredentialSourceWarningEmitted) {
          const warnFn = init.logger?.warn && init.logger?.constructor?.name !== "NoOpLogger" ? init.logger.warn.bind(init.logger) : console.warn;
          warnFn(`@aws-sdk/credential-provider-node - defaultProvider::fromEnv WARNING:
    Multiple credential sources detected: 
    Both AWS_PROFILE and the pair AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY static credentials are set.
    This SDK will proceed with the AWS_PROFILE value.
    
    However, a future version may change this behavior to prefer the ENV static credentials.
    Please ensure that your environment only sets either the AWS_PROFILE or the
    AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY pair.
`);
          multipleCredentialSourceWarningEmitted = true;
        }
      }
      throw new CredentialsProviderError("AWS_PROFILE is set, skipping fromEnv provider.", {
        logger: init.logger,
        tryNextLink: true
      });
    }
    init.logger?.debug("@aws-sdk/credential-provider-node - defaultProvider::fromEnv");
    return fromEnv(init)();
  },
  async (awsIdentityProperties) => {
    init.logger?.debug("@aws-sdk/credential-provider-node - defaultProvider::fromSSO");
    const { ssoStartUrl, ssoAccountId, ssoRegion, ssoRoleName, ssoSession } = init;
    if (!ssoStartUrl && !ssoAccountId && !ssoRegion && !ssoRoleName && !ssoSession) {
      throw new CredentialsProviderError("Skipping SSO provider in default chain (inputs do not include SSO fields).", { logger: init.logger });
    }
    const { fromSSO } = await import("./dist-es-5KLLRALX.js");
    return fromSSO(init)(awsIdentityProperties);
  },
  async (awsIdentityProperties) => {
    init.logger?.debug("@aws-sdk/credential-provider-node - defaultProvider::fromIni");
    const { fromIni } = await import("./dist-es-4L33CBAQ.js");
    return fromIni(init)(awsIdentityProperties);
  },
  async (awsIdentityProperties) => {
    init.logger?.debug("@aws-sdk/credential-provider-node - defaultProvider::fromProcess");
    const { fromProcess } = await import("./dist-es-WSYHKPVY.js");
    return fromProcess(init)(awsIdentityProperties);
  },
  async (awsIdentityProperties) => {
    init.logger?.debug("@aws-sdk/credential-provider-node - defaultProvider::fromTokenFile");
    const { fromTokenFile } = await import("./dist-es-WNXKUYCO.js");
    return fromTokenFile(init)(awsIdentityProperties);
  },
  async () => {
    init.logger?.debug("@aws-sdk/credential-provider-node - defaultProvider::remoteProvider");
    return (await remoteProvider(init))();
  },
  async () => {
    throw new CredentialsProviderError("Could not load credentials from any providers", {
      tryNextLink: false,
      logger: init.logger
    });
  }
], credentialsTreatedAsExpired);
var credentialsTreatedAsExpired = (credentials) => credentials?.expiration !== void 0 && credentials.expiration.getTime() - Date.now() < 3e5;

// node_modules/@aws-sdk/client-ec2/dist-es/endpoint/bdd.js
var k = "ref";
var a = -1;
var b = true;
var c = "isSet";
var d = "PartitionResult";
var e = "booleanEquals";
var f = "getAttr";
var g = { [k]: "Endpoint" };
var h = { [k]: d };
var i = {};
var j = [{ [k]: "Region" }];
var _data = {
  conditions: [
    [c, [g]],
    [c, j],
    ["aws.partition", j, d],
    [e, [{ [k]: "UseFIPS" }, b]],
    [e, [{ [k]: "UseDualStack" }, b]],
    [e, [{ fn: f, argv: [h, "supportsDualStack"] }, b]],
    [e, [{ fn: f, argv: [h, "supportsFIPS"] }, b]],
    ["stringEquals", [{ fn: f, argv: [h, "name"] }, "aws-us-gov"]]
  ],
  results: [
    [a],
    [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
    [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
    [g, i],
    ["https://ec2-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
    [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
    ["https://ec2.{Region}.amazonaws.com", i],
    ["https://ec2-fips.{Region}.{PartitionResult#dnsSuffix}", i],
    [a, "FIPS is enabled but this partition does not support FIPS"],
    ["https://ec2.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
    [a, "DualStack is enabled but this partition does not support DualStack"],
    ["https://ec2.{Region}.{PartitionResult#dnsSuffix}", i],
    [a, "Invalid Configuration: Missing Region"]
  ]
};
var root = 2;
var r = 1e8;
var nodes = new Int32Array([
  -1,
  1,
  -1,
  0,
  13,
  3,
  1,
  4,
  r + 12,
  2,
  5,
  r + 12,
  3,
  8,
  6,
  4,
  7,
  r + 11,
  5,
  r + 9,
  r + 10,
  4,
  11,
  9,
  6,
  10,
  r + 8,
  7,
  r + 6,
  r + 7,
  5,
  12,
  r + 5,
  6,
  r + 4,
  r + 5,
  3,
  r + 1,
  14,
  4,
  r + 2,
  r + 3
]);
var bdd = BinaryDecisionDiagram.from(nodes, root, _data.conditions, _data.results);

// node_modules/@aws-sdk/client-ec2/dist-es/endpoint/endpointResolver.js
var cache = new EndpointCache({
  size: 50,
  params: ["Endpoint", "Region", "UseDualStack", "UseFIPS"]
});
var defaultEndpointResolver = (endpointParams, context = {}) => {
  return cache.get(endpointParams, () => decideEndpoint(bdd, {
    endpointParams,
    logger: context.logger
  }));
};
customEndpointFunctions.aws = awsEndpointFunctions;

// node_modules/@aws-sdk/client-ec2/dist-es/models/EC2ServiceException.js
var EC2ServiceException = class _EC2ServiceException extends ServiceException {
  static shapeId = "smithy.ts.sdk.synthetic.com.amazonaws.ec2#EC2ServiceException";
  constructor(options) {
    super(options);
    Object.setPrototypeOf(this, _EC2ServiceException.prototype);
  }
};

// node_modules/@aws-sdk/client-ec2/dist-es/schemas/schemas_0.js
var _AC = "AcceleratorCount";
var _ACIA = "AssociateCarrierIpAddress";
var _ACR = "AcceleratorCountRequest";
var _AFNI = "AdditionalFlexibleNetworkInterfaces";
var _AHR = "AllocateHostsRequest";
var _AIT = "AllowedInstanceTypes";
var _AITS = "AllowedInstanceTypeSet";
var _AITl = "AllowedInstanceType";
var _AId = "AdditionalInfo";
var _AIss = "AssetIds";
var _AIsse = "AssetId";
var _AItt = "AttachmentId";
var _ALI = "AmiLaunchIndex";
var _ALT = "AttachmentLimitType";
var _AMAI = "AddMiddleboxAttachmentIds";
var _AMAId = "AddMiddleboxAttachmentId";
var _AMSc = "AcceleratorManufacturerSet";
var _AMc = "AcceleratorManufacturers";
var _AMcc = "AcceleratorManufacturer";
var _ANSc = "AcceleratorNameSet";
var _ANcc = "AcceleratorNames";
var _ANcce = "AcceleratorName";
var _APIAss = "AssociatePublicIpAddress";
var _APu = "AutoPlacement";
var _ARS = "AutoRecoverySupported";
var _ARss = "AssociatedResource";
var _ARuto = "AutoRecovery";
var _ASSm = "AmdSevSnp";
var _ATLr = "ArchitectureTypeList";
var _ATMMB = "AcceleratorTotalMemoryMiB";
var _ATMMBR = "AcceleratorTotalMemoryMiBRequest";
var _ATSc = "AcceleratorTypeSet";
var _ATSr = "ArchitectureTypeSet";
var _ATc = "AcceleratorTypes";
var _ATcc = "AcceleratorType";
var _ATr = "ArchitectureTypes";
var _ATrc = "ArchitectureType";
var _ATtt = "AttachTime";
var _AZ = "AvailabilityZone";
var _AZI = "AvailabilityZoneId";
var _Acc = "Accelerators";
var _Af = "Affinity";
var _Ar = "Arn";
var _Arc = "Architecture";
var _Ass = "Association";
var _Att = "Attachment";
var _BBIG = "BaselineBandwidthInGbps";
var _BBIM = "BaselineBandwidthInMbps";
var _BDM = "BlockDeviceMapping";
var _BDML = "BlockDeviceMappingList";
var _BDMRL = "BlockDeviceMappingRequestList";
var _BDMl = "BlockDeviceMappings";
var _BDMlo = "BlockDurationMinutes";
var _BEBM = "BaselineEbsBandwidthMbps";
var _BEBMR = "BaselineEbsBandwidthMbpsRequest";
var _BIa = "BaselineIops";
var _BM = "BootMode";
var _BMTL = "BootModeTypeList";
var _BMa = "BareMetal";
var _BP = "BurstablePerformance";
var _BPF = "BaselinePerformanceFactors";
var _BPFR = "BaselinePerformanceFactorsRequest";
var _BPS = "BurstablePerformanceSupported";
var _BTIMB = "BaselineThroughputInMBps";
var _BW = "BandwidthWeighting";
var _BWTL = "BandwidthWeightingTypeList";
var _BWa = "BandwidthWeightings";
var _CBI = "CapacityBlockId";
var _CCL = "CoreCountList";
var _CCor = "CoreCount";
var _CCp = "CpuCredits";
var _CDr = "CreationDate";
var _CFAS = "CriticalFixAvailableSince";
var _CGI = "CarrierGatewayId";
var _CGIa = "CarrierGatewayIds";
var _CGur = "CurrentGeneration";
var _CI = "CarrierIp";
var _CIBM = "CurrentInstanceBootMode";
var _CIor = "CoreInfo";
var _CM = "CpuManufacturers";
var _CMSp = "CpuManufacturerSet";
var _CMp = "CpuManufacturer";
var _CO = "CpuOptions";
var _COI = "CustomerOwnedIp";
var _COR = "CpuOptionsRequest";
var _CPFR = "CpuPerformanceFactorRequest";
var _CRI = "CapacityReservationId";
var _CRP = "CapacityReservationPreference";
var _CRRGA = "CapacityReservationResourceGroupArn";
var _CRSR = "CapacityReservationSpecificationResponse";
var _CRSa = "CapacityReservationSpecification";
var _CRT = "CapacityReservationTarget";
var _CRTR = "CapacityReservationTargetResponse";
var _CSRred = "CreditSpecificationRequest";
var _CSr = "CreditSpecification";
var _CSu = "CurrentState";
var _CT = "ClientToken";
var _CTC = "ConnectionTrackingConfiguration";
var _CTGMPR = "CreateTransitGatewayMeteringPolicyRequest";
var _CTR = "CreateTagsRequest";
var _CTS = "ConnectionTrackingSpecification";
var _CTSR = "ConnectionTrackingSpecificationRequest";
var _CTSRo = "ConnectionTrackingSpecificationResponse";
var _CTreat = "CreateTags";
var _Co = "Code";
var _Conf = "Configured";
var _Cou = "Count";
var _Cp = "Cpu";
var _DASi = "DisableApiStop";
var _DAT = "DisableApiTermination";
var _DCB = "DestinationCidrBlock";
var _DCGRes = "DescribeCarrierGatewaysRequest";
var _DCTC = "DefaultConnectionTrackingConfiguration";
var _DCef = "DefaultCores";
var _DEQCPI = "DefaultEnaQueueCountPerInterface";
var _DFR = "DeleteFleetsRequest";
var _DFRes = "DescribeFleetsRequest";
var _DHS = "DedicatedHostsSupported";
var _DI = "DeviceIndex";
var _DILi = "DiskInfoList";
var _DIRR = "DescribeImageReferencesRequest";
var _DIRes = "DescribeImagesRequest";
var _DIResc = "DescribeImagesResult";
var _DIRescr = "DescribeInstancesRequest";
var _DIRescri = "DescribeInstancesResult";
var _DITR = "DescribeInstanceTopologyRequest";
var _DITRes = "DescribeInstanceTypesRequest";
var _DITResc = "DescribeInstanceTypesResult";
var _DITe = "DescribeInstanceTypes";
var _DIURER = "DescribeImageUsageReportEntriesRequest";
var _DIURRes = "DescribeImageUsageReportsRequest";
var _DIes = "DescribeImages";
var _DIesc = "DescribeInstances";
var _DIisk = "DiskInfo";
var _DN = "DeviceName";
var _DNCI = "DefaultNetworkCardIndex";
var _DNIPRescr = "DescribeNetworkInterfacePermissionsRequest";
var _DOT = "DeleteOnTermination";
var _DPGRe = "DescribePlacementGroupsRequest";
var _DPRe = "DestinationPortRange";
var _DPer = "DeregistrationProtection";
var _DR = "DryRun";
var _DRIOR = "DescribeReservedInstancesOfferingsRequest";
var _DRSERes = "DescribeRouteServerEndpointsRequest";
var _DRSPRes = "DescribeRouteServerPeersRequest";
var _DRSRes = "DescribeRouteServersRequest";
var _DSPH = "DescribeSpotPriceHistory";
var _DSPHR = "DescribeSpotPriceHistoryRequest";
var _DSPHRe = "DescribeSpotPriceHistoryResult";
var _DSRes = "DescribeSnapshotsRequest";
var _DTET = "DefaultTcpEstablishedTimeout";
var _DTGAR = "DescribeTransitGatewayAttachmentsRequest";
var _DTGCRes = "DescribeTransitGatewayConnectsRequest";
var _DTGPARes = "DescribeTransitGatewayPeeringAttachmentsRequest";
var _DTGVARes = "DescribeTransitGatewayVpcAttachmentsRequest";
var _DTPC = "DefaultThreadsPerCore";
var _DTR = "DeleteTagsRequest";
var _DTe = "DeprecationTime";
var _DTelet = "DeleteTags";
var _DUST = "DefaultUdpStreamTimeout";
var _DUT = "DefaultUdpTimeout";
var _DVC = "DefaultVCpus";
var _De = "Description";
var _Dis = "Disks";
var _EBD = "EbsBlockDevice";
var _EBSL = "ExecutableByStringList";
var _EBx = "ExecutableBy";
var _ECI = "EbsCardIndex";
var _ECIL = "EbsCardInfoList";
var _ECIb = "EbsCardInfo";
var _ECb = "EbsCards";
var _EGA = "ElasticGpuAssociation";
var _EGAI = "ElasticGpuAssociationId";
var _EGAL = "ElasticGpuAssociationList";
var _EGAS = "ElasticGpuAssociationState";
var _EGAT = "ElasticGpuAssociationTime";
var _EGAl = "ElasticGpuAssociations";
var _EGIl = "ElasticGpuId";
var _EGSla = "ElasticGpuSpecification";
var _EGSlas = "ElasticGpuSpecifications";
var _EIA = "ElasticInferenceAccelerator";
var _EIAA = "ElasticInferenceAcceleratorAssociation";
var _EIAAI = "ElasticInferenceAcceleratorAssociationId";
var _EIAAL = "ElasticInferenceAcceleratorAssociationList";
var _EIAAS = "ElasticInferenceAcceleratorAssociationState";
var _EIAAT = "ElasticInferenceAcceleratorAssociationTime";
var _EIAAl = "ElasticInferenceAcceleratorArn";
var _EIAAla = "ElasticInferenceAcceleratorAssociations";
var _EIAl = "ElasticInferenceAccelerators";
var _EIBD = "EbsInstanceBlockDevice";
var _EITS = "EncryptionInTransitSupported";
var _EITSx = "ExcludedInstanceTypeSet";
var _EITxc = "ExcludedInstanceTypes";
var _EITxcl = "ExcludedInstanceType";
var _EIb = "EbsInfo";
var _EIf = "EfaInfo";
var _EO = "EbsOptimized";
var _EOI = "EbsOptimizedInfo";
var _EOR = "EnclaveOptionsRequest";
var _EOS = "EbsOptimizedSupport";
var _EOn = "EnclaveOptions";
var _EPI = "EnablePrimaryIpv6";
var _EQC = "EnaQueueCount";
var _ERNDAAAAR = "EnableResourceNameDnsAAAARecord";
var _ERNDAR = "EnableResourceNameDnsARecord";
var _ESE = "EnaSrdEnabled";
var _ESS = "EnaSrdSpecification";
var _ESSR = "EnaSrdSpecificationRequest";
var _ESSn = "EnaSrdSupported";
var _ESUE = "EnaSrdUdpEnabled";
var _ESUS = "EnaSrdUdpSpecification";
var _ESUSR = "EnaSrdUdpSpecificationRequest";
var _ESf = "EfaSupported";
var _ESn = "EncryptionSupport";
var _ESna = "EnaSupport";
var _ETnd = "EndTime";
var _EU = "ExecutableUsers";
var _Eb = "Ebs";
var _En = "Enabled";
var _Enc = "Encrypted";
var _F = "Force";
var _FDI = "FpgaDeviceInfo";
var _FDIL = "FpgaDeviceInfoList";
var _FDMI = "FpgaDeviceMemoryInfo";
var _FEQS = "FlexibleEnaQueuesSupport";
var _FIl = "FleetId";
var _FIle = "FleetIds";
var _FIpga = "FpgaInfo";
var _FLi = "FilterList";
var _FP = "FromPort";
var _FSD = "FindingScanDate";
var _FTE = "FreeTierEligible";
var _Fi = "Filters";
var _Fil = "Filter";
var _Fp = "Fpgas";
var _G = "Groups";
var _GDI = "GpuDeviceInfo";
var _GDIL = "GpuDeviceInfoList";
var _GDMI = "GpuDeviceMemoryInfo";
var _GIL = "GroupIdentifierList";
var _GIp = "GpuInfo";
var _GIr = "GroupId";
var _GIro = "GroupIds";
var _GIrou = "GroupIdentifier";
var _GN = "GroupName";
var _GNr = "GroupNames";
var _GPS = "GpuPartitionSize";
var _GSPSR = "GetSpotPlacementScoresRequest";
var _Gp = "Gpus";
var _HBD = "HiddenByDefault";
var _HCOR = "HostCpuOptionsRequest";
var _HE = "HttpEndpoint";
var _HFAS = "HighFixAvailableSince";
var _HFSL = "HighestFindingSeverityLabel";
var _HIo = "HostId";
var _HM = "HostMaintenance";
var _HO = "HibernationOptions";
var _HOR = "HibernationOptionsRequest";
var _HPI = "HttpProtocolIpv6";
var _HPRHL = "HttpPutResponseHopLimit";
var _HR = "HostRecovery";
var _HRGA = "HostResourceGroupArn";
var _HS = "HibernationSupported";
var _HT = "HttpTokens";
var _HTo = "HostnameType";
var _Hy = "Hypervisor";
var _I = "Id";
var _IA = "Ipv6Addresses";
var _IAC = "Ipv6AddressCount";
var _IAESS = "InstanceAttachmentEnaSrdSpecification";
var _IAESUS = "InstanceAttachmentEnaSrdUdpSpecification";
var _IAIn = "InferenceAcceleratorInfo";
var _IAPI = "Ipv4AddressesPerInterface";
var _IAPIp = "Ipv6AddressesPerInterface";
var _IAPSI = "Ipv4AddressesPerSecondaryInterface";
var _IART = "IncludeAllResourceTypes";
var _IAm = "ImageAllowed";
var _IApv = "Ipv6Address";
var _IBDM = "InstanceBlockDeviceMapping";
var _IBDML = "InstanceBlockDeviceMappingList";
var _ID = "IncludeDeprecated";
var _IDI = "InferenceDeviceInfo";
var _IDIL = "InferenceDeviceInfoList";
var _IDMI = "InferenceDeviceMemoryInfo";
var _IDn = "IncludeDisabled";
var _IF = "InstanceFamily";
var _IFAS = "InformationalFixAvailableSince";
var _IGS = "InstanceGenerationSet";
var _IGns = "InstanceGenerations";
var _IGnst = "InstanceGeneration";
var _II = "InstanceId";
var _IIA = "InstanceIpv6Address";
var _IIAL = "InstanceIpv6AddressList";
var _IIB = "InstanceInterruptionBehavior";
var _IIP = "IamInstanceProfile";
var _IIPL = "InstanceIpv4PrefixList";
var _IIPLn = "InstanceIpv6PrefixList";
var _IIPS = "IamInstanceProfileSpecification";
var _IIPn = "InstanceIpv4Prefix";
var _IIPns = "InstanceIpv6Prefix";
var _IISB = "InstanceInitiatedShutdownBehavior";
var _IISL = "ImageIdStringList";
var _IISLn = "InstanceIdStringList";
var _IIm = "ImageId";
var _IIma = "ImageIds";
var _IIn = "InstanceIds";
var _IL = "ImageLocation";
var _ILZ = "IncludeLocalZones";
var _ILm = "ImageList";
var _ILn = "InstanceLifecycle";
var _ILns = "InstanceList";
var _IM = "IncludeMarketplace";
var _IMO = "InstanceMaintenanceOptions";
var _IMOR = "InstanceMaintenanceOptionsRequest";
var _IMORn = "InstanceMarketOptionsRequest";
var _IMORns = "InstanceMetadataOptionsRequest";
var _IMORnst = "InstanceMetadataOptionsResponse";
var _IMOns = "InstanceMarketOptions";
var _IMR = "IncludeManagedResources";
var _IMT = "InstanceMetadataTags";
var _INI = "InstanceNetworkInterface";
var _INIA = "InstanceNetworkInterfaceAssociation";
var _INIAn = "InstanceNetworkInterfaceAttachment";
var _INIL = "InstanceNetworkInterfaceList";
var _INIS = "InstanceNetworkInterfaceSpecification";
var _INISL = "InstanceNetworkInterfaceSpecificationList";
var _INPO = "InstanceNetworkPerformanceOptions";
var _INPOR = "InstanceNetworkPerformanceOptionsRequest";
var _IOA = "ImageOwnerAlias";
var _IOI = "IpOwnerId";
var _IPC = "Ipv6PrefixCount";
var _IPCp = "Ipv4PrefixCount";
var _IPIA = "InstancePrivateIpAddress";
var _IPIAL = "InstancePrivateIpAddressList";
var _IPIs = "IsPrimaryIpv6";
var _IPLpvr = "Ipv4PrefixList";
var _IPLpvref = "Ipv6PrefixList";
var _IPSRp = "Ipv4PrefixSpecificationRequest";
var _IPSRpvr = "Ipv6PrefixSpecificationRequest";
var _IPp = "Ipv6Prefixes";
var _IPpv = "Ipv6Prefix";
var _IPpvr = "Ipv4Prefixes";
var _IPpvre = "Ipv4Prefix";
var _IR = "InstanceRequirements";
var _IRR = "InstanceRequirementsRequest";
var _IRWM = "InstanceRequirementsWithMetadata";
var _IRWMR = "InstanceRequirementsWithMetadataRequest";
var _ISC = "InstanceStateChange";
var _ISCL = "InstanceStateChangeList";
var _ISIA = "InstanceSecondaryInterfaceAttachment";
var _ISIL = "InstanceSecondaryInterfaceList";
var _ISIPIA = "InstanceSecondaryInterfacePrivateIpAddress";
var _ISIPIAL = "InstanceSecondaryInterfacePrivateIpAddressList";
var _ISIPIALR = "InstanceSecondaryInterfacePrivateIpAddressListRequest";
var _ISIPIAR = "InstanceSecondaryInterfacePrivateIpAddressRequest";
var _ISISLR = "InstanceSecondaryInterfaceSpecificationListRequest";
var _ISISR = "InstanceSecondaryInterfaceSpecificationRequest";
var _ISIn = "InstanceSecondaryInterface";
var _ISIns = "InstanceStorageInfo";
var _ISSn = "InstanceStorageSupported";
var _ISmd = "ImdsSupport";
var _ISnsta = "InstanceState";
var _ISpvu = "Ipv6Supported";
var _IT = "InstanceType";
var _ITILn = "InstanceTypeInfoList";
var _ITIn = "InstanceTypeInfo";
var _ITIns = "InstanceTypeItem";
var _ITSn = "InstanceTypeSpecification";
var _ITm = "ImageType";
var _ITns = "InstanceTenancy";
var _ITnst = "InstanceTypes";
var _ITnt = "InterfaceType";
var _ITnte = "InterfaceTypes";
var _IUIR = "IncludeUnsupportedInRegion";
var _IW = "ImageWatermarks";
var _IWL = "ImageWatermarkList";
var _IWm = "ImageWatermark";
var _Im = "Images";
var _Ima = "Image";
var _In = "Instance";
var _Ins = "Instances";
var _Io = "Iops";
var _K = "Key";
var _KI = "KernelId";
var _KKI = "KmsKeyId";
var _KN = "KeyName";
var _LCA = "LicenseConfigurationArn";
var _LCR = "LicenseConfigurationRequest";
var _LCi = "LicenseConfiguration";
var _LFAS = "LowFixAvailableSince";
var _LGC = "LogicalGpuCount";
var _LL = "LicenseList";
var _LLT = "LastLaunchedTime";
var _LSLR = "LicenseSpecificationListRequest";
var _LST = "LocalStorageTypes";
var _LSTS = "LocalStorageTypeSet";
var _LSTo = "LocalStorageType";
var _LSi = "LicenseSpecifications";
var _LSic = "LicenseSpecification";
var _LSo = "LocalStorage";
var _LT = "LaunchTemplate";
var _LTI = "LaunchTemplateId";
var _LTN = "LaunchTemplateName";
var _LTS = "LaunchTemplateSpecification";
var _LTau = "LaunchTime";
var _Lic = "Licenses";
var _M = "Min";
var _MAIe = "MediaAcceleratorInfo";
var _MAIi = "MiddleboxAttachmentIds";
var _MAIid = "MiddleboxAttachmentId";
var _MAa = "MacAddress";
var _MBIM = "MaximumBandwidthInMbps";
var _MCI = "MetricCategoryId";
var _MCIL = "MetricCategoryIdList";
var _MCIe = "MetricCategoryIds";
var _MCa = "MaxCount";
var _MCin = "MinCount";
var _MD = "MaxDuration";
var _MDI = "MediaDeviceInfo";
var _MDIL = "MediaDeviceInfoList";
var _MDMI = "MediaDeviceMemoryInfo";
var _MDi = "MinDuration";
var _MEA = "MaximumEbsAttachments";
var _MEC = "MaximumEbsCards";
var _MEI = "MaximumEfaInterfaces";
var _MEQC = "MaximumEnaQueueCount";
var _MEQCPI = "MaximumEnaQueueCountPerInterface";
var _MFAS = "MediumFixAvailableSince";
var _MGBPVC = "MemoryGiBPerVCpu";
var _MGBPVCR = "MemoryGiBPerVCpuRequest";
var _MI = "MaximumIops";
var _MIC = "MaxInstanceCount";
var _MIe = "MemoryInfo";
var _MMB = "MemoryMiB";
var _MMBR = "MemoryMiBRequest";
var _MNC = "MaximumNetworkCards";
var _MNI = "MaximumNetworkInterfaces";
var _MO = "MetadataOptions";
var _MOa = "MaintenanceOptions";
var _MPax = "MaxPrice";
var _MR = "MaxResults";
var _MSNI = "MaximumSecondaryNetworkInterfaces";
var _MSPAPOOODP = "MaxSpotPriceAsPercentageOfOptimalOnDemandPrice";
var _MTGMPR = "ModifyTransitGatewayMeteringPolicyRequest";
var _MTIMB = "MaximumThroughputInMBps";
var _MTMFRR = "ModifyTrafficMirrorFilterRuleRequest";
var _MTMSR = "ModifyTrafficMirrorSessionRequest";
var _MTa = "MarketType";
var _Ma = "Max";
var _Man = "Manufacturer";
var _Mana = "Managed";
var _Me = "Message";
var _Mon = "Monitoring";
var _N = "Name";
var _NBGR = "NetworkBandwidthGbpsRequest";
var _NBGe = "NetworkBandwidthGbps";
var _NC = "NetworkCards";
var _NCI = "NetworkCardIndex";
var _NCIL = "NetworkCardInfoList";
var _NCITL = "NetworkCardInterfaceTypeList";
var _NCIe = "NetworkCardInfo";
var _ND = "NoDevice";
var _NDCI = "NeuronDeviceCoreInfo";
var _NDI = "NeuronDeviceInfo";
var _NDIL = "NeuronDeviceInfoList";
var _NDMI = "NeuronDeviceMemoryInfo";
var _NDe = "NeuronDevices";
var _NES = "NitroEnclavesSupport";
var _NIC = "NetworkInterfaceCount";
var _NICR = "NetworkInterfaceCountRequest";
var _NII = "NetworkInterfaceId";
var _NIPIe = "NetworkInterfacePermissionId";
var _NIPIetw = "NetworkInterfacePermissionIds";
var _NIet = "NetworkInterfaces";
var _NIetw = "NetworkInfo";
var _NIeu = "NeuronInfo";
var _NPO = "NetworkPerformanceOptions";
var _NPe = "NetworkPerformance";
var _NS = "NvmeSupport";
var _NTI = "NitroTpmInfo";
var _NTS = "NitroTpmSupport";
var _NTSVL = "NitroTpmSupportedVersionsList";
var _NTe = "NextToken";
var _NV = "NestedVirtualization";
var _OA = "OutpostArn";
var _OC = "OfferingClass";
var _ODMPPOLP = "OnDemandMaxPricePercentageOverLowestPrice";
var _OI = "OwnerId";
var _OIw = "OwnerIds";
var _ON = "OptionName";
var _ORpe = "OperatorRequest";
var _ORper = "OperatorResponse";
var _OSL = "OwnerStringList";
var _OTf = "OfferingType";
var _OV = "OptionValues";
var _OVp = "OptionValue";
var _Op = "Operator";
var _Ow = "Owners";
var _Own = "Owner";
var _P = "Principal";
var _PBIG = "PeakBandwidthInGbps";
var _PCIr = "ProductCodeId";
var _PCLr = "ProductCodeList";
var _PCT = "ProductCodeType";
var _PCr = "ProductCode";
var _PCro = "ProductCodes";
var _PDN = "PrivateDnsName";
var _PDNO = "PrivateDnsNameOptions";
var _PDNOR = "PrivateDnsNameOptionsRequest";
var _PDNORr = "PrivateDnsNameOptionsResponse";
var _PDNub = "PublicDnsName";
var _PDl = "PlatformDetails";
var _PDr = "ProductDescription";
var _PDro = "ProductDescriptions";
var _PFRR = "PerformanceFactorReferenceRequest";
var _PFRSR = "PerformanceFactorReferenceSetRequest";
var _PGISL = "PlacementGroupIdStringList";
var _PGIl = "PlacementGroupInfo";
var _PGSL = "PlacementGroupStrategyList";
var _PI = "PublicIp";
var _PIAC = "PrivateIpAddressCount";
var _PIAS = "PrivateIpAddressSpecification";
var _PIASL = "PrivateIpAddressSpecificationList";
var _PIAr = "PrivateIpAddress";
var _PIAri = "PrivateIpAddresses";
var _PIAu = "PublicIpAddress";
var _PIr = "PrimaryIpv6";
var _PIro = "ProcessorInfo";
var _PLa = "PacketLength";
var _PN = "PartitionNumber";
var _PSPN = "PublicSsmParameterName";
var _PSh = "PhcSupport";
var _PSr = "PreviousState";
var _Pl = "Platform";
var _Pla = "Placement";
var _Pr = "Protocol";
var _Prim = "Primary";
var _Pu = "Public";
var _Q = "Quantity";
var _RA = "RuleAction";
var _RBUI = "RestorableByUserIds";
var _RBe = "RestorableBy";
var _RDN = "RootDeviceName";
var _RDT = "RootDeviceType";
var _RDTL = "RootDeviceTypeList";
var _REIT = "RequireEncryptionInTransit";
var _RF = "RemoveFields";
var _RFe = "RemoveField";
var _RHS = "RequireHibernateSupport";
var _RI = "ReportId";
var _RIME = "RunInstancesMonitoringEnabled";
var _RIOI = "ReservedInstancesOfferingIds";
var _RIOIe = "ReservedInstancesOfferingId";
var _RIRu = "RunInstancesRequest";
var _RIUD = "RunInstancesUserData";
var _RIa = "RamdiskId";
var _RIe = "ReservationId";
var _RIep = "ReportIds";
var _RIeq = "RequesterId";
var _RIeso = "ResourceId";
var _RIu = "RunInstances";
var _RLe = "ReservationList";
var _RMAI = "RemoveMiddleboxAttachmentIds";
var _RMAIe = "RemoveMiddleboxAttachmentId";
var _RMS = "RebootMigrationSupport";
var _RMe = "RebootMigration";
var _RN = "RegionName";
var _RNe = "RegionNames";
var _RNu = "RuleNumber";
var _RSEI = "RouteServerEndpointId";
var _RSEIo = "RouteServerEndpointIds";
var _RSI = "RouteServerId";
var _RSIo = "RouteServerIds";
var _RSPI = "RouteServerPeerId";
var _RSPIo = "RouteServerPeerIds";
var _RTO = "ResourceTypeOptions";
var _RTOL = "ResourceTypeOptionList";
var _RTOe = "ResourceTypeOption";
var _RTRL = "ResourceTypeRequestList";
var _RTRe = "ResourceTypeRequest";
var _RTe = "ResourceType";
var _RTes = "ResourceTypes";
var _Ref = "References";
var _Refe = "Reference";
var _Res = "Resources";
var _Rese = "Reservations";
var _Reser = "Reservation";
var _SAPFL = "SupportedAdditionalProcessorFeatureList";
var _SAZ = "SingleAvailabilityZone";
var _SAup = "SupportedArchitectures";
var _SBM = "SupportedBootModes";
var _SCB = "SourceCidrBlock";
var _SCSIG = "SustainedClockSpeedInGhz";
var _SDC = "SourceDestCheck";
var _SDp = "SpreadDomain";
var _SF = "SupportedFeatures";
var _SGI = "SecurityGroupId";
var _SGISL = "SecurityGroupIdStringList";
var _SGIe = "SecurityGroupIds";
var _SGSL = "SecurityGroupStringList";
var _SGe = "SecurityGroups";
var _SGec = "SecurityGroup";
var _SICT = "SourceImageCreationTime";
var _SIGB = "SizeInGB";
var _SII = "SourceImageId";
var _SIIec = "SecondaryInterfaceId";
var _SIIo = "SourceInstanceId";
var _SIMB = "SizeInMiB";
var _SIRI = "SpotInstanceRequestId";
var _SIRo = "SourceImageRegion";
var _SIRu = "SupportedInRegion";
var _SISL = "SnapshotIdStringList";
var _SIT = "SupportedInstanceTypes";
var _SITS = "SupportedInstanceTypeSet";
var _SITp = "SpotInstanceType";
var _SIec = "SecondaryInterfaces";
var _SIeco = "SecondaryInterface";
var _SIn = "SnapshotId";
var _SIna = "SnapshotIds";
var _SIu = "SubnetId";
var _SMO = "SpotMarketOptions";
var _SMPPOLP = "SpotMaxPricePercentageOverLowestPrice";
var _SNI = "SecondaryNetworkId";
var _SNS = "SriovNetSupport";
var _SNSe = "SecondaryNetworkSupported";
var _SNes = "SessionNumber";
var _SO = "SpotOptions";
var _SOS = "SkipOsShutdown";
var _SPH = "SpotPriceHistory";
var _SPHL = "SpotPriceHistoryList";
var _SPIAC = "SecondaryPrivateIpAddressCount";
var _SPRo = "SourcePortRange";
var _SPp = "SpotPrice";
var _SRDT = "SupportedRootDeviceTypes";
var _SRc = "ScanResults";
var _SRt = "StateReason";
var _SSIe = "SecondarySubnetId";
var _SSu = "SupportedStrategies";
var _STR = "StateTransitionReason";
var _STt = "StartTime";
var _SUC = "SupportedUsageClasses";
var _SVT = "SupportedVirtualizationTypes";
var _SVu = "SupportedVersions";
var _St = "State";
var _Sta = "Status";
var _T = "Tags";
var _TCUT = "TargetCapacityUnitType";
var _TCar = "TargetCapacity";
var _TD = "TrafficDirection";
var _TET = "TcpEstablishedTimeout";
var _TFMIMB = "TotalFpgaMemoryInMiB";
var _TGAIr = "TransitGatewayAttachmentIds";
var _TGI = "TransitGatewayId";
var _TGMIMB = "TotalGpuMemoryInMiB";
var _TGMPI = "TransitGatewayMeteringPolicyId";
var _TI = "TerminateInstances";
var _TIMIMB = "TotalInferenceMemoryInMiB";
var _TIR = "TerminateInstancesRequest";
var _TIRe = "TerminateInstancesResult";
var _TIer = "TerminatingInstances";
var _TL = "TagList";
var _TLSGB = "TotalLocalStorageGB";
var _TLSGBR = "TotalLocalStorageGBRequest";
var _TMFI = "TrafficMirrorFilterId";
var _TMFRI = "TrafficMirrorFilterRuleId";
var _TMMIMB = "TotalMediaMemoryInMiB";
var _TMPRR = "TrafficMirrorPortRangeRequest";
var _TMSI = "TrafficMirrorSessionId";
var _TMTI = "TrafficMirrorTargetId";
var _TNDMIMB = "TotalNeuronDeviceMemoryInMiB";
var _TP = "ToPort";
var _TPC = "ThreadsPerCore";
var _TPCL = "ThreadsPerCoreList";
var _TS = "TagSpecifications";
var _TSIGB = "TotalSizeInGB";
var _TSL = "TagSpecificationList";
var _TSa = "TagSpecification";
var _TSp = "TpmSupport";
var _Ta = "Tag";
var _Te = "Tenancy";
var _Th = "Throughput";
var _Tim = "Timestamp";
var _Ty = "Type";
var _UCTL = "UsageClassTypeList";
var _UDs = "UserData";
var _UIT = "UnsupportedInstanceTypes";
var _UITS = "UnsupportedInstanceTypeSet";
var _UO = "UsageOperation";
var _UOUT = "UsageOperationUpdateTime";
var _UST = "UdpStreamTimeout";
var _UTd = "UdpTimeout";
var _V = "Value";
var _VCC = "VCpuCount";
var _VCCRR = "VCpuCountRangeRequest";
var _VCIpu = "VCpuInfo";
var _VCa = "ValidCores";
var _VI = "VpcId";
var _VIR = "VolumeInitializationRate";
var _VIo = "VolumeId";
var _VN = "VirtualName";
var _VNI = "VirtualNetworkId";
var _VOI = "VolumeOwnerId";
var _VSL = "ValueStringList";
var _VSo = "VolumeSize";
var _VT = "VolumeType";
var _VTLi = "VirtualizationTypeList";
var _VTPC = "ValidThreadsPerCore";
var _VTS = "VirtualizationTypeSet";
var _VTi = "VirtualizationTypes";
var _VTir = "VirtualizationType";
var _VU = "ValidUntil";
var _Va = "Values";
var _Ver = "Version";
var _WCT = "WatermarkCreationTime";
var _WK = "WatermarkKey";
var _WL = "WorkloadsList";
var _Wo = "Workloads";
var _aFNI = "additionalFlexibleNetworkInterfaces";
var _aId = "additionalInfo";
var _aIt = "attachmentId";
var _aLI = "amiLaunchIndex";
var _aLT = "attachmentLimitType";
var _aP = "autoPlacement";
var _aPIA = "associatePublicIpAddress";
var _aRSu = "autoRecoverySupported";
var _aRs = "associatedResource";
var _aRut = "autoRecovery";
var _aSS = "amdSevSnp";
var _aTt = "attachTime";
var _aZ = "availabilityZone";
var _aZI = "availabilityZoneId";
var _acc = "accelerators";
var _af = "affinity";
var _ar = "arn";
var _arc = "architecture";
var _ass = "association";
var _at = "attachment";
var _bBIG = "baselineBandwidthInGbps";
var _bBIM = "baselineBandwidthInMbps";
var _bDM = "blockDeviceMapping";
var _bIa = "baselineIops";
var _bM = "bootMode";
var _bMa = "bareMetal";
var _bPS = "burstablePerformanceSupported";
var _bTIMB = "baselineThroughputInMBps";
var _bW = "bandwidthWeighting";
var _bWa = "bandwidthWeightings";
var _cBI = "capacityBlockId";
var _cCo = "coreCount";
var _cDr = "creationDate";
var _cFAS = "criticalFixAvailableSince";
var _cGur = "currentGeneration";
var _cI = "carrierIp";
var _cIBM = "currentInstanceBootMode";
var _cIor = "coreInfo";
var _cO = "cpuOptions";
var _cOI = "customerOwnedIp";
var _cRI = "capacityReservationId";
var _cRP = "capacityReservationPreference";
var _cRRGA = "capacityReservationResourceGroupArn";
var _cRSa = "capacityReservationSpecification";
var _cRT = "capacityReservationTarget";
var _cSu = "currentState";
var _cT = "clientToken";
var _cTC = "connectionTrackingConfiguration";
var _co = "code";
var _conf = "configured";
var _cou = "count";
var _dAT = "disableApiTermination";
var _dCe = "defaultCores";
var _dEQCPI = "defaultEnaQueueCountPerInterface";
var _dHS = "dedicatedHostsSupported";
var _dI = "deviceIndex";
var _dN = "deviceName";
var _dNCI = "defaultNetworkCardIndex";
var _dNn = "dnsName";
var _dOT = "deleteOnTermination";
var _dPe = "deregistrationProtection";
var _dR = "dryRun";
var _dTET = "defaultTcpEstablishedTimeout";
var _dTPC = "defaultThreadsPerCore";
var _dTe = "deprecationTime";
var _dUST = "defaultUdpStreamTimeout";
var _dUT = "defaultUdpTimeout";
var _dVC = "defaultVCpus";
var _de = "description";
var _dis = "disks";
var _eCI = "ebsCardIndex";
var _eCS = "ebsCardSet";
var _eGAI = "elasticGpuAssociationId";
var _eGAS = "elasticGpuAssociationState";
var _eGASl = "elasticGpuAssociationSet";
var _eGAT = "elasticGpuAssociationTime";
var _eGI = "elasticGpuId";
var _eIAA = "elasticInferenceAcceleratorArn";
var _eIAAI = "elasticInferenceAcceleratorAssociationId";
var _eIAAS = "elasticInferenceAcceleratorAssociationState";
var _eIAASl = "elasticInferenceAcceleratorAssociationSet";
var _eIAAT = "elasticInferenceAcceleratorAssociationTime";
var _eITSn = "encryptionInTransitSupported";
var _eIb = "ebsInfo";
var _eIf = "efaInfo";
var _eO = "ebsOptimized";
var _eOI = "ebsOptimizedInfo";
var _eOS = "ebsOptimizedSupport";
var _eOn = "enclaveOptions";
var _eQC = "enaQueueCount";
var _eRNDAAAAR = "enableResourceNameDnsAAAARecord";
var _eRNDAR = "enableResourceNameDnsARecord";
var _eSE = "enaSrdEnabled";
var _eSS = "enaSrdSpecification";
var _eSSn = "enaSrdSupported";
var _eSUE = "enaSrdUdpEnabled";
var _eSUS = "enaSrdUdpSpecification";
var _eSf = "efaSupported";
var _eSn = "encryptionSupport";
var _eSna = "enaSupport";
var _eTn = "endTime";
var _eb = "ebs";
var _en = "enabled";
var _enc = "encrypted";
var _fEQS = "flexibleEnaQueuesSupport";
var _fIp = "fpgaInfo";
var _fSD = "findingScanDate";
var _fTE = "freeTierEligible";
var _fp = "fpgas";
var _gIp = "gpuInfo";
var _gIr = "groupId";
var _gN = "groupName";
var _gPS = "gpuPartitionSize";
var _gSr = "groupSet";
var _gp = "gpus";
var _h = "hypervisor";
var _hBD = "hiddenByDefault";
var _hE = "httpEndpoint";
var _hFAS = "highFixAvailableSince";
var _hFSL = "highestFindingSeverityLabel";
var _hI = "hostId";
var _hO = "hibernationOptions";
var _hPI = "httpProtocolIpv6";
var _hPRHL = "httpPutResponseHopLimit";
var _hRGA = "hostResourceGroupArn";
var _hSi = "hibernationSupported";
var _hT = "httpTokens";
var _hTo = "hostnameType";
var _i = "id";
var _iAC = "ipv6AddressCount";
var _iAIn = "inferenceAcceleratorInfo";
var _iAPI = "ipv4AddressesPerInterface";
var _iAPIp = "ipv6AddressesPerInterface";
var _iAPSI = "ipv4AddressesPerSecondaryInterface";
var _iASp = "ipv6AddressesSet";
var _iAm = "imageAllowed";
var _iAp = "ipAddress";
var _iApv = "ipv6Address";
var _iFAS = "informationalFixAvailableSince";
var _iI = "instanceId";
var _iIP = "iamInstanceProfile";
var _iISB = "instanceInitiatedShutdownBehavior";
var _iIma = "imageId";
var _iL = "imageLocation";
var _iLn = "instanceLifecycle";
var _iMT = "instanceMetadataTags";
var _iOA = "imageOwnerAlias";
var _iOI = "imageOwnerId";
var _iOIp = "ipOwnerId";
var _iPIs = "isPrimaryIpv6";
var _iPSpvr = "ipv4PrefixSet";
var _iPSpvre = "ipv6PrefixSet";
var _iPpv = "ipv4Prefix";
var _iPpvr = "ipv6Prefix";
var _iPs = "isPublic";
var _iSI = "instanceStorageInfo";
var _iSSn = "instanceStorageSupported";
var _iSma = "imagesSet";
var _iSmag = "imageState";
var _iSmd = "imdsSupport";
var _iSns = "instancesSet";
var _iSnst = "instanceState";
var _iSpv = "ipv6Supported";
var _iT = "instanceType";
var _iTS = "instanceTypeSet";
var _iTSn = "instanceTypeSpecification";
var _iTSnt = "interfaceTypeSet";
var _iTm = "imageType";
var _iTns = "instanceTenancy";
var _iTnt = "interfaceType";
var _iWS = "imageWatermarkSet";
var _io = "iops";
var _it = "item";
var _k = "key";
var _kI = "kernelId";
var _kKI = "kmsKeyId";
var _kN = "keyName";
var _lCA = "licenseConfigurationArn";
var _lFAS = "lowFixAvailableSince";
var _lGC = "logicalGpuCount";
var _lLT = "lastLaunchedTime";
var _lSic = "licenseSet";
var _lTau = "launchTime";
var _mAIe = "mediaAcceleratorInfo";
var _mAa = "macAddress";
var _mBIM = "maximumBandwidthInMbps";
var _mCIS = "metricCategoryIdSet";
var _mEA = "maximumEbsAttachments";
var _mEC = "maximumEbsCards";
var _mEI = "maximumEfaInterfaces";
var _mEQC = "maximumEnaQueueCount";
var _mEQCPI = "maximumEnaQueueCountPerInterface";
var _mFAS = "mediumFixAvailableSince";
var _mI = "maximumIops";
var _mIe = "memoryInfo";
var _mNC = "maximumNetworkCards";
var _mNI = "maximumNetworkInterfaces";
var _mO = "metadataOptions";
var _mOa = "maintenanceOptions";
var _mR = "maxResults";
var _mSNI = "maximumSecondaryNetworkInterfaces";
var _mTIMB = "maximumThroughputInMBps";
var _man = "manufacturer";
var _mana = "managed";
var _me = "message";
var _mon = "monitoring";
var _n = "name";
var _nC = "networkCards";
var _nCI = "networkCardIndex";
var _nD = "noDevice";
var _nDe = "neuronDevices";
var _nES = "nitroEnclavesSupport";
var _nII = "networkInterfaceId";
var _nIS = "networkInterfaceSet";
var _nIe = "networkInterface";
var _nIet = "networkInfo";
var _nIeu = "neuronInfo";
var _nPO = "networkPerformanceOptions";
var _nPe = "networkPerformance";
var _nS = "nvmeSupport";
var _nTI = "nitroTpmInfo";
var _nTS = "nitroTpmSupport";
var _nTe = "nextToken";
var _nV = "nestedVirtualization";
var _oA = "outpostArn";
var _oI = "ownerId";
var _oTf = "offeringType";
var _ope = "operator";
var _p = "principal";
var _pBIG = "peakBandwidthInGbps";
var _pC = "productCodes";
var _pCr = "productCode";
var _pDNO = "privateDnsNameOptions";
var _pDNr = "privateDnsName";
var _pDNu = "publicDnsName";
var _pDl = "platformDetails";
var _pDr = "productDescription";
var _pGI = "placementGroupInfo";
var _pI = "publicIp";
var _pIAS = "privateIpAddressesSet";
var _pIASr = "privateIpAddressSet";
var _pIAr = "privateIpAddress";
var _pIr = "processorInfo";
var _pN = "partitionNumber";
var _pSPN = "publicSsmParameterName";
var _pSh = "phcSupport";
var _pSr = "previousState";
var _pl = "platform";
var _pla = "placement";
var _prim = "primary";
var _q = "quantity";
var _rDN = "rootDeviceName";
var _rDT = "rootDeviceType";
var _rI = "reservationId";
var _rIa = "ramdiskId";
var _rIeq = "requesterId";
var _rIes = "resourceId";
var _rMS = "rebootMigrationSupport";
var _rMe = "rebootMigration";
var _rSes = "reservationSet";
var _rTe = "resourceType";
var _re = "reason";
var _s = "smithy.ts.sdk.synthetic.com.amazonaws.ec2";
var _sAu = "supportedArchitectures";
var _sBM = "supportedBootModes";
var _sCSIG = "sustainedClockSpeedInGhz";
var _sDC = "sourceDestCheck";
var _sDp = "spreadDomain";
var _sF = "supportedFeatures";
var _sICT = "sourceImageCreationTime";
var _sIGB = "sizeInGB";
var _sII = "sourceInstanceId";
var _sIIe = "secondaryInterfaceId";
var _sIIo = "sourceImageId";
var _sIMB = "sizeInMiB";
var _sIR = "sourceImageRegion";
var _sIRI = "spotInstanceRequestId";
var _sIRu = "supportedInRegion";
var _sISe = "secondaryInterfaceSet";
var _sITS = "supportedInstanceTypeSet";
var _sIn = "snapshotId";
var _sIu = "subnetId";
var _sNI = "secondaryNetworkId";
var _sNSec = "secondaryNetworkSupported";
var _sNSr = "sriovNetSupport";
var _sPHS = "spotPriceHistorySet";
var _sPIAC = "secondaryPrivateIpAddressCount";
var _sPp = "spotPrice";
var _sRDT = "supportedRootDeviceTypes";
var _sRc = "scanResults";
var _sRt = "stateReason";
var _sSI = "secondarySubnetId";
var _sSup = "supportedStrategies";
var _sTt = "startTime";
var _sUC = "supportedUsageClasses";
var _sVT = "supportedVirtualizationTypes";
var _sVu = "supportedVersions";
var _st = "state";
var _sta = "status";
var _tET = "tcpEstablishedTimeout";
var _tFMIMB = "totalFpgaMemoryInMiB";
var _tGMIMB = "totalGpuMemoryInMiB";
var _tIMIMB = "totalInferenceMemoryInMiB";
var _tMMIMB = "totalMediaMemoryInMiB";
var _tNDMIMB = "totalNeuronDeviceMemoryInMiB";
var _tPC = "threadsPerCore";
var _tS = "tagSet";
var _tSIGB = "totalSizeInGB";
var _tSp = "tpmSupport";
var _ta = "tag";
var _te = "tenancy";
var _th = "throughput";
var _ti = "timestamp";
var _ty = "type";
var _uITS = "unsupportedInstanceTypeSet";
var _uO = "usageOperation";
var _uOUT = "usageOperationUpdateTime";
var _uST = "udpStreamTimeout";
var _uTd = "udpTimeout";
var _v = "value";
var _vCIp = "vCpuInfo";
var _vCa = "validCores";
var _vI = "vpcId";
var _vIo = "volumeId";
var _vN = "virtualName";
var _vOI = "volumeOwnerId";
var _vSo = "volumeSize";
var _vT = "volumeType";
var _vTPC = "validThreadsPerCore";
var _vTi = "virtualizationType";
var _ve = "version";
var _wCT = "watermarkCreationTime";
var _wK = "watermarkKey";
var _wS = "workloadSet";
var n0 = "com.amazonaws.ec2";
var _s_registry = new TypeRegistry(_s);
var EC2ServiceException$ = [-3, _s, "EC2ServiceException", 0, [], []];
_s_registry.registerError(EC2ServiceException$, EC2ServiceException);
var errorTypeRegistries = [
  _s_registry
];
var RunInstancesUserData = [0, n0, _RIUD, 8, 0];
var AcceleratorCountRequest$ = [
  3,
  n0,
  _ACR,
  0,
  [_M, _Ma],
  [1, 1]
];
var AcceleratorTotalMemoryMiBRequest$ = [
  3,
  n0,
  _ATMMBR,
  0,
  [_M, _Ma],
  [1, 1]
];
var AllocateHostsRequest$ = [
  3,
  n0,
  _AHR,
  0,
  [_IF, _TS, _HR, _OA, _HM, _AIss, _AZI, _CO, _APu, _CT, _IT, _Q, _AZ],
  [0, [() => TagSpecificationList, { "xmlName": _TSa }], 0, 0, 0, [64 | 0, { "xmlName": _AIsse }], 0, () => HostCpuOptionsRequest$, [0, {
    "ec2QueryName": `AutoPlacement`,
    "xmlName": _aP
  }], [0, {
    "ec2QueryName": `ClientToken`,
    "xmlName": _cT
  }], [0, {
    "ec2QueryName": `InstanceType`,
    "xmlName": _iT
  }], [1, {
    "ec2QueryName": `Quantity`,
    "xmlName": _q
  }], [0, {
    "ec2QueryName": `AvailabilityZone`,
    "xmlName": _aZ
  }]]
];
var BaselineEbsBandwidthMbpsRequest$ = [
  3,
  n0,
  _BEBMR,
  0,
  [_M, _Ma],
  [1, 1]
];
var BaselinePerformanceFactorsRequest$ = [
  3,
  n0,
  _BPFR,
  0,
  [_Cp],
  [[() => CpuPerformanceFactorRequest$, 0]]
];
var BlockDeviceMapping$ = [
  3,
  n0,
  _BDM,
  0,
  [_Eb, _ND, _DN, _VN],
  [[() => EbsBlockDevice$, {
    "ec2QueryName": `Ebs`,
    "xmlName": _eb
  }], [0, {
    "ec2QueryName": `NoDevice`,
    "xmlName": _nD
  }], [0, {
    "ec2QueryName": `DeviceName`,
    "xmlName": _dN
  }], [0, {
    "ec2QueryName": `VirtualName`,
    "xmlName": _vN
  }]]
];
var CapacityReservationSpecification$ = [
  3,
  n0,
  _CRSa,
  0,
  [_CRP, _CRT],
  [0, () => CapacityReservationTarget$]
];
var CapacityReservationSpecificationResponse$ = [
  3,
  n0,
  _CRSR,
  0,
  [_CRP, _CRT],
  [[0, {
    "ec2QueryName": `CapacityReservationPreference`,
    "xmlName": _cRP
  }], [() => CapacityReservationTargetResponse$, {
    "ec2QueryName": `CapacityReservationTarget`,
    "xmlName": _cRT
  }]]
];
var CapacityReservationTarget$ = [
  3,
  n0,
  _CRT,
  0,
  [_CRI, _CRRGA],
  [0, 0]
];
var CapacityReservationTargetResponse$ = [
  3,
  n0,
  _CRTR,
  0,
  [_CRI, _CRRGA],
  [[0, {
    "ec2QueryName": `CapacityReservationId`,
    "xmlName": _cRI
  }], [0, {
    "ec2QueryName": `CapacityReservationResourceGroupArn`,
    "xmlName": _cRRGA
  }]]
];
var ConnectionTrackingSpecificationRequest$ = [
  3,
  n0,
  _CTSR,
  0,
  [_TET, _UST, _UTd],
  [1, 1, 1]
];
var ConnectionTrackingSpecificationResponse$ = [
  3,
  n0,
  _CTSRo,
  0,
  [_TET, _UST, _UTd],
  [[1, {
    "ec2QueryName": `TcpEstablishedTimeout`,
    "xmlName": _tET
  }], [1, {
    "ec2QueryName": `UdpStreamTimeout`,
    "xmlName": _uST
  }], [1, {
    "ec2QueryName": `UdpTimeout`,
    "xmlName": _uTd
  }]]
];
var CpuOptions$ = [
  3,
  n0,
  _CO,
  0,
  [_CCor, _TPC, _ASSm, _NV],
  [[1, {
    "ec2QueryName": `CoreCount`,
    "xmlName": _cCo
  }], [1, {
    "ec2QueryName": `ThreadsPerCore`,
    "xmlName": _tPC
  }], [0, {
    "ec2QueryName": `AmdSevSnp`,
    "xmlName": _aSS
  }], [0, {
    "ec2QueryName": `NestedVirtualization`,
    "xmlName": _nV
  }]]
];
var CpuOptionsRequest$ = [
  3,
  n0,
  _COR,
  0,
  [_CCor, _TPC, _ASSm, _NV],
  [1, 1, 0, 0]
];
var CpuPerformanceFactorRequest$ = [
  3,
  n0,
  _CPFR,
  0,
  [_Ref],
  [[() => PerformanceFactorReferenceSetRequest, { "xmlName": _Refe }]]
];
var CreateTagsRequest$ = [
  3,
  n0,
  _CTR,
  0,
  [_Res, _T, _DR],
  [[64 | 0, { "xmlName": _RIeso }], [() => TagList, { "xmlName": _Ta }], [2, {
    "ec2QueryName": `DryRun`,
    "xmlName": _dR
  }]],
  2
];
var CreateTransitGatewayMeteringPolicyRequest$ = [
  3,
  n0,
  _CTGMPR,
  0,
  [_TGI, _MAIi, _TS, _DR],
  [0, [64 | 0, { "xmlName": _MAIid }], [() => TagSpecificationList, 0], 2],
  1
];
var CreditSpecificationRequest$ = [
  3,
  n0,
  _CSRred,
  0,
  [_CCp],
  [0],
  1
];
var DefaultConnectionTrackingConfiguration$ = [
  3,
  n0,
  _DCTC,
  0,
  [_DTET, _DUT, _DUST],
  [[1, {
    "ec2QueryName": `DefaultTcpEstablishedTimeout`,
    "xmlName": _dTET
  }], [1, {
    "ec2QueryName": `DefaultUdpTimeout`,
    "xmlName": _dUT
  }], [1, {
    "ec2QueryName": `DefaultUdpStreamTimeout`,
    "xmlName": _dUST
  }]]
];
var DeleteFleetsRequest$ = [
  3,
  n0,
  _DFR,
  0,
  [_FIle, _TI, _DR],
  [[64 | 0, { "xmlName": _FIl }], 2, 2],
  2
];
var DeleteTagsRequest$ = [
  3,
  n0,
  _DTR,
  0,
  [_Res, _DR, _T],
  [[64 | 0, {
    "ec2QueryName": `ResourceId`,
    "xmlName": _rIes
  }], [2, {
    "ec2QueryName": `DryRun`,
    "xmlName": _dR
  }], [() => TagList, {
    "ec2QueryName": `Tag`,
    "xmlName": _ta
  }]],
  1
];
var DescribeCarrierGatewaysRequest$ = [
  3,
  n0,
  _DCGRes,
  0,
  [_CGIa, _Fi, _MR, _NTe, _DR],
  [[64 | 0, { "xmlName": _CGI }], [() => FilterList, { "xmlName": _Fil }], 1, 0, 2]
];
var DescribeFleetsRequest$ = [
  3,
  n0,
  _DFRes,
  0,
  [_DR, _MR, _NTe, _FIle, _Fi],
  [2, 1, 0, [64 | 0, { "xmlName": _FIl }], [() => FilterList, { "xmlName": _Fil }]]
];
var DescribeImageReferencesRequest$ = [
  3,
  n0,
  _DIRR,
  0,
  [_IIma, _IART, _RTes, _NTe, _DR, _MR],
  [[64 | 0, { "xmlName": _IIm }], 2, [() => ResourceTypeRequestList, { "xmlName": _RTe }], 0, 2, 1],
  1
];
var DescribeImagesRequest$ = [
  3,
  n0,
  _DIRes,
  0,
  [_EU, _IIma, _Ow, _ID, _IDn, _MR, _NTe, _DR, _Fi],
  [[() => ExecutableByStringList, { "xmlName": _EBx }], [() => ImageIdStringList, { "xmlName": _IIm }], [() => OwnerStringList, { "xmlName": _Own }], 2, 2, 1, 0, [2, {
    "ec2QueryName": `DryRun`,
    "xmlName": _dR
  }], [() => FilterList, { "xmlName": _Fil }]]
];
var DescribeImagesResult$ = [
  3,
  n0,
  _DIResc,
  0,
  [_NTe, _Im],
  [[0, {
    "ec2QueryName": `NextToken`,
    "xmlName": _nTe
  }], [() => ImageList, {
    "ec2QueryName": `ImagesSet`,
    "xmlName": _iSma
  }]]
];
var DescribeImageUsageReportEntriesRequest$ = [
  3,
  n0,
  _DIURER,
  0,
  [_IIma, _RIep, _NTe, _Fi, _DR, _MR],
  [[64 | 0, { "xmlName": _IIm }], [64 | 0, { "xmlName": _RI }], 0, [() => FilterList, { "xmlName": _Fil }], 2, 1]
];
var DescribeImageUsageReportsRequest$ = [
  3,
  n0,
  _DIURRes,
  0,
  [_IIma, _RIep, _NTe, _Fi, _DR, _MR],
  [[64 | 0, { "xmlName": _IIm }], [64 | 0, { "xmlName": _RI }], 0, [() => FilterList, { "xmlName": _Fil }], 2, 1]
];
var DescribeInstancesRequest$ = [
  3,
  n0,
  _DIRescr,
  0,
  [_IIn, _IMR, _DR, _Fi, _NTe, _MR],
  [[() => InstanceIdStringList, { "xmlName": _II }], 2, [2, {
    "ec2QueryName": `DryRun`,
    "xmlName": _dR
  }], [() => FilterList, { "xmlName": _Fil }], [0, {
    "ec2QueryName": `NextToken`,
    "xmlName": _nTe
  }], [1, {
    "ec2QueryName": `MaxResults`,
    "xmlName": _mR
  }]]
];
var DescribeInstancesResult$ = [
  3,
  n0,
  _DIRescri,
  0,
  [_NTe, _Rese],
  [[0, {
    "ec2QueryName": `NextToken`,
    "xmlName": _nTe
  }], [() => ReservationList, {
    "ec2QueryName": `ReservationSet`,
    "xmlName": _rSes
  }]]
];
var DescribeInstanceTopologyRequest$ = [
  3,
  n0,
  _DITR,
  0,
  [_DR, _NTe, _MR, _IIn, _GNr, _Fi],
  [2, 0, 1, [64 | 0, { "xmlName": _II }], [64 | 0, { "xmlName": _GN }], [() => FilterList, { "xmlName": _Fil }]]
];
var DescribeInstanceTypesRequest$ = [
  3,
  n0,
  _DITRes,
  0,
  [_DR, _ITnst, _Fi, _MR, _NTe, _IUIR],
  [2, [64 | 0, { "xmlName": _IT }], [() => FilterList, { "xmlName": _Fil }], 1, 0, 2]
];
var DescribeInstanceTypesResult$ = [
  3,
  n0,
  _DITResc,
  0,
  [_ITnst, _NTe],
  [[() => InstanceTypeInfoList, {
    "ec2QueryName": `InstanceTypeSet`,
    "xmlName": _iTS
  }], [0, {
    "ec2QueryName": `NextToken`,
    "xmlName": _nTe
  }]]
];
var DescribeNetworkInterfacePermissionsRequest$ = [
  3,
  n0,
  _DNIPRescr,
  0,
  [_NIPIetw, _Fi, _NTe, _MR],
  [[64 | 0, { "xmlName": _NIPIe }], [() => FilterList, { "xmlName": _Fil }], 0, 1]
];
var DescribePlacementGroupsRequest$ = [
  3,
  n0,
  _DPGRe,
  0,
  [_GIro, _DR, _GNr, _Fi],
  [[() => PlacementGroupIdStringList, { "xmlName": _GIr }], [2, {
    "ec2QueryName": `DryRun`,
    "xmlName": _dR
  }], [64 | 0, {
    "ec2QueryName": `GroupName`,
    "xmlName": _gN
  }], [() => FilterList, { "xmlName": _Fil }]]
];
var DescribeReservedInstancesOfferingsRequest$ = [
  3,
  n0,
  _DRIOR,
  0,
  [_AZ, _IM, _IT, _MD, _MIC, _MDi, _OC, _PDr, _RIOI, _AZI, _DR, _Fi, _ITns, _OTf, _NTe, _MR],
  [0, 2, 0, 1, 1, 1, 0, 0, [64 | 0, { "xmlName": _RIOIe }], 0, [2, {
    "ec2QueryName": `DryRun`,
    "xmlName": _dR
  }], [() => FilterList, { "xmlName": _Fil }], [0, {
    "ec2QueryName": `InstanceTenancy`,
    "xmlName": _iTns
  }], [0, {
    "ec2QueryName": `OfferingType`,
    "xmlName": _oTf
  }], [0, {
    "ec2QueryName": `NextToken`,
    "xmlName": _nTe
  }], [1, {
    "ec2QueryName": `MaxResults`,
    "xmlName": _mR
  }]]
];
var DescribeRouteServerEndpointsRequest$ = [
  3,
  n0,
  _DRSERes,
  0,
  [_RSEIo, _NTe, _MR, _Fi, _DR],
  [[64 | 0, { "xmlName": _RSEI }], 0, 1, [() => FilterList, { "xmlName": _Fil }], 2]
];
var DescribeRouteServerPeersRequest$ = [
  3,
  n0,
  _DRSPRes,
  0,
  [_RSPIo, _NTe, _MR, _Fi, _DR],
  [[64 | 0, { "xmlName": _RSPI }], 0, 1, [() => FilterList, { "xmlName": _Fil }], 2]
];
var DescribeRouteServersRequest$ = [
  3,
  n0,
  _DRSRes,
  0,
  [_RSIo, _NTe, _MR, _Fi, _DR],
  [[64 | 0, { "xmlName": _RSI }], 0, 1, [() => FilterList, { "xmlName": _Fil }], 2]
];
var DescribeSnapshotsRequest$ = [
  3,
  n0,
  _DSRes,
  0,
  [_MR, _NTe, _OIw, _RBUI, _SIna, _DR, _Fi],
  [1, 0, [() => OwnerStringList, { "xmlName": _Own }], [64 | 0, { "xmlName": _RBe }], [() => SnapshotIdStringList, { "xmlName": _SIn }], [2, {
    "ec2QueryName": `DryRun`,
    "xmlName": _dR
  }], [() => FilterList, { "xmlName": _Fil }]]
];
var DescribeSpotPriceHistoryRequest$ = [
  3,
  n0,
  _DSPHR,
  0,
  [_AZI, _DR, _STt, _ETnd, _ITnst, _PDro, _Fi, _AZ, _MR, _NTe],
  [0, [2, {
    "ec2QueryName": `DryRun`,
    "xmlName": _dR
  }], [4, {
    "ec2QueryName": `StartTime`,
    "xmlName": _sTt
  }], [4, {
    "ec2QueryName": `EndTime`,
    "xmlName": _eTn
  }], [64 | 0, { "xmlName": _IT }], [64 | 0, { "xmlName": _PDr }], [() => FilterList, { "xmlName": _Fil }], [0, {
    "ec2QueryName": `AvailabilityZone`,
    "xmlName": _aZ
  }], [1, {
    "ec2QueryName": `MaxResults`,
    "xmlName": _mR
  }], [0, {
    "ec2QueryName": `NextToken`,
    "xmlName": _nTe
  }]]
];
var DescribeSpotPriceHistoryResult$ = [
  3,
  n0,
  _DSPHRe,
  0,
  [_NTe, _SPH],
  [[0, {
    "ec2QueryName": `NextToken`,
    "xmlName": _nTe
  }], [() => SpotPriceHistoryList, {
    "ec2QueryName": `SpotPriceHistorySet`,
    "xmlName": _sPHS
  }]]
];
var DescribeTransitGatewayAttachmentsRequest$ = [
  3,
  n0,
  _DTGAR,
  0,
  [_TGAIr, _Fi, _MR, _NTe, _DR],
  [64 | 0, [() => FilterList, { "xmlName": _Fil }], 1, 0, 2]
];
var DescribeTransitGatewayConnectsRequest$ = [
  3,
  n0,
  _DTGCRes,
  0,
  [_TGAIr, _Fi, _MR, _NTe, _DR],
  [64 | 0, [() => FilterList, { "xmlName": _Fil }], 1, 0, 2]
];
var DescribeTransitGatewayPeeringAttachmentsRequest$ = [
  3,
  n0,
  _DTGPARes,
  0,
  [_TGAIr, _Fi, _MR, _NTe, _DR],
  [64 | 0, [() => FilterList, { "xmlName": _Fil }], 1, 0, 2]
];
var DescribeTransitGatewayVpcAttachmentsRequest$ = [
  3,
  n0,
  _DTGVARes,
  0,
  [_TGAIr, _Fi, _MR, _NTe, _DR],
  [64 | 0, [() => FilterList, { "xmlName": _Fil }], 1, 0, 2]
];
var DiskInfo$ = [
  3,
  n0,
  _DIisk,
  0,
  [_SIGB, _Cou, _Ty],
  [[1, {
    "ec2QueryName": `SizeInGB`,
    "xmlName": _sIGB
  }], [1, {
    "ec2QueryName": `Count`,
    "xmlName": _cou
  }], [0, {
    "ec2QueryName": `Type`,
    "xmlName": _ty
  }]]
];
var EbsBlockDevice$ = [
  3,
  n0,
  _EBD,
  0,
  [_DOT, _Io, _SIn, _VSo, _VT, _KKI, _Th, _OA, _AZ, _Enc, _VIR, _AZI, _ECI],
  [[2, {
    "ec2QueryName": `DeleteOnTermination`,
    "xmlName": _dOT
  }], [1, {
    "ec2QueryName": `Iops`,
    "xmlName": _io
  }], [0, {
    "ec2QueryName": `SnapshotId`,
    "xmlName": _sIn
  }], [1, {
    "ec2QueryName": `VolumeSize`,
    "xmlName": _vSo
  }], [0, {
    "ec2QueryName": `VolumeType`,
    "xmlName": _vT
  }], [0, {
    "ec2QueryName": `KmsKeyId`,
    "xmlName": _kKI
  }], [1, {
    "ec2QueryName": `Throughput`,
    "xmlName": _th
  }], [0, {
    "ec2QueryName": `OutpostArn`,
    "xmlName": _oA
  }], [0, {
    "ec2QueryName": `AvailabilityZone`,
    "xmlName": _aZ
  }], [2, {
    "ec2QueryName": `Encrypted`,
    "xmlName": _enc
  }], 1, 0, 1]
];
var EbsCardInfo$ = [
  3,
  n0,
  _ECIb,
  0,
  [_ECI, _BBIM, _BTIMB, _BIa, _MBIM, _MTIMB, _MI],
  [[1, {
    "ec2QueryName": `EbsCardIndex`,
    "xmlName": _eCI
  }], [1, {
    "ec2QueryName": `BaselineBandwidthInMbps`,
    "xmlName": _bBIM
  }], [1, {
    "ec2QueryName": `BaselineThroughputInMBps`,
    "xmlName": _bTIMB
  }], [1, {
    "ec2QueryName": `BaselineIops`,
    "xmlName": _bIa
  }], [1, {
    "ec2QueryName": `MaximumBandwidthInMbps`,
    "xmlName": _mBIM
  }], [1, {
    "ec2QueryName": `MaximumThroughputInMBps`,
    "xmlName": _mTIMB
  }], [1, {
    "ec2QueryName": `MaximumIops`,
    "xmlName": _mI
  }]]
];
var EbsInfo$ = [
  3,
  n0,
  _EIb,
  0,
  [_EOS, _ESn, _EOI, _NS, _MEA, _ALT, _MEC, _ECb],
  [[0, {
    "ec2QueryName": `EbsOptimizedSupport`,
    "xmlName": _eOS
  }], [0, {
    "ec2QueryName": `EncryptionSupport`,
    "xmlName": _eSn
  }], [() => EbsOptimizedInfo$, {
    "ec2QueryName": `EbsOptimizedInfo`,
    "xmlName": _eOI
  }], [0, {
    "ec2QueryName": `NvmeSupport`,
    "xmlName": _nS
  }], [1, {
    "ec2QueryName": `MaximumEbsAttachments`,
    "xmlName": _mEA
  }], [0, {
    "ec2QueryName": `AttachmentLimitType`,
    "xmlName": _aLT
  }], [1, {
    "ec2QueryName": `MaximumEbsCards`,
    "xmlName": _mEC
  }], [() => EbsCardInfoList, {
    "ec2QueryName": `EbsCardSet`,
    "xmlName": _eCS
  }]]
];
var EbsInstanceBlockDevice$ = [
  3,
  n0,
  _EIBD,
  0,
  [_ATtt, _DOT, _Sta, _VIo, _ARss, _VOI, _Op, _ECI],
  [[4, {
    "ec2QueryName": `AttachTime`,
    "xmlName": _aTt
  }], [2, {
    "ec2QueryName": `DeleteOnTermination`,
    "xmlName": _dOT
  }], [0, {
    "ec2QueryName": `Status`,
    "xmlName": _sta
  }], [0, {
    "ec2QueryName": `VolumeId`,
    "xmlName": _vIo
  }], [0, {
    "ec2QueryName": `AssociatedResource`,
    "xmlName": _aRs
  }], [0, {
    "ec2QueryName": `VolumeOwnerId`,
    "xmlName": _vOI
  }], [() => OperatorResponse$, {
    "ec2QueryName": `Operator`,
    "xmlName": _ope
  }], [1, {
    "ec2QueryName": `EbsCardIndex`,
    "xmlName": _eCI
  }]]
];
var EbsOptimizedInfo$ = [
  3,
  n0,
  _EOI,
  0,
  [_BBIM, _BTIMB, _BIa, _MBIM, _MTIMB, _MI],
  [[1, {
    "ec2QueryName": `BaselineBandwidthInMbps`,
    "xmlName": _bBIM
  }], [1, {
    "ec2QueryName": `BaselineThroughputInMBps`,
    "xmlName": _bTIMB
  }], [1, {
    "ec2QueryName": `BaselineIops`,
    "xmlName": _bIa
  }], [1, {
    "ec2QueryName": `MaximumBandwidthInMbps`,
    "xmlName": _mBIM
  }], [1, {
    "ec2QueryName": `MaximumThroughputInMBps`,
    "xmlName": _mTIMB
  }], [1, {
    "ec2QueryName": `MaximumIops`,
    "xmlName": _mI
  }]]
];
var EfaInfo$ = [
  3,
  n0,
  _EIf,
  0,
  [_MEI],
  [[1, {
    "ec2QueryName": `MaximumEfaInterfaces`,
    "xmlName": _mEI
  }]]
];
var ElasticGpuAssociation$ = [
  3,
  n0,
  _EGA,
  0,
  [_EGIl, _EGAI, _EGAS, _EGAT],
  [[0, {
    "ec2QueryName": `ElasticGpuId`,
    "xmlName": _eGI
  }], [0, {
    "ec2QueryName": `ElasticGpuAssociationId`,
    "xmlName": _eGAI
  }], [0, {
    "ec2QueryName": `ElasticGpuAssociationState`,
    "xmlName": _eGAS
  }], [0, {
    "ec2QueryName": `ElasticGpuAssociationTime`,
    "xmlName": _eGAT
  }]]
];
var ElasticGpuSpecification$ = [
  3,
  n0,
  _EGSla,
  0,
  [_Ty],
  [0],
  1
];
var ElasticInferenceAccelerator$ = [
  3,
  n0,
  _EIA,
  0,
  [_Ty, _Cou],
  [0, 1],
  1
];
var ElasticInferenceAcceleratorAssociation$ = [
  3,
  n0,
  _EIAA,
  0,
  [_EIAAl, _EIAAI, _EIAAS, _EIAAT],
  [[0, {
    "ec2QueryName": `ElasticInferenceAcceleratorArn`,
    "xmlName": _eIAA
  }], [0, {
    "ec2QueryName": `ElasticInferenceAcceleratorAssociationId`,
    "xmlName": _eIAAI
  }], [0, {
    "ec2QueryName": `ElasticInferenceAcceleratorAssociationState`,
    "xmlName": _eIAAS
  }], [4, {
    "ec2QueryName": `ElasticInferenceAcceleratorAssociationTime`,
    "xmlName": _eIAAT
  }]]
];
var EnaSrdSpecificationRequest$ = [
  3,
  n0,
  _ESSR,
  0,
  [_ESE, _ESUS],
  [2, () => EnaSrdUdpSpecificationRequest$]
];
var EnaSrdUdpSpecificationRequest$ = [
  3,
  n0,
  _ESUSR,
  0,
  [_ESUE],
  [2]
];
var EnclaveOptions$ = [
  3,
  n0,
  _EOn,
  0,
  [_En],
  [[2, {
    "ec2QueryName": `Enabled`,
    "xmlName": _en
  }]]
];
var EnclaveOptionsRequest$ = [
  3,
  n0,
  _EOR,
  0,
  [_En],
  [2]
];
var Filter$ = [
  3,
  n0,
  _Fil,
  0,
  [_N, _Va],
  [0, [() => ValueStringList, { "xmlName": _V }]]
];
var FpgaDeviceInfo$ = [
  3,
  n0,
  _FDI,
  0,
  [_N, _Man, _Cou, _MIe],
  [[0, {
    "ec2QueryName": `Name`,
    "xmlName": _n
  }], [0, {
    "ec2QueryName": `Manufacturer`,
    "xmlName": _man
  }], [1, {
    "ec2QueryName": `Count`,
    "xmlName": _cou
  }], [() => FpgaDeviceMemoryInfo$, {
    "ec2QueryName": `MemoryInfo`,
    "xmlName": _mIe
  }]]
];
var FpgaDeviceMemoryInfo$ = [
  3,
  n0,
  _FDMI,
  0,
  [_SIMB],
  [[1, {
    "ec2QueryName": `SizeInMiB`,
    "xmlName": _sIMB
  }]]
];
var FpgaInfo$ = [
  3,
  n0,
  _FIpga,
  0,
  [_Fp, _TFMIMB],
  [[() => FpgaDeviceInfoList, {
    "ec2QueryName": `Fpgas`,
    "xmlName": _fp
  }], [1, {
    "ec2QueryName": `TotalFpgaMemoryInMiB`,
    "xmlName": _tFMIMB
  }]]
];
var GetSpotPlacementScoresRequest$ = [
  3,
  n0,
  _GSPSR,
  0,
  [_TCar, _ITnst, _TCUT, _SAZ, _RNe, _IRWM, _DR, _MR, _NTe, _ILZ],
  [1, [64 | 0, { "xmlName": _IT }], 0, 2, [64 | 0, { "xmlName": _RN }], [() => InstanceRequirementsWithMetadataRequest$, 0], 2, 1, 0, 2],
  1
];
var GpuDeviceInfo$ = [
  3,
  n0,
  _GDI,
  0,
  [_N, _Man, _Cou, _LGC, _GPS, _Wo, _MIe],
  [[0, {
    "ec2QueryName": `Name`,
    "xmlName": _n
  }], [0, {
    "ec2QueryName": `Manufacturer`,
    "xmlName": _man
  }], [1, {
    "ec2QueryName": `Count`,
    "xmlName": _cou
  }], [1, {
    "ec2QueryName": `LogicalGpuCount`,
    "xmlName": _lGC
  }], [1, {
    "ec2QueryName": `GpuPartitionSize`,
    "xmlName": _gPS
  }], [() => WorkloadsList, {
    "ec2QueryName": `WorkloadSet`,
    "xmlName": _wS
  }], [() => GpuDeviceMemoryInfo$, {
    "ec2QueryName": `MemoryInfo`,
    "xmlName": _mIe
  }]]
];
var GpuDeviceMemoryInfo$ = [
  3,
  n0,
  _GDMI,
  0,
  [_SIMB],
  [[1, {
    "ec2QueryName": `SizeInMiB`,
    "xmlName": _sIMB
  }]]
];
var GpuInfo$ = [
  3,
  n0,
  _GIp,
  0,
  [_Gp, _TGMIMB],
  [[() => GpuDeviceInfoList, {
    "ec2QueryName": `Gpus`,
    "xmlName": _gp
  }], [1, {
    "ec2QueryName": `TotalGpuMemoryInMiB`,
    "xmlName": _tGMIMB
  }]]
];
var GroupIdentifier$ = [
  3,
  n0,
  _GIrou,
  0,
  [_GIr, _GN],
  [[0, {
    "ec2QueryName": `GroupId`,
    "xmlName": _gIr
  }], [0, {
    "ec2QueryName": `GroupName`,
    "xmlName": _gN
  }]]
];
var HibernationOptions$ = [
  3,
  n0,
  _HO,
  0,
  [_Conf],
  [[2, {
    "ec2QueryName": `Configured`,
    "xmlName": _conf
  }]]
];
var HibernationOptionsRequest$ = [
  3,
  n0,
  _HOR,
  0,
  [_Conf],
  [2]
];
var HostCpuOptionsRequest$ = [
  3,
  n0,
  _HCOR,
  0,
  [_ASSm],
  [0]
];
var IamInstanceProfile$ = [
  3,
  n0,
  _IIP,
  0,
  [_Ar, _I],
  [[0, {
    "ec2QueryName": `Arn`,
    "xmlName": _ar
  }], [0, {
    "ec2QueryName": `Id`,
    "xmlName": _i
  }]]
];
var IamInstanceProfileSpecification$ = [
  3,
  n0,
  _IIPS,
  0,
  [_Ar, _N],
  [[0, {
    "ec2QueryName": `Arn`,
    "xmlName": _ar
  }], [0, {
    "ec2QueryName": `Name`,
    "xmlName": _n
  }]]
];
var Image$ = [
  3,
  n0,
  _Ima,
  0,
  [_PDl, _UO, _BDMl, _De, _ESna, _Hy, _IOA, _N, _RDN, _RDT, _SNS, _SRt, _T, _VTir, _BM, _TSp, _DTe, _ISmd, _SIIo, _DPer, _LLT, _IAm, _SII, _SIRo, _FTE, _PSPN, _IW, _SRc, _ITSn, _IIm, _IL, _St, _OI, _CDr, _Pu, _PCro, _Arc, _ITm, _KI, _RIa, _Pl],
  [[0, {
    "ec2QueryName": `PlatformDetails`,
    "xmlName": _pDl
  }], [0, {
    "ec2QueryName": `UsageOperation`,
    "xmlName": _uO
  }], [() => BlockDeviceMappingList, {
    "ec2QueryName": `BlockDeviceMapping`,
    "xmlName": _bDM
  }], [0, {
    "ec2QueryName": `Description`,
    "xmlName": _de
  }], [2, {
    "ec2QueryName": `EnaSupport`,
    "xmlName": _eSna
  }], [0, {
    "ec2QueryName": `Hypervisor`,
    "xmlName": _h
  }], [0, {
    "ec2QueryName": `ImageOwnerAlias`,
    "xmlName": _iOA
  }], [0, {
    "ec2QueryName": `Name`,
    "xmlName": _n
  }], [0, {
    "ec2QueryName": `RootDeviceName`,
    "xmlName": _rDN
  }], [0, {
    "ec2QueryName": `RootDeviceType`,
    "xmlName": _rDT
  }], [0, {
    "ec2QueryName": `SriovNetSupport`,
    "xmlName": _sNSr
  }], [() => StateReason$, {
    "ec2QueryName": `StateReason`,
    "xmlName": _sRt
  }], [() => TagList, {
    "ec2QueryName": `TagSet`,
    "xmlName": _tS
  }], [0, {
    "ec2QueryName": `VirtualizationType`,
    "xmlName": _vTi
  }], [0, {
    "ec2QueryName": `BootMode`,
    "xmlName": _bM
  }], [0, {
    "ec2QueryName": `TpmSupport`,
    "xmlName": _tSp
  }], [0, {
    "ec2QueryName": `DeprecationTime`,
    "xmlName": _dTe
  }], [0, {
    "ec2QueryName": `ImdsSupport`,
    "xmlName": _iSmd
  }], [0, {
    "ec2QueryName": `SourceInstanceId`,
    "xmlName": _sII
  }], [0, {
    "ec2QueryName": `DeregistrationProtection`,
    "xmlName": _dPe
  }], [0, {
    "ec2QueryName": `LastLaunchedTime`,
    "xmlName": _lLT
  }], [2, {
    "ec2QueryName": `ImageAllowed`,
    "xmlName": _iAm
  }], [0, {
    "ec2QueryName": `SourceImageId`,
    "xmlName": _sIIo
  }], [0, {
    "ec2QueryName": `SourceImageRegion`,
    "xmlName": _sIR
  }], [2, {
    "ec2QueryName": `FreeTierEligible`,
    "xmlName": _fTE
  }], [0, {
    "ec2QueryName": `PublicSsmParameterName`,
    "xmlName": _pSPN
  }], [() => ImageWatermarkList, {
    "ec2QueryName": `ImageWatermarkSet`,
    "xmlName": _iWS
  }], [() => ScanResults$, {
    "ec2QueryName": `ScanResults`,
    "xmlName": _sRc
  }], [() => InstanceTypeSpecification$, {
    "ec2QueryName": `InstanceTypeSpecification`,
    "xmlName": _iTSn
  }], [0, {
    "ec2QueryName": `ImageId`,
    "xmlName": _iIma
  }], [0, {
    "ec2QueryName": `ImageLocation`,
    "xmlName": _iL
  }], [0, {
    "ec2QueryName": `ImageState`,
    "xmlName": _iSmag
  }], [0, {
    "ec2QueryName": `ImageOwnerId`,
    "xmlName": _iOI
  }], [0, {
    "ec2QueryName": `CreationDate`,
    "xmlName": _cDr
  }], [2, {
    "ec2QueryName": `IsPublic`,
    "xmlName": _iPs
  }], [() => ProductCodeList, {
    "ec2QueryName": `ProductCodes`,
    "xmlName": _pC
  }], [0, {
    "ec2QueryName": `Architecture`,
    "xmlName": _arc
  }], [0, {
    "ec2QueryName": `ImageType`,
    "xmlName": _iTm
  }], [0, {
    "ec2QueryName": `KernelId`,
    "xmlName": _kI
  }], [0, {
    "ec2QueryName": `RamdiskId`,
    "xmlName": _rIa
  }], [0, {
    "ec2QueryName": `Platform`,
    "xmlName": _pl
  }]]
];
var ImageWatermark$ = [
  3,
  n0,
  _IWm,
  0,
  [_WK, _SIRo, _SII, _SICT, _WCT],
  [[0, {
    "ec2QueryName": `WatermarkKey`,
    "xmlName": _wK
  }], [0, {
    "ec2QueryName": `SourceImageRegion`,
    "xmlName": _sIR
  }], [0, {
    "ec2QueryName": `SourceImageId`,
    "xmlName": _sIIo
  }], [4, {
    "ec2QueryName": `SourceImageCreationTime`,
    "xmlName": _sICT
  }], [4, {
    "ec2QueryName": `WatermarkCreationTime`,
    "xmlName": _wCT
  }]]
];
var InferenceAcceleratorInfo$ = [
  3,
  n0,
  _IAIn,
  0,
  [_Acc, _TIMIMB],
  [[() => InferenceDeviceInfoList, {
    "ec2QueryName": `Accelerators`,
    "xmlName": _acc
  }], [1, {
    "ec2QueryName": `TotalInferenceMemoryInMiB`,
    "xmlName": _tIMIMB
  }]]
];
var InferenceDeviceInfo$ = [
  3,
  n0,
  _IDI,
  0,
  [_Cou, _N, _Man, _MIe],
  [[1, {
    "ec2QueryName": `Count`,
    "xmlName": _cou
  }], [0, {
    "ec2QueryName": `Name`,
    "xmlName": _n
  }], [0, {
    "ec2QueryName": `Manufacturer`,
    "xmlName": _man
  }], [() => InferenceDeviceMemoryInfo$, {
    "ec2QueryName": `MemoryInfo`,
    "xmlName": _mIe
  }]]
];
var InferenceDeviceMemoryInfo$ = [
  3,
  n0,
  _IDMI,
  0,
  [_SIMB],
  [[1, {
    "ec2QueryName": `SizeInMiB`,
    "xmlName": _sIMB
  }]]
];
var Instance$ = [
  3,
  n0,
  _In,
  0,
  [_Arc, _BDMl, _CT, _EO, _ESna, _Hy, _IIP, _ILn, _EGAl, _EIAAla, _NIet, _OA, _RDN, _RDT, _SGe, _SDC, _SIRI, _SNS, _SRt, _T, _VTir, _CO, _CBI, _CRI, _CRSa, _HO, _Lic, _MO, _EOn, _BM, _PDl, _UO, _UOUT, _PDNO, _IApv, _TSp, _MOa, _CIBM, _NPO, _Op, _SIec, _II, _IIm, _St, _PDN, _PDNub, _STR, _KN, _ALI, _PCro, _IT, _LTau, _Pla, _KI, _RIa, _Pl, _Mon, _SIu, _VI, _PIAr, _PIAu],
  [[0, {
    "ec2QueryName": `Architecture`,
    "xmlName": _arc
  }], [() => InstanceBlockDeviceMappingList, {
    "ec2QueryName": `BlockDeviceMapping`,
    "xmlName": _bDM
  }], [0, {
    "ec2QueryName": `ClientToken`,
    "xmlName": _cT
  }], [2, {
    "ec2QueryName": `EbsOptimized`,
    "xmlName": _eO
  }], [2, {
    "ec2QueryName": `EnaSupport`,
    "xmlName": _eSna
  }], [0, {
    "ec2QueryName": `Hypervisor`,
    "xmlName": _h
  }], [() => IamInstanceProfile$, {
    "ec2QueryName": `IamInstanceProfile`,
    "xmlName": _iIP
  }], [0, {
    "ec2QueryName": `InstanceLifecycle`,
    "xmlName": _iLn
  }], [() => ElasticGpuAssociationList, {
    "ec2QueryName": `ElasticGpuAssociationSet`,
    "xmlName": _eGASl
  }], [() => ElasticInferenceAcceleratorAssociationList, {
    "ec2QueryName": `ElasticInferenceAcceleratorAssociationSet`,
    "xmlName": _eIAASl
  }], [() => InstanceNetworkInterfaceList, {
    "ec2QueryName": `NetworkInterfaceSet`,
    "xmlName": _nIS
  }], [0, {
    "ec2QueryName": `OutpostArn`,
    "xmlName": _oA
  }], [0, {
    "ec2QueryName": `RootDeviceName`,
    "xmlName": _rDN
  }], [0, {
    "ec2QueryName": `RootDeviceType`,
    "xmlName": _rDT
  }], [() => GroupIdentifierList, {
    "ec2QueryName": `GroupSet`,
    "xmlName": _gSr
  }], [2, {
    "ec2QueryName": `SourceDestCheck`,
    "xmlName": _sDC
  }], [0, {
    "ec2QueryName": `SpotInstanceRequestId`,
    "xmlName": _sIRI
  }], [0, {
    "ec2QueryName": `SriovNetSupport`,
    "xmlName": _sNSr
  }], [() => StateReason$, {
    "ec2QueryName": `StateReason`,
    "xmlName": _sRt
  }], [() => TagList, {
    "ec2QueryName": `TagSet`,
    "xmlName": _tS
  }], [0, {
    "ec2QueryName": `VirtualizationType`,
    "xmlName": _vTi
  }], [() => CpuOptions$, {
    "ec2QueryName": `CpuOptions`,
    "xmlName": _cO
  }], [0, {
    "ec2QueryName": `CapacityBlockId`,
    "xmlName": _cBI
  }], [0, {
    "ec2QueryName": `CapacityReservationId`,
    "xmlName": _cRI
  }], [() => CapacityReservationSpecificationResponse$, {
    "ec2QueryName": `CapacityReservationSpecification`,
    "xmlName": _cRSa
  }], [() => HibernationOptions$, {
    "ec2QueryName": `HibernationOptions`,
    "xmlName": _hO
  }], [() => LicenseList, {
    "ec2QueryName": `LicenseSet`,
    "xmlName": _lSic
  }], [() => InstanceMetadataOptionsResponse$, {
    "ec2QueryName": `MetadataOptions`,
    "xmlName": _mO
  }], [() => EnclaveOptions$, {
    "ec2QueryName": `EnclaveOptions`,
    "xmlName": _eOn
  }], [0, {
    "ec2QueryName": `BootMode`,
    "xmlName": _bM
  }], [0, {
    "ec2QueryName": `PlatformDetails`,
    "xmlName": _pDl
  }], [0, {
    "ec2QueryName": `UsageOperation`,
    "xmlName": _uO
  }], [4, {
    "ec2QueryName": `UsageOperationUpdateTime`,
    "xmlName": _uOUT
  }], [() => PrivateDnsNameOptionsResponse$, {
    "ec2QueryName": `PrivateDnsNameOptions`,
    "xmlName": _pDNO
  }], [0, {
    "ec2QueryName": `Ipv6Address`,
    "xmlName": _iApv
  }], [0, {
    "ec2QueryName": `TpmSupport`,
    "xmlName": _tSp
  }], [() => InstanceMaintenanceOptions$, {
    "ec2QueryName": `MaintenanceOptions`,
    "xmlName": _mOa
  }], [0, {
    "ec2QueryName": `CurrentInstanceBootMode`,
    "xmlName": _cIBM
  }], [() => InstanceNetworkPerformanceOptions$, {
    "ec2QueryName": `NetworkPerformanceOptions`,
    "xmlName": _nPO
  }], [() => OperatorResponse$, {
    "ec2QueryName": `Operator`,
    "xmlName": _ope
  }], [() => InstanceSecondaryInterfaceList, {
    "ec2QueryName": `SecondaryInterfaceSet`,
    "xmlName": _sISe
  }], [0, {
    "ec2QueryName": `InstanceId`,
    "xmlName": _iI
  }], [0, {
    "ec2QueryName": `ImageId`,
    "xmlName": _iIma
  }], [() => InstanceState$, {
    "ec2QueryName": `InstanceState`,
    "xmlName": _iSnst
  }], [0, {
    "ec2QueryName": `PrivateDnsName`,
    "xmlName": _pDNr
  }], [0, {
    "ec2QueryName": `DnsName`,
    "xmlName": _dNn
  }], [0, {
    "ec2QueryName": `Reason`,
    "xmlName": _re
  }], [0, {
    "ec2QueryName": `KeyName`,
    "xmlName": _kN
  }], [1, {
    "ec2QueryName": `AmiLaunchIndex`,
    "xmlName": _aLI
  }], [() => ProductCodeList, {
    "ec2QueryName": `ProductCodes`,
    "xmlName": _pC
  }], [0, {
    "ec2QueryName": `InstanceType`,
    "xmlName": _iT
  }], [4, {
    "ec2QueryName": `LaunchTime`,
    "xmlName": _lTau
  }], [() => Placement$, {
    "ec2QueryName": `Placement`,
    "xmlName": _pla
  }], [0, {
    "ec2QueryName": `KernelId`,
    "xmlName": _kI
  }], [0, {
    "ec2QueryName": `RamdiskId`,
    "xmlName": _rIa
  }], [0, {
    "ec2QueryName": `Platform`,
    "xmlName": _pl
  }], [() => Monitoring$, {
    "ec2QueryName": `Monitoring`,
    "xmlName": _mon
  }], [0, {
    "ec2QueryName": `SubnetId`,
    "xmlName": _sIu
  }], [0, {
    "ec2QueryName": `VpcId`,
    "xmlName": _vI
  }], [0, {
    "ec2QueryName": `PrivateIpAddress`,
    "xmlName": _pIAr
  }], [0, {
    "ec2QueryName": `IpAddress`,
    "xmlName": _iAp
  }]]
];
var InstanceAttachmentEnaSrdSpecification$ = [
  3,
  n0,
  _IAESS,
  0,
  [_ESE, _ESUS],
  [[2, {
    "ec2QueryName": `EnaSrdEnabled`,
    "xmlName": _eSE
  }], [() => InstanceAttachmentEnaSrdUdpSpecification$, {
    "ec2QueryName": `EnaSrdUdpSpecification`,
    "xmlName": _eSUS
  }]]
];
var InstanceAttachmentEnaSrdUdpSpecification$ = [
  3,
  n0,
  _IAESUS,
  0,
  [_ESUE],
  [[2, {
    "ec2QueryName": `EnaSrdUdpEnabled`,
    "xmlName": _eSUE
  }]]
];
var InstanceBlockDeviceMapping$ = [
  3,
  n0,
  _IBDM,
  0,
  [_DN, _Eb],
  [[0, {
    "ec2QueryName": `DeviceName`,
    "xmlName": _dN
  }], [() => EbsInstanceBlockDevice$, {
    "ec2QueryName": `Ebs`,
    "xmlName": _eb
  }]]
];
var InstanceIpv4Prefix$ = [
  3,
  n0,
  _IIPn,
  0,
  [_IPpvre],
  [[0, {
    "ec2QueryName": `Ipv4Prefix`,
    "xmlName": _iPpv
  }]]
];
var InstanceIpv6Address$ = [
  3,
  n0,
  _IIA,
  0,
  [_IApv, _IPIs],
  [[0, {
    "ec2QueryName": `Ipv6Address`,
    "xmlName": _iApv
  }], [2, {
    "ec2QueryName": `IsPrimaryIpv6`,
    "xmlName": _iPIs
  }]]
];
var InstanceIpv6Prefix$ = [
  3,
  n0,
  _IIPns,
  0,
  [_IPpv],
  [[0, {
    "ec2QueryName": `Ipv6Prefix`,
    "xmlName": _iPpvr
  }]]
];
var InstanceMaintenanceOptions$ = [
  3,
  n0,
  _IMO,
  0,
  [_ARuto, _RMe],
  [[0, {
    "ec2QueryName": `AutoRecovery`,
    "xmlName": _aRut
  }], [0, {
    "ec2QueryName": `RebootMigration`,
    "xmlName": _rMe
  }]]
];
var InstanceMaintenanceOptionsRequest$ = [
  3,
  n0,
  _IMOR,
  0,
  [_ARuto],
  [0]
];
var InstanceMarketOptionsRequest$ = [
  3,
  n0,
  _IMORn,
  0,
  [_MTa, _SO],
  [0, () => SpotMarketOptions$]
];
var InstanceMetadataOptionsRequest$ = [
  3,
  n0,
  _IMORns,
  0,
  [_HT, _HPRHL, _HE, _HPI, _IMT],
  [0, 1, 0, 0, 0]
];
var InstanceMetadataOptionsResponse$ = [
  3,
  n0,
  _IMORnst,
  0,
  [_St, _HT, _HPRHL, _HE, _HPI, _IMT],
  [[0, {
    "ec2QueryName": `State`,
    "xmlName": _st
  }], [0, {
    "ec2QueryName": `HttpTokens`,
    "xmlName": _hT
  }], [1, {
    "ec2QueryName": `HttpPutResponseHopLimit`,
    "xmlName": _hPRHL
  }], [0, {
    "ec2QueryName": `HttpEndpoint`,
    "xmlName": _hE
  }], [0, {
    "ec2QueryName": `HttpProtocolIpv6`,
    "xmlName": _hPI
  }], [0, {
    "ec2QueryName": `InstanceMetadataTags`,
    "xmlName": _iMT
  }]]
];
var InstanceNetworkInterface$ = [
  3,
  n0,
  _INI,
  0,
  [_Ass, _Att, _De, _G, _IA, _MAa, _NII, _OI, _PDN, _PIAr, _PIAri, _SDC, _Sta, _SIu, _VI, _ITnt, _IPpvr, _IPp, _CTC, _Op],
  [[() => InstanceNetworkInterfaceAssociation$, {
    "ec2QueryName": `Association`,
    "xmlName": _ass
  }], [() => InstanceNetworkInterfaceAttachment$, {
    "ec2QueryName": `Attachment`,
    "xmlName": _at
  }], [0, {
    "ec2QueryName": `Description`,
    "xmlName": _de
  }], [() => GroupIdentifierList, {
    "ec2QueryName": `GroupSet`,
    "xmlName": _gSr
  }], [() => InstanceIpv6AddressList, {
    "ec2QueryName": `Ipv6AddressesSet`,
    "xmlName": _iASp
  }], [0, {
    "ec2QueryName": `MacAddress`,
    "xmlName": _mAa
  }], [0, {
    "ec2QueryName": `NetworkInterfaceId`,
    "xmlName": _nII
  }], [0, {
    "ec2QueryName": `OwnerId`,
    "xmlName": _oI
  }], [0, {
    "ec2QueryName": `PrivateDnsName`,
    "xmlName": _pDNr
  }], [0, {
    "ec2QueryName": `PrivateIpAddress`,
    "xmlName": _pIAr
  }], [() => InstancePrivateIpAddressList, {
    "ec2QueryName": `PrivateIpAddressesSet`,
    "xmlName": _pIAS
  }], [2, {
    "ec2QueryName": `SourceDestCheck`,
    "xmlName": _sDC
  }], [0, {
    "ec2QueryName": `Status`,
    "xmlName": _sta
  }], [0, {
    "ec2QueryName": `SubnetId`,
    "xmlName": _sIu
  }], [0, {
    "ec2QueryName": `VpcId`,
    "xmlName": _vI
  }], [0, {
    "ec2QueryName": `InterfaceType`,
    "xmlName": _iTnt
  }], [() => InstanceIpv4PrefixList, {
    "ec2QueryName": `Ipv4PrefixSet`,
    "xmlName": _iPSpvr
  }], [() => InstanceIpv6PrefixList, {
    "ec2QueryName": `Ipv6PrefixSet`,
    "xmlName": _iPSpvre
  }], [() => ConnectionTrackingSpecificationResponse$, {
    "ec2QueryName": `ConnectionTrackingConfiguration`,
    "xmlName": _cTC
  }], [() => OperatorResponse$, {
    "ec2QueryName": `Operator`,
    "xmlName": _ope
  }]]
];
var InstanceNetworkInterfaceAssociation$ = [
  3,
  n0,
  _INIA,
  0,
  [_CI, _COI, _IOI, _PDNub, _PI],
  [[0, {
    "ec2QueryName": `CarrierIp`,
    "xmlName": _cI
  }], [0, {
    "ec2QueryName": `CustomerOwnedIp`,
    "xmlName": _cOI
  }], [0, {
    "ec2QueryName": `IpOwnerId`,
    "xmlName": _iOIp
  }], [0, {
    "ec2QueryName": `PublicDnsName`,
    "xmlName": _pDNu
  }], [0, {
    "ec2QueryName": `PublicIp`,
    "xmlName": _pI
  }]]
];
var InstanceNetworkInterfaceAttachment$ = [
  3,
  n0,
  _INIAn,
  0,
  [_ATtt, _AItt, _DOT, _DI, _Sta, _NCI, _ESS, _EQC],
  [[4, {
    "ec2QueryName": `AttachTime`,
    "xmlName": _aTt
  }], [0, {
    "ec2QueryName": `AttachmentId`,
    "xmlName": _aIt
  }], [2, {
    "ec2QueryName": `DeleteOnTermination`,
    "xmlName": _dOT
  }], [1, {
    "ec2QueryName": `DeviceIndex`,
    "xmlName": _dI
  }], [0, {
    "ec2QueryName": `Status`,
    "xmlName": _sta
  }], [1, {
    "ec2QueryName": `NetworkCardIndex`,
    "xmlName": _nCI
  }], [() => InstanceAttachmentEnaSrdSpecification$, {
    "ec2QueryName": `EnaSrdSpecification`,
    "xmlName": _eSS
  }], [1, {
    "ec2QueryName": `EnaQueueCount`,
    "xmlName": _eQC
  }]]
];
var InstanceNetworkInterfaceSpecification$ = [
  3,
  n0,
  _INIS,
  0,
  [_APIAss, _DOT, _De, _DI, _G, _IAC, _IA, _NII, _PIAr, _PIAri, _SPIAC, _SIu, _ACIA, _ITnt, _NCI, _IPpvr, _IPCp, _IPp, _IPC, _PIr, _ESS, _CTS, _EQC],
  [[2, {
    "ec2QueryName": `AssociatePublicIpAddress`,
    "xmlName": _aPIA
  }], [2, {
    "ec2QueryName": `DeleteOnTermination`,
    "xmlName": _dOT
  }], [0, {
    "ec2QueryName": `Description`,
    "xmlName": _de
  }], [1, {
    "ec2QueryName": `DeviceIndex`,
    "xmlName": _dI
  }], [() => SecurityGroupIdStringList, { "xmlName": _SGI }], [1, {
    "ec2QueryName": `Ipv6AddressCount`,
    "xmlName": _iAC
  }], [() => InstanceIpv6AddressList, {
    "ec2QueryName": `Ipv6Addresses`,
    "xmlName": _iASp
  }], [0, {
    "ec2QueryName": `NetworkInterfaceId`,
    "xmlName": _nII
  }], [0, {
    "ec2QueryName": `PrivateIpAddress`,
    "xmlName": _pIAr
  }], [() => PrivateIpAddressSpecificationList, {
    "ec2QueryName": `PrivateIpAddresses`,
    "xmlName": _pIAS
  }], [1, {
    "ec2QueryName": `SecondaryPrivateIpAddressCount`,
    "xmlName": _sPIAC
  }], [0, {
    "ec2QueryName": `SubnetId`,
    "xmlName": _sIu
  }], 2, 0, 1, [() => Ipv4PrefixList, { "xmlName": _IPpvre }], 1, [() => Ipv6PrefixList, { "xmlName": _IPpv }], 1, 2, () => EnaSrdSpecificationRequest$, () => ConnectionTrackingSpecificationRequest$, 1]
];
var InstanceNetworkPerformanceOptions$ = [
  3,
  n0,
  _INPO,
  0,
  [_BW],
  [[0, {
    "ec2QueryName": `BandwidthWeighting`,
    "xmlName": _bW
  }]]
];
var InstanceNetworkPerformanceOptionsRequest$ = [
  3,
  n0,
  _INPOR,
  0,
  [_BW],
  [0]
];
var InstancePrivateIpAddress$ = [
  3,
  n0,
  _IPIA,
  0,
  [_Ass, _Prim, _PDN, _PIAr],
  [[() => InstanceNetworkInterfaceAssociation$, {
    "ec2QueryName": `Association`,
    "xmlName": _ass
  }], [2, {
    "ec2QueryName": `Primary`,
    "xmlName": _prim
  }], [0, {
    "ec2QueryName": `PrivateDnsName`,
    "xmlName": _pDNr
  }], [0, {
    "ec2QueryName": `PrivateIpAddress`,
    "xmlName": _pIAr
  }]]
];
var InstanceRequirementsRequest$ = [
  3,
  n0,
  _IRR,
  0,
  [_VCC, _MMB, _CM, _MGBPVC, _EITxc, _IGns, _SMPPOLP, _ODMPPOLP, _BMa, _BP, _RHS, _NIC, _LSo, _LST, _TLSGB, _BEBM, _ATc, _AC, _AMc, _ANcc, _ATMMB, _NBGe, _AIT, _MSPAPOOODP, _BPF, _REIT],
  [() => VCpuCountRangeRequest$, () => MemoryMiBRequest$, [() => CpuManufacturerSet, { "xmlName": _CMp }], () => MemoryGiBPerVCpuRequest$, [() => ExcludedInstanceTypeSet, { "xmlName": _EITxcl }], [() => InstanceGenerationSet, { "xmlName": _IGnst }], 1, 1, 0, 0, 2, () => NetworkInterfaceCountRequest$, 0, [() => LocalStorageTypeSet, { "xmlName": _LSTo }], () => TotalLocalStorageGBRequest$, () => BaselineEbsBandwidthMbpsRequest$, [() => AcceleratorTypeSet, { "xmlName": _ATcc }], () => AcceleratorCountRequest$, [() => AcceleratorManufacturerSet, { "xmlName": _AMcc }], [() => AcceleratorNameSet, { "xmlName": _ANcce }], () => AcceleratorTotalMemoryMiBRequest$, () => NetworkBandwidthGbpsRequest$, [() => AllowedInstanceTypeSet, { "xmlName": _AITl }], 1, [() => BaselinePerformanceFactorsRequest$, 0], 2],
  2
];
var InstanceRequirementsWithMetadataRequest$ = [
  3,
  n0,
  _IRWMR,
  0,
  [_ATr, _VTi, _IR],
  [[() => ArchitectureTypeSet, { "xmlName": _ATrc }], [() => VirtualizationTypeSet, { "xmlName": _VTir }], [() => InstanceRequirementsRequest$, 0]]
];
var InstanceSecondaryInterface$ = [
  3,
  n0,
  _ISIn,
  0,
  [_Att, _MAa, _SIIec, _OI, _PIAri, _SDC, _Sta, _SSIe, _SNI, _ITnt],
  [[() => InstanceSecondaryInterfaceAttachment$, {
    "ec2QueryName": `Attachment`,
    "xmlName": _at
  }], [0, {
    "ec2QueryName": `MacAddress`,
    "xmlName": _mAa
  }], [0, {
    "ec2QueryName": `SecondaryInterfaceId`,
    "xmlName": _sIIe
  }], [0, {
    "ec2QueryName": `OwnerId`,
    "xmlName": _oI
  }], [() => InstanceSecondaryInterfacePrivateIpAddressList, {
    "ec2QueryName": `PrivateIpAddressSet`,
    "xmlName": _pIASr
  }], [2, {
    "ec2QueryName": `SourceDestCheck`,
    "xmlName": _sDC
  }], [0, {
    "ec2QueryName": `Status`,
    "xmlName": _sta
  }], [0, {
    "ec2QueryName": `SecondarySubnetId`,
    "xmlName": _sSI
  }], [0, {
    "ec2QueryName": `SecondaryNetworkId`,
    "xmlName": _sNI
  }], [0, {
    "ec2QueryName": `InterfaceType`,
    "xmlName": _iTnt
  }]]
];
var InstanceSecondaryInterfaceAttachment$ = [
  3,
  n0,
  _ISIA,
  0,
  [_ATtt, _AItt, _DOT, _DI, _Sta, _NCI],
  [[4, {
    "ec2QueryName": `AttachTime`,
    "xmlName": _aTt
  }], [0, {
    "ec2QueryName": `AttachmentId`,
    "xmlName": _aIt
  }], [2, {
    "ec2QueryName": `DeleteOnTermination`,
    "xmlName": _dOT
  }], [1, {
    "ec2QueryName": `DeviceIndex`,
    "xmlName": _dI
  }], [0, {
    "ec2QueryName": `Status`,
    "xmlName": _sta
  }], [1, {
    "ec2QueryName": `NetworkCardIndex`,
    "xmlName": _nCI
  }]]
];
var InstanceSecondaryInterfacePrivateIpAddress$ = [
  3,
  n0,
  _ISIPIA,
  0,
  [_PIAr],
  [[0, {
    "ec2QueryName": `PrivateIpAddress`,
    "xmlName": _pIAr
  }]]
];
var InstanceSecondaryInterfacePrivateIpAddressRequest$ = [
  3,
  n0,
  _ISIPIAR,
  0,
  [_PIAr],
  [0],
  1
];
var InstanceSecondaryInterfaceSpecificationRequest$ = [
  3,
  n0,
  _ISISR,
  0,
  [_DOT, _DI, _PIAri, _PIAC, _SSIe, _ITnt, _NCI],
  [2, 1, [() => InstanceSecondaryInterfacePrivateIpAddressListRequest, { "xmlName": _PIAr }], 1, 0, 0, 1]
];
var InstanceState$ = [
  3,
  n0,
  _ISnsta,
  0,
  [_Co, _N],
  [[1, {
    "ec2QueryName": `Code`,
    "xmlName": _co
  }], [0, {
    "ec2QueryName": `Name`,
    "xmlName": _n
  }]]
];
var InstanceStateChange$ = [
  3,
  n0,
  _ISC,
  0,
  [_II, _CSu, _PSr],
  [[0, {
    "ec2QueryName": `InstanceId`,
    "xmlName": _iI
  }], [() => InstanceState$, {
    "ec2QueryName": `CurrentState`,
    "xmlName": _cSu
  }], [() => InstanceState$, {
    "ec2QueryName": `PreviousState`,
    "xmlName": _pSr
  }]]
];
var InstanceStorageInfo$ = [
  3,
  n0,
  _ISIns,
  0,
  [_TSIGB, _Dis, _NS, _ESn],
  [[1, {
    "ec2QueryName": `TotalSizeInGB`,
    "xmlName": _tSIGB
  }], [() => DiskInfoList, {
    "ec2QueryName": `Disks`,
    "xmlName": _dis
  }], [0, {
    "ec2QueryName": `NvmeSupport`,
    "xmlName": _nS
  }], [0, {
    "ec2QueryName": `EncryptionSupport`,
    "xmlName": _eSn
  }]]
];
var InstanceTypeInfo$ = [
  3,
  n0,
  _ITIn,
  0,
  [_IT, _CGur, _FTE, _SUC, _SRDT, _SVT, _BMa, _Hy, _PIro, _VCIpu, _MIe, _ISSn, _ISIns, _EIb, _NIetw, _GIp, _FIpga, _PGIl, _IAIn, _HS, _BPS, _DHS, _ARS, _SBM, _NES, _NTS, _NTI, _MAIe, _NIeu, _PSh, _RMS, _SIRu],
  [[0, {
    "ec2QueryName": `InstanceType`,
    "xmlName": _iT
  }], [2, {
    "ec2QueryName": `CurrentGeneration`,
    "xmlName": _cGur
  }], [2, {
    "ec2QueryName": `FreeTierEligible`,
    "xmlName": _fTE
  }], [() => UsageClassTypeList, {
    "ec2QueryName": `SupportedUsageClasses`,
    "xmlName": _sUC
  }], [() => RootDeviceTypeList, {
    "ec2QueryName": `SupportedRootDeviceTypes`,
    "xmlName": _sRDT
  }], [() => VirtualizationTypeList, {
    "ec2QueryName": `SupportedVirtualizationTypes`,
    "xmlName": _sVT
  }], [2, {
    "ec2QueryName": `BareMetal`,
    "xmlName": _bMa
  }], [0, {
    "ec2QueryName": `Hypervisor`,
    "xmlName": _h
  }], [() => ProcessorInfo$, {
    "ec2QueryName": `ProcessorInfo`,
    "xmlName": _pIr
  }], [() => VCpuInfo$, {
    "ec2QueryName": `VCpuInfo`,
    "xmlName": _vCIp
  }], [() => MemoryInfo$, {
    "ec2QueryName": `MemoryInfo`,
    "xmlName": _mIe
  }], [2, {
    "ec2QueryName": `InstanceStorageSupported`,
    "xmlName": _iSSn
  }], [() => InstanceStorageInfo$, {
    "ec2QueryName": `InstanceStorageInfo`,
    "xmlName": _iSI
  }], [() => EbsInfo$, {
    "ec2QueryName": `EbsInfo`,
    "xmlName": _eIb
  }], [() => NetworkInfo$, {
    "ec2QueryName": `NetworkInfo`,
    "xmlName": _nIet
  }], [() => GpuInfo$, {
    "ec2QueryName": `GpuInfo`,
    "xmlName": _gIp
  }], [() => FpgaInfo$, {
    "ec2QueryName": `FpgaInfo`,
    "xmlName": _fIp
  }], [() => PlacementGroupInfo$, {
    "ec2QueryName": `PlacementGroupInfo`,
    "xmlName": _pGI
  }], [() => InferenceAcceleratorInfo$, {
    "ec2QueryName": `InferenceAcceleratorInfo`,
    "xmlName": _iAIn
  }], [2, {
    "ec2QueryName": `HibernationSupported`,
    "xmlName": _hSi
  }], [2, {
    "ec2QueryName": `BurstablePerformanceSupported`,
    "xmlName": _bPS
  }], [2, {
    "ec2QueryName": `DedicatedHostsSupported`,
    "xmlName": _dHS
  }], [2, {
    "ec2QueryName": `AutoRecoverySupported`,
    "xmlName": _aRSu
  }], [() => BootModeTypeList, {
    "ec2QueryName": `SupportedBootModes`,
    "xmlName": _sBM
  }], [0, {
    "ec2QueryName": `NitroEnclavesSupport`,
    "xmlName": _nES
  }], [0, {
    "ec2QueryName": `NitroTpmSupport`,
    "xmlName": _nTS
  }], [() => NitroTpmInfo$, {
    "ec2QueryName": `NitroTpmInfo`,
    "xmlName": _nTI
  }], [() => MediaAcceleratorInfo$, {
    "ec2QueryName": `MediaAcceleratorInfo`,
    "xmlName": _mAIe
  }], [() => NeuronInfo$, {
    "ec2QueryName": `NeuronInfo`,
    "xmlName": _nIeu
  }], [0, {
    "ec2QueryName": `PhcSupport`,
    "xmlName": _pSh
  }], [0, {
    "ec2QueryName": `RebootMigrationSupport`,
    "xmlName": _rMS
  }], [2, {
    "ec2QueryName": `SupportedInRegion`,
    "xmlName": _sIRu
  }]]
];
var InstanceTypeItem$ = [
  3,
  n0,
  _ITIns,
  0,
  [_IT],
  [[0, {
    "ec2QueryName": `InstanceType`,
    "xmlName": _iT
  }]]
];
var InstanceTypeSpecification$ = [
  3,
  n0,
  _ITSn,
  0,
  [_SIT, _UIT],
  [[() => SupportedInstanceTypeSet, {
    "ec2QueryName": `SupportedInstanceTypeSet`,
    "xmlName": _sITS
  }], [() => UnsupportedInstanceTypeSet, {
    "ec2QueryName": `UnsupportedInstanceTypeSet`,
    "xmlName": _uITS
  }]]
];
var Ipv4PrefixSpecificationRequest$ = [
  3,
  n0,
  _IPSRp,
  0,
  [_IPpvre],
  [0]
];
var Ipv6PrefixSpecificationRequest$ = [
  3,
  n0,
  _IPSRpvr,
  0,
  [_IPpv],
  [0]
];
var LaunchTemplateSpecification$ = [
  3,
  n0,
  _LTS,
  0,
  [_LTI, _LTN, _Ver],
  [0, 0, 0]
];
var LicenseConfiguration$ = [
  3,
  n0,
  _LCi,
  0,
  [_LCA],
  [[0, {
    "ec2QueryName": `LicenseConfigurationArn`,
    "xmlName": _lCA
  }]]
];
var LicenseConfigurationRequest$ = [
  3,
  n0,
  _LCR,
  0,
  [_LCA],
  [0]
];
var MediaAcceleratorInfo$ = [
  3,
  n0,
  _MAIe,
  0,
  [_Acc, _TMMIMB],
  [[() => MediaDeviceInfoList, {
    "ec2QueryName": `Accelerators`,
    "xmlName": _acc
  }], [1, {
    "ec2QueryName": `TotalMediaMemoryInMiB`,
    "xmlName": _tMMIMB
  }]]
];
var MediaDeviceInfo$ = [
  3,
  n0,
  _MDI,
  0,
  [_Cou, _N, _Man, _MIe],
  [[1, {
    "ec2QueryName": `Count`,
    "xmlName": _cou
  }], [0, {
    "ec2QueryName": `Name`,
    "xmlName": _n
  }], [0, {
    "ec2QueryName": `Manufacturer`,
    "xmlName": _man
  }], [() => MediaDeviceMemoryInfo$, {
    "ec2QueryName": `MemoryInfo`,
    "xmlName": _mIe
  }]]
];
var MediaDeviceMemoryInfo$ = [
  3,
  n0,
  _MDMI,
  0,
  [_SIMB],
  [[1, {
    "ec2QueryName": `SizeInMiB`,
    "xmlName": _sIMB
  }]]
];
var MemoryGiBPerVCpuRequest$ = [
  3,
  n0,
  _MGBPVCR,
  0,
  [_M, _Ma],
  [1, 1]
];
var MemoryInfo$ = [
  3,
  n0,
  _MIe,
  0,
  [_SIMB],
  [[1, {
    "ec2QueryName": `SizeInMiB`,
    "xmlName": _sIMB
  }]]
];
var MemoryMiBRequest$ = [
  3,
  n0,
  _MMBR,
  0,
  [_M, _Ma],
  [1, 1],
  1
];
var ModifyTrafficMirrorFilterRuleRequest$ = [
  3,
  n0,
  _MTMFRR,
  0,
  [_TMFRI, _TD, _RNu, _RA, _DPRe, _SPRo, _Pr, _DCB, _SCB, _De, _RF, _DR],
  [0, 0, 1, 0, () => TrafficMirrorPortRangeRequest$, () => TrafficMirrorPortRangeRequest$, 1, 0, 0, 0, [64 | 0, { "xmlName": _RFe }], 2],
  1
];
var ModifyTrafficMirrorSessionRequest$ = [
  3,
  n0,
  _MTMSR,
  0,
  [_TMSI, _TMTI, _TMFI, _PLa, _SNes, _VNI, _De, _RF, _DR],
  [0, 0, 0, 1, 1, 1, 0, [64 | 0, { "xmlName": _RFe }], 2],
  1
];
var ModifyTransitGatewayMeteringPolicyRequest$ = [
  3,
  n0,
  _MTGMPR,
  0,
  [_TGMPI, _AMAI, _RMAI, _DR],
  [0, [64 | 0, { "xmlName": _AMAId }], [64 | 0, { "xmlName": _RMAIe }], 2],
  1
];
var Monitoring$ = [
  3,
  n0,
  _Mon,
  0,
  [_MCIe, _St],
  [[() => MetricCategoryIdList, {
    "ec2QueryName": `MetricCategoryIdSet`,
    "xmlName": _mCIS
  }], [0, {
    "ec2QueryName": `State`,
    "xmlName": _st
  }]]
];
var NetworkBandwidthGbpsRequest$ = [
  3,
  n0,
  _NBGR,
  0,
  [_M, _Ma],
  [1, 1]
];
var NetworkCardInfo$ = [
  3,
  n0,
  _NCIe,
  0,
  [_NCI, _NPe, _MNI, _AFNI, _BBIG, _PBIG, _DEQCPI, _MEQC, _MEQCPI, _ITnte],
  [[1, {
    "ec2QueryName": `NetworkCardIndex`,
    "xmlName": _nCI
  }], [0, {
    "ec2QueryName": `NetworkPerformance`,
    "xmlName": _nPe
  }], [1, {
    "ec2QueryName": `MaximumNetworkInterfaces`,
    "xmlName": _mNI
  }], [1, {
    "ec2QueryName": `AdditionalFlexibleNetworkInterfaces`,
    "xmlName": _aFNI
  }], [1, {
    "ec2QueryName": `BaselineBandwidthInGbps`,
    "xmlName": _bBIG
  }], [1, {
    "ec2QueryName": `PeakBandwidthInGbps`,
    "xmlName": _pBIG
  }], [1, {
    "ec2QueryName": `DefaultEnaQueueCountPerInterface`,
    "xmlName": _dEQCPI
  }], [1, {
    "ec2QueryName": `MaximumEnaQueueCount`,
    "xmlName": _mEQC
  }], [1, {
    "ec2QueryName": `MaximumEnaQueueCountPerInterface`,
    "xmlName": _mEQCPI
  }], [() => NetworkCardInterfaceTypeList, {
    "ec2QueryName": `InterfaceTypeSet`,
    "xmlName": _iTSnt
  }]]
];
var NetworkInfo$ = [
  3,
  n0,
  _NIetw,
  0,
  [_NPe, _MNI, _MNC, _DNCI, _NC, _IAPI, _IAPIp, _ISpvu, _ESna, _ESf, _EIf, _EITS, _ESSn, _BWa, _FEQS, _CTC, _SNSe, _MSNI, _IAPSI],
  [[0, {
    "ec2QueryName": `NetworkPerformance`,
    "xmlName": _nPe
  }], [1, {
    "ec2QueryName": `MaximumNetworkInterfaces`,
    "xmlName": _mNI
  }], [1, {
    "ec2QueryName": `MaximumNetworkCards`,
    "xmlName": _mNC
  }], [1, {
    "ec2QueryName": `DefaultNetworkCardIndex`,
    "xmlName": _dNCI
  }], [() => NetworkCardInfoList, {
    "ec2QueryName": `NetworkCards`,
    "xmlName": _nC
  }], [1, {
    "ec2QueryName": `Ipv4AddressesPerInterface`,
    "xmlName": _iAPI
  }], [1, {
    "ec2QueryName": `Ipv6AddressesPerInterface`,
    "xmlName": _iAPIp
  }], [2, {
    "ec2QueryName": `Ipv6Supported`,
    "xmlName": _iSpv
  }], [0, {
    "ec2QueryName": `EnaSupport`,
    "xmlName": _eSna
  }], [2, {
    "ec2QueryName": `EfaSupported`,
    "xmlName": _eSf
  }], [() => EfaInfo$, {
    "ec2QueryName": `EfaInfo`,
    "xmlName": _eIf
  }], [2, {
    "ec2QueryName": `EncryptionInTransitSupported`,
    "xmlName": _eITSn
  }], [2, {
    "ec2QueryName": `EnaSrdSupported`,
    "xmlName": _eSSn
  }], [() => BandwidthWeightingTypeList, {
    "ec2QueryName": `BandwidthWeightings`,
    "xmlName": _bWa
  }], [0, {
    "ec2QueryName": `FlexibleEnaQueuesSupport`,
    "xmlName": _fEQS
  }], [() => DefaultConnectionTrackingConfiguration$, {
    "ec2QueryName": `ConnectionTrackingConfiguration`,
    "xmlName": _cTC
  }], [2, {
    "ec2QueryName": `SecondaryNetworkSupported`,
    "xmlName": _sNSec
  }], [1, {
    "ec2QueryName": `MaximumSecondaryNetworkInterfaces`,
    "xmlName": _mSNI
  }], [1, {
    "ec2QueryName": `Ipv4AddressesPerSecondaryInterface`,
    "xmlName": _iAPSI
  }]]
];
var NetworkInterfaceCountRequest$ = [
  3,
  n0,
  _NICR,
  0,
  [_M, _Ma],
  [1, 1]
];
var NeuronDeviceCoreInfo$ = [
  3,
  n0,
  _NDCI,
  0,
  [_Cou, _Ver],
  [[1, {
    "ec2QueryName": `Count`,
    "xmlName": _cou
  }], [1, {
    "ec2QueryName": `Version`,
    "xmlName": _ve
  }]]
];
var NeuronDeviceInfo$ = [
  3,
  n0,
  _NDI,
  0,
  [_Cou, _N, _CIor, _MIe],
  [[1, {
    "ec2QueryName": `Count`,
    "xmlName": _cou
  }], [0, {
    "ec2QueryName": `Name`,
    "xmlName": _n
  }], [() => NeuronDeviceCoreInfo$, {
    "ec2QueryName": `CoreInfo`,
    "xmlName": _cIor
  }], [() => NeuronDeviceMemoryInfo$, {
    "ec2QueryName": `MemoryInfo`,
    "xmlName": _mIe
  }]]
];
var NeuronDeviceMemoryInfo$ = [
  3,
  n0,
  _NDMI,
  0,
  [_SIMB],
  [[1, {
    "ec2QueryName": `SizeInMiB`,
    "xmlName": _sIMB
  }]]
];
var NeuronInfo$ = [
  3,
  n0,
  _NIeu,
  0,
  [_NDe, _TNDMIMB],
  [[() => NeuronDeviceInfoList, {
    "ec2QueryName": `NeuronDevices`,
    "xmlName": _nDe
  }], [1, {
    "ec2QueryName": `TotalNeuronDeviceMemoryInMiB`,
    "xmlName": _tNDMIMB
  }]]
];
var NitroTpmInfo$ = [
  3,
  n0,
  _NTI,
  0,
  [_SVu],
  [[() => NitroTpmSupportedVersionsList, {
    "ec2QueryName": `SupportedVersions`,
    "xmlName": _sVu
  }]]
];
var OperatorRequest$ = [
  3,
  n0,
  _ORpe,
  0,
  [_P],
  [0]
];
var OperatorResponse$ = [
  3,
  n0,
  _ORper,
  0,
  [_Mana, _P, _HBD],
  [[2, {
    "ec2QueryName": `Managed`,
    "xmlName": _mana
  }], [0, {
    "ec2QueryName": `Principal`,
    "xmlName": _p
  }], [2, {
    "ec2QueryName": `HiddenByDefault`,
    "xmlName": _hBD
  }]]
];
var PerformanceFactorReferenceRequest$ = [
  3,
  n0,
  _PFRR,
  0,
  [_IF],
  [0]
];
var Placement$ = [
  3,
  n0,
  _Pla,
  0,
  [_AZI, _Af, _GN, _PN, _HIo, _Te, _SDp, _HRGA, _GIr, _AZ],
  [[0, {
    "ec2QueryName": `AvailabilityZoneId`,
    "xmlName": _aZI
  }], [0, {
    "ec2QueryName": `Affinity`,
    "xmlName": _af
  }], [0, {
    "ec2QueryName": `GroupName`,
    "xmlName": _gN
  }], [1, {
    "ec2QueryName": `PartitionNumber`,
    "xmlName": _pN
  }], [0, {
    "ec2QueryName": `HostId`,
    "xmlName": _hI
  }], [0, {
    "ec2QueryName": `Tenancy`,
    "xmlName": _te
  }], [0, {
    "ec2QueryName": `SpreadDomain`,
    "xmlName": _sDp
  }], [0, {
    "ec2QueryName": `HostResourceGroupArn`,
    "xmlName": _hRGA
  }], [0, {
    "ec2QueryName": `GroupId`,
    "xmlName": _gIr
  }], [0, {
    "ec2QueryName": `AvailabilityZone`,
    "xmlName": _aZ
  }]]
];
var PlacementGroupInfo$ = [
  3,
  n0,
  _PGIl,
  0,
  [_SSu],
  [[() => PlacementGroupStrategyList, {
    "ec2QueryName": `SupportedStrategies`,
    "xmlName": _sSup
  }]]
];
var PrivateDnsNameOptionsRequest$ = [
  3,
  n0,
  _PDNOR,
  0,
  [_HTo, _ERNDAR, _ERNDAAAAR],
  [0, 2, 2]
];
var PrivateDnsNameOptionsResponse$ = [
  3,
  n0,
  _PDNORr,
  0,
  [_HTo, _ERNDAR, _ERNDAAAAR],
  [[0, {
    "ec2QueryName": `HostnameType`,
    "xmlName": _hTo
  }], [2, {
    "ec2QueryName": `EnableResourceNameDnsARecord`,
    "xmlName": _eRNDAR
  }], [2, {
    "ec2QueryName": `EnableResourceNameDnsAAAARecord`,
    "xmlName": _eRNDAAAAR
  }]]
];
var PrivateIpAddressSpecification$ = [
  3,
  n0,
  _PIAS,
  0,
  [_Prim, _PIAr],
  [[2, {
    "ec2QueryName": `Primary`,
    "xmlName": _prim
  }], [0, {
    "ec2QueryName": `PrivateIpAddress`,
    "xmlName": _pIAr
  }]]
];
var ProcessorInfo$ = [
  3,
  n0,
  _PIro,
  0,
  [_SAup, _SCSIG, _SF, _Man],
  [[() => ArchitectureTypeList, {
    "ec2QueryName": `SupportedArchitectures`,
    "xmlName": _sAu
  }], [1, {
    "ec2QueryName": `SustainedClockSpeedInGhz`,
    "xmlName": _sCSIG
  }], [() => SupportedAdditionalProcessorFeatureList, {
    "ec2QueryName": `SupportedFeatures`,
    "xmlName": _sF
  }], [0, {
    "ec2QueryName": `Manufacturer`,
    "xmlName": _man
  }]]
];
var ProductCode$ = [
  3,
  n0,
  _PCr,
  0,
  [_PCIr, _PCT],
  [[0, {
    "ec2QueryName": `ProductCode`,
    "xmlName": _pCr
  }], [0, {
    "ec2QueryName": `Type`,
    "xmlName": _ty
  }]]
];
var Reservation$ = [
  3,
  n0,
  _Reser,
  0,
  [_RIe, _OI, _RIeq, _G, _Ins],
  [[0, {
    "ec2QueryName": `ReservationId`,
    "xmlName": _rI
  }], [0, {
    "ec2QueryName": `OwnerId`,
    "xmlName": _oI
  }], [0, {
    "ec2QueryName": `RequesterId`,
    "xmlName": _rIeq
  }], [() => GroupIdentifierList, {
    "ec2QueryName": `GroupSet`,
    "xmlName": _gSr
  }], [() => InstanceList, {
    "ec2QueryName": `InstancesSet`,
    "xmlName": _iSns
  }]]
];
var ResourceTypeOption$ = [
  3,
  n0,
  _RTOe,
  0,
  [_ON, _OV],
  [0, [64 | 0, { "xmlName": _OVp }]]
];
var ResourceTypeRequest$ = [
  3,
  n0,
  _RTRe,
  0,
  [_RTe, _RTO],
  [0, [() => ResourceTypeOptionList, { "xmlName": _RTOe }]]
];
var RunInstancesMonitoringEnabled$ = [
  3,
  n0,
  _RIME,
  0,
  [_En, _MCIe],
  [[2, {
    "ec2QueryName": `Enabled`,
    "xmlName": _en
  }], [() => MetricCategoryIdList, { "xmlName": _MCI }]],
  1
];
var RunInstancesRequest$ = [
  3,
  n0,
  _RIRu,
  0,
  [_MCa, _MCin, _BDMl, _IIm, _IT, _IAC, _IA, _KI, _KN, _Mon, _Pla, _RIa, _SGIe, _SGe, _SIu, _UDs, _EGSla, _EIAl, _TS, _LT, _IMOns, _CSr, _CO, _CRSa, _HO, _LSi, _MO, _EOn, _PDNO, _MOa, _DASi, _EPI, _NPO, _Op, _SIec, _DR, _DAT, _IISB, _PIAr, _CT, _AId, _NIet, _IIP, _EO],
  [1, 1, [() => BlockDeviceMappingRequestList, { "xmlName": _BDM }], 0, 0, 1, [() => InstanceIpv6AddressList, { "xmlName": _IApv }], 0, 0, [() => RunInstancesMonitoringEnabled$, 0], [() => Placement$, 0], 0, [() => SecurityGroupIdStringList, { "xmlName": _SGI }], [() => SecurityGroupStringList, { "xmlName": _SGec }], 0, [() => RunInstancesUserData, 0], [() => ElasticGpuSpecifications, 0], [() => ElasticInferenceAccelerators, { "xmlName": _EIA }], [() => TagSpecificationList, { "xmlName": _TSa }], () => LaunchTemplateSpecification$, () => InstanceMarketOptionsRequest$, () => CreditSpecificationRequest$, () => CpuOptionsRequest$, () => CapacityReservationSpecification$, () => HibernationOptionsRequest$, [() => LicenseSpecificationListRequest, { "xmlName": _LSic }], () => InstanceMetadataOptionsRequest$, () => EnclaveOptionsRequest$, () => PrivateDnsNameOptionsRequest$, () => InstanceMaintenanceOptionsRequest$, 2, 2, () => InstanceNetworkPerformanceOptionsRequest$, () => OperatorRequest$, [() => InstanceSecondaryInterfaceSpecificationListRequest, { "xmlName": _SIeco }], [2, {
    "ec2QueryName": `DryRun`,
    "xmlName": _dR
  }], [2, {
    "ec2QueryName": `DisableApiTermination`,
    "xmlName": _dAT
  }], [0, {
    "ec2QueryName": `InstanceInitiatedShutdownBehavior`,
    "xmlName": _iISB
  }], [0, {
    "ec2QueryName": `PrivateIpAddress`,
    "xmlName": _pIAr
  }], [0, {
    "ec2QueryName": `ClientToken`,
    "idempotencyToken": 1,
    "xmlName": _cT
  }], [0, {
    "ec2QueryName": `AdditionalInfo`,
    "xmlName": _aId
  }], [() => InstanceNetworkInterfaceSpecificationList, {
    "ec2QueryName": `NetworkInterface`,
    "xmlName": _nIe
  }], [() => IamInstanceProfileSpecification$, {
    "ec2QueryName": `IamInstanceProfile`,
    "xmlName": _iIP
  }], [2, {
    "ec2QueryName": `EbsOptimized`,
    "xmlName": _eO
  }]],
  2
];
var ScanResults$ = [
  3,
  n0,
  _SRc,
  0,
  [_HFSL, _FSD, _IFAS, _LFAS, _MFAS, _HFAS, _CFAS],
  [[0, {
    "ec2QueryName": `HighestFindingSeverityLabel`,
    "xmlName": _hFSL
  }], [4, {
    "ec2QueryName": `FindingScanDate`,
    "xmlName": _fSD
  }], [4, {
    "ec2QueryName": `InformationalFixAvailableSince`,
    "xmlName": _iFAS
  }], [4, {
    "ec2QueryName": `LowFixAvailableSince`,
    "xmlName": _lFAS
  }], [4, {
    "ec2QueryName": `MediumFixAvailableSince`,
    "xmlName": _mFAS
  }], [4, {
    "ec2QueryName": `HighFixAvailableSince`,
    "xmlName": _hFAS
  }], [4, {
    "ec2QueryName": `CriticalFixAvailableSince`,
    "xmlName": _cFAS
  }]]
];
var SpotMarketOptions$ = [
  3,
  n0,
  _SMO,
  0,
  [_MPax, _SITp, _BDMlo, _VU, _IIB],
  [0, 0, 1, 4, 0]
];
var SpotPrice$ = [
  3,
  n0,
  _SPp,
  0,
  [_AZ, _AZI, _IT, _PDr, _SPp, _Tim],
  [[0, {
    "ec2QueryName": `AvailabilityZone`,
    "xmlName": _aZ
  }], [0, {
    "ec2QueryName": `AvailabilityZoneId`,
    "xmlName": _aZI
  }], [0, {
    "ec2QueryName": `InstanceType`,
    "xmlName": _iT
  }], [0, {
    "ec2QueryName": `ProductDescription`,
    "xmlName": _pDr
  }], [0, {
    "ec2QueryName": `SpotPrice`,
    "xmlName": _sPp
  }], [4, {
    "ec2QueryName": `Timestamp`,
    "xmlName": _ti
  }]]
];
var StateReason$ = [
  3,
  n0,
  _SRt,
  0,
  [_Co, _Me],
  [[0, {
    "ec2QueryName": `Code`,
    "xmlName": _co
  }], [0, {
    "ec2QueryName": `Message`,
    "xmlName": _me
  }]]
];
var Tag$ = [
  3,
  n0,
  _Ta,
  0,
  [_K, _V],
  [[0, {
    "ec2QueryName": `Key`,
    "xmlName": _k
  }], [0, {
    "ec2QueryName": `Value`,
    "xmlName": _v
  }]]
];
var TagSpecification$ = [
  3,
  n0,
  _TSa,
  0,
  [_RTe, _T],
  [[0, {
    "ec2QueryName": `ResourceType`,
    "xmlName": _rTe
  }], [() => TagList, { "xmlName": _Ta }]]
];
var TerminateInstancesRequest$ = [
  3,
  n0,
  _TIR,
  0,
  [_IIn, _F, _SOS, _DR],
  [[() => InstanceIdStringList, { "xmlName": _II }], 2, 2, [2, {
    "ec2QueryName": `DryRun`,
    "xmlName": _dR
  }]],
  1
];
var TerminateInstancesResult$ = [
  3,
  n0,
  _TIRe,
  0,
  [_TIer],
  [[() => InstanceStateChangeList, {
    "ec2QueryName": `InstancesSet`,
    "xmlName": _iSns
  }]]
];
var TotalLocalStorageGBRequest$ = [
  3,
  n0,
  _TLSGBR,
  0,
  [_M, _Ma],
  [1, 1]
];
var TrafficMirrorPortRangeRequest$ = [
  3,
  n0,
  _TMPRR,
  0,
  [_FP, _TP],
  [1, 1]
];
var VCpuCountRangeRequest$ = [
  3,
  n0,
  _VCCRR,
  0,
  [_M, _Ma],
  [1, 1],
  1
];
var VCpuInfo$ = [
  3,
  n0,
  _VCIpu,
  0,
  [_DVC, _DCef, _DTPC, _VCa, _VTPC],
  [[1, {
    "ec2QueryName": `DefaultVCpus`,
    "xmlName": _dVC
  }], [1, {
    "ec2QueryName": `DefaultCores`,
    "xmlName": _dCe
  }], [1, {
    "ec2QueryName": `DefaultThreadsPerCore`,
    "xmlName": _dTPC
  }], [() => CoreCountList, {
    "ec2QueryName": `ValidCores`,
    "xmlName": _vCa
  }], [() => ThreadsPerCoreList, {
    "ec2QueryName": `ValidThreadsPerCore`,
    "xmlName": _vTPC
  }]]
];
var __Unit = "unit";
var AcceleratorManufacturerSet = [
  1,
  n0,
  _AMSc,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var AcceleratorNameSet = [
  1,
  n0,
  _ANSc,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var AcceleratorTypeSet = [
  1,
  n0,
  _ATSc,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var AllowedInstanceTypeSet = [
  1,
  n0,
  _AITS,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var ArchitectureTypeList = [
  1,
  n0,
  _ATLr,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var ArchitectureTypeSet = [
  1,
  n0,
  _ATSr,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var AssetIdList = 64 | 0;
var BandwidthWeightingTypeList = [
  1,
  n0,
  _BWTL,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var BlockDeviceMappingList = [
  1,
  n0,
  _BDML,
  0,
  [
    () => BlockDeviceMapping$,
    { "xmlName": _it }
  ]
];
var BlockDeviceMappingRequestList = [
  1,
  n0,
  _BDMRL,
  0,
  [
    () => BlockDeviceMapping$,
    { "xmlName": _BDM }
  ]
];
var BootModeTypeList = [
  1,
  n0,
  _BMTL,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var CarrierGatewayIdSet = 64 | 0;
var CoreCountList = [
  1,
  n0,
  _CCL,
  0,
  [
    1,
    { "xmlName": _it }
  ]
];
var CpuManufacturerSet = [
  1,
  n0,
  _CMSp,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var DescribeImageReferencesImageIdStringList = 64 | 0;
var DescribeImageUsageReportsImageIdStringList = 64 | 0;
var DescribeInstanceTopologyGroupNameSet = 64 | 0;
var DescribeInstanceTopologyInstanceIdSet = 64 | 0;
var DiskInfoList = [
  1,
  n0,
  _DILi,
  0,
  [
    () => DiskInfo$,
    { "xmlName": _it }
  ]
];
var EbsCardInfoList = [
  1,
  n0,
  _ECIL,
  0,
  [
    () => EbsCardInfo$,
    { "xmlName": _it }
  ]
];
var ElasticGpuAssociationList = [
  1,
  n0,
  _EGAL,
  0,
  [
    () => ElasticGpuAssociation$,
    { "xmlName": _it }
  ]
];
var ElasticGpuSpecifications = [
  1,
  n0,
  _EGSlas,
  0,
  [
    () => ElasticGpuSpecification$,
    { "xmlName": _it }
  ]
];
var ElasticInferenceAcceleratorAssociationList = [
  1,
  n0,
  _EIAAL,
  0,
  [
    () => ElasticInferenceAcceleratorAssociation$,
    { "xmlName": _it }
  ]
];
var ElasticInferenceAccelerators = [
  1,
  n0,
  _EIAl,
  0,
  [
    () => ElasticInferenceAccelerator$,
    { "xmlName": _it }
  ]
];
var ExcludedInstanceTypeSet = [
  1,
  n0,
  _EITSx,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var ExecutableByStringList = [
  1,
  n0,
  _EBSL,
  0,
  [
    0,
    { "xmlName": _EBx }
  ]
];
var FilterList = [
  1,
  n0,
  _FLi,
  0,
  [
    () => Filter$,
    { "xmlName": _Fil }
  ]
];
var FleetIdSet = 64 | 0;
var FpgaDeviceInfoList = [
  1,
  n0,
  _FDIL,
  0,
  [
    () => FpgaDeviceInfo$,
    { "xmlName": _it }
  ]
];
var GpuDeviceInfoList = [
  1,
  n0,
  _GDIL,
  0,
  [
    () => GpuDeviceInfo$,
    { "xmlName": _it }
  ]
];
var GroupIdentifierList = [
  1,
  n0,
  _GIL,
  0,
  [
    () => GroupIdentifier$,
    { "xmlName": _it }
  ]
];
var ImageIdStringList = [
  1,
  n0,
  _IISL,
  0,
  [
    0,
    { "xmlName": _IIm }
  ]
];
var ImageList = [
  1,
  n0,
  _ILm,
  0,
  [
    () => Image$,
    { "xmlName": _it }
  ]
];
var ImageUsageReportIdStringList = 64 | 0;
var ImageWatermarkList = [
  1,
  n0,
  _IWL,
  0,
  [
    () => ImageWatermark$,
    { "xmlName": _it }
  ]
];
var InferenceDeviceInfoList = [
  1,
  n0,
  _IDIL,
  0,
  [
    () => InferenceDeviceInfo$,
    0
  ]
];
var InstanceBlockDeviceMappingList = [
  1,
  n0,
  _IBDML,
  0,
  [
    () => InstanceBlockDeviceMapping$,
    { "xmlName": _it }
  ]
];
var InstanceGenerationSet = [
  1,
  n0,
  _IGS,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var InstanceIdStringList = [
  1,
  n0,
  _IISLn,
  0,
  [
    0,
    { "xmlName": _II }
  ]
];
var InstanceIpv4PrefixList = [
  1,
  n0,
  _IIPL,
  0,
  [
    () => InstanceIpv4Prefix$,
    { "xmlName": _it }
  ]
];
var InstanceIpv6AddressList = [
  1,
  n0,
  _IIAL,
  0,
  [
    () => InstanceIpv6Address$,
    { "xmlName": _it }
  ]
];
var InstanceIpv6PrefixList = [
  1,
  n0,
  _IIPLn,
  0,
  [
    () => InstanceIpv6Prefix$,
    { "xmlName": _it }
  ]
];
var InstanceList = [
  1,
  n0,
  _ILns,
  0,
  [
    () => Instance$,
    { "xmlName": _it }
  ]
];
var InstanceNetworkInterfaceList = [
  1,
  n0,
  _INIL,
  0,
  [
    () => InstanceNetworkInterface$,
    { "xmlName": _it }
  ]
];
var InstanceNetworkInterfaceSpecificationList = [
  1,
  n0,
  _INISL,
  0,
  [
    () => InstanceNetworkInterfaceSpecification$,
    { "xmlName": _it }
  ]
];
var InstancePrivateIpAddressList = [
  1,
  n0,
  _IPIAL,
  0,
  [
    () => InstancePrivateIpAddress$,
    { "xmlName": _it }
  ]
];
var InstanceSecondaryInterfaceList = [
  1,
  n0,
  _ISIL,
  0,
  [
    () => InstanceSecondaryInterface$,
    { "xmlName": _it }
  ]
];
var InstanceSecondaryInterfacePrivateIpAddressList = [
  1,
  n0,
  _ISIPIAL,
  0,
  [
    () => InstanceSecondaryInterfacePrivateIpAddress$,
    { "xmlName": _it }
  ]
];
var InstanceSecondaryInterfacePrivateIpAddressListRequest = [
  1,
  n0,
  _ISIPIALR,
  0,
  [
    () => InstanceSecondaryInterfacePrivateIpAddressRequest$,
    { "xmlName": _it }
  ]
];
var InstanceSecondaryInterfaceSpecificationListRequest = [
  1,
  n0,
  _ISISLR,
  0,
  [
    () => InstanceSecondaryInterfaceSpecificationRequest$,
    { "xmlName": _it }
  ]
];
var InstanceStateChangeList = [
  1,
  n0,
  _ISCL,
  0,
  [
    () => InstanceStateChange$,
    { "xmlName": _it }
  ]
];
var InstanceTypeInfoList = [
  1,
  n0,
  _ITILn,
  0,
  [
    () => InstanceTypeInfo$,
    { "xmlName": _it }
  ]
];
var InstanceTypeList = 64 | 0;
var InstanceTypes = 64 | 0;
var Ipv4PrefixList = [
  1,
  n0,
  _IPLpvr,
  0,
  [
    () => Ipv4PrefixSpecificationRequest$,
    { "xmlName": _it }
  ]
];
var Ipv6PrefixList = [
  1,
  n0,
  _IPLpvref,
  0,
  [
    () => Ipv6PrefixSpecificationRequest$,
    { "xmlName": _it }
  ]
];
var LicenseList = [
  1,
  n0,
  _LL,
  0,
  [
    () => LicenseConfiguration$,
    { "xmlName": _it }
  ]
];
var LicenseSpecificationListRequest = [
  1,
  n0,
  _LSLR,
  0,
  [
    () => LicenseConfigurationRequest$,
    { "xmlName": _it }
  ]
];
var LocalStorageTypeSet = [
  1,
  n0,
  _LSTS,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var MediaDeviceInfoList = [
  1,
  n0,
  _MDIL,
  0,
  [
    () => MediaDeviceInfo$,
    { "xmlName": _it }
  ]
];
var MetricCategoryIdList = [
  1,
  n0,
  _MCIL,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var NetworkCardInfoList = [
  1,
  n0,
  _NCIL,
  0,
  [
    () => NetworkCardInfo$,
    { "xmlName": _it }
  ]
];
var NetworkCardInterfaceTypeList = [
  1,
  n0,
  _NCITL,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var NetworkInterfacePermissionIdList = 64 | 0;
var NeuronDeviceInfoList = [
  1,
  n0,
  _NDIL,
  0,
  [
    () => NeuronDeviceInfo$,
    { "xmlName": _it }
  ]
];
var NitroTpmSupportedVersionsList = [
  1,
  n0,
  _NTSVL,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var OwnerStringList = [
  1,
  n0,
  _OSL,
  0,
  [
    0,
    { "xmlName": _Own }
  ]
];
var PerformanceFactorReferenceSetRequest = [
  1,
  n0,
  _PFRSR,
  0,
  [
    () => PerformanceFactorReferenceRequest$,
    { "xmlName": _it }
  ]
];
var PlacementGroupIdStringList = [
  1,
  n0,
  _PGISL,
  0,
  [
    0,
    { "xmlName": _GIr }
  ]
];
var PlacementGroupStrategyList = [
  1,
  n0,
  _PGSL,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var PlacementGroupStringList = 64 | 0;
var PrivateIpAddressSpecificationList = [
  1,
  n0,
  _PIASL,
  0,
  [
    () => PrivateIpAddressSpecification$,
    { "xmlName": _it }
  ]
];
var ProductCodeList = [
  1,
  n0,
  _PCLr,
  0,
  [
    () => ProductCode$,
    { "xmlName": _it }
  ]
];
var ProductDescriptionList = 64 | 0;
var RegionNames = 64 | 0;
var RequestInstanceTypeList = 64 | 0;
var ReservationList = [
  1,
  n0,
  _RLe,
  0,
  [
    () => Reservation$,
    { "xmlName": _it }
  ]
];
var ReservedInstancesOfferingIdStringList = 64 | 0;
var ResourceIdList = 64 | 0;
var ResourceTypeOptionList = [
  1,
  n0,
  _RTOL,
  0,
  [
    () => ResourceTypeOption$,
    0
  ]
];
var ResourceTypeOptionValuesList = 64 | 0;
var ResourceTypeRequestList = [
  1,
  n0,
  _RTRL,
  0,
  [
    () => ResourceTypeRequest$,
    0
  ]
];
var RestorableByStringList = 64 | 0;
var RootDeviceTypeList = [
  1,
  n0,
  _RDTL,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var RouteServerEndpointIdsList = 64 | 0;
var RouteServerIdsList = 64 | 0;
var RouteServerPeerIdsList = 64 | 0;
var SecurityGroupIdStringList = [
  1,
  n0,
  _SGISL,
  0,
  [
    0,
    { "xmlName": _SGI }
  ]
];
var SecurityGroupStringList = [
  1,
  n0,
  _SGSL,
  0,
  [
    0,
    { "xmlName": _SGec }
  ]
];
var SnapshotIdStringList = [
  1,
  n0,
  _SISL,
  0,
  [
    0,
    { "xmlName": _SIn }
  ]
];
var SpotPriceHistoryList = [
  1,
  n0,
  _SPHL,
  0,
  [
    () => SpotPrice$,
    { "xmlName": _it }
  ]
];
var SupportedAdditionalProcessorFeatureList = [
  1,
  n0,
  _SAPFL,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var SupportedInstanceTypeSet = [
  1,
  n0,
  _SITS,
  0,
  [
    () => InstanceTypeItem$,
    { "xmlName": _it }
  ]
];
var TagList = [
  1,
  n0,
  _TL,
  0,
  [
    () => Tag$,
    { "xmlName": _it }
  ]
];
var TagSpecificationList = [
  1,
  n0,
  _TSL,
  0,
  [
    () => TagSpecification$,
    { "xmlName": _it }
  ]
];
var ThreadsPerCoreList = [
  1,
  n0,
  _TPCL,
  0,
  [
    1,
    { "xmlName": _it }
  ]
];
var TrafficMirrorFilterRuleFieldList = 64 | 0;
var TrafficMirrorSessionFieldList = 64 | 0;
var TransitGatewayAttachmentIdStringList = 64 | 0;
var UnsupportedInstanceTypeSet = [
  1,
  n0,
  _UITS,
  0,
  [
    () => InstanceTypeItem$,
    { "xmlName": _it }
  ]
];
var UsageClassTypeList = [
  1,
  n0,
  _UCTL,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var ValueStringList = [
  1,
  n0,
  _VSL,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var VirtualizationTypeList = [
  1,
  n0,
  _VTLi,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var VirtualizationTypeSet = [
  1,
  n0,
  _VTS,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var WorkloadsList = [
  1,
  n0,
  _WL,
  0,
  [
    0,
    { "xmlName": _it }
  ]
];
var CreateTags$ = [
  9,
  n0,
  _CTreat,
  0,
  () => CreateTagsRequest$,
  () => __Unit
];
var DeleteTags$ = [
  9,
  n0,
  _DTelet,
  0,
  () => DeleteTagsRequest$,
  () => __Unit
];
var DescribeImages$ = [
  9,
  n0,
  _DIes,
  0,
  () => DescribeImagesRequest$,
  () => DescribeImagesResult$
];
var DescribeInstances$ = [
  9,
  n0,
  _DIesc,
  0,
  () => DescribeInstancesRequest$,
  () => DescribeInstancesResult$
];
var DescribeInstanceTypes$ = [
  9,
  n0,
  _DITe,
  0,
  () => DescribeInstanceTypesRequest$,
  () => DescribeInstanceTypesResult$
];
var DescribeSpotPriceHistory$ = [
  9,
  n0,
  _DSPH,
  0,
  () => DescribeSpotPriceHistoryRequest$,
  () => DescribeSpotPriceHistoryResult$
];
var RunInstances$ = [
  9,
  n0,
  _RIu,
  0,
  () => RunInstancesRequest$,
  () => Reservation$
];
var TerminateInstances$ = [
  9,
  n0,
  _TI,
  0,
  () => TerminateInstancesRequest$,
  () => TerminateInstancesResult$
];

// node_modules/@aws-sdk/client-ec2/dist-es/runtimeConfig.shared.js
var getRuntimeConfig = (config) => {
  return {
    apiVersion: "2016-11-15",
    base64Decoder: config?.base64Decoder ?? fromBase64,
    base64Encoder: config?.base64Encoder ?? toBase64,
    disableHostPrefix: config?.disableHostPrefix ?? false,
    endpointProvider: config?.endpointProvider ?? defaultEndpointResolver,
    extensions: config?.extensions ?? [],
    httpAuthSchemeProvider: config?.httpAuthSchemeProvider ?? defaultEC2HttpAuthSchemeProvider,
    httpAuthSchemes: config?.httpAuthSchemes ?? [
      {
        schemeId: "aws.auth#sigv4",
        identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4"),
        signer: new AwsSdkSigV4Signer()
      }
    ],
    logger: config?.logger ?? new NoOpLogger(),
    protocol: config?.protocol ?? AwsEc2QueryProtocol,
    protocolSettings: config?.protocolSettings ?? {
      defaultNamespace: "com.amazonaws.ec2",
      errorTypeRegistries,
      xmlNamespace: "http://ec2.amazonaws.com/doc/2016-11-15",
      version: "2016-11-15",
      serviceTarget: "AmazonEC2"
    },
    serviceId: config?.serviceId ?? "EC2",
    sha256: config?.sha256 ?? Sha256Node,
    urlParser: config?.urlParser ?? parseUrl,
    utf8Decoder: config?.utf8Decoder ?? fromUtf8,
    utf8Encoder: config?.utf8Encoder ?? toUtf8
  };
};

// node_modules/@aws-sdk/client-ec2/dist-es/runtimeConfig.js
var getRuntimeConfig2 = (config) => {
  emitWarningIfUnsupportedVersion2(process.version);
  const defaultsMode = resolveDefaultsModeConfig(config);
  const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
  const clientSharedValues = getRuntimeConfig(config);
  emitWarningIfUnsupportedVersion(process.version);
  const loaderConfig = {
    profile: config?.profile,
    logger: clientSharedValues.logger
  };
  return {
    ...clientSharedValues,
    ...config,
    runtime: "node",
    defaultsMode,
    authSchemePreference: config?.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig),
    bodyLengthChecker: config?.bodyLengthChecker ?? calculateBodyLength,
    credentialDefaultProvider: config?.credentialDefaultProvider ?? defaultProvider,
    defaultSocketTimeout: getDefaultSocketTimeout(config?.requestHandler, 9e5),
    defaultUserAgentProvider: config?.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: clientSharedValues.serviceId, clientVersion: package_default.version }),
    maxAttempts: config?.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config),
    region: config?.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
    requestHandler: NodeHttpHandler.create(config?.requestHandler ?? defaultConfigProvider),
    retryMode: config?.retryMode ?? loadConfig({
      ...NODE_RETRY_MODE_CONFIG_OPTIONS,
      default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE
    }, config),
    streamCollector: config?.streamCollector ?? streamCollector,
    useDualstackEndpoint: config?.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
    useFipsEndpoint: config?.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
    userAgentAppId: config?.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig)
  };
};

// node_modules/@aws-sdk/client-ec2/dist-es/auth/httpAuthExtensionConfiguration.js
var getHttpAuthExtensionConfiguration = (runtimeConfig) => {
  const _httpAuthSchemes = runtimeConfig.httpAuthSchemes;
  let _httpAuthSchemeProvider = runtimeConfig.httpAuthSchemeProvider;
  let _credentials = runtimeConfig.credentials;
  return {
    setHttpAuthScheme(httpAuthScheme) {
      const index = _httpAuthSchemes.findIndex((scheme) => scheme.schemeId === httpAuthScheme.schemeId);
      if (index === -1) {
        _httpAuthSchemes.push(httpAuthScheme);
      } else {
        _httpAuthSchemes.splice(index, 1, httpAuthScheme);
      }
    },
    httpAuthSchemes() {
      return _httpAuthSchemes;
    },
    setHttpAuthSchemeProvider(httpAuthSchemeProvider) {
      _httpAuthSchemeProvider = httpAuthSchemeProvider;
    },
    httpAuthSchemeProvider() {
      return _httpAuthSchemeProvider;
    },
    setCredentials(credentials) {
      _credentials = credentials;
    },
    credentials() {
      return _credentials;
    }
  };
};
var resolveHttpAuthRuntimeConfig = (config) => {
  return {
    httpAuthSchemes: config.httpAuthSchemes(),
    httpAuthSchemeProvider: config.httpAuthSchemeProvider(),
    credentials: config.credentials()
  };
};

// node_modules/@aws-sdk/client-ec2/dist-es/runtimeExtensions.js
var resolveRuntimeExtensions = (runtimeConfig, extensions) => {
  const extensionConfiguration = Object.assign(getAwsRegionExtensionConfiguration(runtimeConfig), getDefaultExtensionConfiguration(runtimeConfig), getHttpHandlerExtensionConfiguration(runtimeConfig), getHttpAuthExtensionConfiguration(runtimeConfig));
  extensions.forEach((extension) => extension.configure(extensionConfiguration));
  return Object.assign(runtimeConfig, resolveAwsRegionExtensionConfiguration(extensionConfiguration), resolveDefaultRuntimeConfig(extensionConfiguration), resolveHttpHandlerRuntimeConfig(extensionConfiguration), resolveHttpAuthRuntimeConfig(extensionConfiguration));
};

// node_modules/@aws-sdk/client-ec2/dist-es/EC2Client.js
var EC2Client = class extends Client {
  config;
  constructor(...[configuration]) {
    const _config_0 = getRuntimeConfig2(configuration || {});
    super(_config_0);
    this.initConfig = _config_0;
    const _config_1 = resolveClientEndpointParameters(_config_0);
    const _config_2 = resolveUserAgentConfig(_config_1);
    const _config_3 = resolveRetryConfig(_config_2);
    const _config_4 = resolveRegionConfig(_config_3);
    const _config_5 = resolveHostHeaderConfig(_config_4);
    const _config_6 = resolveEndpointConfig(_config_5);
    const _config_7 = resolveHttpAuthSchemeConfig(_config_6);
    const _config_8 = resolveRuntimeExtensions(_config_7, configuration?.extensions || []);
    this.config = _config_8;
    this.middlewareStack.use(getSchemaSerdePlugin(this.config));
    this.middlewareStack.use(getUserAgentPlugin(this.config));
    this.middlewareStack.use(getRetryPlugin(this.config));
    this.middlewareStack.use(getContentLengthPlugin(this.config));
    this.middlewareStack.use(getHostHeaderPlugin(this.config));
    this.middlewareStack.use(getLoggerPlugin(this.config));
    this.middlewareStack.use(getRecursionDetectionPlugin(this.config));
    this.middlewareStack.use(getHttpAuthSchemeEndpointRuleSetPlugin(this.config, {
      httpAuthSchemeParametersProvider: defaultEC2HttpAuthSchemeParametersProvider,
      identityProviderConfigProvider: async (config) => new DefaultIdentityProviderConfig({
        "aws.auth#sigv4": config.credentials
      })
    }));
    this.middlewareStack.use(getHttpSigningPlugin(this.config));
  }
  destroy() {
    super.destroy();
  }
};

// node_modules/@aws-sdk/client-ssm/dist-es/auth/httpAuthSchemeProvider.js
var defaultSSMHttpAuthSchemeParametersProvider = async (config, context, input) => {
  return {
    operation: getSmithyContext(context).operation,
    region: await normalizeProvider(config.region)() || (() => {
      throw new Error("expected `region` to be configured for `aws.auth#sigv4`");
    })()
  };
};
function createAwsAuthSigv4HttpAuthOption2(authParameters) {
  return {
    schemeId: "aws.auth#sigv4",
    signingProperties: {
      name: "ssm",
      region: authParameters.region
    },
    propertiesExtractor: (config, context) => ({
      signingProperties: {
        config,
        context
      }
    })
  };
}
var defaultSSMHttpAuthSchemeProvider = (authParameters) => {
  const options = [];
  switch (authParameters.operation) {
    default: {
      options.push(createAwsAuthSigv4HttpAuthOption2(authParameters));
    }
  }
  return options;
};
var resolveHttpAuthSchemeConfig2 = (config) => {
  const config_0 = resolveAwsSdkSigV4Config(config);
  return Object.assign(config_0, {
    authSchemePreference: normalizeProvider(config.authSchemePreference ?? [])
  });
};

// node_modules/@aws-sdk/client-ssm/dist-es/endpoint/EndpointParameters.js
var resolveClientEndpointParameters2 = (options) => {
  return Object.assign(options, {
    useDualstackEndpoint: options.useDualstackEndpoint ?? false,
    useFipsEndpoint: options.useFipsEndpoint ?? false,
    defaultSigningName: "ssm"
  });
};
var commonParams2 = {
  UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
  Endpoint: { type: "builtInParams", name: "endpoint" },
  Region: { type: "builtInParams", name: "region" },
  UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" }
};

// node_modules/@aws-sdk/client-ssm/package.json
var package_default2 = {
  name: "@aws-sdk/client-ssm",
  version: "3.1169.0",
  description: "AWS SDK for JavaScript Ssm Client for Node.js, Browser and React Native",
  homepage: "https://github.com/aws/aws-sdk-js-v3/tree/main/clients/client-ssm",
  license: "Apache-2.0",
  author: {
    name: "AWS SDK for JavaScript Team",
    url: "https://aws.amazon.com/sdk-for-javascript/"
  },
  repository: {
    type: "git",
    url: "https://github.com/aws/aws-sdk-js-v3.git",
    directory: "clients/client-ssm"
  },
  files: [
    "dist-*/**"
  ],
  sideEffects: false,
  main: "./dist-cjs/index.js",
  module: "./dist-es/index.js",
  browser: {
    "./dist-es/runtimeConfig": "./dist-es/runtimeConfig.browser"
  },
  types: "./dist-types/index.d.ts",
  typesVersions: {
    "<4.5": {
      "dist-types/*": [
        "dist-types/ts3.4/*"
      ]
    }
  },
  "react-native": {
    "./dist-es/runtimeConfig": "./dist-es/runtimeConfig.native"
  },
  scripts: {
    build: "concurrently 'yarn:build:types' 'yarn:build:es' && yarn build:cjs",
    "build:cjs": "node ../../scripts/compilation/inline",
    "build:es": "premove dist-es && tsc -p tsconfig.es.json",
    "build:include:deps": 'yarn g:turbo run build -F="$npm_package_name"',
    "build:types": "premove dist-types && tsc -p tsconfig.types.json",
    "build:types:downlevel": "downlevel-dts dist-types dist-types/ts3.4",
    clean: "premove dist-cjs dist-es dist-types",
    "extract:docs": "api-extractor run --local",
    "generate:client": "node ../../scripts/generate-clients/single-service",
    "test:e2e": "yarn g:vitest run -c vitest.config.e2e.mts",
    "test:e2e:watch": "yarn g:vitest watch -c vitest.config.e2e.mts",
    "test:index": "tsc -p tsconfig.test.json && node ./test/index-objects.spec.mjs"
  },
  dependencies: {
    "@aws-sdk/core": "^3.981.0",
    "@aws-sdk/credential-provider-node": "^3.972.97",
    "@aws-sdk/types": "^3.975.1",
    "@smithy/core": "^3.40.0",
    "@smithy/fetch-http-handler": "^5.8.1",
    "@smithy/node-http-handler": "^4.14.2",
    "@smithy/types": "^4.20.0",
    tslib: "^2.6.2"
  },
  devDependencies: {
    "@tsconfig/node20": "20.1.8",
    "@types/node": "^20.14.8",
    concurrently: "7.0.0",
    "downlevel-dts": "0.10.1",
    premove: "4.0.0",
    typescript: "~7.0.2"
  },
  engines: {
    node: ">=20.0.0"
  }
};

// node_modules/@aws-sdk/client-ssm/dist-es/endpoint/bdd.js
var k2 = "ref";
var a2 = -1;
var b2 = true;
var c2 = "isSet";
var d2 = "PartitionResult";
var e2 = "booleanEquals";
var f2 = "getAttr";
var g2 = { [k2]: "Endpoint" };
var h2 = { [k2]: d2 };
var i2 = {};
var j2 = [{ [k2]: "Region" }];
var _data2 = {
  conditions: [
    [c2, [g2]],
    [c2, j2],
    ["aws.partition", j2, d2],
    [e2, [{ [k2]: "UseFIPS" }, b2]],
    [e2, [{ [k2]: "UseDualStack" }, b2]],
    [e2, [{ fn: f2, argv: [h2, "supportsDualStack"] }, b2]],
    [e2, [{ fn: f2, argv: [h2, "supportsFIPS"] }, b2]],
    ["stringEquals", [{ fn: f2, argv: [h2, "name"] }, "aws-us-gov"]]
  ],
  results: [
    [a2],
    [a2, "Invalid Configuration: FIPS and custom endpoint are not supported"],
    [a2, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
    [g2, i2],
    ["https://ssm-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", i2],
    [a2, "FIPS and DualStack are enabled, but this partition does not support one or both"],
    ["https://ssm.{Region}.amazonaws.com", i2],
    ["https://ssm-fips.{Region}.{PartitionResult#dnsSuffix}", i2],
    [a2, "FIPS is enabled but this partition does not support FIPS"],
    ["https://ssm.{Region}.{PartitionResult#dualStackDnsSuffix}", i2],
    [a2, "DualStack is enabled but this partition does not support DualStack"],
    ["https://ssm.{Region}.{PartitionResult#dnsSuffix}", i2],
    [a2, "Invalid Configuration: Missing Region"]
  ]
};
var root2 = 2;
var r2 = 1e8;
var nodes2 = new Int32Array([
  -1,
  1,
  -1,
  0,
  13,
  3,
  1,
  4,
  r2 + 12,
  2,
  5,
  r2 + 12,
  3,
  8,
  6,
  4,
  7,
  r2 + 11,
  5,
  r2 + 9,
  r2 + 10,
  4,
  11,
  9,
  6,
  10,
  r2 + 8,
  7,
  r2 + 6,
  r2 + 7,
  5,
  12,
  r2 + 5,
  6,
  r2 + 4,
  r2 + 5,
  3,
  r2 + 1,
  14,
  4,
  r2 + 2,
  r2 + 3
]);
var bdd2 = BinaryDecisionDiagram.from(nodes2, root2, _data2.conditions, _data2.results);

// node_modules/@aws-sdk/client-ssm/dist-es/endpoint/endpointResolver.js
var cache2 = new EndpointCache({
  size: 50,
  params: ["Endpoint", "Region", "UseDualStack", "UseFIPS"]
});
var defaultEndpointResolver2 = (endpointParams, context = {}) => {
  return cache2.get(endpointParams, () => decideEndpoint(bdd2, {
    endpointParams,
    logger: context.logger
  }));
};
customEndpointFunctions.aws = awsEndpointFunctions;

// node_modules/@aws-sdk/client-ssm/dist-es/models/SSMServiceException.js
var SSMServiceException = class _SSMServiceException extends ServiceException {
  static shapeId = "smithy.ts.sdk.synthetic.com.amazonaws.ssm#SSMServiceException";
  constructor(options) {
    super(options);
    Object.setPrototypeOf(this, _SSMServiceException.prototype);
  }
};

// node_modules/@aws-sdk/client-ssm/dist-es/models/errors.js
var AccessDeniedException = class _AccessDeniedException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AccessDeniedException";
  name = "AccessDeniedException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "AccessDeniedException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AccessDeniedException.prototype);
    this.Message = opts.Message;
  }
};
var InternalServerError = class _InternalServerError extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InternalServerError";
  name = "InternalServerError";
  $fault = "server";
  Message;
  constructor(opts) {
    super({
      name: "InternalServerError",
      $fault: "server",
      ...opts
    });
    Object.setPrototypeOf(this, _InternalServerError.prototype);
    this.Message = opts.Message;
  }
};
var InvalidResourceId = class _InvalidResourceId extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidResourceId";
  name = "InvalidResourceId";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidResourceId",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidResourceId.prototype);
  }
};
var InvalidResourceType = class _InvalidResourceType extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidResourceType";
  name = "InvalidResourceType";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidResourceType",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidResourceType.prototype);
  }
};
var TooManyTagsError = class _TooManyTagsError extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#TooManyTagsError";
  name = "TooManyTagsError";
  $fault = "client";
  constructor(opts) {
    super({
      name: "TooManyTagsError",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _TooManyTagsError.prototype);
  }
};
var TooManyUpdates = class _TooManyUpdates extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#TooManyUpdates";
  name = "TooManyUpdates";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "TooManyUpdates",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _TooManyUpdates.prototype);
    this.Message = opts.Message;
  }
};
var AlreadyExistsException = class _AlreadyExistsException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AlreadyExistsException";
  name = "AlreadyExistsException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "AlreadyExistsException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AlreadyExistsException.prototype);
    this.Message = opts.Message;
  }
};
var OpsItemConflictException = class _OpsItemConflictException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsItemConflictException";
  name = "OpsItemConflictException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "OpsItemConflictException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsItemConflictException.prototype);
    this.Message = opts.Message;
  }
};
var OpsItemInvalidParameterException = class _OpsItemInvalidParameterException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsItemInvalidParameterException";
  name = "OpsItemInvalidParameterException";
  $fault = "client";
  ParameterNames;
  Message;
  constructor(opts) {
    super({
      name: "OpsItemInvalidParameterException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsItemInvalidParameterException.prototype);
    this.ParameterNames = opts.ParameterNames;
    this.Message = opts.Message;
  }
};
var OpsItemLimitExceededException = class _OpsItemLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsItemLimitExceededException";
  name = "OpsItemLimitExceededException";
  $fault = "client";
  ResourceTypes;
  Limit;
  LimitType;
  Message;
  constructor(opts) {
    super({
      name: "OpsItemLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsItemLimitExceededException.prototype);
    this.ResourceTypes = opts.ResourceTypes;
    this.Limit = opts.Limit;
    this.LimitType = opts.LimitType;
    this.Message = opts.Message;
  }
};
var OpsItemNotFoundException = class _OpsItemNotFoundException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsItemNotFoundException";
  name = "OpsItemNotFoundException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "OpsItemNotFoundException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsItemNotFoundException.prototype);
    this.Message = opts.Message;
  }
};
var OpsItemRelatedItemAlreadyExistsException = class _OpsItemRelatedItemAlreadyExistsException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsItemRelatedItemAlreadyExistsException";
  name = "OpsItemRelatedItemAlreadyExistsException";
  $fault = "client";
  Message;
  ResourceUri;
  OpsItemId;
  constructor(opts) {
    super({
      name: "OpsItemRelatedItemAlreadyExistsException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsItemRelatedItemAlreadyExistsException.prototype);
    this.Message = opts.Message;
    this.ResourceUri = opts.ResourceUri;
    this.OpsItemId = opts.OpsItemId;
  }
};
var DuplicateInstanceId = class _DuplicateInstanceId extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#DuplicateInstanceId";
  name = "DuplicateInstanceId";
  $fault = "client";
  constructor(opts) {
    super({
      name: "DuplicateInstanceId",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _DuplicateInstanceId.prototype);
  }
};
var InvalidCommandId = class _InvalidCommandId extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidCommandId";
  name = "InvalidCommandId";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidCommandId",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidCommandId.prototype);
  }
};
var InvalidInstanceId = class _InvalidInstanceId extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidInstanceId";
  name = "InvalidInstanceId";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidInstanceId",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidInstanceId.prototype);
    this.Message = opts.Message;
  }
};
var DoesNotExistException = class _DoesNotExistException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#DoesNotExistException";
  name = "DoesNotExistException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "DoesNotExistException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _DoesNotExistException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidParameters = class _InvalidParameters extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidParameters";
  name = "InvalidParameters";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidParameters",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidParameters.prototype);
    this.Message = opts.Message;
  }
};
var AssociationAlreadyExists = class _AssociationAlreadyExists extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AssociationAlreadyExists";
  name = "AssociationAlreadyExists";
  $fault = "client";
  constructor(opts) {
    super({
      name: "AssociationAlreadyExists",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AssociationAlreadyExists.prototype);
  }
};
var AssociationLimitExceeded = class _AssociationLimitExceeded extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AssociationLimitExceeded";
  name = "AssociationLimitExceeded";
  $fault = "client";
  constructor(opts) {
    super({
      name: "AssociationLimitExceeded",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AssociationLimitExceeded.prototype);
  }
};
var InvalidDocument = class _InvalidDocument extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidDocument";
  name = "InvalidDocument";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidDocument",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidDocument.prototype);
    this.Message = opts.Message;
  }
};
var InvalidDocumentVersion = class _InvalidDocumentVersion extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidDocumentVersion";
  name = "InvalidDocumentVersion";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidDocumentVersion",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidDocumentVersion.prototype);
    this.Message = opts.Message;
  }
};
var InvalidOutputLocation = class _InvalidOutputLocation extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidOutputLocation";
  name = "InvalidOutputLocation";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidOutputLocation",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidOutputLocation.prototype);
  }
};
var InvalidSchedule = class _InvalidSchedule extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidSchedule";
  name = "InvalidSchedule";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidSchedule",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidSchedule.prototype);
    this.Message = opts.Message;
  }
};
var InvalidTag = class _InvalidTag extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidTag";
  name = "InvalidTag";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidTag",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidTag.prototype);
    this.Message = opts.Message;
  }
};
var InvalidTarget = class _InvalidTarget extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidTarget";
  name = "InvalidTarget";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidTarget",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidTarget.prototype);
    this.Message = opts.Message;
  }
};
var InvalidTargetMaps = class _InvalidTargetMaps extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidTargetMaps";
  name = "InvalidTargetMaps";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidTargetMaps",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidTargetMaps.prototype);
    this.Message = opts.Message;
  }
};
var UnsupportedPlatformType = class _UnsupportedPlatformType extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#UnsupportedPlatformType";
  name = "UnsupportedPlatformType";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "UnsupportedPlatformType",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _UnsupportedPlatformType.prototype);
    this.Message = opts.Message;
  }
};
var ConflictException = class _ConflictException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ConflictException";
  name = "ConflictException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "ConflictException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ConflictException.prototype);
    this.Message = opts.Message;
  }
};
var ServiceQuotaExceededException = class _ServiceQuotaExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ServiceQuotaExceededException";
  name = "ServiceQuotaExceededException";
  $fault = "client";
  Message;
  ResourceId;
  ResourceType;
  QuotaCode;
  ServiceCode;
  constructor(opts) {
    super({
      name: "ServiceQuotaExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ServiceQuotaExceededException.prototype);
    this.Message = opts.Message;
    this.ResourceId = opts.ResourceId;
    this.ResourceType = opts.ResourceType;
    this.QuotaCode = opts.QuotaCode;
    this.ServiceCode = opts.ServiceCode;
  }
};
var DocumentAlreadyExists = class _DocumentAlreadyExists extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#DocumentAlreadyExists";
  name = "DocumentAlreadyExists";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "DocumentAlreadyExists",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _DocumentAlreadyExists.prototype);
    this.Message = opts.Message;
  }
};
var DocumentLimitExceeded = class _DocumentLimitExceeded extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#DocumentLimitExceeded";
  name = "DocumentLimitExceeded";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "DocumentLimitExceeded",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _DocumentLimitExceeded.prototype);
    this.Message = opts.Message;
  }
};
var InvalidDocumentContent = class _InvalidDocumentContent extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidDocumentContent";
  name = "InvalidDocumentContent";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidDocumentContent",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidDocumentContent.prototype);
    this.Message = opts.Message;
  }
};
var InvalidDocumentSchemaVersion = class _InvalidDocumentSchemaVersion extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidDocumentSchemaVersion";
  name = "InvalidDocumentSchemaVersion";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidDocumentSchemaVersion",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidDocumentSchemaVersion.prototype);
    this.Message = opts.Message;
  }
};
var MaxDocumentSizeExceeded = class _MaxDocumentSizeExceeded extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#MaxDocumentSizeExceeded";
  name = "MaxDocumentSizeExceeded";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "MaxDocumentSizeExceeded",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _MaxDocumentSizeExceeded.prototype);
    this.Message = opts.Message;
  }
};
var NoLongerSupportedException = class _NoLongerSupportedException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#NoLongerSupportedException";
  name = "NoLongerSupportedException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "NoLongerSupportedException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _NoLongerSupportedException.prototype);
    this.Message = opts.Message;
  }
};
var IdempotentParameterMismatch = class _IdempotentParameterMismatch extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#IdempotentParameterMismatch";
  name = "IdempotentParameterMismatch";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "IdempotentParameterMismatch",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _IdempotentParameterMismatch.prototype);
    this.Message = opts.Message;
  }
};
var ResourceLimitExceededException = class _ResourceLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ResourceLimitExceededException";
  name = "ResourceLimitExceededException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "ResourceLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ResourceLimitExceededException.prototype);
    this.Message = opts.Message;
  }
};
var OpsItemAccessDeniedException = class _OpsItemAccessDeniedException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsItemAccessDeniedException";
  name = "OpsItemAccessDeniedException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "OpsItemAccessDeniedException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsItemAccessDeniedException.prototype);
    this.Message = opts.Message;
  }
};
var OpsItemAlreadyExistsException = class _OpsItemAlreadyExistsException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsItemAlreadyExistsException";
  name = "OpsItemAlreadyExistsException";
  $fault = "client";
  Message;
  OpsItemId;
  constructor(opts) {
    super({
      name: "OpsItemAlreadyExistsException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsItemAlreadyExistsException.prototype);
    this.Message = opts.Message;
    this.OpsItemId = opts.OpsItemId;
  }
};
var OpsMetadataAlreadyExistsException = class _OpsMetadataAlreadyExistsException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsMetadataAlreadyExistsException";
  name = "OpsMetadataAlreadyExistsException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "OpsMetadataAlreadyExistsException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsMetadataAlreadyExistsException.prototype);
  }
};
var OpsMetadataInvalidArgumentException = class _OpsMetadataInvalidArgumentException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsMetadataInvalidArgumentException";
  name = "OpsMetadataInvalidArgumentException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "OpsMetadataInvalidArgumentException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsMetadataInvalidArgumentException.prototype);
  }
};
var OpsMetadataLimitExceededException = class _OpsMetadataLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsMetadataLimitExceededException";
  name = "OpsMetadataLimitExceededException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "OpsMetadataLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsMetadataLimitExceededException.prototype);
  }
};
var OpsMetadataTooManyUpdatesException = class _OpsMetadataTooManyUpdatesException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsMetadataTooManyUpdatesException";
  name = "OpsMetadataTooManyUpdatesException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "OpsMetadataTooManyUpdatesException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsMetadataTooManyUpdatesException.prototype);
  }
};
var ResourceDataSyncAlreadyExistsException = class _ResourceDataSyncAlreadyExistsException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ResourceDataSyncAlreadyExistsException";
  name = "ResourceDataSyncAlreadyExistsException";
  $fault = "client";
  SyncName;
  constructor(opts) {
    super({
      name: "ResourceDataSyncAlreadyExistsException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ResourceDataSyncAlreadyExistsException.prototype);
    this.SyncName = opts.SyncName;
  }
};
var ResourceDataSyncCountExceededException = class _ResourceDataSyncCountExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ResourceDataSyncCountExceededException";
  name = "ResourceDataSyncCountExceededException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "ResourceDataSyncCountExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ResourceDataSyncCountExceededException.prototype);
    this.Message = opts.Message;
  }
};
var ResourceDataSyncInvalidConfigurationException = class _ResourceDataSyncInvalidConfigurationException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ResourceDataSyncInvalidConfigurationException";
  name = "ResourceDataSyncInvalidConfigurationException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "ResourceDataSyncInvalidConfigurationException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ResourceDataSyncInvalidConfigurationException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidActivation = class _InvalidActivation extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidActivation";
  name = "InvalidActivation";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidActivation",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidActivation.prototype);
    this.Message = opts.Message;
  }
};
var InvalidActivationId = class _InvalidActivationId extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidActivationId";
  name = "InvalidActivationId";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidActivationId",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidActivationId.prototype);
    this.Message = opts.Message;
  }
};
var AssociationDoesNotExist = class _AssociationDoesNotExist extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AssociationDoesNotExist";
  name = "AssociationDoesNotExist";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "AssociationDoesNotExist",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AssociationDoesNotExist.prototype);
    this.Message = opts.Message;
  }
};
var ResourceNotFoundException = class _ResourceNotFoundException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ResourceNotFoundException";
  name = "ResourceNotFoundException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "ResourceNotFoundException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ResourceNotFoundException.prototype);
    this.Message = opts.Message;
  }
};
var AssociatedInstances = class _AssociatedInstances extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AssociatedInstances";
  name = "AssociatedInstances";
  $fault = "client";
  constructor(opts) {
    super({
      name: "AssociatedInstances",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AssociatedInstances.prototype);
  }
};
var InvalidDocumentOperation = class _InvalidDocumentOperation extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidDocumentOperation";
  name = "InvalidDocumentOperation";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidDocumentOperation",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidDocumentOperation.prototype);
    this.Message = opts.Message;
  }
};
var InvalidDeleteInventoryParametersException = class _InvalidDeleteInventoryParametersException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidDeleteInventoryParametersException";
  name = "InvalidDeleteInventoryParametersException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidDeleteInventoryParametersException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidDeleteInventoryParametersException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidInventoryRequestException = class _InvalidInventoryRequestException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidInventoryRequestException";
  name = "InvalidInventoryRequestException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidInventoryRequestException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidInventoryRequestException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidOptionException = class _InvalidOptionException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidOptionException";
  name = "InvalidOptionException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidOptionException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidOptionException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidTypeNameException = class _InvalidTypeNameException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidTypeNameException";
  name = "InvalidTypeNameException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidTypeNameException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidTypeNameException.prototype);
    this.Message = opts.Message;
  }
};
var OpsMetadataNotFoundException = class _OpsMetadataNotFoundException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsMetadataNotFoundException";
  name = "OpsMetadataNotFoundException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "OpsMetadataNotFoundException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsMetadataNotFoundException.prototype);
  }
};
var ParameterNotFound = class _ParameterNotFound extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ParameterNotFound";
  name = "ParameterNotFound";
  $fault = "client";
  constructor(opts) {
    super({
      name: "ParameterNotFound",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ParameterNotFound.prototype);
  }
};
var ResourceInUseException = class _ResourceInUseException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ResourceInUseException";
  name = "ResourceInUseException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "ResourceInUseException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ResourceInUseException.prototype);
    this.Message = opts.Message;
  }
};
var ResourceDataSyncNotFoundException = class _ResourceDataSyncNotFoundException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ResourceDataSyncNotFoundException";
  name = "ResourceDataSyncNotFoundException";
  $fault = "client";
  SyncName;
  SyncType;
  Message;
  constructor(opts) {
    super({
      name: "ResourceDataSyncNotFoundException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ResourceDataSyncNotFoundException.prototype);
    this.SyncName = opts.SyncName;
    this.SyncType = opts.SyncType;
    this.Message = opts.Message;
  }
};
var MalformedResourcePolicyDocumentException = class _MalformedResourcePolicyDocumentException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#MalformedResourcePolicyDocumentException";
  name = "MalformedResourcePolicyDocumentException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "MalformedResourcePolicyDocumentException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _MalformedResourcePolicyDocumentException.prototype);
    this.Message = opts.Message;
  }
};
var ResourcePolicyConflictException = class _ResourcePolicyConflictException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ResourcePolicyConflictException";
  name = "ResourcePolicyConflictException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "ResourcePolicyConflictException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ResourcePolicyConflictException.prototype);
    this.Message = opts.Message;
  }
};
var ResourcePolicyInvalidParameterException = class _ResourcePolicyInvalidParameterException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ResourcePolicyInvalidParameterException";
  name = "ResourcePolicyInvalidParameterException";
  $fault = "client";
  ParameterNames;
  Message;
  constructor(opts) {
    super({
      name: "ResourcePolicyInvalidParameterException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ResourcePolicyInvalidParameterException.prototype);
    this.ParameterNames = opts.ParameterNames;
    this.Message = opts.Message;
  }
};
var ResourcePolicyNotFoundException = class _ResourcePolicyNotFoundException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ResourcePolicyNotFoundException";
  name = "ResourcePolicyNotFoundException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "ResourcePolicyNotFoundException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ResourcePolicyNotFoundException.prototype);
    this.Message = opts.Message;
  }
};
var TargetInUseException = class _TargetInUseException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#TargetInUseException";
  name = "TargetInUseException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "TargetInUseException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _TargetInUseException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidFilter = class _InvalidFilter extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidFilter";
  name = "InvalidFilter";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidFilter",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidFilter.prototype);
    this.Message = opts.Message;
  }
};
var InvalidNextToken = class _InvalidNextToken extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidNextToken";
  name = "InvalidNextToken";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidNextToken",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidNextToken.prototype);
    this.Message = opts.Message;
  }
};
var InvalidAssociationVersion = class _InvalidAssociationVersion extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidAssociationVersion";
  name = "InvalidAssociationVersion";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidAssociationVersion",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidAssociationVersion.prototype);
    this.Message = opts.Message;
  }
};
var AssociationExecutionDoesNotExist = class _AssociationExecutionDoesNotExist extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AssociationExecutionDoesNotExist";
  name = "AssociationExecutionDoesNotExist";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "AssociationExecutionDoesNotExist",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AssociationExecutionDoesNotExist.prototype);
    this.Message = opts.Message;
  }
};
var InvalidFilterKey = class _InvalidFilterKey extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidFilterKey";
  name = "InvalidFilterKey";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidFilterKey",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidFilterKey.prototype);
  }
};
var InvalidFilterValue = class _InvalidFilterValue extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidFilterValue";
  name = "InvalidFilterValue";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidFilterValue",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidFilterValue.prototype);
    this.Message = opts.Message;
  }
};
var AutomationExecutionNotFoundException = class _AutomationExecutionNotFoundException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AutomationExecutionNotFoundException";
  name = "AutomationExecutionNotFoundException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "AutomationExecutionNotFoundException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AutomationExecutionNotFoundException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidPermissionType = class _InvalidPermissionType extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidPermissionType";
  name = "InvalidPermissionType";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidPermissionType",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidPermissionType.prototype);
    this.Message = opts.Message;
  }
};
var UnsupportedOperatingSystem = class _UnsupportedOperatingSystem extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#UnsupportedOperatingSystem";
  name = "UnsupportedOperatingSystem";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "UnsupportedOperatingSystem",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _UnsupportedOperatingSystem.prototype);
    this.Message = opts.Message;
  }
};
var InvalidInstanceInformationFilterValue = class _InvalidInstanceInformationFilterValue extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidInstanceInformationFilterValue";
  name = "InvalidInstanceInformationFilterValue";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidInstanceInformationFilterValue",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidInstanceInformationFilterValue.prototype);
  }
};
var InvalidInstancePropertyFilterValue = class _InvalidInstancePropertyFilterValue extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidInstancePropertyFilterValue";
  name = "InvalidInstancePropertyFilterValue";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidInstancePropertyFilterValue",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidInstancePropertyFilterValue.prototype);
  }
};
var InvalidDeletionIdException = class _InvalidDeletionIdException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidDeletionIdException";
  name = "InvalidDeletionIdException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidDeletionIdException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidDeletionIdException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidFilterOption = class _InvalidFilterOption extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidFilterOption";
  name = "InvalidFilterOption";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidFilterOption",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidFilterOption.prototype);
  }
};
var OpsItemRelatedItemAssociationNotFoundException = class _OpsItemRelatedItemAssociationNotFoundException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsItemRelatedItemAssociationNotFoundException";
  name = "OpsItemRelatedItemAssociationNotFoundException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "OpsItemRelatedItemAssociationNotFoundException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsItemRelatedItemAssociationNotFoundException.prototype);
    this.Message = opts.Message;
  }
};
var ThrottlingException = class _ThrottlingException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ThrottlingException";
  name = "ThrottlingException";
  $fault = "client";
  Message;
  QuotaCode;
  ServiceCode;
  constructor(opts) {
    super({
      name: "ThrottlingException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ThrottlingException.prototype);
    this.Message = opts.Message;
    this.QuotaCode = opts.QuotaCode;
    this.ServiceCode = opts.ServiceCode;
  }
};
var ValidationException = class _ValidationException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ValidationException";
  name = "ValidationException";
  $fault = "client";
  Message;
  ReasonCode;
  constructor(opts) {
    super({
      name: "ValidationException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ValidationException.prototype);
    this.Message = opts.Message;
    this.ReasonCode = opts.ReasonCode;
  }
};
var InvalidDocumentType = class _InvalidDocumentType extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidDocumentType";
  name = "InvalidDocumentType";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidDocumentType",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidDocumentType.prototype);
    this.Message = opts.Message;
  }
};
var UnsupportedCalendarException = class _UnsupportedCalendarException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#UnsupportedCalendarException";
  name = "UnsupportedCalendarException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "UnsupportedCalendarException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _UnsupportedCalendarException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidPluginName = class _InvalidPluginName extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidPluginName";
  name = "InvalidPluginName";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidPluginName",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidPluginName.prototype);
  }
};
var InvocationDoesNotExist = class _InvocationDoesNotExist extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvocationDoesNotExist";
  name = "InvocationDoesNotExist";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvocationDoesNotExist",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvocationDoesNotExist.prototype);
  }
};
var UnsupportedFeatureRequiredException = class _UnsupportedFeatureRequiredException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#UnsupportedFeatureRequiredException";
  name = "UnsupportedFeatureRequiredException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "UnsupportedFeatureRequiredException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _UnsupportedFeatureRequiredException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidAggregatorException = class _InvalidAggregatorException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidAggregatorException";
  name = "InvalidAggregatorException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidAggregatorException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidAggregatorException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidInventoryGroupException = class _InvalidInventoryGroupException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidInventoryGroupException";
  name = "InvalidInventoryGroupException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidInventoryGroupException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidInventoryGroupException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidResultAttributeException = class _InvalidResultAttributeException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidResultAttributeException";
  name = "InvalidResultAttributeException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidResultAttributeException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidResultAttributeException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidKeyId = class _InvalidKeyId extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidKeyId";
  name = "InvalidKeyId";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidKeyId",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidKeyId.prototype);
  }
};
var ParameterVersionNotFound = class _ParameterVersionNotFound extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ParameterVersionNotFound";
  name = "ParameterVersionNotFound";
  $fault = "client";
  constructor(opts) {
    super({
      name: "ParameterVersionNotFound",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ParameterVersionNotFound.prototype);
  }
};
var ServiceSettingNotFound = class _ServiceSettingNotFound extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ServiceSettingNotFound";
  name = "ServiceSettingNotFound";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "ServiceSettingNotFound",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ServiceSettingNotFound.prototype);
    this.Message = opts.Message;
  }
};
var ParameterVersionLabelLimitExceeded = class _ParameterVersionLabelLimitExceeded extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ParameterVersionLabelLimitExceeded";
  name = "ParameterVersionLabelLimitExceeded";
  $fault = "client";
  constructor(opts) {
    super({
      name: "ParameterVersionLabelLimitExceeded",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ParameterVersionLabelLimitExceeded.prototype);
  }
};
var UnsupportedOperationException = class _UnsupportedOperationException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#UnsupportedOperationException";
  name = "UnsupportedOperationException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "UnsupportedOperationException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _UnsupportedOperationException.prototype);
    this.Message = opts.Message;
  }
};
var DocumentPermissionLimit = class _DocumentPermissionLimit extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#DocumentPermissionLimit";
  name = "DocumentPermissionLimit";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "DocumentPermissionLimit",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _DocumentPermissionLimit.prototype);
    this.Message = opts.Message;
  }
};
var ComplianceTypeCountLimitExceededException = class _ComplianceTypeCountLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ComplianceTypeCountLimitExceededException";
  name = "ComplianceTypeCountLimitExceededException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "ComplianceTypeCountLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ComplianceTypeCountLimitExceededException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidItemContentException = class _InvalidItemContentException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidItemContentException";
  name = "InvalidItemContentException";
  $fault = "client";
  TypeName;
  Message;
  constructor(opts) {
    super({
      name: "InvalidItemContentException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidItemContentException.prototype);
    this.TypeName = opts.TypeName;
    this.Message = opts.Message;
  }
};
var ItemSizeLimitExceededException = class _ItemSizeLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ItemSizeLimitExceededException";
  name = "ItemSizeLimitExceededException";
  $fault = "client";
  TypeName;
  Message;
  constructor(opts) {
    super({
      name: "ItemSizeLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ItemSizeLimitExceededException.prototype);
    this.TypeName = opts.TypeName;
    this.Message = opts.Message;
  }
};
var TotalSizeLimitExceededException = class _TotalSizeLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#TotalSizeLimitExceededException";
  name = "TotalSizeLimitExceededException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "TotalSizeLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _TotalSizeLimitExceededException.prototype);
    this.Message = opts.Message;
  }
};
var CustomSchemaCountLimitExceededException = class _CustomSchemaCountLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#CustomSchemaCountLimitExceededException";
  name = "CustomSchemaCountLimitExceededException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "CustomSchemaCountLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _CustomSchemaCountLimitExceededException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidInventoryItemContextException = class _InvalidInventoryItemContextException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidInventoryItemContextException";
  name = "InvalidInventoryItemContextException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidInventoryItemContextException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidInventoryItemContextException.prototype);
    this.Message = opts.Message;
  }
};
var ItemContentMismatchException = class _ItemContentMismatchException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ItemContentMismatchException";
  name = "ItemContentMismatchException";
  $fault = "client";
  TypeName;
  Message;
  constructor(opts) {
    super({
      name: "ItemContentMismatchException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ItemContentMismatchException.prototype);
    this.TypeName = opts.TypeName;
    this.Message = opts.Message;
  }
};
var SubTypeCountLimitExceededException = class _SubTypeCountLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#SubTypeCountLimitExceededException";
  name = "SubTypeCountLimitExceededException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "SubTypeCountLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _SubTypeCountLimitExceededException.prototype);
    this.Message = opts.Message;
  }
};
var UnsupportedInventoryItemContextException = class _UnsupportedInventoryItemContextException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#UnsupportedInventoryItemContextException";
  name = "UnsupportedInventoryItemContextException";
  $fault = "client";
  TypeName;
  Message;
  constructor(opts) {
    super({
      name: "UnsupportedInventoryItemContextException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _UnsupportedInventoryItemContextException.prototype);
    this.TypeName = opts.TypeName;
    this.Message = opts.Message;
  }
};
var UnsupportedInventorySchemaVersionException = class _UnsupportedInventorySchemaVersionException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#UnsupportedInventorySchemaVersionException";
  name = "UnsupportedInventorySchemaVersionException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "UnsupportedInventorySchemaVersionException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _UnsupportedInventorySchemaVersionException.prototype);
    this.Message = opts.Message;
  }
};
var HierarchyLevelLimitExceededException = class _HierarchyLevelLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#HierarchyLevelLimitExceededException";
  name = "HierarchyLevelLimitExceededException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "HierarchyLevelLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _HierarchyLevelLimitExceededException.prototype);
  }
};
var HierarchyTypeMismatchException = class _HierarchyTypeMismatchException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#HierarchyTypeMismatchException";
  name = "HierarchyTypeMismatchException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "HierarchyTypeMismatchException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _HierarchyTypeMismatchException.prototype);
  }
};
var IncompatiblePolicyException = class _IncompatiblePolicyException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#IncompatiblePolicyException";
  name = "IncompatiblePolicyException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "IncompatiblePolicyException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _IncompatiblePolicyException.prototype);
  }
};
var InvalidAllowedPatternException = class _InvalidAllowedPatternException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidAllowedPatternException";
  name = "InvalidAllowedPatternException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidAllowedPatternException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidAllowedPatternException.prototype);
  }
};
var InvalidPolicyAttributeException = class _InvalidPolicyAttributeException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidPolicyAttributeException";
  name = "InvalidPolicyAttributeException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidPolicyAttributeException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidPolicyAttributeException.prototype);
  }
};
var InvalidPolicyTypeException = class _InvalidPolicyTypeException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidPolicyTypeException";
  name = "InvalidPolicyTypeException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidPolicyTypeException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidPolicyTypeException.prototype);
  }
};
var ParameterAlreadyExists = class _ParameterAlreadyExists extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ParameterAlreadyExists";
  name = "ParameterAlreadyExists";
  $fault = "client";
  constructor(opts) {
    super({
      name: "ParameterAlreadyExists",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ParameterAlreadyExists.prototype);
  }
};
var ParameterLimitExceeded = class _ParameterLimitExceeded extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ParameterLimitExceeded";
  name = "ParameterLimitExceeded";
  $fault = "client";
  constructor(opts) {
    super({
      name: "ParameterLimitExceeded",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ParameterLimitExceeded.prototype);
  }
};
var ParameterMaxVersionLimitExceeded = class _ParameterMaxVersionLimitExceeded extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ParameterMaxVersionLimitExceeded";
  name = "ParameterMaxVersionLimitExceeded";
  $fault = "client";
  constructor(opts) {
    super({
      name: "ParameterMaxVersionLimitExceeded",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ParameterMaxVersionLimitExceeded.prototype);
  }
};
var ParameterPatternMismatchException = class _ParameterPatternMismatchException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ParameterPatternMismatchException";
  name = "ParameterPatternMismatchException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "ParameterPatternMismatchException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ParameterPatternMismatchException.prototype);
  }
};
var PoliciesLimitExceededException = class _PoliciesLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#PoliciesLimitExceededException";
  name = "PoliciesLimitExceededException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "PoliciesLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _PoliciesLimitExceededException.prototype);
  }
};
var UnsupportedParameterType = class _UnsupportedParameterType extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#UnsupportedParameterType";
  name = "UnsupportedParameterType";
  $fault = "client";
  constructor(opts) {
    super({
      name: "UnsupportedParameterType",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _UnsupportedParameterType.prototype);
  }
};
var ResourcePolicyLimitExceededException = class _ResourcePolicyLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ResourcePolicyLimitExceededException";
  name = "ResourcePolicyLimitExceededException";
  $fault = "client";
  Limit;
  LimitType;
  Message;
  constructor(opts) {
    super({
      name: "ResourcePolicyLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ResourcePolicyLimitExceededException.prototype);
    this.Limit = opts.Limit;
    this.LimitType = opts.LimitType;
    this.Message = opts.Message;
  }
};
var FeatureNotAvailableException = class _FeatureNotAvailableException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#FeatureNotAvailableException";
  name = "FeatureNotAvailableException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "FeatureNotAvailableException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _FeatureNotAvailableException.prototype);
    this.Message = opts.Message;
  }
};
var AutomationStepNotFoundException = class _AutomationStepNotFoundException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AutomationStepNotFoundException";
  name = "AutomationStepNotFoundException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "AutomationStepNotFoundException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AutomationStepNotFoundException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidAutomationSignalException = class _InvalidAutomationSignalException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidAutomationSignalException";
  name = "InvalidAutomationSignalException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidAutomationSignalException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidAutomationSignalException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidNotificationConfig = class _InvalidNotificationConfig extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidNotificationConfig";
  name = "InvalidNotificationConfig";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidNotificationConfig",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidNotificationConfig.prototype);
    this.Message = opts.Message;
  }
};
var InvalidOutputFolder = class _InvalidOutputFolder extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidOutputFolder";
  name = "InvalidOutputFolder";
  $fault = "client";
  constructor(opts) {
    super({
      name: "InvalidOutputFolder",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidOutputFolder.prototype);
  }
};
var InvalidRole = class _InvalidRole extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidRole";
  name = "InvalidRole";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidRole",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidRole.prototype);
    this.Message = opts.Message;
  }
};
var InvalidAssociation = class _InvalidAssociation extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidAssociation";
  name = "InvalidAssociation";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidAssociation",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidAssociation.prototype);
    this.Message = opts.Message;
  }
};
var AutomationDefinitionNotFoundException = class _AutomationDefinitionNotFoundException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AutomationDefinitionNotFoundException";
  name = "AutomationDefinitionNotFoundException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "AutomationDefinitionNotFoundException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AutomationDefinitionNotFoundException.prototype);
    this.Message = opts.Message;
  }
};
var AutomationDefinitionVersionNotFoundException = class _AutomationDefinitionVersionNotFoundException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AutomationDefinitionVersionNotFoundException";
  name = "AutomationDefinitionVersionNotFoundException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "AutomationDefinitionVersionNotFoundException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AutomationDefinitionVersionNotFoundException.prototype);
    this.Message = opts.Message;
  }
};
var AutomationExecutionLimitExceededException = class _AutomationExecutionLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AutomationExecutionLimitExceededException";
  name = "AutomationExecutionLimitExceededException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "AutomationExecutionLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AutomationExecutionLimitExceededException.prototype);
    this.Message = opts.Message;
  }
};
var InvalidAutomationExecutionParametersException = class _InvalidAutomationExecutionParametersException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidAutomationExecutionParametersException";
  name = "InvalidAutomationExecutionParametersException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidAutomationExecutionParametersException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidAutomationExecutionParametersException.prototype);
    this.Message = opts.Message;
  }
};
var AutomationDefinitionNotApprovedException = class _AutomationDefinitionNotApprovedException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AutomationDefinitionNotApprovedException";
  name = "AutomationDefinitionNotApprovedException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "AutomationDefinitionNotApprovedException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AutomationDefinitionNotApprovedException.prototype);
    this.Message = opts.Message;
  }
};
var TargetNotConnected = class _TargetNotConnected extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#TargetNotConnected";
  name = "TargetNotConnected";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "TargetNotConnected",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _TargetNotConnected.prototype);
    this.Message = opts.Message;
  }
};
var InvalidAutomationStatusUpdateException = class _InvalidAutomationStatusUpdateException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidAutomationStatusUpdateException";
  name = "InvalidAutomationStatusUpdateException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidAutomationStatusUpdateException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidAutomationStatusUpdateException.prototype);
    this.Message = opts.Message;
  }
};
var AssociationVersionLimitExceeded = class _AssociationVersionLimitExceeded extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#AssociationVersionLimitExceeded";
  name = "AssociationVersionLimitExceeded";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "AssociationVersionLimitExceeded",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _AssociationVersionLimitExceeded.prototype);
    this.Message = opts.Message;
  }
};
var InvalidUpdate = class _InvalidUpdate extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#InvalidUpdate";
  name = "InvalidUpdate";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "InvalidUpdate",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _InvalidUpdate.prototype);
    this.Message = opts.Message;
  }
};
var StatusUnchanged = class _StatusUnchanged extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#StatusUnchanged";
  name = "StatusUnchanged";
  $fault = "client";
  constructor(opts) {
    super({
      name: "StatusUnchanged",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _StatusUnchanged.prototype);
  }
};
var DocumentVersionLimitExceeded = class _DocumentVersionLimitExceeded extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#DocumentVersionLimitExceeded";
  name = "DocumentVersionLimitExceeded";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "DocumentVersionLimitExceeded",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _DocumentVersionLimitExceeded.prototype);
    this.Message = opts.Message;
  }
};
var DuplicateDocumentContent = class _DuplicateDocumentContent extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#DuplicateDocumentContent";
  name = "DuplicateDocumentContent";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "DuplicateDocumentContent",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _DuplicateDocumentContent.prototype);
    this.Message = opts.Message;
  }
};
var DuplicateDocumentVersionName = class _DuplicateDocumentVersionName extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#DuplicateDocumentVersionName";
  name = "DuplicateDocumentVersionName";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "DuplicateDocumentVersionName",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _DuplicateDocumentVersionName.prototype);
    this.Message = opts.Message;
  }
};
var OpsMetadataKeyLimitExceededException = class _OpsMetadataKeyLimitExceededException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#OpsMetadataKeyLimitExceededException";
  name = "OpsMetadataKeyLimitExceededException";
  $fault = "client";
  constructor(opts) {
    super({
      name: "OpsMetadataKeyLimitExceededException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _OpsMetadataKeyLimitExceededException.prototype);
  }
};
var ResourceDataSyncConflictException = class _ResourceDataSyncConflictException extends SSMServiceException {
  static shapeId = "com.amazonaws.ssm#ResourceDataSyncConflictException";
  name = "ResourceDataSyncConflictException";
  $fault = "client";
  Message;
  constructor(opts) {
    super({
      name: "ResourceDataSyncConflictException",
      $fault: "client",
      ...opts
    });
    Object.setPrototypeOf(this, _ResourceDataSyncConflictException.prototype);
    this.Message = opts.Message;
  }
};

// node_modules/@aws-sdk/client-ssm/dist-es/schemas/schemas_0.js
var _AA = "AutoApprove";
var _AAD = "ApproveAfterDays";
var _AAE = "AssociationAlreadyExists";
var _AC2 = "AlarmConfiguration";
var _AD = "AssociationDescription";
var _ADAR = "AssociationDispatchAssumeRole";
var _ADE = "AccessDeniedException";
var _ADNAE = "AutomationDefinitionNotApprovedException";
var _ADNE = "AssociationDoesNotExist";
var _ADNFE = "AutomationDefinitionNotFoundException";
var _ADVNFE = "AutomationDefinitionVersionNotFoundException";
var _AEDNE = "AssociationExecutionDoesNotExist";
var _AEE = "AlreadyExistsException";
var _AEFu = "AutomationExecutionFilter";
var _AEI = "AutomationExecutionId";
var _AEIu = "AutomationExecutionInputs";
var _AELEE = "AutomationExecutionLimitExceededException";
var _AEM = "AutomationExecutionMetadata";
var _AENFE = "AutomationExecutionNotFoundException";
var _AEP = "AutomationExecutionPreview";
var _AES = "AutomationExecutionStatus";
var _AETc = "ActualEndTime";
var _AEu = "AutomationExecution";
var _AI = "AssociatedInstances";
var _AILt = "AttachmentInformationList";
var _AIct = "ActivationId";
var _AId2 = "AdditionalInfo";
var _AIdv = "AdvisoryIds";
var _AIs = "AssociationId";
var _AIss2 = "AssociationIds";
var _AIt = "AttachmentInformation";
var _AItt2 = "AttachmentsInformation";
var _ALE = "AssociationLimitExceeded";
var _ALl = "AlarmList";
var _AN = "AssociationName";
var _ANt = "AttributeName";
var _AO = "AssociationOverview";
var _AOACI = "ApplyOnlyAtCronInterval";
var _AOS = "AwsOrganizationsSource";
var _AP = "ApprovedPatches";
var _APCL = "ApprovedPatchesComplianceLevel";
var _APENS = "ApprovedPatchesEnableNonSecurity";
var _APM = "AutomationParameterMap";
var _APl = "AllowedPattern";
var _AR = "ApprovalRules";
var _ARN = "ARN";
var _AS = "AssociationStatus";
var _ASAC = "AssociationStatusAggregatedCount";
var _ASILl = "AlarmStateInformationList";
var _ASIl = "AlarmStateInformation";
var _ASNFE = "AutomationStepNotFoundException";
var _AST = "ActualStartTime";
var _ASUCS = "AvailableSecurityUpdatesComplianceStatus";
var _ASt = "AttachmentsSource";
var _ASu = "AutomationSubtype";
var _ATPN = "AutomationTargetParameterName";
var _ATgg = "AggregatorType";
var _ATt = "AtTime";
var _ATu = "AutomationType";
var _ATut = "AutomationTargets";
var _AUD = "ApproveUntilDate";
var _AV = "AssociationVersion";
var _AVI = "AssociationVersionInfo";
var _AVLE = "AssociationVersionLimitExceeded";
var _AVg = "AgentVersion";
var _AVp = "ApprovedVersion";
var _Ac = "Action";
var _Acc2 = "Accounts";
var _Ag = "Aggregators";
var _Agg = "Aggregator";
var _Al = "Alarm";
var _Ala = "Alarms";
var _Arc2 = "Arch";
var _Arn = "Arn";
var _As = "Association";
var _Au = "Author";
var _BI = "BaselineId";
var _BIu = "BugzillaIds";
var _BO = "BaselineOverride";
var _C = "Command";
var _CA = "CurrentAction";
var _CABRE = "CreateAssociationBatchRequestEntry";
var _CARre = "CreateAssociationRequest";
var _CC = "CompletedCount";
var _CCF = "CloudConnectorFilter";
var _CCR = "CancelCommandRequest";
var _CCRa = "CancelCommandResult";
var _CCa = "CancelCommand";
var _CD = "CreatedDate";
var _CDh = "ChangeDetails";
var _CE = "ConflictException";
var _CES = "ComplianceExecutionSummary";
var _CEa = "CategoryEnum";
var _CF = "CommandFilter";
var _CFL = "CommandFilterList";
var _CFo = "ComplianceFilter";
var _CH = "ContentHash";
var _CI2 = "CommandId";
var _CIE = "ComplianceItemEntry";
var _CIL = "CommandInvocationList";
var _CIo = "CommandInvocation";
var _CIom = "ComplianceItem";
var _CIomm = "CommandInvocations";
var _CL = "ComplianceLevel";
var _CN = "CalendarNames";
var _CNo = "ComputerName";
var _CP = "CommandPlugins";
var _CPBR = "CreatePatchBaselineRequest";
var _CPL = "CommandPluginList";
var _CPo = "CommandPlugin";
var _CRN = "ChangeRequestName";
var _CS = "ComplianceSeverity";
var _CSCLEE = "CustomSchemaCountLimitExceededException";
var _CSF = "ComplianceStringFilter";
var _CSFL = "ComplianceStringFilterList";
var _CSFVL = "ComplianceStringFilterValueList";
var _CSN = "CurrentStepName";
var _CSa = "CancelledSteps";
var _CTCLEE = "ComplianceTypeCountLimitExceededException";
var _CTa = "CaptureTime";
var _CTl = "ClientToken";
var _CTo = "ComplianceType";
var _CU = "ContentUrl";
var _CVEI = "CVEIds";
var _CWLGN = "CloudWatchLogGroupName";
var _CWOC = "CloudWatchOutputConfig";
var _CWOE = "CloudWatchOutputEnabled";
var _Ca = "Category";
var _Cl = "Classification";
var _Co2 = "Comment";
var _Con = "Configuration";
var _Cont = "Content";
var _Conte = "Context";
var _Cou2 = "Count";
var _D = "Description";
var _DAE = "DocumentAlreadyExists";
var _DAF = "DescribeActivationsFilter";
var _DD = "DocumentDescription";
var _DDC = "DuplicateDocumentContent";
var _DDVN = "DuplicateDocumentVersionName";
var _DF = "DocumentFormat";
var _DH = "DocumentHash";
var _DHT = "DocumentHashType";
var _DII = "DuplicateInstanceId";
var _DIIR = "DescribeInstanceInformationRequest";
var _DIIRe = "DescribeInstanceInformationResult";
var _DIIe = "DescribeInstanceInformation";
var _DIPSR = "DescribeInstancePatchStatesRequest";
var _DKVF = "DocumentKeyValuesFilter";
var _DLE = "DocumentLimitExceeded";
var _DN2 = "DocumentName";
var _DNEE = "DoesNotExistException";
var _DNi = "DisplayName";
var _DP = "DeletedParameters";
var _DPL = "DocumentPermissionLimit";
var _DPLo = "DocumentParameterList";
var _DPPRe = "DescribePatchPropertiesResult";
var _DPRel = "DeleteParametersRequest";
var _DPRele = "DeleteParametersResult";
var _DPo = "DocumentParameter";
var _DRL = "DocumentRequiresList";
var _DRo = "DocumentRequires";
var _DS = "DetailedStatus";
var _DT = "DocumentType";
var _DTOC = "DeliveryTimedOutCount";
var _DTa = "DataType";
var _DV = "DocumentVersion";
var _DVLE = "DocumentVersionLimitExceeded";
var _DVe = "DefaultVersion";
var _DVef = "DefaultValue";
var _Da = "Date";
var _De2 = "Details";
var _Du = "Duration";
var _EA = "ExpiresAfter";
var _EAODS = "EnableAllOpsDataSources";
var _EAx = "ExcludeAccounts";
var _EB = "ExecutedBy";
var _EC = "ErrorCount";
var _EEDT = "ExecutionEndDateTime";
var _EET = "ExecutionEndTime";
var _EETx = "ExecutionElapsedTime";
var _EI = "ExecutionId";
var _ENS = "EnableNonSecurity";
var _ERN = "ExecutionRoleName";
var _ES = "ExecutionSummary";
var _ESDT = "ExecutionStartDateTime";
var _EST = "ExecutionStartTime";
var _ET = "ExecutionTime";
var _ETn = "EndTime";
var _ETx = "ExecutionType";
var _En2 = "Entries";
var _Ep = "Epoch";
var _FC = "FailedCount";
var _FD = "FailureDetails";
var _FK = "FilterKey";
var _FM = "FailureMessage";
var _FNAE = "FeatureNotAvailableException";
var _FS = "FailureStage";
var _FSa = "FailedSteps";
var _FT = "FailureType";
var _FV = "FilterValues";
var _FVi = "FilterValue";
var _Fi2 = "Filters";
var _GCI = "GetCommandInvocation";
var _GCIR = "GetCommandInvocationRequest";
var _GCIRe = "GetCommandInvocationResult";
var _GCSR = "GetCalendarStateRequest";
var _GF = "GlobalFilters";
var _GMWERe = "GetMaintenanceWindowExecutionResult";
var _GPBRe = "GetPatchBaselineResult";
var _GPRet = "GetParametersRequest";
var _GPReta = "GetParametersResult";
var _GPet = "GetParameters";
var _H = "Hash";
var _HLLEE = "HierarchyLevelLimitExceededException";
var _HT2 = "HashType";
var _HTME = "HierarchyTypeMismatchException";
var _I2 = "Id";
var _IA2 = "InvalidActivation";
var _IAAO = "InstanceAggregatedAssociationOverview";
var _IAE = "InvalidAggregatorException";
var _IAEPE = "InvalidAutomationExecutionParametersException";
var _IAI = "InvalidActivationId";
var _IAOL = "InstanceAssociationOutputLocation";
var _IAPE = "InvalidAllowedPatternException";
var _IASAC = "InstanceAssociationStatusAggregatedCount";
var _IASE = "InvalidAutomationSignalException";
var _IASUE = "InvalidAutomationStatusUpdateException";
var _IAV = "InvalidAssociationVersion";
var _IAn = "InvalidAssociation";
var _ICI = "InvalidCommandId";
var _ICME = "ItemContentMismatchException";
var _ICOU = "IncludeChildOrganizationUnits";
var _ICs = "IsCritical";
var _ID2 = "InvalidDocument";
var _IDC = "InvalidDocumentContent";
var _IDIE = "InvalidDeletionIdException";
var _IDIPE = "InvalidDeleteInventoryParametersException";
var _IDNE = "InvocationDoesNotExist";
var _IDO = "InvalidDocumentOperation";
var _IDSV = "InvalidDocumentSchemaVersion";
var _IDT = "InvalidDocumentType";
var _IDV = "InvalidDocumentVersion";
var _IE = "IsEnd";
var _IF2 = "InvalidFilter";
var _IFK = "InvalidFilterKey";
var _IFO = "InvalidFilterOption";
var _IFR = "IncludeFutureRegions";
var _IFV = "InvalidFilterValue";
var _II2 = "InstanceId";
var _IICE = "InvalidItemContentException";
var _IIEL = "InventoryItemEntryList";
var _IIF = "InstanceInformationFilter";
var _IIFL = "InstanceInformationFilterList";
var _IIFV = "InstanceInformationFilterValue";
var _IIFVS = "InstanceInformationFilterValueSet";
var _IIGE = "InvalidInventoryGroupException";
var _III = "InvalidInstanceId";
var _IIICE = "InvalidInventoryItemContextException";
var _IIIFV = "InvalidInstanceInformationFilterValue";
var _IIL = "InstanceInformationList";
var _IIPFV = "InvalidInstancePropertyFilterValue";
var _IIRE = "InvalidInventoryRequestException";
var _IISF = "InstanceInformationStringFilter";
var _IISFL = "InstanceInformationStringFilterList";
var _IIn2 = "InstanceIds";
var _IInst = "InstanceInformation";
var _IInve = "InventoryItem";
var _IKI = "InvalidKeyId";
var _IL2 = "InvalidLabels";
var _ILV = "IsLatestVersion";
var _IN = "InstanceName";
var _INC = "InvalidNotificationConfig";
var _INT = "InvalidNextToken";
var _IOE = "InvalidOptionException";
var _IOF = "InvalidOutputFolder";
var _IOL = "InvalidOutputLocation";
var _IP = "InvalidParameters";
var _IPA = "IPAddress";
var _IPAE = "InvalidPolicyAttributeException";
var _IPAF = "IgnorePollAlarmFailure";
var _IPE = "IncompatiblePolicyException";
var _IPM = "IdempotentParameterMismatch";
var _IPN = "InvalidPluginName";
var _IPSF = "InstancePatchStateFilter";
var _IPT = "InvalidPermissionType";
var _IPTE = "InvalidPolicyTypeException";
var _IR2 = "InvalidRole";
var _IRAE = "InvalidResultAttributeException";
var _IRI = "InvalidResourceId";
var _IRIn = "InventoryResultItem";
var _IRT = "InvalidResourceType";
var _IRa = "IamRole";
var _IS = "InvalidSchedule";
var _ISE = "InternalServerError";
var _ISLEE = "ItemSizeLimitExceededException";
var _IT2 = "InvalidTag";
var _ITM = "InvalidTargetMaps";
var _ITNE = "InvalidTypeNameException";
var _ITn = "InvalidTarget";
var _IU = "InvalidUpdate";
var _IV = "IteratorValue";
var _Inpu = "Inputs";
var _It = "Iteration";
var _K2 = "Key";
var _KI2 = "KeyId";
var _KNb = "KbNumber";
var _KTD = "KeysToDelete";
var _L = "Limit";
var _LAED = "LastAssociationExecutionDate";
var _LCI = "ListCommandInvocations";
var _LCIR = "ListCommandInvocationsRequest";
var _LCIRi = "ListCommandInvocationsResult";
var _LCIRis = "ListComplianceItemsRequest";
var _LED = "LastExecutionDate";
var _LF = "LogFile";
var _LIERi = "ListInventoryEntriesResult";
var _LMD = "LastModifiedDate";
var _LMU = "LastModifiedUser";
var _LNSRi = "ListNodesSummaryResult";
var _LPDT = "LastPingDateTime";
var _LPVR = "LabelParameterVersionRequest";
var _LPVRa = "LabelParameterVersionResult";
var _LSAED = "LastSuccessfulAssociationExecutionDate";
var _LSED = "LastSuccessfulExecutionDate";
var _LT2 = "LimitType";
var _LUAD = "LastUpdateAssociationDate";
var _LV = "LatestVersion";
var _La = "Labels";
var _Lan = "Language";
var _M2 = "Message";
var _MA = "MaxAttempts";
var _MC = "MaxConcurrency";
var _MD2 = "ModifiedDate";
var _MDSE = "MaxDocumentSizeExceeded";
var _ME = "MaxErrors";
var _MM = "MetadataMap";
var _MN = "MsrcNumber";
var _MR2 = "MaxResults";
var _MRPDE = "MalformedResourcePolicyDocumentException";
var _MSs = "MsrcSeverity";
var _MTU = "MetadataToUpdate";
var _MV = "MetadataValue";
var _MWAP = "MaintenanceWindowAutomationParameters";
var _MWF = "MaintenanceWindowFilter";
var _Mo = "Mode";
var _N2 = "Name";
var _NAo = "NotificationArn";
var _NC2 = "NotificationConfig";
var _NE = "NotificationEvents";
var _NLSE = "NoLongerSupportedException";
var _NS2 = "NextStep";
var _NSL = "NodeSummaryList";
var _NT = "NextToken";
var _NTot = "NotificationType";
var _Na = "Names";
var _No = "Notifications";
var _O = "Overview";
var _OA2 = "OpsAggregator";
var _OAL = "OpsAggregatorList";
var _OD = "OperationalData";
var _ODTD = "OperationalDataToDelete";
var _OEI = "OpsEntityItem";
var _OEIEL = "OpsEntityItemEntryList";
var _OF = "OpsFilter";
var _OFL = "OpsFilterList";
var _OFVL = "OpsFilterValueList";
var _OFn = "OnFailure";
var _OIA = "OpsItemArn";
var _OIADE = "OpsItemAccessDeniedException";
var _OIAEE = "OpsItemAlreadyExistsException";
var _OICE = "OpsItemConflictException";
var _OIDV = "OpsItemDataValue";
var _OIEF = "OpsItemEventFilter";
var _OIFp = "OpsItemFilter";
var _OII = "OpsItemId";
var _OIIPE = "OpsItemInvalidParameterException";
var _OILEE = "OpsItemLimitExceededException";
var _OIN = "OpsItemNotification";
var _OINFE = "OpsItemNotFoundException";
var _OINp = "OpsItemNotifications";
var _OIOD = "OpsItemOperationalData";
var _OIRIAEE = "OpsItemRelatedItemAlreadyExistsException";
var _OIRIANFE = "OpsItemRelatedItemAssociationNotFoundException";
var _OIRIF = "OpsItemRelatedItemsFilter";
var _OL = "OutputLocation";
var _OMA = "OpsMetadataArn";
var _OMAEE = "OpsMetadataAlreadyExistsException";
var _OMF = "OpsMetadataFilter";
var _OMIAE = "OpsMetadataInvalidArgumentException";
var _OMKLEE = "OpsMetadataKeyLimitExceededException";
var _OMLEE = "OpsMetadataLimitExceededException";
var _OMNFE = "OpsMetadataNotFoundException";
var _OMTMUE = "OpsMetadataTooManyUpdatesException";
var _OP = "OverriddenParameters";
var _OSBN = "OutputS3BucketName";
var _OSKP = "OutputS3KeyPrefix";
var _OSR = "OutputS3Region";
var _OSTr = "OrganizationSourceType";
var _OSp = "OperatingSystem";
var _OUI = "OrganizationalUnitId";
var _OUr = "OrganizationalUnits";
var _Ope = "Operator";
var _Opt = "Option";
var _Ou = "Outputs";
var _Out = "Output";
var _Ow2 = "Owner";
var _P2 = "Parameters";
var _PAE = "ParameterAlreadyExists";
var _PAEI = "ParentAutomationExecutionId";
var _PC = "ProgressCounters";
var _PET = "PlannedEndTime";
var _PFG = "PatchFilterGroup";
var _PFLa = "PatchFilterList";
var _PFa = "ParametersFilter";
var _PFat = "PatchFilter";
var _PFatc = "PatchFilters";
var _PFr = "ProductFamily";
var _PGa = "PatchGroups";
var _PHa = "ParameterHistory";
var _PIP = "ParameterInlinePolicy";
var _PL = "ParameterList";
var _PLE = "ParameterLimitExceeded";
var _PLEE = "PoliciesLimitExceededException";
var _PMVLE = "ParameterMaxVersionLimitExceeded";
var _PN2 = "ParameterNames";
var _PNF = "ParameterNotFound";
var _PNl = "PluginName";
var _PNla = "PlatformName";
var _POF = "PatchOrchestratorFilter";
var _PPL = "PatchPropertiesList";
var _PPLa = "ParameterPolicyList";
var _PPME = "ParameterPatternMismatchException";
var _PR = "PatchRule";
var _PRG = "PatchRuleGroup";
var _PRL = "PatchRuleList";
var _PRV = "PendingReviewVersion";
var _PRa = "PatchRules";
var _PSC = "PatchSourceConfiguration";
var _PSD = "ParentStepDetails";
var _PSF = "ParameterStringFilter";
var _PSL = "PatchSourceList";
var _PSPV = "PSParameterValue";
var _PST = "PlannedStartTime";
var _PSat = "PatchSource";
var _PSi = "PingStatus";
var _PSo = "PolicyStatus";
var _PTL = "PlatformTypeList";
var _PTl = "PlatformTypes";
var _PTla = "PlatformType";
var _PTo = "PolicyText";
var _PTol = "PolicyType";
var _PV = "PlatformVersion";
var _PVLLE = "ParameterVersionLabelLimitExceeded";
var _PVNF = "ParameterVersionNotFound";
var _PVa = "ParameterVersion";
var _PVar = "ParameterValues";
var _Par = "Parameter";
var _Pat = "Patch";
var _Pay = "Payload";
var _Po = "Policies";
var _Pri = "Priority";
var _Prod = "Product";
var _Produ = "Products";
var _Prop = "Properties";
var _QC = "QuotaCode";
var _R = "Runbooks";
var _RC = "ReasonCode";
var _RCes = "ResponseCode";
var _RD = "RegistrationDate";
var _RDSAEE = "ResourceDataSyncAlreadyExistsException";
var _RDSAOS = "ResourceDataSyncAwsOrganizationsSource";
var _RDSCE = "ResourceDataSyncConflictException";
var _RDSCEE = "ResourceDataSyncCountExceededException";
var _RDSICE = "ResourceDataSyncInvalidConfigurationException";
var _RDSNFE = "ResourceDataSyncNotFoundException";
var _RDSOU = "ResourceDataSyncOrganizationalUnit";
var _RDSOUL = "ResourceDataSyncOrganizationalUnitList";
var _RDSS = "ResourceDataSyncSource";
var _RDSSWS = "ResourceDataSyncSourceWithState";
var _RDT2 = "RequestedDateTime";
var _RDe = "ReleaseDate";
var _RFDT = "ResponseFinishDateTime";
var _RI2 = "ResourceId";
var _RIL = "ReviewInformationList";
var _RIUE = "ResourceInUseException";
var _RIe2 = "ReviewInformation";
var _RIes = "ResourceIds";
var _RLEE = "ResourceLimitExceededException";
var _RLe2 = "RemovedLabels";
var _RNFE = "ResourceNotFoundException";
var _ROI = "RelatedOpsItems";
var _ROIe = "RelatedOpsItem";
var _RP = "RejectedPatches";
var _RPA = "RejectedPatchesAction";
var _RPCE = "ResourcePolicyConflictException";
var _RPIPE = "ResourcePolicyInvalidParameterException";
var _RPLEE = "ResourcePolicyLimitExceededException";
var _RPNFE = "ResourcePolicyNotFoundException";
var _RS = "ReviewStatus";
var _RSDT = "ResponseStartDateTime";
var _RT = "ResourceTypes";
var _RTFRR = "RemoveTagsFromResourceRequest";
var _RTe2 = "ResourceType";
var _RTeq = "RequireType";
var _RTes2 = "ResolvedTargets";
var _RTev = "ReviewedTime";
var _RU = "ResourceUri";
var _Re = "Regions";
var _Rea = "Reason";
var _Rel = "Release";
var _Rep = "Repository";
var _Repl = "Replace";
var _Req = "Requires";
var _Res2 = "Response";
var _Rev = "Reviewer";
var _Ru = "Runbook";
var _S = "State";
var _SAER = "StartAutomationExecutionRequest";
var _SAOR = "StartAssociationsOnceRequest";
var _SASR = "SendAutomationSignalRequest";
var _SC = "ServiceCode";
var _SCR = "SendCommandRequest";
var _SCRER = "StartChangeRequestExecutionRequest";
var _SCRe = "SendCommandResult";
var _SCe = "SendCommand";
var _SCt = "StartedCount";
var _SCu = "SuccessfulCount";
var _SCy = "SyncCompliance";
var _SD = "StatusDetails";
var _SE = "ScheduleExpression";
var _SEC = "StandardErrorContent";
var _SEF = "StepExecutionFilter";
var _SEI = "StepExecutionId";
var _SEL = "StepExecutionList";
var _SET = "StepExecutionsTruncated";
var _SETc = "ScheduledEndTime";
var _SEU = "StandardErrorUrl";
var _SEt = "StepExecutions";
var _SEte = "StepExecution";
var _SI = "StatusInformation";
var _SIo = "SourceId";
var _SL = "S3Location";
var _SLo = "SourceLocation";
var _SMP = "SessionManagerParameters";
var _SN = "SyncName";
var _SNt = "StepName";
var _SO2 = "ScheduleOffset";
var _SOC = "StandardOutputContent";
var _SOL = "S3OutputLocation";
var _SOU = "StandardOutputUrl";
var _SP = "StepPreviews";
var _SQEE = "ServiceQuotaExceededException";
var _SR = "ServiceRole";
var _SRA = "ServiceRoleArn";
var _SRo = "SourceResult";
var _SRou = "SourceRegions";
var _SSNF = "ServiceSettingNotFound";
var _SSR = "StartSessionRequest";
var _SSt = "StepStatus";
var _SSu2 = "SuccessSteps";
var _ST = "SyncType";
var _STCLEE = "SubTypeCountLimitExceededException";
var _STc = "ScheduledTime";
var _STi = "SignalType";
var _STo = "SourceType";
var _STt2 = "StartTime";
var _SU = "StatusUnchanged";
var _SV = "SchemaVersion";
var _Se = "Severity";
var _Sel = "Selector";
var _Sha = "Sha1";
var _So = "Sources";
var _St2 = "Status";
var _Sum = "Summary";
var _T2 = "Tags";
var _TA = "TriggeredAlarms";
var _TAo = "TotalAccounts";
var _TC = "TargetCount";
var _TCo = "TotalCount";
var _TE = "ThrottlingException";
var _TIUE = "TargetInUseException";
var _TIas = "TaskIds";
var _TK = "TagKeys";
var _TL2 = "TargetLocations";
var _TLAC = "TargetLocationAlarmConfiguration";
var _TLMC = "TargetLocationMaxConcurrency";
var _TLME = "TargetLocationMaxErrors";
var _TLURL = "TargetLocationsURL";
var _TLa = "TagList";
var _TLar = "TargetLocation";
var _TM = "TargetMaps";
var _TMC = "TargetsMaxConcurrency";
var _TME = "TargetsMaxErrors";
var _TMTE = "TooManyTagsError";
var _TMU = "TooManyUpdates";
var _TMa = "TargetMap";
var _TN = "TypeName";
var _TNC = "TargetNotConnected";
var _TO = "TraceOutput";
var _TOS = "TimedOutSteps";
var _TP2 = "TargetPreviews";
var _TPL = "TargetPreviewList";
var _TPN = "TargetParameterName";
var _TPar = "TargetPreview";
var _TS2 = "TargetsSummary";
var _TSLEE = "TotalSizeLimitExceededException";
var _TSi = "TimeoutSeconds";
var _TSo = "TotalSteps";
var _TT = "TargetType";
var _Ta2 = "Targets";
var _Tag = "Tag";
var _Tar = "Target";
var _Ti = "Title";
var _Tie = "Tier";
var _Tr = "Truncated";
var _Ty2 = "Type";
var _UAR = "UpdateAssociationRequest";
var _UCE = "UnsupportedCalendarException";
var _UFRE = "UnsupportedFeatureRequiredException";
var _UIICE = "UnsupportedInventoryItemContextException";
var _UISVE = "UnsupportedInventorySchemaVersionException";
var _UOE = "UnsupportedOperationException";
var _UOIR = "UpdateOpsItemRequest";
var _UOMR = "UpdateOpsMetadataRequest";
var _UOS = "UnsupportedOperatingSystem";
var _UPBR = "UpdatePatchBaselineRequest";
var _UPBRp = "UpdatePatchBaselineResult";
var _UPT = "UnsupportedParameterType";
var _UPTn = "UnsupportedPlatformType";
var _UPVR = "UnlabelParameterVersionRequest";
var _UPVRn = "UnlabelParameterVersionResult";
var _V2 = "Value";
var _VE = "ValidationException";
var _VN2 = "VersionName";
var _VNS = "ValidNextSteps";
var _Va2 = "Values";
var _Var = "Variables";
var _Ve = "Version";
var _Ven = "Vendor";
var _WD = "WithDecryption";
var _WEI = "WindowExecutionId";
var _WM = "WarningMessage";
var _c = "client";
var _k2 = "key";
var _m = "message";
var _s2 = "smithy.ts.sdk.synthetic.com.amazonaws.ssm";
var _se = "server";
var _v2 = "value";
var _vS = "valueSet";
var n02 = "com.amazonaws.ssm";
var _s_registry2 = new TypeRegistry(_s2);
var SSMServiceException$ = [-3, _s2, "SSMServiceException", 0, [], []];
_s_registry2.registerError(SSMServiceException$, SSMServiceException);
var n0_registry = new TypeRegistry(n02);
var AccessDeniedException$ = [
  -3,
  n02,
  _ADE,
  { "error": _c },
  [_M2],
  [0],
  1
];
n0_registry.registerError(AccessDeniedException$, AccessDeniedException);
var AlreadyExistsException$ = [
  -3,
  n02,
  _AEE,
  { "awsQueryError": [`AlreadyExistsException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(AlreadyExistsException$, AlreadyExistsException);
var AssociatedInstances$ = [
  -3,
  n02,
  _AI,
  { "awsQueryError": [`AssociatedInstances`, 400], "error": _c },
  [],
  []
];
n0_registry.registerError(AssociatedInstances$, AssociatedInstances);
var AssociationAlreadyExists$ = [
  -3,
  n02,
  _AAE,
  { "awsQueryError": [`AssociationAlreadyExists`, 400], "error": _c },
  [],
  []
];
n0_registry.registerError(AssociationAlreadyExists$, AssociationAlreadyExists);
var AssociationDoesNotExist$ = [
  -3,
  n02,
  _ADNE,
  { "awsQueryError": [`AssociationDoesNotExist`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(AssociationDoesNotExist$, AssociationDoesNotExist);
var AssociationExecutionDoesNotExist$ = [
  -3,
  n02,
  _AEDNE,
  { "awsQueryError": [`AssociationExecutionDoesNotExist`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(AssociationExecutionDoesNotExist$, AssociationExecutionDoesNotExist);
var AssociationLimitExceeded$ = [
  -3,
  n02,
  _ALE,
  { "awsQueryError": [`AssociationLimitExceeded`, 400], "error": _c },
  [],
  []
];
n0_registry.registerError(AssociationLimitExceeded$, AssociationLimitExceeded);
var AssociationVersionLimitExceeded$ = [
  -3,
  n02,
  _AVLE,
  { "awsQueryError": [`AssociationVersionLimitExceeded`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(AssociationVersionLimitExceeded$, AssociationVersionLimitExceeded);
var AutomationDefinitionNotApprovedException$ = [
  -3,
  n02,
  _ADNAE,
  { "awsQueryError": [`AutomationDefinitionNotApproved`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(AutomationDefinitionNotApprovedException$, AutomationDefinitionNotApprovedException);
var AutomationDefinitionNotFoundException$ = [
  -3,
  n02,
  _ADNFE,
  { "awsQueryError": [`AutomationDefinitionNotFound`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(AutomationDefinitionNotFoundException$, AutomationDefinitionNotFoundException);
var AutomationDefinitionVersionNotFoundException$ = [
  -3,
  n02,
  _ADVNFE,
  { "awsQueryError": [`AutomationDefinitionVersionNotFound`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(AutomationDefinitionVersionNotFoundException$, AutomationDefinitionVersionNotFoundException);
var AutomationExecutionLimitExceededException$ = [
  -3,
  n02,
  _AELEE,
  { "awsQueryError": [`AutomationExecutionLimitExceeded`, 429], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(AutomationExecutionLimitExceededException$, AutomationExecutionLimitExceededException);
var AutomationExecutionNotFoundException$ = [
  -3,
  n02,
  _AENFE,
  { "awsQueryError": [`AutomationExecutionNotFound`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(AutomationExecutionNotFoundException$, AutomationExecutionNotFoundException);
var AutomationStepNotFoundException$ = [
  -3,
  n02,
  _ASNFE,
  { "awsQueryError": [`AutomationStepNotFoundException`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(AutomationStepNotFoundException$, AutomationStepNotFoundException);
var ComplianceTypeCountLimitExceededException$ = [
  -3,
  n02,
  _CTCLEE,
  { "awsQueryError": [`ComplianceTypeCountLimitExceeded`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(ComplianceTypeCountLimitExceededException$, ComplianceTypeCountLimitExceededException);
var ConflictException$ = [
  -3,
  n02,
  _CE,
  { "awsQueryError": [`ConflictException`, 409], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(ConflictException$, ConflictException);
var CustomSchemaCountLimitExceededException$ = [
  -3,
  n02,
  _CSCLEE,
  { "awsQueryError": [`CustomSchemaCountLimitExceeded`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(CustomSchemaCountLimitExceededException$, CustomSchemaCountLimitExceededException);
var DocumentAlreadyExists$ = [
  -3,
  n02,
  _DAE,
  { "awsQueryError": [`DocumentAlreadyExists`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(DocumentAlreadyExists$, DocumentAlreadyExists);
var DocumentLimitExceeded$ = [
  -3,
  n02,
  _DLE,
  { "awsQueryError": [`DocumentLimitExceeded`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(DocumentLimitExceeded$, DocumentLimitExceeded);
var DocumentPermissionLimit$ = [
  -3,
  n02,
  _DPL,
  { "awsQueryError": [`DocumentPermissionLimit`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(DocumentPermissionLimit$, DocumentPermissionLimit);
var DocumentVersionLimitExceeded$ = [
  -3,
  n02,
  _DVLE,
  { "awsQueryError": [`DocumentVersionLimitExceeded`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(DocumentVersionLimitExceeded$, DocumentVersionLimitExceeded);
var DoesNotExistException$ = [
  -3,
  n02,
  _DNEE,
  { "awsQueryError": [`DoesNotExistException`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(DoesNotExistException$, DoesNotExistException);
var DuplicateDocumentContent$ = [
  -3,
  n02,
  _DDC,
  { "awsQueryError": [`DuplicateDocumentContent`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(DuplicateDocumentContent$, DuplicateDocumentContent);
var DuplicateDocumentVersionName$ = [
  -3,
  n02,
  _DDVN,
  { "awsQueryError": [`DuplicateDocumentVersionName`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(DuplicateDocumentVersionName$, DuplicateDocumentVersionName);
var DuplicateInstanceId$ = [
  -3,
  n02,
  _DII,
  { "awsQueryError": [`DuplicateInstanceId`, 404], "error": _c },
  [],
  []
];
n0_registry.registerError(DuplicateInstanceId$, DuplicateInstanceId);
var FeatureNotAvailableException$ = [
  -3,
  n02,
  _FNAE,
  { "awsQueryError": [`FeatureNotAvailableException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(FeatureNotAvailableException$, FeatureNotAvailableException);
var HierarchyLevelLimitExceededException$ = [
  -3,
  n02,
  _HLLEE,
  { "awsQueryError": [`HierarchyLevelLimitExceededException`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(HierarchyLevelLimitExceededException$, HierarchyLevelLimitExceededException);
var HierarchyTypeMismatchException$ = [
  -3,
  n02,
  _HTME,
  { "awsQueryError": [`HierarchyTypeMismatchException`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(HierarchyTypeMismatchException$, HierarchyTypeMismatchException);
var IdempotentParameterMismatch$ = [
  -3,
  n02,
  _IPM,
  { "awsQueryError": [`IdempotentParameterMismatch`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(IdempotentParameterMismatch$, IdempotentParameterMismatch);
var IncompatiblePolicyException$ = [
  -3,
  n02,
  _IPE,
  { "awsQueryError": [`IncompatiblePolicyException`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(IncompatiblePolicyException$, IncompatiblePolicyException);
var InternalServerError$ = [
  -3,
  n02,
  _ISE,
  { "awsQueryError": [`InternalServerError`, 500], "error": _se },
  [_M2],
  [0]
];
n0_registry.registerError(InternalServerError$, InternalServerError);
var InvalidActivation$ = [
  -3,
  n02,
  _IA2,
  { "awsQueryError": [`InvalidActivation`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidActivation$, InvalidActivation);
var InvalidActivationId$ = [
  -3,
  n02,
  _IAI,
  { "awsQueryError": [`InvalidActivationId`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidActivationId$, InvalidActivationId);
var InvalidAggregatorException$ = [
  -3,
  n02,
  _IAE,
  { "awsQueryError": [`InvalidAggregator`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidAggregatorException$, InvalidAggregatorException);
var InvalidAllowedPatternException$ = [
  -3,
  n02,
  _IAPE,
  { "awsQueryError": [`InvalidAllowedPatternException`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(InvalidAllowedPatternException$, InvalidAllowedPatternException);
var InvalidAssociation$ = [
  -3,
  n02,
  _IAn,
  { "awsQueryError": [`InvalidAssociation`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidAssociation$, InvalidAssociation);
var InvalidAssociationVersion$ = [
  -3,
  n02,
  _IAV,
  { "awsQueryError": [`InvalidAssociationVersion`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidAssociationVersion$, InvalidAssociationVersion);
var InvalidAutomationExecutionParametersException$ = [
  -3,
  n02,
  _IAEPE,
  { "awsQueryError": [`InvalidAutomationExecutionParameters`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidAutomationExecutionParametersException$, InvalidAutomationExecutionParametersException);
var InvalidAutomationSignalException$ = [
  -3,
  n02,
  _IASE,
  { "awsQueryError": [`InvalidAutomationSignalException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidAutomationSignalException$, InvalidAutomationSignalException);
var InvalidAutomationStatusUpdateException$ = [
  -3,
  n02,
  _IASUE,
  { "awsQueryError": [`InvalidAutomationStatusUpdateException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidAutomationStatusUpdateException$, InvalidAutomationStatusUpdateException);
var InvalidCommandId$ = [
  -3,
  n02,
  _ICI,
  { "awsQueryError": [`InvalidCommandId`, 404], "error": _c },
  [],
  []
];
n0_registry.registerError(InvalidCommandId$, InvalidCommandId);
var InvalidDeleteInventoryParametersException$ = [
  -3,
  n02,
  _IDIPE,
  { "awsQueryError": [`InvalidDeleteInventoryParameters`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidDeleteInventoryParametersException$, InvalidDeleteInventoryParametersException);
var InvalidDeletionIdException$ = [
  -3,
  n02,
  _IDIE,
  { "awsQueryError": [`InvalidDeletionId`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidDeletionIdException$, InvalidDeletionIdException);
var InvalidDocument$ = [
  -3,
  n02,
  _ID2,
  { "awsQueryError": [`InvalidDocument`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidDocument$, InvalidDocument);
var InvalidDocumentContent$ = [
  -3,
  n02,
  _IDC,
  { "awsQueryError": [`InvalidDocumentContent`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidDocumentContent$, InvalidDocumentContent);
var InvalidDocumentOperation$ = [
  -3,
  n02,
  _IDO,
  { "awsQueryError": [`InvalidDocumentOperation`, 403], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidDocumentOperation$, InvalidDocumentOperation);
var InvalidDocumentSchemaVersion$ = [
  -3,
  n02,
  _IDSV,
  { "awsQueryError": [`InvalidDocumentSchemaVersion`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidDocumentSchemaVersion$, InvalidDocumentSchemaVersion);
var InvalidDocumentType$ = [
  -3,
  n02,
  _IDT,
  { "awsQueryError": [`InvalidDocumentType`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidDocumentType$, InvalidDocumentType);
var InvalidDocumentVersion$ = [
  -3,
  n02,
  _IDV,
  { "awsQueryError": [`InvalidDocumentVersion`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidDocumentVersion$, InvalidDocumentVersion);
var InvalidFilter$ = [
  -3,
  n02,
  _IF2,
  { "awsQueryError": [`InvalidFilter`, 441], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidFilter$, InvalidFilter);
var InvalidFilterKey$ = [
  -3,
  n02,
  _IFK,
  { "awsQueryError": [`InvalidFilterKey`, 400], "error": _c },
  [],
  []
];
n0_registry.registerError(InvalidFilterKey$, InvalidFilterKey);
var InvalidFilterOption$ = [
  -3,
  n02,
  _IFO,
  { "awsQueryError": [`InvalidFilterOption`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(InvalidFilterOption$, InvalidFilterOption);
var InvalidFilterValue$ = [
  -3,
  n02,
  _IFV,
  { "awsQueryError": [`InvalidFilterValue`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidFilterValue$, InvalidFilterValue);
var InvalidInstanceId$ = [
  -3,
  n02,
  _III,
  { "awsQueryError": [`InvalidInstanceId`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidInstanceId$, InvalidInstanceId);
var InvalidInstanceInformationFilterValue$ = [
  -3,
  n02,
  _IIIFV,
  { "awsQueryError": [`InvalidInstanceInformationFilterValue`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(InvalidInstanceInformationFilterValue$, InvalidInstanceInformationFilterValue);
var InvalidInstancePropertyFilterValue$ = [
  -3,
  n02,
  _IIPFV,
  { "awsQueryError": [`InvalidInstancePropertyFilterValue`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(InvalidInstancePropertyFilterValue$, InvalidInstancePropertyFilterValue);
var InvalidInventoryGroupException$ = [
  -3,
  n02,
  _IIGE,
  { "awsQueryError": [`InvalidInventoryGroup`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidInventoryGroupException$, InvalidInventoryGroupException);
var InvalidInventoryItemContextException$ = [
  -3,
  n02,
  _IIICE,
  { "awsQueryError": [`InvalidInventoryItemContext`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidInventoryItemContextException$, InvalidInventoryItemContextException);
var InvalidInventoryRequestException$ = [
  -3,
  n02,
  _IIRE,
  { "awsQueryError": [`InvalidInventoryRequest`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidInventoryRequestException$, InvalidInventoryRequestException);
var InvalidItemContentException$ = [
  -3,
  n02,
  _IICE,
  { "awsQueryError": [`InvalidItemContent`, 400], "error": _c },
  [_TN, _M2],
  [0, 0]
];
n0_registry.registerError(InvalidItemContentException$, InvalidItemContentException);
var InvalidKeyId$ = [
  -3,
  n02,
  _IKI,
  { "awsQueryError": [`InvalidKeyId`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(InvalidKeyId$, InvalidKeyId);
var InvalidNextToken$ = [
  -3,
  n02,
  _INT,
  { "awsQueryError": [`InvalidNextToken`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidNextToken$, InvalidNextToken);
var InvalidNotificationConfig$ = [
  -3,
  n02,
  _INC,
  { "awsQueryError": [`InvalidNotificationConfig`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidNotificationConfig$, InvalidNotificationConfig);
var InvalidOptionException$ = [
  -3,
  n02,
  _IOE,
  { "awsQueryError": [`InvalidOption`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidOptionException$, InvalidOptionException);
var InvalidOutputFolder$ = [
  -3,
  n02,
  _IOF,
  { "awsQueryError": [`InvalidOutputFolder`, 400], "error": _c },
  [],
  []
];
n0_registry.registerError(InvalidOutputFolder$, InvalidOutputFolder);
var InvalidOutputLocation$ = [
  -3,
  n02,
  _IOL,
  { "awsQueryError": [`InvalidOutputLocation`, 400], "error": _c },
  [],
  []
];
n0_registry.registerError(InvalidOutputLocation$, InvalidOutputLocation);
var InvalidParameters$ = [
  -3,
  n02,
  _IP,
  { "awsQueryError": [`InvalidParameters`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidParameters$, InvalidParameters);
var InvalidPermissionType$ = [
  -3,
  n02,
  _IPT,
  { "awsQueryError": [`InvalidPermissionType`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidPermissionType$, InvalidPermissionType);
var InvalidPluginName$ = [
  -3,
  n02,
  _IPN,
  { "awsQueryError": [`InvalidPluginName`, 404], "error": _c },
  [],
  []
];
n0_registry.registerError(InvalidPluginName$, InvalidPluginName);
var InvalidPolicyAttributeException$ = [
  -3,
  n02,
  _IPAE,
  { "awsQueryError": [`InvalidPolicyAttributeException`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(InvalidPolicyAttributeException$, InvalidPolicyAttributeException);
var InvalidPolicyTypeException$ = [
  -3,
  n02,
  _IPTE,
  { "awsQueryError": [`InvalidPolicyTypeException`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(InvalidPolicyTypeException$, InvalidPolicyTypeException);
var InvalidResourceId$ = [
  -3,
  n02,
  _IRI,
  { "awsQueryError": [`InvalidResourceId`, 400], "error": _c },
  [],
  []
];
n0_registry.registerError(InvalidResourceId$, InvalidResourceId);
var InvalidResourceType$ = [
  -3,
  n02,
  _IRT,
  { "awsQueryError": [`InvalidResourceType`, 400], "error": _c },
  [],
  []
];
n0_registry.registerError(InvalidResourceType$, InvalidResourceType);
var InvalidResultAttributeException$ = [
  -3,
  n02,
  _IRAE,
  { "awsQueryError": [`InvalidResultAttribute`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidResultAttributeException$, InvalidResultAttributeException);
var InvalidRole$ = [
  -3,
  n02,
  _IR2,
  { "awsQueryError": [`InvalidRole`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidRole$, InvalidRole);
var InvalidSchedule$ = [
  -3,
  n02,
  _IS,
  { "awsQueryError": [`InvalidSchedule`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidSchedule$, InvalidSchedule);
var InvalidTag$ = [
  -3,
  n02,
  _IT2,
  { "awsQueryError": [`InvalidTag`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidTag$, InvalidTag);
var InvalidTarget$ = [
  -3,
  n02,
  _ITn,
  { "awsQueryError": [`InvalidTarget`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidTarget$, InvalidTarget);
var InvalidTargetMaps$ = [
  -3,
  n02,
  _ITM,
  { "awsQueryError": [`InvalidTargetMaps`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidTargetMaps$, InvalidTargetMaps);
var InvalidTypeNameException$ = [
  -3,
  n02,
  _ITNE,
  { "awsQueryError": [`InvalidTypeName`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidTypeNameException$, InvalidTypeNameException);
var InvalidUpdate$ = [
  -3,
  n02,
  _IU,
  { "awsQueryError": [`InvalidUpdate`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(InvalidUpdate$, InvalidUpdate);
var InvocationDoesNotExist$ = [
  -3,
  n02,
  _IDNE,
  { "awsQueryError": [`InvocationDoesNotExist`, 400], "error": _c },
  [],
  []
];
n0_registry.registerError(InvocationDoesNotExist$, InvocationDoesNotExist);
var ItemContentMismatchException$ = [
  -3,
  n02,
  _ICME,
  { "awsQueryError": [`ItemContentMismatch`, 400], "error": _c },
  [_TN, _M2],
  [0, 0]
];
n0_registry.registerError(ItemContentMismatchException$, ItemContentMismatchException);
var ItemSizeLimitExceededException$ = [
  -3,
  n02,
  _ISLEE,
  { "awsQueryError": [`ItemSizeLimitExceeded`, 400], "error": _c },
  [_TN, _M2],
  [0, 0]
];
n0_registry.registerError(ItemSizeLimitExceededException$, ItemSizeLimitExceededException);
var MalformedResourcePolicyDocumentException$ = [
  -3,
  n02,
  _MRPDE,
  { "awsQueryError": [`MalformedResourcePolicyDocumentException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(MalformedResourcePolicyDocumentException$, MalformedResourcePolicyDocumentException);
var MaxDocumentSizeExceeded$ = [
  -3,
  n02,
  _MDSE,
  { "awsQueryError": [`MaxDocumentSizeExceeded`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(MaxDocumentSizeExceeded$, MaxDocumentSizeExceeded);
var NoLongerSupportedException$ = [
  -3,
  n02,
  _NLSE,
  { "awsQueryError": [`NoLongerSupported`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(NoLongerSupportedException$, NoLongerSupportedException);
var OpsItemAccessDeniedException$ = [
  -3,
  n02,
  _OIADE,
  { "awsQueryError": [`OpsItemAccessDeniedException`, 403], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(OpsItemAccessDeniedException$, OpsItemAccessDeniedException);
var OpsItemAlreadyExistsException$ = [
  -3,
  n02,
  _OIAEE,
  { "awsQueryError": [`OpsItemAlreadyExistsException`, 400], "error": _c },
  [_M2, _OII],
  [0, 0]
];
n0_registry.registerError(OpsItemAlreadyExistsException$, OpsItemAlreadyExistsException);
var OpsItemConflictException$ = [
  -3,
  n02,
  _OICE,
  { "awsQueryError": [`OpsItemConflictException`, 409], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(OpsItemConflictException$, OpsItemConflictException);
var OpsItemInvalidParameterException$ = [
  -3,
  n02,
  _OIIPE,
  { "awsQueryError": [`OpsItemInvalidParameterException`, 400], "error": _c },
  [_PN2, _M2],
  [64 | 0, 0]
];
n0_registry.registerError(OpsItemInvalidParameterException$, OpsItemInvalidParameterException);
var OpsItemLimitExceededException$ = [
  -3,
  n02,
  _OILEE,
  { "awsQueryError": [`OpsItemLimitExceededException`, 400], "error": _c },
  [_RT, _L, _LT2, _M2],
  [64 | 0, 1, 0, 0]
];
n0_registry.registerError(OpsItemLimitExceededException$, OpsItemLimitExceededException);
var OpsItemNotFoundException$ = [
  -3,
  n02,
  _OINFE,
  { "awsQueryError": [`OpsItemNotFoundException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(OpsItemNotFoundException$, OpsItemNotFoundException);
var OpsItemRelatedItemAlreadyExistsException$ = [
  -3,
  n02,
  _OIRIAEE,
  { "awsQueryError": [`OpsItemRelatedItemAlreadyExistsException`, 400], "error": _c },
  [_M2, _RU, _OII],
  [0, 0, 0]
];
n0_registry.registerError(OpsItemRelatedItemAlreadyExistsException$, OpsItemRelatedItemAlreadyExistsException);
var OpsItemRelatedItemAssociationNotFoundException$ = [
  -3,
  n02,
  _OIRIANFE,
  { "awsQueryError": [`OpsItemRelatedItemAssociationNotFoundException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(OpsItemRelatedItemAssociationNotFoundException$, OpsItemRelatedItemAssociationNotFoundException);
var OpsMetadataAlreadyExistsException$ = [
  -3,
  n02,
  _OMAEE,
  { "awsQueryError": [`OpsMetadataAlreadyExistsException`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(OpsMetadataAlreadyExistsException$, OpsMetadataAlreadyExistsException);
var OpsMetadataInvalidArgumentException$ = [
  -3,
  n02,
  _OMIAE,
  { "awsQueryError": [`OpsMetadataInvalidArgumentException`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(OpsMetadataInvalidArgumentException$, OpsMetadataInvalidArgumentException);
var OpsMetadataKeyLimitExceededException$ = [
  -3,
  n02,
  _OMKLEE,
  { "awsQueryError": [`OpsMetadataKeyLimitExceededException`, 429], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(OpsMetadataKeyLimitExceededException$, OpsMetadataKeyLimitExceededException);
var OpsMetadataLimitExceededException$ = [
  -3,
  n02,
  _OMLEE,
  { "awsQueryError": [`OpsMetadataLimitExceededException`, 429], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(OpsMetadataLimitExceededException$, OpsMetadataLimitExceededException);
var OpsMetadataNotFoundException$ = [
  -3,
  n02,
  _OMNFE,
  { "awsQueryError": [`OpsMetadataNotFoundException`, 404], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(OpsMetadataNotFoundException$, OpsMetadataNotFoundException);
var OpsMetadataTooManyUpdatesException$ = [
  -3,
  n02,
  _OMTMUE,
  { "awsQueryError": [`OpsMetadataTooManyUpdatesException`, 429], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(OpsMetadataTooManyUpdatesException$, OpsMetadataTooManyUpdatesException);
var ParameterAlreadyExists$ = [
  -3,
  n02,
  _PAE,
  { "awsQueryError": [`ParameterAlreadyExists`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(ParameterAlreadyExists$, ParameterAlreadyExists);
var ParameterLimitExceeded$ = [
  -3,
  n02,
  _PLE,
  { "awsQueryError": [`ParameterLimitExceeded`, 429], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(ParameterLimitExceeded$, ParameterLimitExceeded);
var ParameterMaxVersionLimitExceeded$ = [
  -3,
  n02,
  _PMVLE,
  { "awsQueryError": [`ParameterMaxVersionLimitExceeded`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(ParameterMaxVersionLimitExceeded$, ParameterMaxVersionLimitExceeded);
var ParameterNotFound$ = [
  -3,
  n02,
  _PNF,
  { "awsQueryError": [`ParameterNotFound`, 404], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(ParameterNotFound$, ParameterNotFound);
var ParameterPatternMismatchException$ = [
  -3,
  n02,
  _PPME,
  { "awsQueryError": [`ParameterPatternMismatchException`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(ParameterPatternMismatchException$, ParameterPatternMismatchException);
var ParameterVersionLabelLimitExceeded$ = [
  -3,
  n02,
  _PVLLE,
  { "awsQueryError": [`ParameterVersionLabelLimitExceeded`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(ParameterVersionLabelLimitExceeded$, ParameterVersionLabelLimitExceeded);
var ParameterVersionNotFound$ = [
  -3,
  n02,
  _PVNF,
  { "awsQueryError": [`ParameterVersionNotFound`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(ParameterVersionNotFound$, ParameterVersionNotFound);
var PoliciesLimitExceededException$ = [
  -3,
  n02,
  _PLEE,
  { "awsQueryError": [`PoliciesLimitExceededException`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(PoliciesLimitExceededException$, PoliciesLimitExceededException);
var ResourceDataSyncAlreadyExistsException$ = [
  -3,
  n02,
  _RDSAEE,
  { "awsQueryError": [`ResourceDataSyncAlreadyExists`, 400], "error": _c },
  [_SN],
  [0]
];
n0_registry.registerError(ResourceDataSyncAlreadyExistsException$, ResourceDataSyncAlreadyExistsException);
var ResourceDataSyncConflictException$ = [
  -3,
  n02,
  _RDSCE,
  { "awsQueryError": [`ResourceDataSyncConflictException`, 409], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(ResourceDataSyncConflictException$, ResourceDataSyncConflictException);
var ResourceDataSyncCountExceededException$ = [
  -3,
  n02,
  _RDSCEE,
  { "awsQueryError": [`ResourceDataSyncCountExceeded`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(ResourceDataSyncCountExceededException$, ResourceDataSyncCountExceededException);
var ResourceDataSyncInvalidConfigurationException$ = [
  -3,
  n02,
  _RDSICE,
  { "awsQueryError": [`ResourceDataSyncInvalidConfiguration`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(ResourceDataSyncInvalidConfigurationException$, ResourceDataSyncInvalidConfigurationException);
var ResourceDataSyncNotFoundException$ = [
  -3,
  n02,
  _RDSNFE,
  { "awsQueryError": [`ResourceDataSyncNotFound`, 404], "error": _c },
  [_SN, _ST, _M2],
  [0, 0, 0]
];
n0_registry.registerError(ResourceDataSyncNotFoundException$, ResourceDataSyncNotFoundException);
var ResourceInUseException$ = [
  -3,
  n02,
  _RIUE,
  { "awsQueryError": [`ResourceInUseException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(ResourceInUseException$, ResourceInUseException);
var ResourceLimitExceededException$ = [
  -3,
  n02,
  _RLEE,
  { "awsQueryError": [`ResourceLimitExceededException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(ResourceLimitExceededException$, ResourceLimitExceededException);
var ResourceNotFoundException$ = [
  -3,
  n02,
  _RNFE,
  { "awsQueryError": [`ResourceNotFoundException`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(ResourceNotFoundException$, ResourceNotFoundException);
var ResourcePolicyConflictException$ = [
  -3,
  n02,
  _RPCE,
  { "awsQueryError": [`ResourcePolicyConflictException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(ResourcePolicyConflictException$, ResourcePolicyConflictException);
var ResourcePolicyInvalidParameterException$ = [
  -3,
  n02,
  _RPIPE,
  { "awsQueryError": [`ResourcePolicyInvalidParameterException`, 400], "error": _c },
  [_PN2, _M2],
  [64 | 0, 0]
];
n0_registry.registerError(ResourcePolicyInvalidParameterException$, ResourcePolicyInvalidParameterException);
var ResourcePolicyLimitExceededException$ = [
  -3,
  n02,
  _RPLEE,
  { "awsQueryError": [`ResourcePolicyLimitExceededException`, 400], "error": _c },
  [_L, _LT2, _M2],
  [1, 0, 0]
];
n0_registry.registerError(ResourcePolicyLimitExceededException$, ResourcePolicyLimitExceededException);
var ResourcePolicyNotFoundException$ = [
  -3,
  n02,
  _RPNFE,
  { "awsQueryError": [`ResourcePolicyNotFoundException`, 404], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(ResourcePolicyNotFoundException$, ResourcePolicyNotFoundException);
var ServiceQuotaExceededException$ = [
  -3,
  n02,
  _SQEE,
  { "error": _c },
  [_M2, _QC, _SC, _RI2, _RTe2],
  [0, 0, 0, 0, 0],
  3
];
n0_registry.registerError(ServiceQuotaExceededException$, ServiceQuotaExceededException);
var ServiceSettingNotFound$ = [
  -3,
  n02,
  _SSNF,
  { "awsQueryError": [`ServiceSettingNotFound`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(ServiceSettingNotFound$, ServiceSettingNotFound);
var StatusUnchanged$ = [
  -3,
  n02,
  _SU,
  { "awsQueryError": [`StatusUnchanged`, 400], "error": _c },
  [],
  []
];
n0_registry.registerError(StatusUnchanged$, StatusUnchanged);
var SubTypeCountLimitExceededException$ = [
  -3,
  n02,
  _STCLEE,
  { "awsQueryError": [`SubTypeCountLimitExceeded`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(SubTypeCountLimitExceededException$, SubTypeCountLimitExceededException);
var TargetInUseException$ = [
  -3,
  n02,
  _TIUE,
  { "awsQueryError": [`TargetInUseException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(TargetInUseException$, TargetInUseException);
var TargetNotConnected$ = [
  -3,
  n02,
  _TNC,
  { "awsQueryError": [`TargetNotConnected`, 430], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(TargetNotConnected$, TargetNotConnected);
var ThrottlingException$ = [
  -3,
  n02,
  _TE,
  { "error": _c },
  [_M2, _QC, _SC],
  [0, 0, 0],
  1
];
n0_registry.registerError(ThrottlingException$, ThrottlingException);
var TooManyTagsError$ = [
  -3,
  n02,
  _TMTE,
  { "awsQueryError": [`TooManyTagsError`, 400], "error": _c },
  [],
  []
];
n0_registry.registerError(TooManyTagsError$, TooManyTagsError);
var TooManyUpdates$ = [
  -3,
  n02,
  _TMU,
  { "awsQueryError": [`TooManyUpdates`, 429], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(TooManyUpdates$, TooManyUpdates);
var TotalSizeLimitExceededException$ = [
  -3,
  n02,
  _TSLEE,
  { "awsQueryError": [`TotalSizeLimitExceeded`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(TotalSizeLimitExceededException$, TotalSizeLimitExceededException);
var UnsupportedCalendarException$ = [
  -3,
  n02,
  _UCE,
  { "awsQueryError": [`UnsupportedCalendarException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(UnsupportedCalendarException$, UnsupportedCalendarException);
var UnsupportedFeatureRequiredException$ = [
  -3,
  n02,
  _UFRE,
  { "awsQueryError": [`UnsupportedFeatureRequiredException`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(UnsupportedFeatureRequiredException$, UnsupportedFeatureRequiredException);
var UnsupportedInventoryItemContextException$ = [
  -3,
  n02,
  _UIICE,
  { "awsQueryError": [`UnsupportedInventoryItemContext`, 400], "error": _c },
  [_TN, _M2],
  [0, 0]
];
n0_registry.registerError(UnsupportedInventoryItemContextException$, UnsupportedInventoryItemContextException);
var UnsupportedInventorySchemaVersionException$ = [
  -3,
  n02,
  _UISVE,
  { "awsQueryError": [`UnsupportedInventorySchemaVersion`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(UnsupportedInventorySchemaVersionException$, UnsupportedInventorySchemaVersionException);
var UnsupportedOperatingSystem$ = [
  -3,
  n02,
  _UOS,
  { "awsQueryError": [`UnsupportedOperatingSystem`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(UnsupportedOperatingSystem$, UnsupportedOperatingSystem);
var UnsupportedOperationException$ = [
  -3,
  n02,
  _UOE,
  { "awsQueryError": [`UnsupportedOperation`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(UnsupportedOperationException$, UnsupportedOperationException);
var UnsupportedParameterType$ = [
  -3,
  n02,
  _UPT,
  { "awsQueryError": [`UnsupportedParameterType`, 400], "error": _c },
  [_m],
  [0]
];
n0_registry.registerError(UnsupportedParameterType$, UnsupportedParameterType);
var UnsupportedPlatformType$ = [
  -3,
  n02,
  _UPTn,
  { "awsQueryError": [`UnsupportedPlatformType`, 400], "error": _c },
  [_M2],
  [0]
];
n0_registry.registerError(UnsupportedPlatformType$, UnsupportedPlatformType);
var ValidationException$ = [
  -3,
  n02,
  _VE,
  { "awsQueryError": [`ValidationException`, 400], "error": _c },
  [_M2, _RC],
  [0, 0]
];
n0_registry.registerError(ValidationException$, ValidationException);
var errorTypeRegistries2 = [
  _s_registry2,
  n0_registry
];
var IPAddress = [0, n02, _IPA, 8, 0];
var PatchSourceConfiguration = [0, n02, _PSC, 8, 0];
var PSParameterValue = [0, n02, _PSPV, 8, 0];
var Alarm$ = [
  3,
  n02,
  _Al,
  0,
  [_N2],
  [0],
  1
];
var AlarmConfiguration$ = [
  3,
  n02,
  _AC2,
  0,
  [_Ala, _IPAF],
  [() => AlarmList, 2],
  1
];
var AlarmStateInformation$ = [
  3,
  n02,
  _ASIl,
  0,
  [_N2, _S],
  [0, 0],
  2
];
var Association$ = [
  3,
  n02,
  _As,
  0,
  [_N2, _II2, _AIs, _AV, _DV, _Ta2, _LED, _O, _SE, _AN, _SO2, _Du, _TM],
  [0, 0, 0, 0, 0, () => Targets, 4, () => AssociationOverview$, 0, 0, 1, 1, [1, n02, _TM, 0, [2, n02, _TMa, 0, 0, 64 | 0]]]
];
var AssociationDescription$ = [
  3,
  n02,
  _AD,
  0,
  [_N2, _II2, _AV, _Da, _LUAD, _St2, _O, _DV, _ATPN, _P2, _AIs, _Ta2, _SE, _OL, _LED, _LSED, _AN, _ME, _MC, _CS, _SCy, _AOACI, _CN, _TL2, _SO2, _Du, _TM, _AC2, _TA, _ADAR],
  [0, 0, 0, 4, 4, () => AssociationStatus$, () => AssociationOverview$, 0, 0, [() => _Parameters, 0], 0, () => Targets, 0, () => InstanceAssociationOutputLocation$, 4, 4, 0, 0, 0, 0, 0, 2, 64 | 0, () => TargetLocations, 1, 1, [1, n02, _TM, 0, [2, n02, _TMa, 0, 0, 64 | 0]], () => AlarmConfiguration$, () => AlarmStateInformationList, 0]
];
var AssociationOverview$ = [
  3,
  n02,
  _AO,
  0,
  [_St2, _DS, _ASAC],
  [0, 0, 128 | 1]
];
var AssociationStatus$ = [
  3,
  n02,
  _AS,
  0,
  [_Da, _N2, _M2, _AId2],
  [4, 0, 0, 0],
  3
];
var AssociationVersionInfo$ = [
  3,
  n02,
  _AVI,
  0,
  [_AIs, _AV, _CD, _N2, _DV, _P2, _Ta2, _SE, _OL, _AN, _ME, _MC, _CS, _SCy, _AOACI, _CN, _TL2, _SO2, _Du, _TM, _ADAR],
  [0, 0, 4, 0, 0, [() => _Parameters, 0], () => Targets, 0, () => InstanceAssociationOutputLocation$, 0, 0, 0, 0, 0, 2, 64 | 0, () => TargetLocations, 1, 1, [1, n02, _TM, 0, [2, n02, _TMa, 0, 0, 64 | 0]], 0]
];
var AttachmentInformation$ = [
  3,
  n02,
  _AIt,
  0,
  [_N2],
  [0]
];
var AttachmentsSource$ = [
  3,
  n02,
  _ASt,
  0,
  [_K2, _Va2, _N2],
  [0, 64 | 0, 0]
];
var AutomationExecution$ = [
  3,
  n02,
  _AEu,
  0,
  [_AEI, _DN2, _DV, _EST, _EET, _AES, _SEt, _SET, _P2, _Ou, _FM, _WM, _Mo, _PAEI, _EB, _CSN, _CA, _TPN, _Ta2, _TM, _RTes2, _MC, _ME, _Tar, _TL2, _PC, _AC2, _TA, _TLURL, _ASu, _STc, _R, _OII, _AIs, _CRN, _Var, _TS2],
  [0, 0, 0, 4, 4, 0, () => StepExecutionList, 2, [2, n02, _APM, 0, 0, 64 | 0], [2, n02, _APM, 0, 0, 64 | 0], 0, 0, 0, 0, 0, 0, 0, 0, () => Targets, [1, n02, _TM, 0, [2, n02, _TMa, 0, 0, 64 | 0]], () => ResolvedTargets$, 0, 0, 0, () => TargetLocations, () => ProgressCounters$, () => AlarmConfiguration$, () => AlarmStateInformationList, 0, 0, 4, () => Runbooks, 0, 0, 0, [2, n02, _APM, 0, 0, 64 | 0], () => TargetsSummary$]
];
var AutomationExecutionFilter$ = [
  3,
  n02,
  _AEFu,
  0,
  [_K2, _Va2],
  [0, 64 | 0],
  2
];
var AutomationExecutionInputs$ = [
  3,
  n02,
  _AEIu,
  0,
  [_P2, _TPN, _Ta2, _TM, _TL2, _TLURL],
  [[2, n02, _APM, 0, 0, 64 | 0], 0, () => AutomationTargets, [1, n02, _TM, 0, [2, n02, _TMa, 0, 0, 64 | 0]], () => TargetLocations, 0]
];
var AutomationExecutionMetadata$ = [
  3,
  n02,
  _AEM,
  0,
  [_AEI, _DN2, _DV, _AES, _EST, _EET, _EB, _LF, _Ou, _Mo, _PAEI, _CSN, _CA, _FM, _WM, _TPN, _Ta2, _TM, _RTes2, _MC, _ME, _Tar, _ATu, _AC2, _TA, _TLURL, _ASu, _STc, _R, _OII, _AIs, _CRN],
  [0, 0, 0, 0, 4, 4, 0, 0, [2, n02, _APM, 0, 0, 64 | 0], 0, 0, 0, 0, 0, 0, 0, () => Targets, [1, n02, _TM, 0, [2, n02, _TMa, 0, 0, 64 | 0]], () => ResolvedTargets$, 0, 0, 0, 0, () => AlarmConfiguration$, () => AlarmStateInformationList, 0, 0, 4, () => Runbooks, 0, 0, 0]
];
var AutomationExecutionPreview$ = [
  3,
  n02,
  _AEP,
  0,
  [_SP, _Re, _TP2, _TAo],
  [128 | 1, 64 | 0, () => TargetPreviewList, 1]
];
var BaselineOverride$ = [
  3,
  n02,
  _BO,
  0,
  [_OSp, _GF, _AR, _AP, _APCL, _RP, _RPA, _APENS, _So, _ASUCS],
  [0, () => PatchFilterGroup$, () => PatchRuleGroup$, 64 | 0, 0, 64 | 0, 0, 2, [() => PatchSourceList, 0], 0]
];
var CancelCommandRequest$ = [
  3,
  n02,
  _CCR,
  0,
  [_CI2, _IIn2],
  [0, 64 | 0],
  1
];
var CancelCommandResult$ = [
  3,
  n02,
  _CCRa,
  0,
  [],
  []
];
var CloudConnectorFilter$ = [
  3,
  n02,
  _CCF,
  0,
  [_FK, _FV],
  [0, 64 | 0]
];
var CloudWatchOutputConfig$ = [
  3,
  n02,
  _CWOC,
  0,
  [_CWLGN, _CWOE],
  [0, 2]
];
var Command$ = [
  3,
  n02,
  _C,
  0,
  [_CI2, _DN2, _DV, _Co2, _EA, _P2, _IIn2, _Ta2, _RDT2, _St2, _SD, _OSR, _OSBN, _OSKP, _MC, _ME, _TC, _CC, _EC, _DTOC, _SR, _NC2, _CWOC, _TSi, _AC2, _TA],
  [0, 0, 0, 0, 4, [() => _Parameters, 0], 64 | 0, () => Targets, 4, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, () => NotificationConfig$, () => CloudWatchOutputConfig$, 1, () => AlarmConfiguration$, () => AlarmStateInformationList]
];
var CommandFilter$ = [
  3,
  n02,
  _CF,
  0,
  [_k2, _v2],
  [0, 0],
  2
];
var CommandInvocation$ = [
  3,
  n02,
  _CIo,
  0,
  [_CI2, _II2, _IN, _Co2, _DN2, _DV, _RDT2, _St2, _SD, _TO, _SOU, _SEU, _CP, _SR, _NC2, _CWOC],
  [0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, () => CommandPluginList, 0, () => NotificationConfig$, () => CloudWatchOutputConfig$]
];
var CommandPlugin$ = [
  3,
  n02,
  _CPo,
  0,
  [_N2, _St2, _SD, _RCes, _RSDT, _RFDT, _Out, _SOU, _SEU, _OSR, _OSBN, _OSKP],
  [0, 0, 0, 1, 4, 4, 0, 0, 0, 0, 0, 0]
];
var ComplianceExecutionSummary$ = [
  3,
  n02,
  _CES,
  0,
  [_ET, _EI, _ETx],
  [4, 0, 0],
  1
];
var ComplianceItem$ = [
  3,
  n02,
  _CIom,
  0,
  [_CTo, _RTe2, _RI2, _I2, _Ti, _St2, _Se, _ES, _De2],
  [0, 0, 0, 0, 0, 0, 0, () => ComplianceExecutionSummary$, 128 | 0]
];
var ComplianceItemEntry$ = [
  3,
  n02,
  _CIE,
  0,
  [_Se, _St2, _I2, _Ti, _De2],
  [0, 0, 0, 0, 128 | 0],
  2
];
var ComplianceStringFilter$ = [
  3,
  n02,
  _CSF,
  0,
  [_K2, _Va2, _Ty2],
  [0, [() => ComplianceStringFilterValueList, 0], 0]
];
var CreateAssociationBatchRequestEntry$ = [
  3,
  n02,
  _CABRE,
  0,
  [_N2, _II2, _P2, _ATPN, _DV, _Ta2, _SE, _OL, _AN, _ME, _MC, _CS, _SCy, _AOACI, _CN, _TL2, _SO2, _Du, _TM, _AC2],
  [0, 0, [() => _Parameters, 0], 0, 0, () => Targets, 0, () => InstanceAssociationOutputLocation$, 0, 0, 0, 0, 0, 2, 64 | 0, () => TargetLocations, 1, 1, [1, n02, _TM, 0, [2, n02, _TMa, 0, 0, 64 | 0]], () => AlarmConfiguration$],
  1
];
var CreateAssociationRequest$ = [
  3,
  n02,
  _CARre,
  0,
  [_N2, _DV, _II2, _P2, _Ta2, _SE, _OL, _AN, _ATPN, _ME, _MC, _CS, _SCy, _AOACI, _CN, _TL2, _SO2, _Du, _TM, _T2, _AC2, _ADAR],
  [0, 0, 0, [() => _Parameters, 0], () => Targets, 0, () => InstanceAssociationOutputLocation$, 0, 0, 0, 0, 0, 0, 2, 64 | 0, () => TargetLocations, 1, 1, [1, n02, _TM, 0, [2, n02, _TMa, 0, 0, 64 | 0]], () => TagList2, () => AlarmConfiguration$, 0],
  1
];
var CreatePatchBaselineRequest$ = [
  3,
  n02,
  _CPBR,
  0,
  [_N2, _OSp, _GF, _AR, _AP, _APCL, _APENS, _RP, _RPA, _D, _So, _ASUCS, _CTl, _T2],
  [0, 0, () => PatchFilterGroup$, () => PatchRuleGroup$, 64 | 0, 0, 2, 64 | 0, 0, 0, [() => PatchSourceList, 0], 0, [0, 4], () => TagList2],
  1
];
var DeleteParametersRequest$ = [
  3,
  n02,
  _DPRel,
  0,
  [_Na],
  [64 | 0],
  1
];
var DeleteParametersResult$ = [
  3,
  n02,
  _DPRele,
  0,
  [_DP, _IP],
  [64 | 0, 64 | 0]
];
var DescribeActivationsFilter$ = [
  3,
  n02,
  _DAF,
  0,
  [_FK, _FV],
  [0, 64 | 0]
];
var DescribeInstanceInformationRequest$ = [
  3,
  n02,
  _DIIR,
  0,
  [_IIFL, _Fi2, _MR2, _NT],
  [[() => InstanceInformationFilterList, 0], [() => InstanceInformationStringFilterList, 0], 1, 0]
];
var DescribeInstanceInformationResult$ = [
  3,
  n02,
  _DIIRe,
  0,
  [_IIL, _NT],
  [[() => InstanceInformationList, 0], 0]
];
var DescribeInstancePatchStatesRequest$ = [
  3,
  n02,
  _DIPSR,
  0,
  [_IIn2, _NT, _MR2],
  [64 | 0, 0, 1],
  1
];
var DescribePatchPropertiesResult$ = [
  3,
  n02,
  _DPPRe,
  0,
  [_Prop, _NT],
  [[1, n02, _PPL, 0, 128 | 0], 0]
];
var DocumentDescription$ = [
  3,
  n02,
  _DD,
  0,
  [_Sha, _H, _HT2, _N2, _DNi, _VN2, _Ow2, _CD, _St2, _SI, _DV, _D, _P2, _PTl, _DT, _SV, _LV, _DVe, _DF, _TT, _T2, _AItt2, _Req, _Au, _RIe2, _AVp, _PRV, _RS, _Ca, _CEa],
  [0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, [() => DocumentParameterList, 0], [() => PlatformTypeList, 0], 0, 0, 0, 0, 0, 0, () => TagList2, [() => AttachmentInformationList, 0], () => DocumentRequiresList, 0, [() => ReviewInformationList, 0], 0, 0, 0, 64 | 0, 64 | 0]
];
var DocumentKeyValuesFilter$ = [
  3,
  n02,
  _DKVF,
  0,
  [_K2, _Va2],
  [0, 64 | 0]
];
var DocumentParameter$ = [
  3,
  n02,
  _DPo,
  0,
  [_N2, _Ty2, _D, _DVef],
  [0, 0, 0, 0]
];
var DocumentRequires$ = [
  3,
  n02,
  _DRo,
  0,
  [_N2, _Ve, _RTeq, _VN2],
  [0, 0, 0, 0],
  1
];
var FailureDetails$ = [
  3,
  n02,
  _FD,
  0,
  [_FS, _FT, _De2],
  [0, 0, [2, n02, _APM, 0, 0, 64 | 0]]
];
var GetCalendarStateRequest$ = [
  3,
  n02,
  _GCSR,
  0,
  [_CN, _ATt],
  [64 | 0, 0],
  1
];
var GetCommandInvocationRequest$ = [
  3,
  n02,
  _GCIR,
  0,
  [_CI2, _II2, _PNl],
  [0, 0, 0],
  2
];
var GetCommandInvocationResult$ = [
  3,
  n02,
  _GCIRe,
  0,
  [_CI2, _II2, _Co2, _DN2, _DV, _PNl, _RCes, _ESDT, _EETx, _EEDT, _St2, _SD, _SOC, _SOU, _SEC, _SEU, _CWOC],
  [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, () => CloudWatchOutputConfig$]
];
var GetMaintenanceWindowExecutionResult$ = [
  3,
  n02,
  _GMWERe,
  0,
  [_WEI, _TIas, _St2, _SD, _STt2, _ETn],
  [0, 64 | 0, 0, 0, 4, 4]
];
var GetParametersRequest$ = [
  3,
  n02,
  _GPRet,
  0,
  [_Na, _WD],
  [64 | 0, 2],
  1
];
var GetParametersResult$ = [
  3,
  n02,
  _GPReta,
  0,
  [_P2, _IP],
  [[() => ParameterList, 0], 64 | 0]
];
var GetPatchBaselineResult$ = [
  3,
  n02,
  _GPBRe,
  0,
  [_BI, _N2, _OSp, _GF, _AR, _AP, _APCL, _APENS, _RP, _RPA, _PGa, _CD, _MD2, _D, _So, _ASUCS],
  [0, 0, 0, () => PatchFilterGroup$, () => PatchRuleGroup$, 64 | 0, 0, 2, 64 | 0, 0, 64 | 0, 4, 4, 0, [() => PatchSourceList, 0], 0]
];
var InstanceAggregatedAssociationOverview$ = [
  3,
  n02,
  _IAAO,
  0,
  [_DS, _IASAC],
  [0, 128 | 1]
];
var InstanceAssociationOutputLocation$ = [
  3,
  n02,
  _IAOL,
  0,
  [_SL],
  [() => S3OutputLocation$]
];
var InstanceInformation$ = [
  3,
  n02,
  _IInst,
  0,
  [_II2, _PSi, _LPDT, _AVg, _ILV, _PTla, _PNla, _PV, _AIct, _IRa, _RD, _RTe2, _N2, _IPA, _CNo, _AS, _LAED, _LSAED, _AO, _SIo, _STo, _SLo],
  [0, 0, 4, 0, 2, 0, 0, 0, 0, 0, 4, 0, 0, [() => IPAddress, 0], 0, 0, 4, 4, () => InstanceAggregatedAssociationOverview$, 0, 0, 0]
];
var InstanceInformationFilter$ = [
  3,
  n02,
  _IIF,
  0,
  [_k2, _vS],
  [0, [() => InstanceInformationFilterValueSet, 0]],
  2
];
var InstanceInformationStringFilter$ = [
  3,
  n02,
  _IISF,
  0,
  [_K2, _Va2],
  [0, [() => InstanceInformationFilterValueSet, 0]],
  2
];
var InstancePatchStateFilter$ = [
  3,
  n02,
  _IPSF,
  0,
  [_K2, _Va2, _Ty2],
  [0, 64 | 0, 0],
  3
];
var InventoryItem$ = [
  3,
  n02,
  _IInve,
  0,
  [_TN, _SV, _CTa, _CH, _Cont, _Conte],
  [0, 0, 0, 0, [1, n02, _IIEL, 0, 128 | 0], 128 | 0],
  3
];
var InventoryResultItem$ = [
  3,
  n02,
  _IRIn,
  0,
  [_TN, _SV, _Cont, _CTa, _CH],
  [0, 0, [1, n02, _IIEL, 0, 128 | 0], 0, 0],
  3
];
var LabelParameterVersionRequest$ = [
  3,
  n02,
  _LPVR,
  0,
  [_N2, _La, _PVa],
  [0, 64 | 0, 1],
  2
];
var LabelParameterVersionResult$ = [
  3,
  n02,
  _LPVRa,
  0,
  [_IL2, _PVa],
  [64 | 0, 1]
];
var ListCommandInvocationsRequest$ = [
  3,
  n02,
  _LCIR,
  0,
  [_CI2, _II2, _MR2, _NT, _Fi2, _De2],
  [0, 0, 1, 0, () => CommandFilterList, 2]
];
var ListCommandInvocationsResult$ = [
  3,
  n02,
  _LCIRi,
  0,
  [_CIomm, _NT],
  [() => CommandInvocationList, 0]
];
var ListComplianceItemsRequest$ = [
  3,
  n02,
  _LCIRis,
  0,
  [_Fi2, _RIes, _RT, _NT, _MR2],
  [[() => ComplianceStringFilterList, 0], 64 | 0, 64 | 0, 0, 1]
];
var ListInventoryEntriesResult$ = [
  3,
  n02,
  _LIERi,
  0,
  [_TN, _II2, _SV, _CTa, _En2, _NT],
  [0, 0, 0, 0, [1, n02, _IIEL, 0, 128 | 0], 0]
];
var ListNodesSummaryResult$ = [
  3,
  n02,
  _LNSRi,
  0,
  [_Sum, _NT],
  [[1, n02, _NSL, 0, 128 | 0], 0]
];
var MaintenanceWindowAutomationParameters$ = [
  3,
  n02,
  _MWAP,
  0,
  [_DV, _P2],
  [0, [2, n02, _APM, 0, 0, 64 | 0]]
];
var MaintenanceWindowFilter$ = [
  3,
  n02,
  _MWF,
  0,
  [_K2, _Va2],
  [0, 64 | 0]
];
var MetadataValue$ = [
  3,
  n02,
  _MV,
  0,
  [_V2],
  [0]
];
var NotificationConfig$ = [
  3,
  n02,
  _NC2,
  0,
  [_NAo, _NE, _NTot],
  [0, 64 | 0, 0]
];
var OpsAggregator$ = [
  3,
  n02,
  _OA2,
  0,
  [_ATgg, _TN, _ANt, _Va2, _Fi2, _Ag],
  [0, 0, 0, 128 | 0, [() => OpsFilterList, 0], [() => OpsAggregatorList, 0]]
];
var OpsEntityItem$ = [
  3,
  n02,
  _OEI,
  0,
  [_CTa, _Cont],
  [0, [1, n02, _OEIEL, 0, 128 | 0]]
];
var OpsFilter$ = [
  3,
  n02,
  _OF,
  0,
  [_K2, _Va2, _Ty2],
  [0, [() => OpsFilterValueList, 0], 0],
  2
];
var OpsItemDataValue$ = [
  3,
  n02,
  _OIDV,
  0,
  [_V2, _Ty2],
  [0, 0]
];
var OpsItemEventFilter$ = [
  3,
  n02,
  _OIEF,
  0,
  [_K2, _Va2, _Ope],
  [0, 64 | 0, 0],
  3
];
var OpsItemFilter$ = [
  3,
  n02,
  _OIFp,
  0,
  [_K2, _Va2, _Ope],
  [0, 64 | 0, 0],
  3
];
var OpsItemNotification$ = [
  3,
  n02,
  _OIN,
  0,
  [_Arn],
  [0]
];
var OpsItemRelatedItemsFilter$ = [
  3,
  n02,
  _OIRIF,
  0,
  [_K2, _Va2, _Ope],
  [0, 64 | 0, 0],
  3
];
var OpsMetadataFilter$ = [
  3,
  n02,
  _OMF,
  0,
  [_K2, _Va2],
  [0, 64 | 0],
  2
];
var Parameter$ = [
  3,
  n02,
  _Par,
  0,
  [_N2, _Ty2, _V2, _Ve, _Sel, _SRo, _LMD, _ARN, _DTa],
  [0, 0, [() => PSParameterValue, 0], 1, 0, 0, 4, 0, 0]
];
var ParameterHistory$ = [
  3,
  n02,
  _PHa,
  0,
  [_N2, _Ty2, _KI2, _LMD, _LMU, _D, _V2, _APl, _Ve, _La, _Tie, _Po, _DTa],
  [0, 0, 0, 4, 0, 0, [() => PSParameterValue, 0], 0, 1, 64 | 0, 0, () => ParameterPolicyList, 0]
];
var ParameterInlinePolicy$ = [
  3,
  n02,
  _PIP,
  0,
  [_PTo, _PTol, _PSo],
  [0, 0, 0]
];
var ParametersFilter$ = [
  3,
  n02,
  _PFa,
  0,
  [_K2, _Va2],
  [0, 64 | 0],
  2
];
var ParameterStringFilter$ = [
  3,
  n02,
  _PSF,
  0,
  [_K2, _Opt, _Va2],
  [0, 0, 64 | 0],
  1
];
var ParentStepDetails$ = [
  3,
  n02,
  _PSD,
  0,
  [_SEI, _SNt, _Ac, _It, _IV],
  [0, 0, 0, 1, 0]
];
var Patch$ = [
  3,
  n02,
  _Pat,
  0,
  [_I2, _RDe, _Ti, _D, _CU, _Ven, _PFr, _Prod, _Cl, _MSs, _KNb, _MN, _Lan, _AIdv, _BIu, _CVEI, _N2, _Ep, _Ve, _Rel, _Arc2, _Se, _Rep],
  [0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64 | 0, 64 | 0, 64 | 0, 0, 1, 0, 0, 0, 0, 0]
];
var PatchFilter$ = [
  3,
  n02,
  _PFat,
  0,
  [_K2, _Va2],
  [0, 64 | 0],
  2
];
var PatchFilterGroup$ = [
  3,
  n02,
  _PFG,
  0,
  [_PFatc],
  [() => PatchFilterList],
  1
];
var PatchOrchestratorFilter$ = [
  3,
  n02,
  _POF,
  0,
  [_K2, _Va2],
  [0, 64 | 0]
];
var PatchRule$ = [
  3,
  n02,
  _PR,
  0,
  [_PFG, _CL, _AAD, _AUD, _ENS],
  [() => PatchFilterGroup$, 0, 1, 0, 2],
  1
];
var PatchRuleGroup$ = [
  3,
  n02,
  _PRG,
  0,
  [_PRa],
  [() => PatchRuleList],
  1
];
var PatchSource$ = [
  3,
  n02,
  _PSat,
  0,
  [_N2, _Produ, _Con],
  [0, 64 | 0, [() => PatchSourceConfiguration, 0]],
  3
];
var ProgressCounters$ = [
  3,
  n02,
  _PC,
  0,
  [_TSo, _SSu2, _FSa, _CSa, _TOS],
  [1, 1, 1, 1, 1]
];
var RelatedOpsItem$ = [
  3,
  n02,
  _ROIe,
  0,
  [_OII],
  [0],
  1
];
var RemoveTagsFromResourceRequest$ = [
  3,
  n02,
  _RTFRR,
  0,
  [_RTe2, _RI2, _TK],
  [0, 0, 64 | 0],
  3
];
var ResolvedTargets$ = [
  3,
  n02,
  _RTes2,
  0,
  [_PVar, _Tr],
  [64 | 0, 2]
];
var ResourceDataSyncAwsOrganizationsSource$ = [
  3,
  n02,
  _RDSAOS,
  0,
  [_OSTr, _OUr],
  [0, () => ResourceDataSyncOrganizationalUnitList],
  1
];
var ResourceDataSyncOrganizationalUnit$ = [
  3,
  n02,
  _RDSOU,
  0,
  [_OUI],
  [0]
];
var ResourceDataSyncSource$ = [
  3,
  n02,
  _RDSS,
  0,
  [_STo, _SRou, _AOS, _IFR, _EAODS],
  [0, 64 | 0, () => ResourceDataSyncAwsOrganizationsSource$, 2, 2],
  2
];
var ResourceDataSyncSourceWithState$ = [
  3,
  n02,
  _RDSSWS,
  0,
  [_STo, _AOS, _SRou, _IFR, _S, _EAODS],
  [0, () => ResourceDataSyncAwsOrganizationsSource$, 64 | 0, 2, 0, 2]
];
var ReviewInformation$ = [
  3,
  n02,
  _RIe2,
  0,
  [_RTev, _St2, _Rev],
  [4, 0, 0]
];
var Runbook$ = [
  3,
  n02,
  _Ru,
  0,
  [_DN2, _DV, _P2, _TPN, _Ta2, _TM, _MC, _ME, _TL2],
  [0, 0, [2, n02, _APM, 0, 0, 64 | 0], 0, () => Targets, [1, n02, _TM, 0, [2, n02, _TMa, 0, 0, 64 | 0]], 0, 0, () => TargetLocations],
  1
];
var S3OutputLocation$ = [
  3,
  n02,
  _SOL,
  0,
  [_OSR, _OSBN, _OSKP],
  [0, 0, 0]
];
var SendAutomationSignalRequest$ = [
  3,
  n02,
  _SASR,
  0,
  [_AEI, _STi, _Pay],
  [0, 0, [2, n02, _APM, 0, 0, 64 | 0]],
  2
];
var SendCommandRequest$ = [
  3,
  n02,
  _SCR,
  0,
  [_DN2, _IIn2, _Ta2, _DV, _DH, _DHT, _TSi, _Co2, _P2, _OSR, _OSBN, _OSKP, _MC, _ME, _SRA, _NC2, _CWOC, _AC2],
  [0, 64 | 0, () => Targets, 0, 0, 0, 1, 0, [() => _Parameters, 0], 0, 0, 0, 0, 0, 0, () => NotificationConfig$, () => CloudWatchOutputConfig$, () => AlarmConfiguration$],
  1
];
var SendCommandResult$ = [
  3,
  n02,
  _SCRe,
  0,
  [_C],
  [[() => Command$, 0]]
];
var StartAssociationsOnceRequest$ = [
  3,
  n02,
  _SAOR,
  0,
  [_AIss2],
  [64 | 0],
  1
];
var StartAutomationExecutionRequest$ = [
  3,
  n02,
  _SAER,
  0,
  [_DN2, _DV, _P2, _CTl, _Mo, _TPN, _Ta2, _TM, _MC, _ME, _TL2, _T2, _AC2, _TLURL],
  [0, 0, [2, n02, _APM, 0, 0, 64 | 0], 0, 0, 0, () => AutomationTargets, [1, n02, _TM, 0, [2, n02, _TMa, 0, 0, 64 | 0]], 0, 0, () => TargetLocations, () => TagList2, () => AlarmConfiguration$, 0],
  1
];
var StartChangeRequestExecutionRequest$ = [
  3,
  n02,
  _SCRER,
  0,
  [_DN2, _R, _STc, _DV, _P2, _CRN, _CTl, _AA, _T2, _SETc, _CDh],
  [0, () => Runbooks, 4, 0, [2, n02, _APM, 0, 0, 64 | 0], 0, 0, 2, () => TagList2, 4, 0],
  2
];
var StartSessionRequest$ = [
  3,
  n02,
  _SSR,
  0,
  [_Tar, _DN2, _Rea, _P2],
  [0, 0, 0, [2, n02, _SMP, 0, 0, 64 | 0]],
  1
];
var StepExecution$ = [
  3,
  n02,
  _SEte,
  0,
  [_SNt, _Ac, _TSi, _OFn, _MA, _EST, _EET, _SSt, _RCes, _Inpu, _Ou, _Res2, _FM, _WM, _FD, _SEI, _OP, _IE, _NS2, _ICs, _VNS, _Ta2, _TLar, _TA, _PSD],
  [0, 0, 1, 0, 1, 4, 4, 0, 0, 128 | 0, [2, n02, _APM, 0, 0, 64 | 0], 0, 0, 0, () => FailureDetails$, 0, [2, n02, _APM, 0, 0, 64 | 0], 2, 0, 2, 64 | 0, () => Targets, () => TargetLocation$, () => AlarmStateInformationList, () => ParentStepDetails$]
];
var StepExecutionFilter$ = [
  3,
  n02,
  _SEF,
  0,
  [_K2, _Va2],
  [0, 64 | 0],
  2
];
var Tag$2 = [
  3,
  n02,
  _Tag,
  0,
  [_K2, _V2],
  [0, 0],
  2
];
var Target$ = [
  3,
  n02,
  _Tar,
  0,
  [_K2, _Va2],
  [0, 64 | 0]
];
var TargetLocation$ = [
  3,
  n02,
  _TLar,
  0,
  [_Acc2, _Re, _TLMC, _TLME, _ERN, _TLAC, _ICOU, _EAx, _Ta2, _TMC, _TME],
  [64 | 0, 64 | 0, 0, 0, 0, () => AlarmConfiguration$, 2, 64 | 0, () => AutomationTargets, 0, 0]
];
var TargetPreview$ = [
  3,
  n02,
  _TPar,
  0,
  [_Cou2, _TT],
  [1, 0]
];
var TargetsSummary$ = [
  3,
  n02,
  _TS2,
  0,
  [_TCo, _SCt, _CC, _SCu, _FC],
  [1, 1, 1, 1, 1]
];
var UnlabelParameterVersionRequest$ = [
  3,
  n02,
  _UPVR,
  0,
  [_N2, _PVa, _La],
  [0, 1, 64 | 0],
  3
];
var UnlabelParameterVersionResult$ = [
  3,
  n02,
  _UPVRn,
  0,
  [_RLe2, _IL2],
  [64 | 0, 64 | 0]
];
var UpdateAssociationRequest$ = [
  3,
  n02,
  _UAR,
  0,
  [_AIs, _P2, _DV, _SE, _OL, _N2, _Ta2, _AN, _AV, _ATPN, _ME, _MC, _CS, _SCy, _AOACI, _CN, _TL2, _SO2, _Du, _TM, _AC2, _ADAR],
  [0, [() => _Parameters, 0], 0, 0, () => InstanceAssociationOutputLocation$, 0, () => Targets, 0, 0, 0, 0, 0, 0, 0, 2, 64 | 0, () => TargetLocations, 1, 1, [1, n02, _TM, 0, [2, n02, _TMa, 0, 0, 64 | 0]], () => AlarmConfiguration$, 0],
  1
];
var UpdateOpsItemRequest$ = [
  3,
  n02,
  _UOIR,
  0,
  [_OII, _D, _OD, _ODTD, _No, _Pri, _ROI, _St2, _Ti, _Ca, _Se, _AST, _AETc, _PST, _PET, _OIA],
  [0, 0, () => OpsItemOperationalData, 64 | 0, () => OpsItemNotifications, 1, () => RelatedOpsItems, 0, 0, 0, 0, 4, 4, 4, 4, 0],
  1
];
var UpdateOpsMetadataRequest$ = [
  3,
  n02,
  _UOMR,
  0,
  [_OMA, _MTU, _KTD],
  [0, () => MetadataMap, 64 | 0],
  1
];
var UpdatePatchBaselineRequest$ = [
  3,
  n02,
  _UPBR,
  0,
  [_BI, _N2, _GF, _AR, _AP, _APCL, _APENS, _RP, _RPA, _D, _So, _ASUCS, _Repl],
  [0, 0, () => PatchFilterGroup$, () => PatchRuleGroup$, 64 | 0, 0, 2, 64 | 0, 0, 0, [() => PatchSourceList, 0], 0, 2],
  1
];
var UpdatePatchBaselineResult$ = [
  3,
  n02,
  _UPBRp,
  0,
  [_BI, _N2, _OSp, _GF, _AR, _AP, _APCL, _APENS, _RP, _RPA, _CD, _MD2, _D, _So, _ASUCS],
  [0, 0, 0, () => PatchFilterGroup$, () => PatchRuleGroup$, 64 | 0, 0, 2, 64 | 0, 0, 4, 4, 0, [() => PatchSourceList, 0], 0]
];
var Accounts = 64 | 0;
var AlarmList = [
  1,
  n02,
  _ALl,
  0,
  () => Alarm$
];
var AlarmStateInformationList = [
  1,
  n02,
  _ASILl,
  0,
  () => AlarmStateInformation$
];
var AssociationIdList = 64 | 0;
var AttachmentInformationList = [
  1,
  n02,
  _AILt,
  0,
  [
    () => AttachmentInformation$,
    { "xmlName": _AIt }
  ]
];
var AttachmentsSourceValues = 64 | 0;
var AutomationExecutionFilterValueList = 64 | 0;
var AutomationParameterValueList = 64 | 0;
var AutomationTargets = [
  1,
  n02,
  _ATut,
  0,
  () => Target$
];
var CalendarNameOrARNList = 64 | 0;
var CategoryEnumList = 64 | 0;
var CategoryList = 64 | 0;
var CloudConnectorFilterValues = 64 | 0;
var CommandFilterList = [
  1,
  n02,
  _CFL,
  0,
  () => CommandFilter$
];
var CommandInvocationList = [
  1,
  n02,
  _CIL,
  0,
  () => CommandInvocation$
];
var CommandPluginList = [
  1,
  n02,
  _CPL,
  0,
  () => CommandPlugin$
];
var ComplianceResourceIdList = 64 | 0;
var ComplianceResourceTypeList = 64 | 0;
var ComplianceStringFilterList = [
  1,
  n02,
  _CSFL,
  0,
  [
    () => ComplianceStringFilter$,
    { "xmlName": _CFo }
  ]
];
var ComplianceStringFilterValueList = [
  1,
  n02,
  _CSFVL,
  0,
  [
    0,
    { "xmlName": _FVi }
  ]
];
var DocumentKeyValuesFilterValues = 64 | 0;
var DocumentParameterList = [
  1,
  n02,
  _DPLo,
  0,
  [
    () => DocumentParameter$,
    { "xmlName": _DPo }
  ]
];
var DocumentRequiresList = [
  1,
  n02,
  _DRL,
  0,
  () => DocumentRequires$
];
var ExcludeAccounts = 64 | 0;
var InstanceIdList = 64 | 0;
var InstanceInformationFilterList = [
  1,
  n02,
  _IIFL,
  0,
  [
    () => InstanceInformationFilter$,
    { "xmlName": _IIF }
  ]
];
var InstanceInformationFilterValueSet = [
  1,
  n02,
  _IIFVS,
  0,
  [
    0,
    { "xmlName": _IIFV }
  ]
];
var InstanceInformationList = [
  1,
  n02,
  _IIL,
  0,
  [
    () => InstanceInformation$,
    { "xmlName": _IInst }
  ]
];
var InstanceInformationStringFilterList = [
  1,
  n02,
  _IISFL,
  0,
  [
    () => InstanceInformationStringFilter$,
    { "xmlName": _IISF }
  ]
];
var InstancePatchStateFilterValues = 64 | 0;
var InventoryItemEntryList = [
  1,
  n02,
  _IIEL,
  0,
  128 | 0
];
var KeyList = 64 | 0;
var MaintenanceWindowExecutionTaskIdList = 64 | 0;
var MaintenanceWindowFilterValues = 64 | 0;
var MetadataKeysToDeleteList = 64 | 0;
var NodeSummaryList = [
  1,
  n02,
  _NSL,
  0,
  128 | 0
];
var NotificationEventList = 64 | 0;
var OpsAggregatorList = [
  1,
  n02,
  _OAL,
  0,
  [
    () => OpsAggregator$,
    { "xmlName": _Agg }
  ]
];
var OpsEntityItemEntryList = [
  1,
  n02,
  _OEIEL,
  0,
  128 | 0
];
var OpsFilterList = [
  1,
  n02,
  _OFL,
  0,
  [
    () => OpsFilter$,
    { "xmlName": _OF }
  ]
];
var OpsFilterValueList = [
  1,
  n02,
  _OFVL,
  0,
  [
    0,
    { "xmlName": _FVi }
  ]
];
var OpsItemEventFilterValues = 64 | 0;
var OpsItemFilterValues = 64 | 0;
var OpsItemNotifications = [
  1,
  n02,
  _OINp,
  0,
  () => OpsItemNotification$
];
var OpsItemOpsDataKeysList = 64 | 0;
var OpsItemParameterNamesList = 64 | 0;
var OpsItemRelatedItemsFilterValues = 64 | 0;
var OpsMetadataFilterValueList = 64 | 0;
var ParameterLabelList = 64 | 0;
var ParameterList = [
  1,
  n02,
  _PL,
  0,
  [
    () => Parameter$,
    0
  ]
];
var ParameterNameList = 64 | 0;
var ParameterPolicyList = [
  1,
  n02,
  _PPLa,
  0,
  () => ParameterInlinePolicy$
];
var ParametersFilterValueList = 64 | 0;
var ParameterStringFilterValueList = 64 | 0;
var ParameterValueList = 64 | 0;
var PatchAdvisoryIdList = 64 | 0;
var PatchBugzillaIdList = 64 | 0;
var PatchCVEIdList = 64 | 0;
var PatchFilterList = [
  1,
  n02,
  _PFLa,
  0,
  () => PatchFilter$
];
var PatchFilterValueList = 64 | 0;
var PatchGroupList = 64 | 0;
var PatchIdList = 64 | 0;
var PatchOrchestratorFilterValues = 64 | 0;
var PatchPropertiesList = [
  1,
  n02,
  _PPL,
  0,
  128 | 0
];
var PatchRuleList = [
  1,
  n02,
  _PRL,
  0,
  () => PatchRule$
];
var PatchSourceList = [
  1,
  n02,
  _PSL,
  0,
  [
    () => PatchSource$,
    0
  ]
];
var PatchSourceProductList = 64 | 0;
var PlatformTypeList = [
  1,
  n02,
  _PTL,
  0,
  [
    0,
    { "xmlName": _PTla }
  ]
];
var RegionList = 64 | 0;
var Regions = 64 | 0;
var RelatedOpsItems = [
  1,
  n02,
  _ROI,
  0,
  () => RelatedOpsItem$
];
var ResourceDataSyncOrganizationalUnitList = [
  1,
  n02,
  _RDSOUL,
  0,
  () => ResourceDataSyncOrganizationalUnit$
];
var ResourceDataSyncSourceRegionList = 64 | 0;
var ResourcePolicyParameterNamesList = 64 | 0;
var ReviewInformationList = [
  1,
  n02,
  _RIL,
  0,
  [
    () => ReviewInformation$,
    { "xmlName": _RIe2 }
  ]
];
var Runbooks = [
  1,
  n02,
  _R,
  0,
  () => Runbook$
];
var SessionManagerParameterValueList = 64 | 0;
var StepExecutionFilterValueList = 64 | 0;
var StepExecutionList = [
  1,
  n02,
  _SEL,
  0,
  () => StepExecution$
];
var StringList = 64 | 0;
var TagList2 = [
  1,
  n02,
  _TLa,
  0,
  () => Tag$2
];
var TargetLocations = [
  1,
  n02,
  _TL2,
  0,
  () => TargetLocation$
];
var TargetMaps = [
  1,
  n02,
  _TM,
  0,
  [2, n02, _TMa, 0, 0, 64 | 0]
];
var TargetMapValueList = 64 | 0;
var TargetParameterList = 64 | 0;
var TargetPreviewList = [
  1,
  n02,
  _TPL,
  0,
  () => TargetPreview$
];
var Targets = [
  1,
  n02,
  _Ta2,
  0,
  () => Target$
];
var TargetValues = 64 | 0;
var ValidNextStepList = 64 | 0;
var AssociationStatusAggregatedCount = 128 | 1;
var AutomationParameterMap = [
  2,
  n02,
  _APM,
  0,
  0,
  64 | 0
];
var ComplianceItemDetails = 128 | 0;
var InstanceAssociationStatusAggregatedCount = 128 | 1;
var InventoryItemContentContext = 128 | 0;
var InventoryItemEntry = 128 | 0;
var MetadataMap = [
  2,
  n02,
  _MM,
  0,
  0,
  () => MetadataValue$
];
var NodeSummary = 128 | 0;
var NormalStringMap = 128 | 0;
var OpsAggregatorValueMap = 128 | 0;
var OpsEntityItemEntry = 128 | 0;
var OpsItemOperationalData = [
  2,
  n02,
  _OIOD,
  0,
  0,
  () => OpsItemDataValue$
];
var _Parameters = [
  2,
  n02,
  _P2,
  8,
  0,
  64 | 0
];
var PatchPropertyEntry = 128 | 0;
var SessionManagerParameters = [
  2,
  n02,
  _SMP,
  0,
  0,
  64 | 0
];
var StepPreviewMap = 128 | 1;
var TargetMap = [
  2,
  n02,
  _TMa,
  0,
  0,
  64 | 0
];
var CancelCommand$ = [
  9,
  n02,
  _CCa,
  0,
  () => CancelCommandRequest$,
  () => CancelCommandResult$
];
var DescribeInstanceInformation$ = [
  9,
  n02,
  _DIIe,
  0,
  () => DescribeInstanceInformationRequest$,
  () => DescribeInstanceInformationResult$
];
var GetCommandInvocation$ = [
  9,
  n02,
  _GCI,
  0,
  () => GetCommandInvocationRequest$,
  () => GetCommandInvocationResult$
];
var GetParameters$ = [
  9,
  n02,
  _GPet,
  0,
  () => GetParametersRequest$,
  () => GetParametersResult$
];
var ListCommandInvocations$ = [
  9,
  n02,
  _LCI,
  0,
  () => ListCommandInvocationsRequest$,
  () => ListCommandInvocationsResult$
];
var SendCommand$ = [
  9,
  n02,
  _SCe,
  0,
  () => SendCommandRequest$,
  () => SendCommandResult$
];

// node_modules/@aws-sdk/client-ssm/dist-es/runtimeConfig.shared.js
var getRuntimeConfig3 = (config) => {
  return {
    apiVersion: "2014-11-06",
    base64Decoder: config?.base64Decoder ?? fromBase64,
    base64Encoder: config?.base64Encoder ?? toBase64,
    disableHostPrefix: config?.disableHostPrefix ?? false,
    endpointProvider: config?.endpointProvider ?? defaultEndpointResolver2,
    extensions: config?.extensions ?? [],
    httpAuthSchemeProvider: config?.httpAuthSchemeProvider ?? defaultSSMHttpAuthSchemeProvider,
    httpAuthSchemes: config?.httpAuthSchemes ?? [
      {
        schemeId: "aws.auth#sigv4",
        identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4"),
        signer: new AwsSdkSigV4Signer()
      }
    ],
    logger: config?.logger ?? new NoOpLogger(),
    protocol: config?.protocol ?? AwsJson1_1Protocol,
    protocolSettings: config?.protocolSettings ?? {
      defaultNamespace: "com.amazonaws.ssm",
      errorTypeRegistries: errorTypeRegistries2,
      xmlNamespace: "http://ssm.amazonaws.com/doc/2014-11-06/",
      version: "2014-11-06",
      serviceTarget: "AmazonSSM"
    },
    serviceId: config?.serviceId ?? "SSM",
    sha256: config?.sha256 ?? Sha256Node,
    urlParser: config?.urlParser ?? parseUrl,
    utf8Decoder: config?.utf8Decoder ?? fromUtf8,
    utf8Encoder: config?.utf8Encoder ?? toUtf8
  };
};

// node_modules/@aws-sdk/client-ssm/dist-es/runtimeConfig.js
var getRuntimeConfig4 = (config) => {
  emitWarningIfUnsupportedVersion2(process.version);
  const defaultsMode = resolveDefaultsModeConfig(config);
  const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
  const clientSharedValues = getRuntimeConfig3(config);
  emitWarningIfUnsupportedVersion(process.version);
  const loaderConfig = {
    profile: config?.profile,
    logger: clientSharedValues.logger
  };
  return {
    ...clientSharedValues,
    ...config,
    runtime: "node",
    defaultsMode,
    authSchemePreference: config?.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig),
    bodyLengthChecker: config?.bodyLengthChecker ?? calculateBodyLength,
    credentialDefaultProvider: config?.credentialDefaultProvider ?? defaultProvider,
    defaultSocketTimeout: getDefaultSocketTimeout(config?.requestHandler, 9e5),
    defaultUserAgentProvider: config?.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: clientSharedValues.serviceId, clientVersion: package_default2.version }),
    maxAttempts: config?.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config),
    region: config?.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
    requestHandler: NodeHttpHandler.create(config?.requestHandler ?? defaultConfigProvider),
    retryMode: config?.retryMode ?? loadConfig({
      ...NODE_RETRY_MODE_CONFIG_OPTIONS,
      default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE
    }, config),
    streamCollector: config?.streamCollector ?? streamCollector,
    useDualstackEndpoint: config?.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
    useFipsEndpoint: config?.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
    userAgentAppId: config?.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig)
  };
};

// node_modules/@aws-sdk/client-ssm/dist-es/auth/httpAuthExtensionConfiguration.js
var getHttpAuthExtensionConfiguration2 = (runtimeConfig) => {
  const _httpAuthSchemes = runtimeConfig.httpAuthSchemes;
  let _httpAuthSchemeProvider = runtimeConfig.httpAuthSchemeProvider;
  let _credentials = runtimeConfig.credentials;
  return {
    setHttpAuthScheme(httpAuthScheme) {
      const index = _httpAuthSchemes.findIndex((scheme) => scheme.schemeId === httpAuthScheme.schemeId);
      if (index === -1) {
        _httpAuthSchemes.push(httpAuthScheme);
      } else {
        _httpAuthSchemes.splice(index, 1, httpAuthScheme);
      }
    },
    httpAuthSchemes() {
      return _httpAuthSchemes;
    },
    setHttpAuthSchemeProvider(httpAuthSchemeProvider) {
      _httpAuthSchemeProvider = httpAuthSchemeProvider;
    },
    httpAuthSchemeProvider() {
      return _httpAuthSchemeProvider;
    },
    setCredentials(credentials) {
      _credentials = credentials;
    },
    credentials() {
      return _credentials;
    }
  };
};
var resolveHttpAuthRuntimeConfig2 = (config) => {
  return {
    httpAuthSchemes: config.httpAuthSchemes(),
    httpAuthSchemeProvider: config.httpAuthSchemeProvider(),
    credentials: config.credentials()
  };
};

// node_modules/@aws-sdk/client-ssm/dist-es/runtimeExtensions.js
var resolveRuntimeExtensions2 = (runtimeConfig, extensions) => {
  const extensionConfiguration = Object.assign(getAwsRegionExtensionConfiguration(runtimeConfig), getDefaultExtensionConfiguration(runtimeConfig), getHttpHandlerExtensionConfiguration(runtimeConfig), getHttpAuthExtensionConfiguration2(runtimeConfig));
  extensions.forEach((extension) => extension.configure(extensionConfiguration));
  return Object.assign(runtimeConfig, resolveAwsRegionExtensionConfiguration(extensionConfiguration), resolveDefaultRuntimeConfig(extensionConfiguration), resolveHttpHandlerRuntimeConfig(extensionConfiguration), resolveHttpAuthRuntimeConfig2(extensionConfiguration));
};

// node_modules/@aws-sdk/client-ssm/dist-es/SSMClient.js
var SSMClient = class extends Client {
  config;
  constructor(...[configuration]) {
    const _config_0 = getRuntimeConfig4(configuration || {});
    super(_config_0);
    this.initConfig = _config_0;
    const _config_1 = resolveClientEndpointParameters2(_config_0);
    const _config_2 = resolveUserAgentConfig(_config_1);
    const _config_3 = resolveRetryConfig(_config_2);
    const _config_4 = resolveRegionConfig(_config_3);
    const _config_5 = resolveHostHeaderConfig(_config_4);
    const _config_6 = resolveEndpointConfig(_config_5);
    const _config_7 = resolveHttpAuthSchemeConfig2(_config_6);
    const _config_8 = resolveRuntimeExtensions2(_config_7, configuration?.extensions || []);
    this.config = _config_8;
    this.middlewareStack.use(getSchemaSerdePlugin(this.config));
    this.middlewareStack.use(getUserAgentPlugin(this.config));
    this.middlewareStack.use(getRetryPlugin(this.config));
    this.middlewareStack.use(getContentLengthPlugin(this.config));
    this.middlewareStack.use(getHostHeaderPlugin(this.config));
    this.middlewareStack.use(getLoggerPlugin(this.config));
    this.middlewareStack.use(getRecursionDetectionPlugin(this.config));
    this.middlewareStack.use(getHttpAuthSchemeEndpointRuleSetPlugin(this.config, {
      httpAuthSchemeParametersProvider: defaultSSMHttpAuthSchemeParametersProvider,
      identityProviderConfigProvider: async (config) => new DefaultIdentityProviderConfig({
        "aws.auth#sigv4": config.credentials
      })
    }));
    this.middlewareStack.use(getHttpSigningPlugin(this.config));
  }
  destroy() {
    super.destroy();
  }
};

// src/aws/clients.ts
var RETRY = { retryMode: "adaptive", maxAttempts: 10 };
var PoolAwareRetryStrategy = class {
  mode = RETRY.retryMode;
  #inner;
  constructor(maxAttempts = RETRY.maxAttempts) {
    this.#inner = new AdaptiveRetryStrategy(async () => maxAttempts);
  }
  acquireInitialRetryToken(scope) {
    return this.#inner.acquireInitialRetryToken(scope);
  }
  refreshRetryTokenForRetry(token, info) {
    if (info.error && CAPACITY_CODES.has(awsErrorCode(info.error))) {
      return Promise.reject(new Error(`${awsErrorCode(info.error)} is not retried`));
    }
    return this.#inner.refreshRetryTokenForRetry(token, info);
  }
  recordSuccess(token) {
    this.#inner.recordSuccess(token);
  }
};
function clientConfig(region) {
  return { region, maxAttempts: RETRY.maxAttempts, retryStrategy: new PoolAwareRetryStrategy() };
}
var Clients = class {
  #byRegion = /* @__PURE__ */ new Map();
  for(region) {
    let c3 = this.#byRegion.get(region);
    if (!c3) {
      c3 = {
        region,
        ec2: new EC2Client(clientConfig(region)),
        ssm: new SSMClient(clientConfig(region))
      };
      this.#byRegion.set(region, c3);
    }
    return c3;
  }
  /** Closes the HTTP agents so the process can exit. */
  close() {
    for (const c3 of this.#byRegion.values()) {
      c3.ec2.destroy();
      c3.ssm.destroy();
    }
    this.#byRegion.clear();
  }
};
async function chainRegion() {
  const client = new EC2Client({});
  try {
    return await client.config.region();
  } catch {
    return void 0;
  } finally {
    client.destroy();
  }
}
function abortable(signal) {
  return signal ? { abortSignal: signal } : {};
}

export {
  commonParams,
  CreateTags$,
  DeleteTags$,
  DescribeImages$,
  DescribeInstances$,
  DescribeInstanceTypes$,
  DescribeSpotPriceHistory$,
  RunInstances$,
  TerminateInstances$,
  EC2Client,
  commonParams2,
  CancelCommand$,
  DescribeInstanceInformation$,
  GetCommandInvocation$,
  GetParameters$,
  ListCommandInvocations$,
  SendCommand$,
  RETRY,
  PoolAwareRetryStrategy,
  Clients,
  chainRegion,
  abortable
};
//# sourceMappingURL=chunk-UE23O574.js.map

import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  ActionError,
  errorMessage
} from "./chunk-5LWETDWB.js";

// src/aws/errors.ts
var CAPACITY_CODES = /* @__PURE__ */ new Set([
  "InsufficientInstanceCapacity",
  "UnfulfillableCapacity",
  "MaxSpotInstanceCountExceeded",
  "SpotMaxPriceTooLow",
  "InsufficientCapacity",
  "InsufficientFreeAddressesInSubnet"
]);
var UNOFFERED_CODES = /* @__PURE__ */ new Set(["Unsupported", "InvalidInstanceType"]);
var SPOT_SLR_CODE = "AuthFailure.ServiceLinkedRoleCreationNotPermitted";
function awsErrorCode(err) {
  if (typeof err === "object" && err !== null) {
    const e = err;
    for (const v of [e.Code, e.code, e.name]) {
      if (typeof v === "string" && v !== "" && v !== "Error") return v;
    }
  }
  return "Error";
}
var THROTTLING_CODES = /* @__PURE__ */ new Set([
  "RequestLimitExceeded",
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown"
]);
function isThrottlingError(err) {
  return THROTTLING_CODES.has(awsErrorCode(err));
}
function isCapacityError(err) {
  return CAPACITY_CODES.has(awsErrorCode(err));
}
function isAbortError(err) {
  return typeof err === "object" && err !== null && (err.name === "AbortError" || err.code === "ABORT_ERR");
}
function describeAwsError(err) {
  const code = awsErrorCode(err);
  const msg = errorMessage(err);
  return code === "Error" || msg.startsWith(code) ? msg : `${code}: ${msg}`;
}
var DeployError = class extends ActionError {
  constructor(message) {
    super("deploy", message);
    this.name = "DeployError";
  }
};

export {
  CAPACITY_CODES,
  UNOFFERED_CODES,
  SPOT_SLR_CODE,
  awsErrorCode,
  isThrottlingError,
  isCapacityError,
  isAbortError,
  describeAwsError,
  DeployError
};
//# sourceMappingURL=chunk-4OVCB57H.js.map

import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  Clients,
  PoolAwareRetryStrategy,
  RETRY,
  abortable,
  chainRegion
} from "./chunk-UE23O574.js";
import "./chunk-XTVJNGXJ.js";
import "./chunk-4OVCB57H.js";
import "./chunk-5LWETDWB.js";
import "./chunk-DOESRUQL.js";
import "./chunk-RZQHOU5W.js";
import "./chunk-26QGXXSG.js";
import "./chunk-RLOAZQV4.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";
export {
  Clients,
  PoolAwareRetryStrategy,
  RETRY,
  abortable,
  chainRegion
};
//# sourceMappingURL=clients-WOD6JHCL.js.map

import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  DESTROY_TIMEOUT_SECONDS,
  destroyCommand,
  destroyContext
} from "./chunk-E4CCD6IN.js";
import "./chunk-VELJBD3Y.js";
import {
  manifestRegions,
  searchDeployment
} from "./chunk-KXLZV4D5.js";
import "./chunk-FQMHTO7E.js";
import "./chunk-LXZS54HF.js";
import "./chunk-NCEH4VHK.js";
import "./chunk-DFAL24WV.js";
import "./chunk-DPXUJE6X.js";
import "./chunk-V2M23LJS.js";
import "./chunk-P4BHK4MN.js";
import "./chunk-UE23O574.js";
import "./chunk-QL5CQV3S.js";
import "./chunk-BEC6WV65.js";
import "./chunk-XTVJNGXJ.js";
import "./chunk-4OVCB57H.js";
import "./chunk-NIG5AYO3.js";
import "./chunk-5LWETDWB.js";
import "./chunk-DOESRUQL.js";
import "./chunk-RZQHOU5W.js";
import "./chunk-26QGXXSG.js";
import "./chunk-RLOAZQV4.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";
export {
  DESTROY_TIMEOUT_SECONDS,
  destroyCommand,
  destroyContext,
  manifestRegions,
  searchDeployment
};
//# sourceMappingURL=destroy-7QUROQ5T.js.map

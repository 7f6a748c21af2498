import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  destroyLocated,
  destroyTagged,
  terminateInstances,
  terminatedText
} from "./chunk-VELJBD3Y.js";
import "./chunk-LXZS54HF.js";
import "./chunk-NCEH4VHK.js";
import "./chunk-DFAL24WV.js";
import "./chunk-V2M23LJS.js";
import "./chunk-P4BHK4MN.js";
import "./chunk-UE23O574.js";
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
  destroyLocated,
  destroyTagged,
  terminateInstances,
  terminatedText
};
//# sourceMappingURL=destroy-MIOJVVZE.js.map

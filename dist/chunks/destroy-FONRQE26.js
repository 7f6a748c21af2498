import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  destroyLocated,
  destroyTagged,
  terminateInstances,
  terminatedText
} from "./chunk-V5EARBJT.js";
import "./chunk-ASGYA6V6.js";
import "./chunk-VVJLVYN2.js";
import "./chunk-GXHY36T6.js";
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
//# sourceMappingURL=destroy-FONRQE26.js.map

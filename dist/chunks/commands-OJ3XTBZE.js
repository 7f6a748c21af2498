import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  bundleMain,
  execMain,
  hostEnv,
  listMain,
  logsMain,
  targetId
} from "./chunk-R4HL3CGN.js";
import "./chunk-63JJSYQO.js";
import "./chunk-XJLXGMQD.js";
import "./chunk-SNYK7PHB.js";
import "./chunk-DFAL24WV.js";
import "./chunk-DPXUJE6X.js";
import "./chunk-P4BHK4MN.js";
import "./chunk-UE23O574.js";
import "./chunk-XTVJNGXJ.js";
import "./chunk-BY77YRZ3.js";
import "./chunk-AOH4AXCE.js";
import "./chunk-4OVCB57H.js";
import "./chunk-A4JSAB4L.js";
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
  bundleMain,
  execMain,
  hostEnv,
  listMain,
  logsMain,
  targetId
};
//# sourceMappingURL=commands-OJ3XTBZE.js.map

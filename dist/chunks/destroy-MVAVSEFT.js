import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  destroyLocated,
  destroyTagged,
  terminateInstances
} from "./chunk-BQSIPHEI.js";
import "./chunk-PVKND4AJ.js";
import "./chunk-JVXDG6VL.js";
import "./chunk-7G4IWZMH.js";
import "./chunk-A4JNTSKT.js";
import "./chunk-DOESRUQL.js";
import "./chunk-KFET54GO.js";
import "./chunk-26QGXXSG.js";
import "./chunk-LMDO35QD.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";
export {
  destroyLocated,
  destroyTagged,
  terminateInstances
};
//# sourceMappingURL=destroy-MVAVSEFT.js.map

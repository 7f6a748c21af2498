import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  DESTROY_TIMEOUT_SECONDS,
  destroyCommand,
  manifestRegions,
  searchDeployment
} from "./chunk-UNMS5R7W.js";
import "./chunk-FQMHTO7E.js";
import "./chunk-2KHFG423.js";
import "./chunk-TZFXLC47.js";
import "./chunk-3OWNIHIA.js";
import "./chunk-BQSIPHEI.js";
import "./chunk-PVKND4AJ.js";
import "./chunk-JVXDG6VL.js";
import "./chunk-7G4IWZMH.js";
import "./chunk-762IFG6K.js";
import "./chunk-A4JNTSKT.js";
import "./chunk-DOESRUQL.js";
import "./chunk-KFET54GO.js";
import "./chunk-26QGXXSG.js";
import "./chunk-LMDO35QD.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";
export {
  DESTROY_TIMEOUT_SECONDS,
  destroyCommand,
  manifestRegions,
  searchDeployment
};
//# sourceMappingURL=destroy-KY4CT6CZ.js.map

import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  destroyLocated,
  destroyTagged,
  terminateInstances
} from "./chunk-DE62AGDZ.js";
import "./chunk-Q3OIIG7E.js";
import "./chunk-YMC7WO63.js";
import "./chunk-V2M23LJS.js";
import "./chunk-ZYUDR6UM.js";
import "./chunk-QEWRRNT2.js";
import "./chunk-GXHY36T6.js";
import "./chunk-JGKVK7V4.js";
import "./chunk-4OVCB57H.js";
import "./chunk-5LWETDWB.js";
import "./chunk-DOESRUQL.js";
import "./chunk-4RNJPI4R.js";
import "./chunk-26QGXXSG.js";
import "./chunk-NW323TBU.js";
import "./chunk-5UZIY2RH.js";
import "./chunk-5JFPBMIT.js";
import "./chunk-SLSPYRCZ.js";
export {
  destroyLocated,
  destroyTagged,
  terminateInstances
};
//# sourceMappingURL=destroy-XORKQCOX.js.map

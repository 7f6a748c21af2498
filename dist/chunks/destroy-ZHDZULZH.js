import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  DESTROY_TIMEOUT_SECONDS,
  destroyCommand,
  destroyContext
} from "./chunk-JHCJ3QQU.js";
import "./chunk-DE62AGDZ.js";
import {
  manifestRegions,
  searchDeployment
} from "./chunk-GOWJD6EW.js";
import "./chunk-FQMHTO7E.js";
import "./chunk-Q3OIIG7E.js";
import "./chunk-YMC7WO63.js";
import "./chunk-V2M23LJS.js";
import "./chunk-ZYUDR6UM.js";
import "./chunk-QEWRRNT2.js";
import "./chunk-7IZJ57RE.js";
import "./chunk-GXHY36T6.js";
import "./chunk-V3JK2CWH.js";
import "./chunk-BZUWDCDP.js";
import "./chunk-JGKVK7V4.js";
import "./chunk-4OVCB57H.js";
import "./chunk-C4HKCQZY.js";
import "./chunk-5LWETDWB.js";
import "./chunk-DOESRUQL.js";
import "./chunk-4RNJPI4R.js";
import "./chunk-26QGXXSG.js";
import "./chunk-NW323TBU.js";
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
//# sourceMappingURL=destroy-ZHDZULZH.js.map

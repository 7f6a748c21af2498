import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  DESTROY_TIMEOUT_SECONDS,
  destroyCommand,
  destroyContext
} from "./chunk-EF7UW5TD.js";
import "./chunk-DE62AGDZ.js";
import {
  manifestRegions,
  searchDeployment
} from "./chunk-I32JEFFW.js";
import "./chunk-FQMHTO7E.js";
import "./chunk-Q3OIIG7E.js";
import "./chunk-YMC7WO63.js";
import "./chunk-V2M23LJS.js";
import "./chunk-ZYUDR6UM.js";
import "./chunk-QEWRRNT2.js";
import "./chunk-7IZJ57RE.js";
import "./chunk-GXHY36T6.js";
import "./chunk-5XESJCFS.js";
import "./chunk-INU4A3ZG.js";
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
//# sourceMappingURL=destroy-J32C6RHY.js.map

import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  bundleMain,
  execMain,
  listMain,
  logsMain,
  targetId
} from "./chunk-YRC4ZBKK.js";
import "./chunk-AI2PSSK5.js";
import "./chunk-PY74XFXH.js";
import "./chunk-SNYK7PHB.js";
import "./chunk-ZYUDR6UM.js";
import "./chunk-QEWRRNT2.js";
import "./chunk-7IZJ57RE.js";
import "./chunk-GXHY36T6.js";
import "./chunk-JGKVK7V4.js";
import "./chunk-BY77YRZ3.js";
import "./chunk-QY7JAZBM.js";
import "./chunk-4OVCB57H.js";
import "./chunk-C4LZUZNL.js";
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
  bundleMain,
  execMain,
  listMain,
  logsMain,
  targetId
};
//# sourceMappingURL=commands-6AV5BRB4.js.map

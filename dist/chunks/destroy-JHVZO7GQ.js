import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  DESTROY_TIMEOUT_SECONDS,
  destroyCommand,
  manifestRegions,
  searchRegions
} from "./chunk-JL5QX5WO.js";
import "./chunk-XH7SKPTC.js";
import "./chunk-GULAFQW7.js";
import "./chunk-KI4JSLVG.js";
import "./chunk-7WFD3UC7.js";
import "./chunk-J6PNY4N6.js";
import "./chunk-WREZP46J.js";
import "./chunk-KSW4INBU.js";
import "./chunk-QZ7WSLF6.js";
import "./chunk-BHATZNAV.js";
import "./chunk-4HOHSJLH.js";
import "./chunk-3OWNIHIA.js";
import "./chunk-4G5IXWVH.js";
import "./chunk-6VYKP37K.js";
import "./chunk-5RNFVK3I.js";
export {
  DESTROY_TIMEOUT_SECONDS,
  destroyCommand,
  manifestRegions,
  searchRegions
};
//# sourceMappingURL=destroy-JHVZO7GQ.js.map

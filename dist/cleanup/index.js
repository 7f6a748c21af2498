import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);
import {
  getState,
  info
} from "../chunks/chunk-MODBEIA4.js";
import "../chunks/chunk-MY3JGSCD.js";

// src/post.ts
async function runCleanup() {
  const launched = getState("launched");
  if (launched === "") {
    info("spot-deployer: nothing launched by this run; no cleanup needed.");
  }
}

// src/cleanup.ts
await runCleanup();
//# sourceMappingURL=index.js.map

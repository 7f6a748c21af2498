import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/github/api.ts
async function octokitFor(token, apiUrl) {
  const { getOctokit } = await import("./github-5WQ4VUVJ.js");
  const baseUrl = (apiUrl || "https://api.github.com").replace(/\/+$/, "");
  return getOctokit(token, { baseUrl });
}

export {
  octokitFor
};
//# sourceMappingURL=chunk-TFPGGUJ2.js.map

import { createRequire as __psdCreateRequire } from 'node:module'; const require = __psdCreateRequire(import.meta.url);

// src/github/api.ts
async function octokitFor(token, apiUrl) {
  const { getOctokit } = await import("./github-5WQ4VUVJ.js");
  const baseUrl = (apiUrl ?? process.env.GITHUB_API_URL ?? "https://api.github.com").replace(
    /\/+$/,
    ""
  );
  return getOctokit(token, { baseUrl });
}

export {
  octokitFor
};
//# sourceMappingURL=chunk-3SOWCDVH.js.map

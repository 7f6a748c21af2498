// The action's `post` entry (dist/cleanup/index.js): runs after the job, also when the
// main step failed or was cancelled.
import { runCleanup } from './post.ts';

await runCleanup();

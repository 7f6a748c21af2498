// Entry for @github/local-action: reads inputs and the pull request from the (stubbed)
// @actions/core and @actions/github, then writes the preview comment.
import * as core from '@actions/core';
import { context } from '@actions/github';
import {
  renderPreviewComment,
  runFromEnv,
  upsertPreviewComment,
  type PreviewModel,
} from '../../../src/github/comment.ts';

export async function run(): Promise<void> {
  const deploymentId = core.getInput('deployment-id', { required: true });
  const token = core.getInput('github-token', { required: true });
  core.setSecret(token);
  const at = new Date().toISOString();
  const run = runFromEnv(process.env);
  const model: PreviewModel =
    core.getInput('status') === 'destroyed'
      ? { status: 'destroyed', deploymentId, terminated: 1, at, ...(run ? { run } : {}) }
      : {
          status: 'deployed',
          deploymentId,
          at,
          sha: context.sha,
          ...(run ? { run } : {}),
          instances: [
            {
              id: 'i-0123456789abcdef0',
              region: 'us-west-2',
              type: 't3.small',
              lifecycle: 'spot',
              publicIp: '203.0.113.10',
              privateIp: '10.0.0.10',
              health: 'healthy',
            },
          ],
        };
  const result = await upsertPreviewComment({
    token,
    owner: context.repo.owner,
    repo: context.repo.repo,
    issueNumber: context.issue.number,
    deploymentId,
    // The entry passes the API's address; src/github reads no environment of its own.
    ...(process.env.GITHUB_API_URL ? { apiUrl: process.env.GITHUB_API_URL } : {}),
    body: renderPreviewComment(model),
  });
  if (!result.ok) {
    core.warning(result.warning);
    return;
  }
  core.setOutput('comment-action', result.action);
  core.setOutput('comment-id', String(result.commentId ?? ''));
}

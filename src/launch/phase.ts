// Tags that change after launch: the phase (deploying → ready, or failed when kept for
// debugging), the digest, commit and ref an in-place update delivered, and the mark of an
// update in progress. The IAM policy (docs/iam-policy.json) allows these keys, and only on
// instances that carry the managed-by tag.

import { CreateTagsCommand, DeleteTagsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { abortable } from '../aws/clients.ts';
import { chunk } from '../aws/poll.ts';

/** Resource ids per CreateTags / DeleteTags call. */
export const TAG_BATCH = 500;

export async function setTags(
  ec2: EC2Client,
  ids: readonly string[],
  tags: Record<string, string>,
  signal?: AbortSignal,
): Promise<void> {
  const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  for (const batch of chunk(ids, TAG_BATCH)) {
    await ec2.send(new CreateTagsCommand({ Resources: batch, Tags }), abortable(signal));
  }
}

export async function removeTags(
  ec2: EC2Client,
  ids: readonly string[],
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<void> {
  const Tags = keys.map((Key) => ({ Key }));
  for (const batch of chunk(ids, TAG_BATCH)) {
    await ec2.send(new DeleteTagsCommand({ Resources: batch, Tags }), abortable(signal));
  }
}

/**
 * `arn:aws:sns:us-east-1:123456789012:student-alerts` -> `student-alerts`.
 * A topic name cannot contain `:`, so it is whatever follows the last one.
 */
export function topicNameFromArn(topicArn: string): string {
  return topicArn.slice(topicArn.lastIndexOf(":") + 1);
}

/** FIFO topics, and only they, have names ending in `.fifo` (SNS enforces it). */
export function isFifoTopicName(name: string): boolean {
  return name.endsWith(".fifo");
}

const controlTowerPrefix = "aws-controltower-";

/**
 * Why a topic (or a subscription to it) must never be deleted: AWS Control
 * Tower creates `aws-controltower-*` topics in every enrolled account and
 * region, and reports drift when one goes. `undefined` for any other topic.
 */
export function controlTowerReason(topicName: string): string | undefined {
  return topicName.startsWith(controlTowerPrefix)
    ? `${topicName} belongs to AWS Control Tower, which manages it and reports drift when it is changed`
    : undefined;
}

import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import type { ResourceContext } from "@cleanup-runner/plugin-kit";

/** Where the app says a backend stack comes from. */
export type BackendStackSource =
  /** Amplify CLI / Studio (Gen 1): a backend environment's root stack, `amplify-<app>-<env>-<random>`. */
  | { readonly generation: 1; readonly environment: string; readonly deploymentBucket?: string }
  /** Amplify Gen 2: a branch's backend stack, `amplify-<appId>-<branch>-branch-<hash>`. */
  | { readonly generation: 2; readonly branch: string };

/** A CloudFormation stack that holds part of the app's backend, as read (read-only) for the plan. */
export type BackendStack = BackendStackSource & {
  readonly stackName: string;
  /** Its StackStatus, or why it could not be read. */
  readonly status: string;
};

/** The stack name in a stack ARN (`arn:...:stack/<name>/<guid>`); a plain name is returned as is. */
export function stackNameOf(stackArnOrName: string): string {
  return stackArnOrName.startsWith("arn:") ? (stackArnOrName.split("/")[1] ?? stackArnOrName) : stackArnOrName;
}

/**
 * Reads the named backend stacks with DescribeStacks, one call each, and
 * keeps those that exist. The names come from the Amplify API itself
 * (backend environments' `stackName`, branches' `backend.stackArn`), not
 * from guessing at name prefixes, so another project's stacks never show up.
 * Never changes a stack.
 */
export async function readBackendStacks(
  ctx: ResourceContext,
  candidates: (BackendStackSource & { readonly stackName: string })[],
): Promise<BackendStack[]> {
  const client = ctx.client(CloudFormationClient);
  const stacks: BackendStack[] = [];
  for (const candidate of candidates) {
    try {
      const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: candidate.stackName }));
      const status = Stacks?.[0]?.StackStatus;
      if (status && status !== "DELETE_COMPLETE") stacks.push({ ...candidate, status });
    } catch (error) {
      const { name, message } = error as Error;
      // CloudFormation's answer for a stack that is not there.
      if (name === "ValidationError" && /does not exist/i.test(message)) continue;
      // The plan still names the stack: not being able to read it is no reason to hide it.
      stacks.push({ ...candidate, status: `unknown (DescribeStacks: ${name})` });
    }
  }
  return stacks;
}

/** One plain sentence per stack: what stays after DeleteApp, and how to remove it. */
export function backendStackNotes(stacks: BackendStack[], region: string): string[] {
  return stacks.map((stack) => {
    const deleteStack = `aws cloudformation delete-stack --stack-name ${stack.stackName} --region ${region}`;
    if (stack.generation === 1) {
      const bucket = stack.deploymentBucket ? ` (empty its deployment bucket ${stack.deploymentBucket} first)` : "";
      return (
        `CloudFormation stack ${stack.stackName} (${stack.status}), the Amplify CLI backend of environment ` +
        `${stack.environment}, is NOT deleted by DeleteApp and keeps that backend running: remove it with ` +
        `\`amplify delete\` in the project, or \`${deleteStack}\`${bucket}. This tool never deletes stacks.`
      );
    }
    return (
      `CloudFormation stack ${stack.stackName} (${stack.status}), the Gen 2 backend of branch ${stack.branch}: ` +
      `Amplify starts deleting it when the app goes, but resources with a RETAIN removal policy stay; check it ` +
      `reaches DELETE_COMPLETE, or remove it with \`${deleteStack}\`. This tool never deletes stacks.`
    );
  });
}

import type { ResourceContext } from "@cleanup-runner/plugin-kit";

/** The ARN of an SES resource, e.g. `identity/example.com` or `configuration-set/name`. */
export function sesArn(ctx: ResourceContext, resource: string): string {
  return `arn:${ctx.partition}:ses:${ctx.region}:${ctx.accountId}:${resource}`;
}

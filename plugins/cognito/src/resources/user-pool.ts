import {
  CognitoIdentityProviderClient,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeUserPoolCommand,
  UpdateUserPoolCommand,
  paginateListGroups,
  paginateListUserPoolClients,
  paginateListUserPools,
  type UpdateUserPoolCommandInput,
  type UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  awsErrorBehind,
  classifiedCall,
  classifyAwsError,
  defineResource,
  deleteWithPlannedChildren,
  DependencyPendingError,
  isStringArray,
  NotFoundError,
  ProtectedError,
  readOrUndefined,
  removeUnlessGone,
  Type,
  type Child,
  type Found,
  type ResourceContext,
  type ResourceError,
} from "@cleanup-runner/plugin-kit";

const options = Type.Object({
  disableDeletionProtection: Type.Boolean({
    default: false,
    description:
      "Turn deletion protection off (UpdateUserPool, DeletionProtection INACTIVE) before deleting a pool that has it " +
      "ACTIVE. Every other setting of the pool is read and sent back unchanged. Without this option such a pool is " +
      "planned as protected and never deleted.",
  }),
});

/** Largest page ListUserPools, ListUserPoolClients and ListGroups accept. */
const pageSize = 60;

/**
 * Every setting UpdateUserPool takes besides the pool id and name, each read
 * from DescribeUserPool under the same name. UpdateUserPool resets whatever
 * it is not sent, so turning deletion protection off must send all of them.
 */
export const updatableSettings = [
  "Policies",
  "DeletionProtection",
  "LambdaConfig",
  "AutoVerifiedAttributes",
  "SmsVerificationMessage",
  "EmailVerificationMessage",
  "EmailVerificationSubject",
  "VerificationMessageTemplate",
  "SmsAuthenticationMessage",
  "UserAttributeUpdateSettings",
  "MfaConfiguration",
  "DeviceConfiguration",
  "EmailConfiguration",
  "SmsConfiguration",
  "UserPoolTags",
  "AdminCreateUserConfig",
  "UserPoolAddOns",
  "AccountRecoverySetting",
  "UserPoolTier",
  "KeyConfiguration",
  "IssuerConfiguration",
] as const satisfies readonly (keyof UpdateUserPoolCommandInput & keyof UserPoolType)[];

// Fails to compile when an SDK upgrade adds a setting to UpdateUserPool that the list above lacks.
type UnsentSetting = Exclude<
  keyof UpdateUserPoolCommandInput,
  (typeof updatableSettings)[number] | "UserPoolId" | "PoolName"
>;
const _everySettingSent: [UnsentSetting] extends [never] ? true : UnsentSetting = true;

/**
 * The UpdateUserPool input that changes nothing but DeletionProtection: the
 * pool as DescribeUserPool read it, with protection INACTIVE.
 */
export function deletionProtectionOff(pool: UserPoolType): UpdateUserPoolCommandInput {
  const input: Record<string, unknown> = { UserPoolId: pool.Id, PoolName: pool.Name };
  for (const setting of updatableSettings) if (pool[setting] !== undefined) input[setting] = pool[setting];
  input.DeletionProtection = "INACTIVE";
  // DescribeUserPool still returns the deprecated UnusedAccountValidityDays next to
  // PasswordPolicy.TemporaryPasswordValidityDays (the same setting), and UpdateUserPool
  // refuses the pair ("Please use TemporaryPasswordValidityDays in PasswordPolicy
  // instead of UnusedAccountValidityDays"): send only the current one.
  const adminCreateUser = pool.AdminCreateUserConfig;
  if (
    adminCreateUser?.UnusedAccountValidityDays !== undefined &&
    pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays !== undefined
  ) {
    const { UnusedAccountValidityDays: _deprecated, ...current } = adminCreateUser;
    input.AdminCreateUserConfig = current;
  }
  return input as unknown as UpdateUserPoolCommandInput;
}

/** The pool's domains: the prefix domain and the custom domain, when set. */
function domainsOf(pool: UserPoolType): string[] {
  return [pool.Domain, pool.CustomDomain].filter((d): d is string => Boolean(d));
}

function client(ctx: ResourceContext): CognitoIdentityProviderClient {
  return ctx.client(CognitoIdentityProviderClient);
}

/** DescribeUserPool answers read by readTags, kept for describe so a tag-selected pool is read once. */
const readForTags = new WeakMap<Found, UserPoolType>();

async function describePool(ctx: ResourceContext, id: string): Promise<UserPoolType | undefined> {
  const answer = await readOrUndefined(() => client(ctx).send(new DescribeUserPoolCommand({ UserPoolId: id })));
  return answer?.UserPool;
}

async function countAppClients(ctx: ResourceContext, id: string): Promise<Child> {
  const names: string[] = [];
  for await (const page of paginateListUserPoolClients(
    { client: client(ctx) },
    { UserPoolId: id, MaxResults: pageSize },
  )) {
    for (const appClient of page.UserPoolClients ?? []) names.push(appClient.ClientName ?? appClient.ClientId ?? "");
  }
  return { kind: "app clients", count: names.length, ...(names.length ? { note: sample(names) } : {}) };
}

async function countGroups(ctx: ResourceContext, id: string): Promise<Child> {
  const names: string[] = [];
  for await (const page of paginateListGroups({ client: client(ctx) }, { UserPoolId: id, Limit: pageSize })) {
    for (const group of page.Groups ?? []) names.push(group.GroupName ?? "");
  }
  return { kind: "groups", count: names.length, ...(names.length ? { note: sample(names) } : {}) };
}

/** What delete needs of a pool: the domains to delete first, and whether protection must be lifted. */
interface PlannedPool {
  readonly domains: string[];
  readonly deletionProtection: string;
}

/** A pool to delete, as planned or as read now (`pool`: the fresh read, when there is one). */
interface PoolToDelete extends PlannedPool {
  readonly pool?: UserPoolType;
}

/**
 * The pool as describe recorded it, read back from the (possibly frozen)
 * plan, when delete may go by it: undefined when absent or malformed, and
 * when the plan saw domains. Deleting a domain is allowed on a protected
 * pool, so a pool with domains is read first: one protected since the plan
 * is then left untouched. Without domains, DeleteUserPool is the first call
 * and itself refuses a protected pool (or one with a domain added since).
 */
function plannedPool(found: Found): PoolToDelete | undefined {
  const { domains, deletionProtection } = found.details ?? {};
  if (!isStringArray(domains) || domains.length > 0) return undefined;
  if (typeof deletionProtection !== "string") return undefined;
  return { domains, deletionProtection };
}

/** A few names for the plan, not a wall of them. */
function sample(names: string[]): string {
  return names.length > 5 ? `${names.slice(0, 5).join(", ")}, ...` : names.join(", ");
}

/** What DeleteUserPool's InvalidParameterException means, by its message. */
function classifyDeleteUserPoolError(
  error: unknown,
  what: string | undefined,
  protectionLifted: boolean,
): ResourceError {
  const e = error as { name?: string; message?: string };
  if (e.name === "InvalidParameterException" && /domain configured/i.test(e.message ?? "")) {
    // "It has a domain configured that should be deleted first": a custom
    // domain takes a while to go after DeleteUserPoolDomain.
    return new DependencyPendingError(`${what}: a domain is still configured (${e.message})`, { cause: error });
  }
  if (e.name === "InvalidParameterException" && /deletion protection/i.test(e.message ?? "")) {
    return protectionLifted
      ? new DependencyPendingError(`${what}: deletion protection is still being turned off`, { cause: error })
      : new ProtectedError(`${what}: deletion protection is ACTIVE`, { cause: error });
  }
  return classifyAwsError(error, what);
}

/** A Cognito user pool and everything it holds. */
export const userPool = defineResource({
  type: "cognito.user-pool",
  description: "Cognito user pools, with their app clients, groups, users and domains (prefix and custom).",
  scope: "regional",
  options,
  deletesWith: [
    "app clients",
    "groups",
    "users",
    "identity providers",
    "resource servers",
    "prefix and custom domains",
  ],

  async *discover(ctx) {
    // ListUserPools has no name filter, and MaxResults is required.
    for await (const page of paginateListUserPools({ client: client(ctx) }, { MaxResults: pageSize })) {
      for (const pool of page.UserPools ?? []) {
        if (!pool.Id || !pool.Name) continue;
        yield {
          id: pool.Id,
          name: pool.Name,
          arn: `arn:${ctx.partition}:cognito-idp:${ctx.region}:${ctx.accountId}:userpool/${pool.Id}`,
          ...(pool.CreationDate ? { createdAt: pool.CreationDate.toISOString() } : {}),
          ...(pool.ReplicaRegions?.length ? { details: { replicaRegions: pool.ReplicaRegions } } : {}),
        };
      }
    }
  },

  async readTags(ctx, found) {
    const pool = await describePool(ctx, found.id);
    if (pool) readForTags.set(found, pool);
    return pool?.UserPoolTags ?? {};
  },

  async describe(ctx, found) {
    const pool = readForTags.get(found) ?? (await describePool(ctx, found.id));
    if (!pool) return found;
    const domains = domainsOf(pool);
    const children: Child[] = [
      await countAppClients(ctx, found.id),
      await countGroups(ctx, found.id),
      { kind: "users", count: pool.EstimatedNumberOfUsers ?? 0, note: "estimated" },
      { kind: "domains", count: domains.length, ...(domains.length ? { note: domains.join(", ") } : {}) },
    ];
    const notes: string[] = [];
    let protectedReason: string | undefined;
    const replicaRegions = found.details?.replicaRegions as string[] | undefined;
    if (replicaRegions?.length) {
      protectedReason = `the pool has replicas in ${replicaRegions.join(", ")}; replicated pools are not deleted`;
    } else if (pool.DeletionProtection === "ACTIVE") {
      if (ctx.options.disableDeletionProtection) {
        notes.push("deletion protection is ACTIVE: it is turned off first, every other setting kept");
      } else {
        protectedReason = "deletion protection is ACTIVE; set options.disableDeletionProtection: true to delete it";
      }
    }
    if (pool.CustomDomain) {
      notes.push(`the custom domain's ACM certificate and DNS alias record for ${pool.CustomDomain} are not deleted`);
    }
    const triggers = Object.keys(pool.LambdaConfig ?? {}).length;
    if (triggers) notes.push(`${triggers} Lambda trigger setting(s): the functions themselves are not deleted`);
    const planned: PlannedPool = { domains, deletionProtection: pool.DeletionProtection ?? "INACTIVE" };
    return {
      ...found,
      ...(pool.CreationDate ? { createdAt: pool.CreationDate.toISOString() } : {}),
      tags: found.tags ?? pool.UserPoolTags ?? {},
      children,
      details: { ...found.details, ...planned },
      ...(protectedReason ? { protectedReason } : {}),
      ...(notes.length ? { notes } : {}),
    };
  },

  async delete(ctx, found) {
    const cognito = client(ctx);
    const lifting = ctx.options.disableDeletionProtection;
    await deleteWithPlannedChildren(
      plannedPool(found),
      // A fresh read: no plan of the domains (an older plan file), or DeleteUserPool refused for
      // a domain or deletion protection the plan did not see; UpdateUserPool needs it too.
      async (): Promise<PoolToDelete> => {
        const pool = await describePool(ctx, found.id);
        if (!pool) throw new NotFoundError(`user pool ${found.id} no longer exists`);
        return { domains: domainsOf(pool), deletionProtection: pool.DeletionProtection ?? "INACTIVE", pool };
      },
      async (state) => {
        if (state.deletionProtection === "ACTIVE") {
          if (!lifting) throw new ProtectedError(`user pool ${found.id} has deletion protection ACTIVE`);
          // UpdateUserPool must send back the pool's current settings: read now, never the plan's.
          const pool = state.pool ?? (await describePool(ctx, found.id));
          if (!pool) throw new NotFoundError(`user pool ${found.id} no longer exists`);
          await classifiedCall(`UpdateUserPool ${found.id} (deletion protection off)`, () =>
            cognito.send(new UpdateUserPoolCommand(deletionProtectionOff(pool))),
          );
        }
        for (const domain of state.domains) {
          ctx.progress(`deleting domain ${domain}`);
          // NotFound: the domain is gone already (a partial earlier attempt), never "the pool is gone".
          await removeUnlessGone(`DeleteUserPoolDomain ${domain}`, () =>
            cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: found.id, Domain: domain })),
          );
        }
        // With the option, a refusal for protection means it is still being turned off (or was
        // turned on since the plan, which the fresh read then lifts).
        await classifiedCall(
          `DeleteUserPool ${found.id}`,
          () => cognito.send(new DeleteUserPoolCommand({ UserPoolId: found.id })),
          (error, what) => classifyDeleteUserPoolError(error, what, lifting),
        );
      },
      // DeleteUserPool itself refuses while a domain is configured or protection is ACTIVE:
      // then the pool is read fresh (a domain added since the plan, protection turned on).
      (error) => {
        const refusal = awsErrorBehind(error);
        return (
          refusal.name === "InvalidParameterException" &&
          (/domain configured/i.test(refusal.message ?? "") ||
            (lifting && /deletion protection/i.test(refusal.message ?? "")))
        );
      },
    );
  },

  async verify(ctx, found) {
    return (await describePool(ctx, found.id)) ? "present" : "gone";
  },
});

import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { userPool } from "./user-pool.js";

type Options = Parameters<typeof userPool.delete>[0]["options"];

const moto = useMoto();
const cognito = () => moto.client(CognitoIdentityProviderClient);
const ctx = (options: Partial<Options> = {}) => moto.context<Options>({ resource: userPool, options });

async function createPool(name: string, domain: string, protection: "ACTIVE" | "INACTIVE" = "INACTIVE") {
  const { UserPool } = await cognito().send(
    new CreateUserPoolCommand({ PoolName: name, DeletionProtection: protection, UserPoolTags: { project: name } }),
  );
  const id = UserPool!.Id!;
  await cognito().send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: `${name}-web` }));
  await cognito().send(new CreateGroupCommand({ UserPoolId: id, GroupName: "students" }));
  await cognito().send(new CreateUserPoolDomainCommand({ UserPoolId: id, Domain: domain }));
  return id;
}

async function poolExists(id: string): Promise<boolean> {
  return cognito()
    .send(new DescribeUserPoolCommand({ UserPoolId: id }))
    .then(
      () => true,
      () => false,
    );
}

async function domainExists(domain: string): Promise<boolean> {
  const { DomainDescription } = await cognito().send(new DescribeUserPoolDomainCommand({ Domain: domain }));
  return Boolean(DomainDescription?.UserPoolId);
}

describe("cognito.user-pool on moto", () => {
  it("deletes the selected pool and its domain, and leaves the decoy pool and its domain", async () => {
    const student = await createPool("StudentUserPool", "student-auth");
    const decoy = await createPool("OtherProjectPool", "other-project-auth");

    const pools = await collect(userPool.discover(ctx(), {}));
    const found = pools.find((p) => p.name === "StudentUserPool")!;
    expect(pools.map((p) => p.name).sort()).toEqual(["OtherProjectPool", "StudentUserPool"]);
    expect(found).toMatchObject({ id: student, arn: expect.stringContaining(`userpool/${student}`) });
    expect(await userPool.readTags!(ctx(), found)).toEqual({ project: "StudentUserPool" });

    const planned = await userPool.describe!(ctx(), found);
    expect(planned.children).toEqual([
      { kind: "app clients", count: 1, note: "StudentUserPool-web" },
      { kind: "groups", count: 1, note: "students" },
      { kind: "users", count: 0, note: "estimated" },
      { kind: "domains", count: 1, note: "student-auth" },
    ]);

    await userPool.delete(ctx(), planned);

    expect(await userPool.verify(ctx(), planned)).toBe("gone");
    // moto deletes a pool that still has a domain (AWS refuses): check the domain went first.
    expect(await domainExists("student-auth")).toBe(false);
    expect(await poolExists(decoy)).toBe(true);
    expect(await domainExists("other-project-auth")).toBe(true);
    await expect(userPool.delete(ctx(), planned)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("keeps a protected pool unless the entry opts in, then turns protection off and deletes it", async () => {
    const id = await createPool("StudentUserPool", "student-auth", "ACTIVE");
    const [found] = await collect(userPool.discover(ctx(), {}));

    expect((await userPool.describe!(ctx(), found!)).protectedReason).toMatch(/deletion protection/);
    await expect(userPool.delete(ctx(), found!)).rejects.toMatchObject({ kind: "protected" });
    expect(await poolExists(id)).toBe(true);
    expect(await domainExists("student-auth")).toBe(true);

    await userPool.delete(ctx({ disableDeletionProtection: true }), found!);

    expect(await userPool.verify(ctx(), found!)).toBe("gone");
    expect(await domainExists("student-auth")).toBe(false);
  });
});

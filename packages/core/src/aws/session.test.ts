import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { mockSts } from "../testing/sts.js";
import { AwsSession, MutationRefusedError, defaultRegion } from "./session.js";

const sts = mockSts();
afterAll(() => sts.restore());
beforeEach(() => {
  sts.resetHistory();
  vi.unstubAllEnvs();
});

const session = (readOnly: boolean, extra: Partial<ConstructorParameters<typeof AwsSession>[0]> = {}) =>
  new AwsSession({
    region: "us-east-1",
    readOnly,
    clientConfig: { credentials: { accessKeyId: "x", secretAccessKey: "y" } },
    ...extra,
  });

describe("AwsSession", () => {
  it("counts every call by service and operation", async () => {
    sts.on(AssumeRoleCommand).resolves({});
    const s = session(false);
    const client = s.client(STSClient);
    await client.send(new GetCallerIdentityCommand({}));
    await client.send(new GetCallerIdentityCommand({}));
    await client.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "s" }));
    await s.client(STSClient, "eu-west-1").send(new GetCallerIdentityCommand({}));
    expect(s.calls.toJSON()).toEqual({ STS: { AssumeRole: 1, GetCallerIdentity: 3 } });
    expect(s.calls.total).toBe(4);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it("a read-only session refuses a call that is not a read, before it is sent", async () => {
    sts.on(AssumeRoleCommand).resolves({});
    sts.on(GetSessionTokenCommand).resolves({ Credentials: undefined });
    const s = session(true);
    const client = s.client(STSClient);
    await expect(
      client.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "s" })),
    ).rejects.toThrow(MutationRefusedError);
    await expect(client.send(new GetSessionTokenCommand({}))).resolves.toBeDefined(); // a Get is a read
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(1);
    expect(s.calls.toJSON()).toEqual({ STS: { GetSessionToken: 1 } });
  });

  it("the refusal names the service and operation", async () => {
    const error = await session(true)
      .client(STSClient)
      .send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/r", RoleSessionName: "s" }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MutationRefusedError);
    expect((error as Error).message).toBe(
      "refused STS AssumeRole: this run is read-only (plan never changes anything)",
    );
    expect((error as Error).name).toBe("MutationRefusedError");
  });

  it("caches one client per class and region, configured for the run", async () => {
    const s = session(false, {
      clientConfig: { credentials: { accessKeyId: "x", secretAccessKey: "y" }, maxAttempts: 2 },
    });
    const a = s.client(STSClient);
    expect(s.client(STSClient)).toBe(a);
    expect(s.client(STSClient, "us-east-1")).toBe(a);
    const b = s.client(STSClient, "eu-west-1");
    expect(b).not.toBe(a);
    expect(await a.config.region()).toBe("us-east-1");
    expect(await b.config.region()).toBe("eu-west-1");
    expect(await a.config.retryStrategy()).toMatchObject({ mode: "adaptive" });
    expect(await a.config.maxAttempts()).toBe(2); // clientConfig wins over the default 5
    expect(await session(false).client(STSClient).config.maxAttempts()).toBe(5);
    expect(s.region).toBe("us-east-1");
  });

  it("reads the identity once, with the partition from the ARN", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "111122223333", Arn: "arn:aws-cn:iam::111122223333:user/t" });
    const s = session(true);
    const [a, b] = await Promise.all([s.identity(), s.identity()]);
    expect(a).toEqual({ accountId: "111122223333", arn: "arn:aws-cn:iam::111122223333:user/t", partition: "aws-cn" });
    expect(b).toBe(a);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/t" });
  });

  it("does not remember a failed identity read: the next call asks again", async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejectsOnce(new Error("connect ECONNREFUSED"))
      .resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/t" });
    const s = session(true);
    await expect(s.identity()).rejects.toThrow("ECONNREFUSED");
    await expect(s.identity()).resolves.toMatchObject({ accountId: "123456789012" });
    // Call-numbered answers outlive resetHistory: leave the default behaviour for the next tests.
    sts.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/t" });
  });

  it("beforeCall sees every call and may fail it", async () => {
    const seen: string[] = [];
    const s = session(false, {
      beforeCall: (service, operation) => {
        seen.push(`${service}:${operation}`);
        if (operation === "GetSessionToken") throw new Error("injected");
      },
    });
    await s.client(STSClient).send(new GetCallerIdentityCommand({}));
    await expect(s.client(STSClient).send(new GetSessionTokenCommand({}))).rejects.toThrow("injected");
    expect(seen).toEqual(["STS:GetCallerIdentity", "STS:GetSessionToken"]);
    expect(sts.commandCalls(GetSessionTokenCommand)).toHaveLength(0);
  });

  it("uses path-style S3 when an emulator endpoint is set", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000");
    const client = session(false).client(STSClient);
    expect((client.config as unknown as { forcePathStyle?: boolean }).forcePathStyle).toBe(true);
    vi.unstubAllEnvs();
    vi.stubEnv("AWS_ENDPOINT_URL", undefined);
    vi.stubEnv("AWS_ENDPOINT_URL_S3", undefined);
    const plain = session(false).client(STSClient);
    expect((plain.config as unknown as { forcePathStyle?: boolean }).forcePathStyle).toBeUndefined();
  });

  it("destroy drops the cached clients", () => {
    const s = session(false);
    const a = s.client(STSClient);
    s.destroy();
    expect(s.client(STSClient)).not.toBe(a);
  });
});

describe("defaultRegion", () => {
  it("is the SDK's region from the environment", async () => {
    vi.stubEnv("AWS_REGION", "eu-central-1");
    expect(await defaultRegion()).toBe("eu-central-1");
  });
});

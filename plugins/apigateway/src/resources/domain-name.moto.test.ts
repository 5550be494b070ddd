import {
  APIGatewayClient,
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateRestApiCommand,
  GetRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from "@aws-sdk/client-api-gateway";
import { ApiGatewayV2Client, CreateDomainNameCommand as CreateV2DomainNameCommand } from "@aws-sdk/client-apigatewayv2";
import { collect } from "@cleanup-runner/plugin-kit/testing";
import { useMoto } from "@cleanup-runner/sandbox/vitest";
import { describe, expect, it } from "vitest";
import { domainName } from "./domain-name.js";

const moto = useMoto();

describe("apigateway.domain-name on moto", () => {
  it("deletes a v1 domain (mapping included) and a v2 domain, and leaves the mapped API and the decoy", async () => {
    const v1 = moto.client(APIGatewayClient);
    const v2 = moto.client(ApiGatewayV2Client);
    const api = await v1.send(new CreateRestApiCommand({ name: "student-backend-api" }));
    const method = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: "GET" };
    await v1.send(new PutMethodCommand({ ...method, authorizationType: "NONE" }));
    await v1.send(new PutIntegrationCommand({ ...method, type: "MOCK" }));
    await v1.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: "prod" }));
    await v1.send(new CreateDomainNameCommand({ domainName: "api.students.example.com", certificateName: "students" }));
    await v1.send(
      new CreateBasePathMappingCommand({ domainName: "api.students.example.com", restApiId: api.id, stage: "prod" }),
    );
    await v1.send(
      new CreateDomainNameCommand({ domainName: "api.other-project.example.com", certificateName: "other" }),
    );
    await v2.send(new CreateV2DomainNameCommand({ DomainName: "chat.students.example.com" }));
    const ctx = moto.context();

    const found = await collect(domainName.discover(ctx, {}));
    expect(found.map((f) => [f.id, f.details?.api])).toEqual([
      ["api.students.example.com", "v1"],
      ["api.other-project.example.com", "v1"],
      ["chat.students.example.com", "v2"],
    ]);
    const students = found.filter((f) => f.name.endsWith(".students.example.com"));
    const planned = await domainName.describe!(ctx, students[0]!);
    expect(planned.children).toEqual([{ kind: "base path mappings", count: 1, note: `(none) -> ${api.id}/prod` }]);

    for (const domain of students) {
      await domainName.delete(ctx, domain);
      expect(await domainName.verify(ctx, domain)).toBe("gone");
    }
    expect(await domainName.verify(ctx, found[1]!)).toBe("present");
    expect((await v1.send(new GetRestApiCommand({ restApiId: api.id }))).name).toBe("student-backend-api");
  });
});
